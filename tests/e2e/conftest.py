"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Collected only with ``E2E=1`` (``make e2e`` sets it), so ``make test`` never opens a browser.
Every page a journey opens is watched: a console error, an uncaught exception or a request to
another host fails the test at teardown. A failing journey leaves a screenshot, the page HTML and
the browser log under ``e2e-artifacts/<test name>/``; the folder is printed at the end of the run.
"""

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

E2E_ENABLED = os.environ.get("E2E") == "1"
if not E2E_ENABLED:
    collect_ignore_glob = ["test_*.py"]
else:
    # Playwright's sync API keeps an event loop running in the main thread; the ORM calls a test makes
    # between two clicks are still plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# A browser download cannot work here: Debian's Chromium, kept from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", Path(__file__).resolve().parents[2] / "e2e-artifacts")).resolve()
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Playwright waits this long for an element or a navigation before failing the step.
TIMEOUT_MS = 15_000
if E2E_ENABLED:
    from playwright.sync_api import expect

    # Assertions wait as long as actions do: on a loaded 2-core CI machine an htmx swap can take seconds.
    expect.set_options(timeout=TIMEOUT_MS)

_report_key = pytest.StashKey[dict]()
_saved_artifacts: list[Path] = []


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_report_key, {})[report.when] = report
    return report


def pytest_terminal_summary(terminalreporter):
    if _saved_artifacts:
        terminalreporter.section("e2e artifacts")
        terminalreporter.write_line(f"Screenshots and page HTML of failing journeys: {ARTIFACTS}")
        for folder in _saved_artifacts:
            terminalreporter.write_line(f"  {folder}")


@dataclass
class BrowserLog:
    """What the browser reported while a journey ran; any problem fails the test at teardown."""

    origin: str
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    foreign_requests: list = field(default_factory=list)
    visited: list = field(default_factory=list)
    _expected_http_errors: list = field(default_factory=list)

    def expect_http_error(self, path, status):
        """The journey means to hit an error page (a refused URL): its console line is not a problem."""
        self._expected_http_errors.append((path, status))

    def is_same_origin(self, url):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https", "ws", "wss"}:
            return True  # data:, blob:, about: never leave the machine
        return f"{parts.scheme.replace('ws', 'http', 1)}://{parts.netloc}" == self.origin

    def on_console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        for path, status in self._expected_http_errors:
            if urlsplit(url).path == path and f"status of {status}" in message.text:
                return
        self.console_errors.append(f"{message.text} ({url})")

    def problems(self):
        return (
            [f"console error: {line}" for line in self.console_errors]
            + [f"uncaught exception: {line}" for line in self.page_errors]
            + [f"request to another host: {url}" for url in self.foreign_requests]
        )


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: run `make e2e`, which installs Debian's chromium", returncode=2)
    # Django keeps its connections per thread, but per asyncio context while an event loop runs in the
    # thread, and Playwright's sync API leaves its loop marked as running between two calls. From here
    # on the ORM therefore uses fresh connection objects: hand them the snapshot of the migrated data
    # that serialized rollback restores after each flush (posts, schedules ...).
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    playwright = sync_playwright().start()
    for alias, snapshot in snapshots.items():
        if snapshot is not None:
            connections[alias]._test_serialized_contents = snapshot
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    # Close the connections opened while the loop ran, or PostgreSQL refuses to drop the test database.
    connections.close_all()
    playwright.stop()


@pytest.fixture(autouse=True)
def _e2e_database(transactional_db, django_db_serialized_rollback):
    """The live server answers from another thread, so test data is committed; the flush after each
    journey would drop the rows data migrations made (posts ...), so they are restored from a snapshot."""


@pytest.fixture
def browser_log(live_server):
    log = BrowserLog(origin=live_server.url)
    yield log
    problems = Counter(log.problems())
    assert not problems, "the browser reported problems:\n" + "\n".join(
        f"{line}" + (f" (×{count})" if count > 1 else "") for line, count in problems.items()
    )


@pytest.fixture
def open_page(request, browser, live_server, browser_log):
    """open_page(viewport=..., **context options) → a new Playwright page on the live server, watched."""
    contexts = []

    def _open(viewport=DESKTOP, **options):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", **options
        )
        context.set_default_timeout(TIMEOUT_MS)

        def refuse_foreign(route):
            browser_log.foreign_requests.append(route.request.url)
            route.abort()

        context.route(lambda url: not browser_log.is_same_origin(url), refuse_foreign)
        context.on("request", lambda req: req.resource_type == "document" and browser_log.visited.append(req.url))
        page = context.new_page()
        page.on("console", browser_log.on_console)
        page.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
        contexts.append(context)
        return page

    yield _open
    reports = request.node.stash.get(_report_key, {})
    failed = any(report.failed for report in reports.values()) or bool(browser_log.problems())
    if failed:
        _save_artifacts(request.node, contexts, browser_log)
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A desktop-sized page (1280×800)."""
    return open_page()


@pytest.fixture
def phone_page(open_page):
    """A phone-sized page (390×844, touch), as a township officer's phone shows it."""
    return open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def _save_artifacts(item, contexts, log):
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name)
    folder.mkdir(parents=True, exist_ok=True)
    for context_index, context in enumerate(contexts):
        for page_index, page in enumerate(context.pages):
            stem = f"page{context_index}-{page_index}"
            try:
                page.screenshot(path=folder / f"{stem}.png", full_page=True)
                (folder / f"{stem}.html").write_text(f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8")
            except Exception as exc:  # noqa: BLE001 - a crashed page must not hide the test's own failure
                (folder / f"{stem}.error.txt").write_text(repr(exc), encoding="utf-8")
    lines = ["pages visited:", *log.visited, "", "problems:", *log.problems()]
    (folder / "browser-log.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _saved_artifacts.append(folder)
