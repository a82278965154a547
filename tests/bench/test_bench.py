"""`make bench` at a tiny scale: the generator loads a consistent county and every measurement runs.

PostgreSQL only: the generator loads with COPY and drops and restores constraints around it.
"""

import pytest
from django.db import connection

from bench import generate, measure, review
from cadre_mgmt.cadres.models import Cadre
from incentives.reserves.models import Reserve
from ranks.models import RankChange, RosterLine

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark data is loaded with PostgreSQL COPY"),
]


@pytest.fixture
def county(db):
    return generate.generate(scale=300, ledger_per_cadre=5)


def test_generator_loads_a_consistent_county(county):
    assert county["cadres"] == Cadre.objects.count() == 300
    assert county["ledger_entries"] > 0
    assert county["reserves"] == Reserve.objects.count() == 120  # 40 per 100 cadres
    # Everyone has a rank history; ID numbers are stored hashed, encrypted and masked like real ones.
    assert not Cadre.objects.exclude(pk__in=RankChange.objects.values("cadre_id")).exists()
    cadre = Cadre.objects.order_by("pk").first()
    assert cadre.id_number and cadre.id_number_masked.endswith(cadre.id_number[-4:])
    # Constraints and indexes are back after the load.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'assessments_ledgerentry'::regclass AND contype = 'f'"
        )
        assert cursor.fetchone()[0] == 4
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'ledger_township_date_idx'")
        assert cursor.fetchone()[0] == 1


def test_measurements_run_and_report_numbers(county):
    users = measure.bench_users()
    roster = measure.measure_roster(approver=users["approver"])
    latest = RosterLine.objects.latest("roster__month").roster
    assert roster["roster_lines"] == latest.lines.count() > 0
    assert roster["roster_queries"] > 0

    export = measure.export_and_floor(roster=latest, user=users["approver"])
    assert export["export_rows"] == roster["roster_lines"]
    assert export["export_seconds"] > 0 and export["export_floor_seconds"] > 0
    floors = (export["export_floor_openpyxl_seconds"], export["export_floor_xlsxwriter_seconds"])
    assert export["export_floor_seconds"] == min(floors) > 0

    pages = measure.measure_pages(users, requests=2)
    assert {"cadre_list", "cadre_file", "ledger", "roster", "my_file", "reserve_overview"} <= set(pages)
    assert pages["reserve_overview"]["queries"] <= 10
    assert all(page["queries"] > 0 and page["p95_ms"] >= page["median_ms"] > 0 for page in pages.values())

    ledger = measure.measure_ledger_save(officer=users["officer"], count=3)
    assert ledger["ledger_save_ms"] > 0

    if review.available():  # the promotion review lands in ranks beside this benchmark
        result = review.measure_review(approver=users["approver"], admin=users["admin"])
        assert result["review_state"] == "done"
        assert result["review_proposals"] == Cadre.objects.filter(status=Cadre.Status.IN_POST).count()
        assert result["review_queries"] > 0


# Threads vote: a transactional database, its data-migration rows (posts) restored after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_ballot_bench_runs_and_reads_the_tallies_back():
    from bench import ballots

    generate.generate(scale=300, ledger_per_cadre=1)
    admin = measure.bench_users()["admin"]
    codes = ballots.prepare(admin=admin, stored=2_000, rounds=2, codes_per_round=20)
    page = ballots.measure_ballot_page(codes, requests=5)
    assert page["stored_ballots"] == 2_000 and 0 < page["queries"] <= 6
    voting = ballots.measure_concurrent_voters(codes, voters=4, seconds=3)
    assert voting["votes_accepted"] > 0 and voting["lost_ballots"] == voting["double_counted"] == 0
