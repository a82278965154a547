"""The villagers' ballot page under load (issue 18): p95 and queries of ``/v/<code>/`` while 500,000
ballots are stored, then 20 voters at once for 30 s, after which the tallies are read back and compared
with a recount of the ballots (no ballot lost, none counted twice).

The stored ballots are loaded in one filler round (its counters set to match); the measured codes belong
to other rounds, opened and issued through the services like a township would.
"""

import datetime
import statistics
import threading
import time
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.evaluation import rules, services
from assessments.evaluation.models import Ballot, EvaluationCode, EvaluationRound, RoundCadre
from cadre_mgmt.cadres.models import Village

from .measure import Timer

BATCH = 10_000


def _villages(count):
    return list(Village.objects.filter(cadres__status="in_post").distinct().order_by("pk")[:count])


def prepare(*, admin, stored=500_000, rounds=10, codes_per_round=500):
    """Open ``rounds`` rounds with their codes (returned, plaintext) and store ``stored`` filler ballots."""
    today = timezone.localdate()
    year = today.year
    EvaluationRound.objects.filter(year=year).delete()
    villages = _villages(rounds + 1)
    filler, *voting = (
        services.round_open(user=admin, village=v, year=year, closes_on=today + datetime.timedelta(days=30)) for v in villages
    )
    codes = {}
    for round_ in voting:
        codes[round_.pk] = services.slips_issue(user=admin, round_=round_, count=codes_per_round)[1]
    cadre_ids = list(filler.subjects.values_list("cadre_id", flat=True))
    ratings = {str(c): "s" for c in cadre_ids}
    with transaction.atomic():
        for start in range(0, stored, BATCH):
            size = min(BATCH, stored - start)
            Ballot.objects.bulk_create([Ballot(round=filler, cast_on=today, ratings=ratings) for _ in range(size)])
        RoundCadre.objects.filter(round=filler).update(satisfied=F("satisfied") + stored)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessments_ballot; ANALYZE assessments_evaluationcode; ANALYZE assessments_roundcadre")
    return codes


def measure_ballot_page(codes, *, requests=200):
    """Median and p95 (ms) and queries of opening a slip's ballot page (GET), over ``requests`` codes."""
    client = Client()
    flat = [code for per_round in codes.values() for code in per_round]
    times, queries = [], 0
    for index in range(requests):
        url = reverse("evaluation_ballot", args=[flat[index % len(flat)]])
        with Timer() as timer:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        times.append(timer.seconds * 1000)
        queries = max(queries, timer.queries)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": queries,
        "stored_ballots": Ballot.objects.count(),
    }


def _voter(codes, lock, deadline, outcome):
    client = Client(raise_request_exception=False)
    try:
        while time.perf_counter() < deadline:
            with lock:
                if not codes:
                    return
                round_id, code = codes.pop()
            cadres = outcome["cadres"][round_id]
            data = {f"c{c}": "sbd"[(c + len(codes)) % 3] for c in cadres}
            response = client.post(reverse("evaluation_ballot", args=[code]), data)
            with lock:
                outcome["ok" if response.status_code == 302 else f"status_{response.status_code}"] += 1
    finally:
        connection.close()


def measure_concurrent_voters(codes, *, voters=20, seconds=30):
    """``voters`` threads vote for ``seconds``; then every accepted vote must be exactly one ballot and one
    used code, and every cadre's tallies must equal the recount of the stored ballots."""
    round_ids = list(codes)
    before = Ballot.objects.filter(round_id__in=round_ids).count()
    queue = [(round_id, code) for round_id, per_round in codes.items() for code in per_round]
    cadres = {r: list(RoundCadre.objects.filter(round_id=r).values_list("cadre_id", flat=True)) for r in round_ids}
    outcome = defaultdict(int, {"cadres": cadres})
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    threads = [threading.Thread(target=_voter, args=(queue, lock, deadline, outcome)) for _ in range(voters)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stored = Ballot.objects.filter(round_id__in=round_ids).count() - before
    used = EvaluationCode.objects.filter(round_id__in=round_ids, status="used").count()
    recount = {}
    for round_id in round_ids:
        for cadre, tally in rules.count_ratings(
            Ballot.objects.filter(round_id=round_id).values_list("ratings", flat=True)
        ).items():
            recount[(round_id, int(cadre))] = tally
    mismatched = sum(
        1
        for s in RoundCadre.objects.filter(round_id__in=round_ids)
        if recount.get((s.round_id, s.cadre_id), rules.Tally()) != rules.Tally(s.satisfied, s.basically, s.dissatisfied)
    )
    return {
        "voters": voters,
        "seconds": round(elapsed, 1),
        "votes_accepted": outcome["ok"],
        "votes_refused": {k: v for k, v in outcome.items() if k.startswith("status_")},
        "votes_per_second": round(outcome["ok"] / elapsed, 1) if elapsed else None,
        "lost_ballots": max(0, outcome["ok"] - stored),
        "double_counted": max(0, stored - outcome["ok"]) + max(0, used - outcome["ok"]) + mismatched,
    }


def measure_ballots(*, admin, stored=500_000, requests=200, voters=20, seconds=30, log=print):
    log(f"ballots: opening rounds and storing {stored:,} ballots")
    started = time.perf_counter()
    codes = prepare(admin=admin, stored=stored)
    result = {"ballots_load_seconds": round(time.perf_counter() - started, 1)}
    result["ballot_page"] = measure_ballot_page(codes, requests=requests)
    log(f"ballot page: {result['ballot_page']}")
    result["concurrent_voting"] = measure_concurrent_voters(codes, voters=voters, seconds=seconds)
    log(f"concurrent voting: {result['concurrent_voting']}")
    return result
