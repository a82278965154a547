"""`make bench`: build a county of SCALE cadres in a fresh PostgreSQL database, measure, report.

    .venv/bin/python bench/run.py --scale 100000            # make bench
    .venv/bin/python bench/run.py --scale 10000 --output bench/results-quick.json   # make bench-quick

The database (default ``postgres://postgres@127.0.0.1:5432/cadre_bench``, or BENCH_DATABASE_URL) is
dropped and created by this script; nothing else is touched. The two-worker review needs Redis
(BENCH_BROKER_URL, default ``redis://127.0.0.1:6379/14``). Prints a table and writes the JSON results.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cadre_bench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"
# Issue 22's targets at 100,000 cadres on this 2-core machine (the table's target column).
TARGETS = {
    "review_seconds": 20,
    "review_2_workers_ratio": 0.6,
    "roster_seconds": 15,
    "export_ratio": 1.15,
    "export_peak_mb": 150,
    "page_queries": 10,
    "page_p95_ms": 100,
    "ballot_p95_ms": 50,
    "ballot_queries": 6,
    # A cadre's own file (DESIGN §12, issue 19) and the reserve pool overview (issue 20).
    "my_file_queries": 10,
    "my_file_p95_ms": 100,
    "reserve_overview_queries": 10,
    "reserve_overview_p95_ms": 100,
}


def per_thousand(results):
    """Seconds per 1,000 cadres of the review, the roster and its export: the scaling curve's measure."""
    cadres = results.get("cadres") or results.get("scale") or 0
    per = {}
    for key in ("review", "roster", "export"):
        seconds = results.get(f"{key}_seconds")
        if seconds is not None and cadres:
            per[f"{key}_seconds_per_1000"] = round(seconds * 1000 / cadres, 4)
    one, two = results.get("review_seconds"), results.get("review_seconds_2_workers")
    if one and two:
        per["review_2_workers_ratio"] = round(two / one, 2)
    return per


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100_000, help="number of cadres (default 100000)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--requests", type=int, default=200, help="requests per page (at least 200 for the report)")
    parser.add_argument("--reuse", action="store_true", help="measure the existing bench database again, no generation")
    parser.add_argument("--no-workers", action="store_true", help="skip the two-worker review")
    parser.add_argument("--only", help="comma-separated measurements: roster,export,review,workers,pages,ledger,ballots")
    parser.add_argument("--child", choices=["export", "start-review"], help=argparse.SUPPRESS)
    parser.add_argument("--roster", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3, help="export and floor runs, alternately (best of each)")
    return parser.parse_args(argv)


def database_url():
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def recreate_database(url):
    """DROP and CREATE the bench database, connected to the server's maintenance database."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(("cadre_bench", "bench_")):
        raise SystemExit(f"refusing to drop {name!r}: the bench database name must start with cadre_bench or bench_")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(maintenance)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def setup_django(url, media_root, broker=None):
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = str(media_root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre_mgmt.settings")
    # Tasks run in this process (eagerly) unless the process was started for the two-worker review.
    if broker:
        os.environ["CELERY_BROKER_URL"] = broker
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    # Measure as production runs: no SQL log kept per query, templates without the debug machinery.
    settings.DEBUG = False
    return settings


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run_child(args):
    setup_django(os.environ["DATABASE_URL"], os.environ["MEDIA_ROOT"], broker=os.environ.get("CELERY_BROKER_URL"))
    from bench import measure, review

    if args.child == "export":
        measure.export_child(roster_id=args.roster, username=args.user, repeats=args.repeats)
    elif args.child == "start-review":
        review.start_review_child(username=args.user)


def verdicts(results):
    """Each target: (label, measured, target, met)."""
    rows = []

    def add(label, value, target, smaller_is_better=True):
        met = None if value is None else (value <= target if smaller_is_better else value >= target)
        rows.append((label, value, target, met))

    add("review_seconds", results.get("review_seconds"), TARGETS["review_seconds"])
    add("review_2_workers_ratio (2 workers / 1)", results.get("review_2_workers_ratio"), TARGETS["review_2_workers_ratio"])
    add("roster_seconds", results.get("roster_seconds"), TARGETS["roster_seconds"])
    add("export_ratio (export / floor)", results.get("export_ratio"), TARGETS["export_ratio"])
    add("export_peak_mb", results.get("export_peak_mb"), TARGETS["export_peak_mb"])
    for name, page in results.get("pages", {}).items():
        add(f"page {name} queries", page["queries"], TARGETS.get(f"{name}_queries", TARGETS["page_queries"]))
        add(f"page {name} p95_ms", page["p95_ms"], TARGETS.get(f"{name}_p95_ms", TARGETS["page_p95_ms"]))
    if "ballot_page" in results:
        add("ballot page p95_ms", results["ballot_page"]["p95_ms"], TARGETS["ballot_p95_ms"])
        add("ballot page queries", results["ballot_page"]["queries"], TARGETS["ballot_queries"])
    if "concurrent_voting" in results:
        add("voting: lost ballots", results["concurrent_voting"]["lost_ballots"], 0)
        add("voting: double-counted", results["concurrent_voting"]["double_counted"], 0)
    return rows


def print_table(results):
    width = 34
    print()
    print(f"Benchmark {results['date']} — {results['cadres']:,} cadres, {results['ledger_entries']:,} ledger entries")
    print(f"Machine: {results['cpus']} CPUs, {results['cpu_model']}, PostgreSQL {results['postgresql']}")
    print("-" * 78)
    for key in (
        "generate_seconds",
        "review_seconds",
        "review_queries",
        "review_seconds_2_workers",
        "review_2_workers_ratio",
        "review_seconds_per_1000",
        "roster_seconds",
        "roster_seconds_per_1000",
        "roster_queries",
        "roster_lines",
        "export_seconds",
        "export_floor_seconds",
        "export_floor_openpyxl_seconds",
        "export_floor_xlsxwriter_seconds",
        "export_ratio",
        "export_seconds_per_1000",
        "export_peak_mb",
        "export_peak_rss_mb",
        "ledger_save_ms",
        "ledger_save_queries",
        "ballots_load_seconds",
        "ballot_page",
        "concurrent_voting",
    ):
        if key in results:
            print(f"{key:<{width}} {results[key]}")
    print("-" * 78)
    print(f"{'page':<{width}} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for name, page in results.get("pages", {}).items():
        print(f"{name:<{width}} {page['median_ms']:>10} {page['p95_ms']:>10} {page['queries']:>8}")
    print("-" * 78)
    for label, value, target, met in verdicts(results):
        mark = "n/a" if met is None else ("ok" if met else "MISSED")
        print(f"{label:<{width}} {value!s:>10} target ≤ {target:<8} {mark}")
    print()


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return run_child(args)
    url = database_url()
    broker = os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER)
    only = set(args.only.split(",")) if args.only else {"roster", "export", "review", "workers", "pages", "ledger", "ballots"}
    if args.no_workers:
        only.discard("workers")
    media_root = Path(tempfile.mkdtemp(prefix="cadre-bench-media-"))
    started = time.perf_counter()
    results = {}
    output = Path(args.output)
    if args.reuse and output.exists():
        results = json.loads(output.read_text())
    try:
        if not args.reuse:
            log(f"recreating {urlsplit(url).path.lstrip('/')}")
            recreate_database(url)
        setup_django(url, media_root)
        from django.core.management import call_command

        from bench import generate, measure, review

        if not args.reuse:
            log("migrating")
            call_command("migrate", verbosity=0, interactive=False)
            log(f"generating {args.scale:,} cadres")
            counts = generate.generate(scale=args.scale, stdout=sys.stdout)
            results["generate_seconds"] = counts["generate_seconds"]
            results["generated"] = {key: value for key, value in counts.items() if key != "generate_seconds"}
        results.update(measure.machine())
        results.update(measure.counts())
        results["date"] = datetime.date.today().isoformat()
        results["scale"] = args.scale
        users = measure.bench_users()
        child_env = {**os.environ}

        if "roster" in only:
            log("roster generation")
            results.update(measure.measure_roster(approver=users["approver"]))
            log(f"roster: {results['roster_seconds']} s, {results['roster_queries']} queries")
        if "export" in only:
            from ranks.models import Roster

            log("roster export (child process) and the write-only floor")
            roster = Roster.objects.order_by("-month").first()
            results.update(measure.measure_export(roster=roster, user=users["approver"], env=child_env, repeats=args.repeats))
            log(f"export: {results['export_seconds']} s, floor {results['export_floor_seconds']} s")
        if "review" in only:
            log("promotion review, one process")
            results.update(review.measure_review(approver=users["approver"], admin=users["admin"]))
            log(f"review: {results.get('review_seconds')} s, {results.get('review_queries')} queries")
        if "workers" in only:
            log("promotion review, two Celery workers on Redis")
            results.update(
                review.measure_review_workers(approver=users["approver"], admin=users["admin"], env=child_env, broker=broker)
            )
            log(f"review with 2 workers: {results.get('review_seconds_2_workers')} s")
        if "pages" in only:
            # Steady state: autovacuum has seen the month's roster lines and the proposals by the time
            # anybody opens the pages; here it may not have run yet.
            measure.vacuum_analyze()
            log(f"pages, {args.requests} requests each")
            results["pages"] = {**results.get("pages", {}), **measure.measure_pages(users, requests=args.requests, log=log)}
        if "ledger" in only:
            log("saving ledger entries")
            results.update(measure.measure_ledger_save(officer=users["officer"]))
        if "ballots" in only:
            from bench import ballots

            results.update(ballots.measure_ballots(admin=users["admin"], requests=args.requests, log=log))
        results.update(per_thousand(results))
        results["total_seconds"] = round(time.perf_counter() - started, 1)
        results["targets"] = [
            {"measure": label, "value": value, "target": target, "met": met} for label, value, target, met in verdicts(results)
        ]
        output.write_text(json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        print_table(results)
        log(f"results written to {output}")
    finally:
        shutil.rmtree(media_root, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
