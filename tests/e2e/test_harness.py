"""The watchers behind journey 6 work: a silent watcher would turn every journey green."""

from playwright.sync_api import expect

from .helpers import login


def test_console_errors_and_requests_to_other_hosts_are_caught(page, browser_log, officer_x):
    login(page, "township_x")
    page.evaluate("console.error('deliberate error')")
    page.goto("about:blank")
    page.set_content('<img alt="x" src="http://cdn.example.invalid/logo.png">')
    expect(page.get_by_role("img")).to_have_count(1)
    page.wait_for_load_state("load")

    assert browser_log.foreign_requests == ["http://cdn.example.invalid/logo.png"]
    assert any("deliberate error" in line for line in browser_log.console_errors)
    assert len(browser_log.problems()) >= 2
    # Seen, so this test may pass: the teardown check would fail it otherwise.
    browser_log.console_errors.clear()
    browser_log.foreign_requests.clear()
