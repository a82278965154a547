"""Issue 16 item 3: a review batch lost with its worker is queued again by a beat job, without a person."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cadre_mgmt.audit.models import AuditRecord
from ranks import tasks
from ranks.models import PromotionReview, Proposal, ReviewBatch
from ranks.review import services as review_services

from .test_review_run import eager_celery  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def two_townships(promotable, cadre_x, cadre_y):
    promotable(cadre_x, 12)
    promotable(cadre_y, 11)
    return cadre_x, cadre_y


def _stalled_review(*, idle_minutes):
    """A review whose batches a worker started ``idle_minutes`` ago and never finished (killed)."""
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    PromotionReview.objects.filter(pk=review.pk).update(state=PromotionReview.State.RUNNING)
    started = timezone.now() - datetime.timedelta(minutes=idle_minutes)
    review.batches.update(started_at=started, attempts=0)
    return review


def _requeue_audits(review):
    records = AuditRecord.objects.filter(object_type="ranks.PromotionReview", object_id=str(review.pk), actor=None)
    return records.filter(Q(summary__contains="lost batches queued again") | Q(summary__contains="重新排队"))


@pytest.mark.usefixtures("eager_celery")
def test_a_batch_idle_31_minutes_is_requeued_and_finishes(two_townships, django_capture_on_commit_callbacks):
    review = _stalled_review(idle_minutes=31)
    with django_capture_on_commit_callbacks(execute=True):
        assert review_services.review_batches_requeue_lost() == 2
    review.refresh_from_db()
    assert review.state == PromotionReview.State.DONE and review.batches_done == 2
    assert set(review.batches.values_list("state", flat=True)) == {ReviewBatch.State.DONE}
    assert Proposal.objects.filter(review=review).count() == 2
    assert _requeue_audits(review).count() == 1


def test_a_fresh_batch_is_not_touched(two_townships, django_capture_on_commit_callbacks):
    review = _stalled_review(idle_minutes=5)
    before = list(review.batches.values_list("started_at", flat=True))
    with django_capture_on_commit_callbacks() as queued:
        assert review_services.review_batches_requeue_lost() == 0
    assert queued == [] and list(review.batches.values_list("started_at", flat=True)) == before
    assert not _requeue_audits(review).exists()


def test_running_the_job_twice_does_nothing_more_the_second_time(two_townships, django_capture_on_commit_callbacks):
    review = _stalled_review(idle_minutes=31)
    finished = _stalled_review_finished_elsewhere()
    with django_capture_on_commit_callbacks() as first:
        assert review_services.review_batches_requeue_lost() == 2
    with django_capture_on_commit_callbacks() as second:
        assert review_services.review_batches_requeue_lost() == 0
    assert len(first) == 1 and second == []
    assert _requeue_audits(review).count() == 1 and not _requeue_audits(finished).exists()


def _stalled_review_finished_elsewhere():
    """A dry run whose batches finished two hours ago: a finished batch is never requeued."""
    dry = review_services.review_start(year=YEAR, dry_run=True, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    dry.batches.update(state=ReviewBatch.State.DONE, started_at=timezone.now() - datetime.timedelta(hours=2))
    return dry


def test_the_task_and_its_beat_entry(two_townships, monkeypatch):
    entry = PeriodicTask.objects.get(task="ranks.requeue_lost_review_batches")
    assert entry.enabled and (entry.interval.every, entry.interval.period) == (10, "minutes")
    assert "0 lost review batch(es)" in tasks.requeue_lost_review_batches()
