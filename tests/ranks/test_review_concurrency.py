"""Things that happen at the same moment: two approvals of one proposal, two starts of one year's review.

PostgreSQL only: SQLite serializes every write, so it cannot show a race at all.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ranks.models import PromotionReview, Proposal, RankChange
from ranks.review import decisions
from ranks.review import services as review_services

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent inserts need PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def at_once(function, *argument_sets):
    """Run ``function(*arguments)`` for each argument set in its own thread (own connection), released together."""
    barrier = threading.Barrier(len(argument_sets))
    results, errors = [], []

    def call(arguments):
        try:
            barrier.wait()
            results.append(function(*arguments))
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(arguments,)) for arguments in argument_sets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_approvals_of_one_proposal_at_once_write_exactly_one_rank_record(
    promotable, cadre_x, officer_x, county_approver, county_admin
):
    promotable(cadre_x, 12)
    review_services.review_run_now(
        review=review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    )
    proposal = decisions.proposal_submit(proposal=Proposal.objects.get(cadre=cadre_x), user=officer_x)

    def approve(approver):
        return decisions.proposal_approve(proposal=proposal, approver=approver)

    results, errors = at_once(approve, (county_approver,), (county_admin,))
    assert len(results) == 1 and len(errors) == 1
    assert "已审批" in errors[0].messages[0]
    assert RankChange.objects.filter(cadre=cadre_x, kind="promotion").count() == 1
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.rank_change.to_level == 11


def test_two_starts_of_the_same_years_review_at_once_make_one_run(promotable, cadre_x):
    promotable(cadre_x, 12)

    def start():
        return review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)

    results, errors = at_once(start, (), ())
    assert len(results) == 1 and len(errors) == 1
    assert PromotionReview.objects.filter(year=2025, dry_run=False).count() == 1


def test_a_batch_delivered_twice_at_once_writes_its_proposals_once(promotable, cadre_x, village_x):
    from ..factories import CadreFactory

    for index in range(10):
        promotable(CadreFactory(village=village_x, name=f"周{index}"))
    review = review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)

    def deliver():
        return review_services.review_batch_run(review_id=review.pk, township_id=village_x.township_id)

    results, errors = at_once(deliver, (), ())
    assert errors == [] and {batch.state for batch in results} == {"done"}
    assert Proposal.objects.count() == 11
    review.refresh_from_db()
    assert review.state == PromotionReview.State.DONE and review.counts["writes"]["created"] == 11


def test_two_townships_batches_run_side_by_side(promotable, cadre_x, cadre_y, monkeypatch):
    """Two workers take two townships at once: a batch locks its own rows, not the run's row."""
    promotable(cadre_x, 12)
    promotable(cadre_y, 11)
    review = review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    started, release = threading.Event(), threading.Event()
    evaluate = review_services.all_cadre_facts

    def slow_for_x(*, cadre_rows, context):
        if cadre_rows and cadre_rows[0][0] == cadre_x.pk:
            started.set()
            release.wait(20)
        return evaluate(cadre_rows=cadre_rows, context=context)

    monkeypatch.setattr(review_services, "all_cadre_facts", slow_for_x)

    def run_x():
        try:
            review_services.review_batch_run(review_id=review.pk, township_id=cadre_x.township_id)
        finally:
            connection.close()

    thread = threading.Thread(target=run_x)
    thread.start()
    try:
        assert started.wait(20)  # X's batch is in the middle of its transaction
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        batch_y = review_services.review_batch_run(review_id=review.pk, township_id=cadre_y.township_id)
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert batch_y.state == "done", batch_y.error
    review.refresh_from_db()
    assert review.state == PromotionReview.State.DONE and Proposal.objects.count() == 2
