"""Concurrent voting on PostgreSQL: one code submitted at once from many phones counts once; many codes
at once lose no ballot and double-count none (the tallies equal a recount of the ballots)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from assessments.evaluation import rules, services
from assessments.evaluation.models import Ballot, EvaluationCode, RoundCadre

THREADS = 8


def all_at_once(functions):
    barrier = threading.Barrier(len(functions))
    results, errors, lock = [], [], threading.Lock()

    def call(function):
        try:
            barrier.wait()
            result = function()
            with lock:
                results.append(result)
        except Exception as exc:  # collected and asserted on by the caller
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.fixture
def open_round(officer_x, village_x, cadres_x):
    today = timezone.localdate()
    return services.round_open(user=officer_x, village=village_x, year=today.year, closes_on=today + datetime.timedelta(days=5))


pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL"),
]


def test_one_code_sent_at_once_from_many_phones_votes_once(officer_x, open_round, cadres_x):
    _batch, codes = services.slips_issue(user=officer_x, round_=open_round, count=1)
    ratings = {c.pk: "s" for c in cadres_x}
    results, errors = all_at_once([lambda: services.ballot_cast(code=codes[0], ratings=ratings)] * THREADS)
    assert len(results) == 1 and len(errors) == THREADS - 1, errors
    assert all(type(e).__name__ == "ValidationError" for e in errors), errors
    assert Ballot.objects.count() == 1
    assert set(RoundCadre.objects.values_list("satisfied", flat=True)) == {1}


def test_many_codes_at_once_lose_no_ballot_and_count_none_twice(officer_x, open_round, cadres_x):
    _batch, codes = services.slips_issue(user=officer_x, round_=open_round, count=THREADS * 3)
    calls = [
        (
            lambda code=code, i=i: services.ballot_cast(
                code=code, ratings={c.pk: "sbd"[(i + j) % 3] for j, c in enumerate(cadres_x)}
            )
        )
        for i, code in enumerate(codes)
    ]
    for start in range(0, len(calls), THREADS):
        _results, errors = all_at_once(calls[start : start + THREADS])
        assert not errors, errors
    assert EvaluationCode.objects.filter(status="used").count() == Ballot.objects.count() == len(codes)
    recount = rules.count_ratings(Ballot.objects.values_list("ratings", flat=True))
    for subject in RoundCadre.objects.all():
        assert recount[str(subject.cadre_id)] == rules.Tally(subject.satisfied, subject.basically, subject.dissatisfied)
