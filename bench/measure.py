"""Measurements of the benchmark: each returns plain numbers (seconds, milliseconds, query counts, MB).

Queries are counted with ``CaptureQueriesContext`` and time with ``time.perf_counter``, in-process, on
the database the data was generated in. Page times are server times: the Django test client calls the
whole stack (middleware, view, template) in this process, without a network in between.
"""

import contextlib
import datetime
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import LedgerCategory, LedgerEntry
from cadre_mgmt.accounts.models import User
from cadre_mgmt.cadres.models import Cadre, Township
from ranks.ladder import rules as rank_rules
from ranks.models import Roster, RosterLine

ROOT = Path(__file__).resolve().parent.parent


class Timer:
    """Seconds and SQL queries of a block."""

    def __enter__(self):
        self.capture = CaptureQueriesContext(connection)
        self.capture.__enter__()
        self.started = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.seconds = time.perf_counter() - self.started
        self.capture.__exit__(exc_type, exc, tb)
        self.queries = len(self.capture.captured_queries)
        return False


def bench_users():
    users = {user.username: user for user in User.objects.filter(username__startswith="bench_")}
    biggest = (
        Cadre.objects.filter(status=Cadre.Status.IN_POST)
        .values("township_id")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n", "township_id")
        .first()
    )
    officer = User.objects.get(role=User.Role.TOWNSHIP_STAFF, township_id=biggest["township_id"], username__startswith="bench_")
    return {
        "admin": users["bench_county_admin"],
        "approver": users["bench_county_approver"],
        "supervisor": users["bench_supervisor"],
        "finance": users["bench_finance"],
        "officer": officer,
    }


# 2. Roster generation --------------------------------------------------------------------------------


def measure_roster(*, approver, today=None):
    """Generate and lock last month's roster (untimed: the month the county already paid), then time the
    generation of this month's, as the monthly job does it (adjustment lines for the locked month included)."""
    from ranks.rosters import services

    month = rank_rules.first_of_month(today or timezone.localdate())
    previous = rank_rules.add_months(month, -1)
    previous_roster = Roster.objects.filter(month=previous).first()
    if previous_roster is None or not previous_roster.is_locked:
        services.roster_generate(month=previous, user=approver)
        services.roster_lock(roster=Roster.objects.get(month=previous), user=approver)
    with Timer() as timer:
        roster = services.roster_generate(month=month, user=approver)
    return {"roster_seconds": round(timer.seconds, 2), "roster_queries": timer.queries, "roster_lines": roster.line_count}


# 3. Export and its floor ------------------------------------------------------------------------------


def _status_mb(field):
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in MB, from /proc/self/status.

    Not ``ru_maxrss``: Linux keeps that across fork and exec, so a child would start with its parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak():
    """Start the peak-RSS count again from the current RSS (Linux 4.0+: write 5 to clear_refs)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _floor_rows(roster):
    """The cells the export writes for each line, as plain values (no database while the floor is timed)."""
    rows = []
    number = 0
    fields = ("kind", "township_name", "village_name", "cadre_name", "id_number_masked", "posts_text", "level", "amount")
    lines = RosterLine.objects.filter(roster=roster).order_by("position")
    for kind, *values in lines.values_list(*fields, "since_month", "remarks"):
        if kind == RosterLine.Kind.REGULAR:
            number += 1
        rows.append([number if kind == RosterLine.Kind.REGULAR else None, *values])
    return rows


def _write_floor_xlsxwriter(rows):
    """XlsxWriter's constant-memory mode writing the same cells, unstyled: the floor of the writer the export uses."""
    import xlsxwriter

    from ranks.rosters.columns import HEADERS

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("花名册")
    sheet.write_row(0, 0, HEADERS)
    for index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(index, col, value)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(index, col, value)
            elif value is not None:
                sheet.write_number(index, col, value)
    workbook.close()
    return buffer.getbuffer().nbytes


def _write_floor(rows):
    from openpyxl import Workbook

    from ranks.rosters.columns import HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getbuffer().nbytes


def export_and_floor(*, roster, user, repeats=1):
    """The export job of the whole roster as ``user``, then openpyxl's write-only mode writing the same
    cells with no database and no formatting (the floor), alternately ``repeats`` times; the best time of
    each counts (the machine is shared: the minimum is the least disturbed run). The peak memory is the
    first export's: the rise of this process's peak RSS over its RSS just before it."""
    from ranks.rosters import exports as services

    list(User.objects.filter(pk=user.pk))  # connection open: the baseline is a ready process
    _reset_peak()
    baseline = _status_mb("VmRSS")
    exports, floors, xlsxwriter_floors, peak = [], [], [], None
    rows = None
    for _attempt in range(repeats):
        started = time.perf_counter()
        export = services.roster_export_request(roster=roster, user=user)  # with no broker the job runs on commit, here
        export = services.roster_export_run(export_id=export.pk)  # a no-op once done; inside a test transaction, the run
        exports.append(time.perf_counter() - started)
        if peak is None:
            peak = _status_mb("VmHWM")
        export.refresh_from_db()
        if export.status != export.Status.DONE:
            raise RuntimeError(f"export failed: {export.error}")
        export.file.delete(save=False)
        if rows is None:
            rows = _floor_rows(roster)
        started = time.perf_counter()
        _write_floor(rows)
        floors.append(time.perf_counter() - started)
        started = time.perf_counter()
        _write_floor_xlsxwriter(rows)
        xlsxwriter_floors.append(time.perf_counter() - started)
    fastest_floor = min(min(floors), min(xlsxwriter_floors))
    return {
        "export_seconds": round(min(exports), 2),
        # The ratio is to the faster of the two writers' floors (issue 22 #3).
        "export_floor_seconds": round(fastest_floor, 2),
        "export_floor_openpyxl_seconds": round(min(floors), 2),
        "export_floor_xlsxwriter_seconds": round(min(xlsxwriter_floors), 2),
        "export_ratio": round(min(exports) / max(fastest_floor, 0.001), 2),
        "export_runs": [round(x, 2) for x in exports],
        "export_floor_runs": [round(x, 2) for x in floors],
        "export_rows": export.total_rows,
        "export_peak_mb": round(peak - baseline, 1),
        "export_peak_rss_mb": round(peak, 1),
        "export_baseline_rss_mb": round(baseline, 1),
    }


def export_child(*, roster_id, username, repeats):
    """bench/run.py --child export: a fresh process, so that the peak memory is the export's own."""
    roster = Roster.objects.get(pk=roster_id)
    result = export_and_floor(roster=roster, user=User.objects.get(username=username), repeats=repeats)
    print(json.dumps(result))


def measure_export(*, roster, user, env, repeats=3):
    """The export in a child process so that its peak memory is its own."""
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--child", "export", "--repeats", str(repeats)]
    output = subprocess.run(
        [*command, "--roster", str(roster.pk), "--user", user.username],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


# 4. Pages ---------------------------------------------------------------------------------------------


def _time_page(client, urls, requests):
    """Median and 95th percentile of the server time over ``requests`` requests (cycling through
    ``urls``), and the queries of one request."""
    client.get(urls[0])  # warm: first-use imports and template loading are not the steady state
    with CaptureQueriesContext(connection) as capture:
        response = client.get(urls[0])
    queries = len(capture.captured_queries)  # read now: the next request clears the query log
    if response.status_code != 200:
        raise RuntimeError(f"{urls[0]} answered {response.status_code}")
    times = []
    for index in range(requests):
        url = urls[index % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)], 1),
        "queries": queries,
        "requests": requests,
    }


def _client(user):
    """A signed-in client past the second factor (county roles, security level 3): the session carries the
    verified device as ``django_otp.login`` leaves it, so the pages are measured as a signed-in user sees them."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def page_plans(users, *, seed=7):
    """(page name, user, list of URLs): the pages of the issue, as the people who use them most."""
    rng = random.Random(seed)
    officer = users["officer"]
    big_township = officer.township_id
    cadre_ids = list(
        Cadre.objects.filter(township_id=big_township, status=Cadre.Status.IN_POST).order_by("pk").values_list("pk", flat=True)
    )
    sample = rng.sample(cadre_ids, min(50, len(cadre_ids)))
    roster = Roster.objects.order_by("-month").first()
    plans = [
        ("cadre_list", users["approver"], [reverse("cadres:list")]),
        ("cadre_file", officer, [reverse("cadres:detail", args=[pk]) for pk in sample]),
        ("ledger", officer, [reverse("assessments:ledger")]),
        # The county's whole reserve pool (every village of every township): the heaviest overview.
        ("reserve_overview", users["approver"], [reverse("incentives:reserve_overview")]),
    ]
    proposals = proposals_url()
    if proposals:
        plans.append(("proposals", users["approver"], [proposals]))
    if roster is not None:
        plans.append(("roster", users["approver"], [f"{reverse('ranks:roster')}?month={roster.month:%Y-%m}"]))
    plans.append(("my_file", cadre_account(sample[0]), [reverse("me:file")]))
    plans.extend(_more_page_plans(users, rng, big_township))
    return plans


def _more_page_plans(users, rng, township_id):
    """Issue 22 #4: the dashboard of both sides, the promotion run page, a proposal, a village's quarter scoring
    page and a township's year-end page."""
    from cadre_mgmt.cadres.models import Village
    from ranks.models import PromotionReview, Proposal

    year = timezone.localdate().year - 1
    dashboard = reverse("ranks:dashboard")
    plans = [("dashboard_county", users["approver"], [dashboard]), ("dashboard_township", users["officer"], [dashboard])]
    run = PromotionReview.objects.filter(dry_run=False).order_by("-created_at", "-id").first()
    if run is not None:
        plans.append(("review_run", users["approver"], [reverse("ranks:review_detail", args=[run.pk])]))
        proposals = Proposal.objects.filter(review=run, township_id=township_id).order_by("pk")
        ids = list(proposals.values_list("pk", flat=True)[:2000])
        if ids:
            urls = [reverse("ranks:proposal_detail", args=[pk]) for pk in rng.sample(ids, min(50, len(ids)))]
            plans.append(("proposal_detail", users["approver"], urls))
    villages = list(Village.objects.filter(township_id=township_id).order_by("pk").values_list("pk", flat=True))
    quarter = reverse("assessments:quarter", args=[year, 4])
    plans.append(("quarter_village", users["officer"], [f"{quarter}?village={pk}" for pk in villages[:20]]))
    plans.append(("year_township", users["approver"], [f"{reverse('assessments:year', args=[year])}?township={township_id}"]))
    return plans


def cadre_account(cadre_id):
    """A cadre's own account (DESIGN §12) for the page "my file": one of the sampled cadres."""
    user, _created = User.objects.get_or_create(
        username="bench_cadre", defaults={"role": User.Role.CADRE, "cadre_id": cadre_id, "full_name": "bench"}
    )
    return user


def proposals_url():
    """The proposals page of the promotion review, once the ranks app has one."""
    from django.urls import NoReverseMatch

    for name in ("ranks:proposals", "ranks:proposal_list", "ranks:review_proposals", "ranks:review"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def vacuum_analyze():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def measure_pages(users, *, requests=200, log=None):
    pages = {}
    for name, user, urls in page_plans(users):
        pages[name] = _time_page(_client(user), urls, requests)
        if log:
            log(f"page {name}: {pages[name]}")
    return pages


# 5. Saving one ledger entry -----------------------------------------------------------------------------


def measure_ledger_save(*, officer, count=50):
    """Median time of ``ledger_entry_create`` for one cadre (validation, lock check, insert, audit record)."""
    from assessments import services

    category = LedgerCategory.objects.get(code="household_visit")
    cadres = list(Cadre.objects.filter(township_id=officer.township_id, status=Cadre.Status.IN_POST).order_by("pk")[:count])
    day = timezone.localdate() - datetime.timedelta(days=1)
    times = []
    queries = 0
    for cadre in cadres:
        with Timer() as timer:
            services.ledger_entry_create(
                user=officer,
                cadres=[cadre],
                category=category,
                date=day,
                description="入户走访（基准测试）",
                score_change=Decimal("0.5"),
            )
        times.append(timer.seconds * 1000)
        queries = timer.queries
    return {"ledger_save_ms": round(statistics.median(times), 1), "ledger_save_queries": queries}


def counts():
    return {
        "cadres": Cadre.objects.count(),
        "townships": Township.objects.count(),
        "ledger_entries": LedgerEntry.objects.count(),
    }


def machine():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {"cpus": os.cpu_count(), "cpu_model": model, "postgresql": server, "python": sys.version.split()[0]}
