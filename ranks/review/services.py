"""Writes of the promotion review runs, and the county's rule settings.

A run is started by ``review_start`` (from the page, the command, the beat schedule or an API view): it
freezes the rules, creates one batch per township and, after commit, queues one Celery task per batch.
``review_batch_run`` evaluates one township and writes its proposals in one transaction; it is safe to
run twice and after an interrupted attempt (nothing of an interrupted attempt is committed)."""

import datetime
import functools
import gc
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, diff
from cadre_mgmt.cadres.models import Cadre

from ..models import PromotionReview, ReviewBatch, ReviewSettings
from . import rules as review_rules
from .facts import (
    NOT_STORED,
    all_cadre_facts,
    cadres_to_review,
    context_from_parameters,
    evaluations_of,
    review_month,
    review_parameters,
    stored_rule_values,
)
from .writing import write_proposals

logger = logging.getLogger(__name__)


ACTIVE = (PromotionReview.State.QUEUED, PromotionReview.State.RUNNING)


FIRST_YEAR = 2000
RUN_BATCH_TASK = "ranks.run_review_batch"


@transaction.atomic
def review_settings_update(*, user: User, values: dict) -> dict:
    """Save the county's rule parameters (switches and values). Returns the changes, empty if none.

    ``values`` maps setting names to JSON values; names not given keep their current value.
    """
    require(user is not None and user.is_county_admin)
    row, _created = ReviewSettings.objects.select_for_update().get_or_create(pk=1)
    before = stored_rule_values()
    merged = {**before, **{k: v for k, v in values.items() if k not in NOT_STORED}}
    try:
        checked = review_rules.RuleSettings.from_dict(merged).to_dict()
    except ValueError as exc:
        raise ValidationError(_("These rule parameters are not valid: %(problem)s") % {"problem": exc}) from exc
    after = {k: v for k, v in checked.items() if k not in NOT_STORED}
    changes = diff(before, after)
    if changes:
        row.rules = after
        row.updated_by = user
        row.full_clean()
        row.save()
        audit_record(
            actor=user,
            action=AuditRecord.Action.UPDATE,
            obj=row,
            summary=_("Promotion rule settings changed"),
            changes=changes,
        )
    return changes


def _already_running_error(year: int) -> ValidationError:
    return ValidationError(_("A promotion review of %(year)s is already running; wait until it has finished.") % {"year": year})


def _townships_with_cadres() -> list[int]:
    return sorted(set(Cadre.objects.filter(status=Cadre.Status.IN_POST).values_list("township_id", flat=True).distinct()))


@transaction.atomic
def review_start(
    *,
    year: int,
    trigger: str,
    user: User | None = None,
    dry_run: bool = False,
    enqueue: bool = True,
    today: datetime.date | None = None,
) -> PromotionReview:
    """Start a review of ``year``; returns the run at once (state queued), its batches queued after commit.

    ``user`` None means the schedule. ``enqueue=False`` leaves the batches for ``review_run_now``
    (the command runs them in its own process). A second non-dry run of a year while one is queued or
    running is refused, by a check here and, for two starts at the same moment, by the database.
    """
    if user is not None:
        require(user is not None and user.is_county_admin)
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {"year": _("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": today.year}}
        )
    if not dry_run and PromotionReview.objects.filter(year=year, dry_run=False, state__in=ACTIVE).exists():
        raise _already_running_error(year)
    townships = _townships_with_cadres()
    parameters = review_parameters(year=year, today=today)
    review = PromotionReview(
        year=year,
        dry_run=dry_run,
        trigger=trigger,
        started_by=user,
        review_date=datetime.date.fromisoformat(parameters["review_date"]),
        parameters=parameters,
        batches_total=len(townships),
    )
    review.full_clean(validate_constraints=False)
    if not townships:
        review.state = PromotionReview.State.DONE
        review.started_at = review.finished_at = timezone.now()
        review.counts = _aggregate([])
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:  # review_one_active_per_year: another start won the race
        raise _already_running_error(year) from exc
    ReviewBatch.objects.bulk_create([ReviewBatch(review=review, township_id=township_id) for township_id in townships])
    audit_record(
        actor=user,
        action=AuditRecord.Action.CREATE,
        obj=review,
        summary=(_("Promotion review dry run of %(year)s started") if dry_run else _("Promotion review of %(year)s started"))
        % {"year": year},
        changes={"trigger": trigger, "townships": len(townships), "review_date": parameters["review_date"]},
    )
    if enqueue and townships:
        review_id = review.pk
        transaction.on_commit(lambda: _enqueue(review_id, townships))
    return review


def _enqueue(review_id: int, township_ids: list[int]) -> None:
    # By name, not by importing ranks.tasks (which imports this module): the task registry of the app.
    task = current_app.tasks[RUN_BATCH_TASK]
    for township_id in township_ids:
        task.delay(review_id, township_id)


def review_run_now(*, review: PromotionReview) -> PromotionReview:
    """Run the run's unfinished batches one after the other in this process (the management command)."""
    for township_id in (
        review.batches.exclude(state=ReviewBatch.State.DONE).order_by("township_id").values_list("township_id", flat=True)
    ):
        review_batch_run(review_id=review.pk, township_id=township_id)
    review.refresh_from_db()
    return review


@transaction.atomic
def review_resume(*, review: PromotionReview, user: User) -> PromotionReview:
    """Queue again the batches of a run that did not finish (a failed batch, or a worker lost for good)."""
    require(user is not None and user.is_county_admin)
    review = PromotionReview.objects.select_for_update().get(pk=review.pk)
    if review.state == PromotionReview.State.DONE:
        raise ValidationError(_("This review has finished; there is nothing to resume."))
    if review.state == PromotionReview.State.FAILED:
        if not review.dry_run and PromotionReview.objects.filter(year=review.year, dry_run=False, state__in=ACTIVE).exists():
            raise _already_running_error(review.year)
        review.state = PromotionReview.State.RUNNING
        review.finished_at = None
        try:
            with transaction.atomic():
                review.save(update_fields=["state", "finished_at"])
        except IntegrityError as exc:
            raise _already_running_error(review.year) from exc
    review.batches.filter(state=ReviewBatch.State.FAILED).update(state=ReviewBatch.State.PENDING)
    pending = list(review.batches.filter(state=ReviewBatch.State.PENDING).values_list("township_id", flat=True))
    audit_record(
        actor=user,
        action=AuditRecord.Action.OTHER,
        obj=review,
        summary=_("Promotion review resumed: %(count)s batches queued again") % {"count": len(pending)},
    )
    review_id = review.pk
    transaction.on_commit(lambda: _enqueue(review_id, pending))
    return review


LOST_AFTER = datetime.timedelta(minutes=30)


@transaction.atomic
def review_batches_requeue_lost(*, older_than: datetime.timedelta = LOST_AFTER, now: datetime.datetime | None = None) -> int:
    """The beat job (every 10 minutes): queue again, as ``review_resume`` does, the waiting batches of a
    queued or running review that no worker has started (or restarted) for ``older_than`` — lost with a
    killed worker. Returns how many. A batch being written holds its row lock and is skipped (PostgreSQL);
    a requeued batch counts as started now, so a second call does nothing more. Audited, actor None (system)."""
    now = now or timezone.now()
    cutoff = now - older_than
    idle = Q(started_at__lt=cutoff) | Q(started_at__isnull=True, review__created_at__lt=cutoff)
    lost = list(
        ReviewBatch.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(idle, state=ReviewBatch.State.PENDING, review__state__in=ACTIVE)
        .order_by("review_id", "township_id")
        .values_list("pk", "review_id", "township_id")
    )
    ReviewBatch.objects.filter(pk__in=[pk for pk, _review, _township in lost]).update(
        state=ReviewBatch.State.PENDING, started_at=now
    )
    by_review: dict[int, list[int]] = {}
    for _pk, review_id, township_id in lost:
        by_review.setdefault(review_id, []).append(township_id)
    for review in PromotionReview.objects.filter(pk__in=by_review).order_by("pk"):
        townships = by_review[review.pk]
        audit_record(
            actor=None,
            action=AuditRecord.Action.OTHER,
            obj=review,
            summary=_("Promotion review of %(year)s: %(count)s lost batches queued again")
            % {"year": review.year, "count": len(townships)},
            changes={"townships": townships, "idle_minutes": int(older_than.total_seconds() // 60)},
        )
        transaction.on_commit(functools.partial(_enqueue, review.pk, townships))
    return len(lost)


def start_scheduled_review(*, today: datetime.date | None = None) -> PromotionReview | None:
    """The beat job (1 February): review the year just ended. Safe to run twice: a second call the same
    day, or while a run of that year is going, starts nothing."""
    today = today or timezone.localdate()
    year = today.year - 1
    if PromotionReview.objects.filter(
        year=year, dry_run=False, trigger=PromotionReview.Trigger.SCHEDULE, created_at__date=today
    ).exists():
        return None
    try:
        return review_start(year=year, trigger=PromotionReview.Trigger.SCHEDULE, today=today)
    except ValidationError:
        logger.info("scheduled promotion review of %s not started: one is already running", year)
        return None


def review_batch_run(*, review_id: int, township_id: int) -> ReviewBatch:
    """Evaluate one township and write its proposals (or, for a dry run, keep the results on the batch).

    Idempotent: a finished batch is left as it is; a batch delivered twice at once writes once (its row
    is locked while it writes); an attempt interrupted by a lost worker committed nothing and runs again
    from the start. An error is recorded on the batch and the run, not raised: the run page shows it.
    """
    PromotionReview.objects.filter(pk=review_id, state=PromotionReview.State.QUEUED).update(
        state=PromotionReview.State.RUNNING, started_at=timezone.now()
    )
    # Committed before the batch's own transaction: the lost-batch job reads it while the batch runs.
    ReviewBatch.objects.filter(review_id=review_id, township_id=township_id, state=ReviewBatch.State.PENDING).update(
        started_at=timezone.now()
    )
    try:
        with _collector_paused():
            return _batch_write(review_id, township_id)
    except Exception as exc:
        logger.exception("promotion review %s, township %s failed", review_id, township_id)
        return _batch_failed(review_id, township_id, exc)


class _Tally:
    """The batch's counts, taken as the evaluations stream past (by outcome, in all, dismissals)."""

    def __init__(self) -> None:
        self.outcomes = {outcome: 0 for outcome in review_rules.OUTCOMES}
        self.total = self.dismissal = 0

    def counted(self, evaluations: Iterable[review_rules.Evaluation]) -> Iterator[review_rules.Evaluation]:
        for evaluation in evaluations:
            self.outcomes[evaluation.outcome] += 1
            self.total += 1
            self.dismissal += evaluation.dismissal_recommended
            yield evaluation


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one batch. A batch makes some 100,000 small objects
    (facts, conditions, evidence, explanations) that hold no cycles and are freed by reference counting;
    the collector's repeated passes over them were a fifth of a batch's time (measured on the bench
    database). It runs again as soon as the batch is over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@transaction.atomic
def _batch_write(review_id: int, township_id: int) -> ReviewBatch:
    batch = (
        # Only the batch row: a plain FOR UPDATE would also lock the joined run row for the whole batch,
        # and two workers would take their townships one after the other.
        ReviewBatch.objects.select_for_update(of=("self",))
        .select_related("review", "township")
        .get(review_id=review_id, township_id=township_id)
    )
    review = batch.review
    if batch.state == ReviewBatch.State.DONE or review.state not in ACTIVE:
        return batch
    context = context_from_parameters(year=review.year, parameters=review.parameters)
    facts = all_cadre_facts(cadre_rows=cadres_to_review(township_id=township_id, month=review_month(context)), context=context)
    tally = _Tally()
    with review_rules.memoized_texts():
        evaluations = tally.counted(evaluations_of(facts, context))
        if review.dry_run:
            batch.results = [
                [
                    e.cadre_id,
                    e.outcome,
                    e.from_level,
                    e.to_level,
                    [c.code for c in e.conditions if not c.passed and c.enabled and c.kind != review_rules.BONUS],
                    str(e.points_used),
                ]
                for e in evaluations
            ]
            writes = {}
        else:
            writes = write_proposals(review, township_id, [f.cadre_id for f in facts], evaluations)
    batch.counts = {"outcomes": tally.outcomes, "total": tally.total, "writes": writes, "dismissal": tally.dismissal}
    batch.state = ReviewBatch.State.DONE
    batch.attempts += 1
    batch.error = ""
    batch.finished_at = timezone.now()
    batch.save()
    if not review.dry_run:
        audit_record(
            actor=review.started_by,
            action=AuditRecord.Action.CREATE,
            obj=review,
            summary=_(
                "Promotion review of %(year)s, %(township)s: %(created)s proposals created, %(updated)s refreshed, "
                "%(kept)s decided ones kept"
            )
            % {
                "year": review.year,
                "township": batch.township.name,
                "created": writes["created"],
                "updated": writes["updated"],
                "kept": writes["decided_kept"],
            },
            changes={"township": batch.township.name, **writes, "outcomes": tally.outcomes},
        )
    _review_progress(review.pk)
    return batch


@transaction.atomic
def _batch_failed(review_id: int, township_id: int, exc: Exception) -> ReviewBatch:
    batch = ReviewBatch.objects.select_for_update().get(review_id=review_id, township_id=township_id)
    if batch.state != ReviewBatch.State.DONE:
        batch.state = ReviewBatch.State.FAILED
        batch.attempts += 1
        batch.error = f"{type(exc).__name__}: {exc}"[:2000]
        batch.finished_at = timezone.now()
        batch.save()
        _review_progress(review_id)
    return batch


def _aggregate(batches: Iterable[Mapping[str, Any]]) -> dict:
    """Counts of the run from its batches: by outcome, by township (in township order), and the writes."""
    outcomes = {outcome: 0 for outcome in review_rules.OUTCOMES}
    writes = {"created": 0, "updated": 0, "unchanged": 0, "decided_kept": 0}
    townships = []
    total = dismissal = 0
    for batch in batches:
        counts = batch["counts"] or {}
        row = {
            "id": batch["township_id"],
            "name": batch["township__name"],
            "state": batch["state"],
            "total": counts.get("total", 0),
        }
        for outcome in review_rules.OUTCOMES:
            row[outcome] = counts.get("outcomes", {}).get(outcome, 0)
            outcomes[outcome] += row[outcome]
        for key in writes:
            writes[key] += counts.get("writes", {}).get(key, 0)
        total += row["total"]
        dismissal += counts.get("dismissal", 0)
        townships.append(row)
    return {"outcomes": outcomes, "townships": townships, "writes": writes, "total": total, "dismissal": dismissal}


def _review_progress(review_id: int) -> PromotionReview:
    """Bring the run's progress, counts and state up to date with its batches (under the run's row lock)."""
    review = PromotionReview.objects.select_for_update().get(pk=review_id)
    batches = list(
        review.batches.order_by("township__sort_order", "township__name").values(
            "township_id", "township__name", "state", "counts", "error"
        )
    )
    finished = [b for b in batches if b["state"] != ReviewBatch.State.PENDING]
    failed = [b for b in batches if b["state"] == ReviewBatch.State.FAILED]
    review.batches_done = sum(1 for b in batches if b["state"] == ReviewBatch.State.DONE)
    review.counts = _aggregate(batches)
    review.errors = "\n".join(f"{b['township__name']}: {b['error']}" for b in failed)
    if len(finished) == len(batches) and review.state in ACTIVE:
        review.state = PromotionReview.State.FAILED if failed else PromotionReview.State.DONE
        review.finished_at = timezone.now()
    review.save(update_fields=["batches_done", "counts", "errors", "state", "finished_at"])
    return review
