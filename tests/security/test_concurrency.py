"""Concurrency and faults (issue 7, item 7): many hands at once, and a worker that dies mid-review.

The races need PostgreSQL (SQLite serializes every write, so it cannot show one); they skip on SQLite.
Related tests elsewhere: tests/ranks/test_review_concurrency.py (two approvals, two starts, a batch
delivered twice), tests/ranks/test_roster_concurrency.py (two generations of a month),
tests/ranks/test_review_celery.py (a review through a real Celery worker).
"""

import datetime
import threading
from unittest import mock

import pytest
from django.db import connection

from ranks.models import PromotionReview, Proposal, RankChange, ReviewBatch, Roster, RosterLine
from ranks.review import decisions
from ranks.review import services as review_services
from ranks.rosters import services as rosters_services

from ..factories import CadreFactory

THREADS = 8


def all_at_once(function, count=THREADS):
    """Call ``function()`` in ``count`` threads, each with its own connection, released together by a barrier.

    Returns (results, errors): every exception is collected, none is lost in a thread.
    """
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def call():
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

    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL row locks")
def test_many_approvals_of_one_proposal_at_once_write_one_rank_record(
    promotable,
    cadre_x,
    officer_x,
    county_approver,
):
    promotable(cadre_x, 12)
    review = review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    review_services.review_run_now(review=review)
    proposal = decisions.proposal_submit(proposal=Proposal.objects.get(cadre=cadre_x), user=officer_x)

    results, errors = all_at_once(lambda: decisions.proposal_approve(proposal=proposal, approver=county_approver))

    assert len(results) == 1, errors
    assert len(errors) == THREADS - 1
    assert all(type(error).__name__ == "ValidationError" for error in errors), errors
    assert RankChange.objects.filter(cadre=cadre_x, kind="promotion").count() == 1
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL row locks")
def test_a_roster_generated_by_many_at_once_is_one_roster(village_x, village_y):
    for index in range(15):
        CadreFactory(village=village_x if index % 2 else village_y)
    month = datetime.date(2026, 5, 1)

    results, errors = all_at_once(lambda: rosters_services.roster_generate(month=month))

    assert errors == []
    assert Roster.objects.filter(month=month).count() == 1
    assert RosterLine.objects.filter(roster__month=month).count() == 15


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: no ``except Exception`` handler runs, the transaction is lost."""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_review_whose_worker_died_mid_batch_completes_on_rerun_without_duplicates(
    promotable,
    cadre_x,
    cadre_y,
    village_x,
    county_admin,
):
    promotable(cadre_x, 12)
    promotable(cadre_y, 12)
    promotable(CadreFactory(village=village_x, name="周一"), 12)
    review = review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)

    # The worker runs X's batch, then dies in the middle of Y's: Y's proposals were being written.
    review_services.review_batch_run(review_id=review.pk, township_id=cadre_x.township_id)
    real_write = review_services.write_proposals

    def write_then_die(*args, **kwargs):
        real_write(*args, **kwargs)
        raise WorkerKilled

    with mock.patch.object(review_services, "write_proposals", write_then_die), pytest.raises(WorkerKilled):
        review_services.review_batch_run(review_id=review.pk, township_id=cadre_y.township_id)

    assert Proposal.objects.filter(township=cadre_y.township).count() == 0  # the dead attempt left nothing
    assert ReviewBatch.objects.get(review=review, township=cadre_y.township).state == ReviewBatch.State.PENDING
    review.refresh_from_db()
    assert review.state == PromotionReview.State.RUNNING

    # The county administrator resumes the run (tasks run eagerly here), and the broker redelivers the
    # unacknowledged tasks of both townships as well.
    review_services.review_resume(review=review, user=county_admin)
    for township_id in (cadre_x.township_id, cadre_y.township_id):
        review_services.review_batch_run(review_id=review.pk, township_id=township_id)
    review_services.review_run_now(review=review)

    review.refresh_from_db()
    assert review.state == PromotionReview.State.DONE
    assert Proposal.objects.filter(review=review).count() == 3
    assert Proposal.objects.values("cadre_id").distinct().count() == 3
    assert review.counts["total"] == 3
    assert review.counts["writes"]["created"] == 3
    assert {t["name"]: t["total"] for t in review.counts["townships"]} == {"X镇": 2, "Y镇": 1}
