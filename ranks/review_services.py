"""Writes of the promotion review: the county's rule settings, review runs and their batches, and the
proposal workflow (township check and submission, county approval or rejection).

A run is started by ``review_start`` (from the page, the command, the beat schedule or an API view): it
freezes the rules, creates one batch per township and, after commit, queues one Celery task per batch.
``review_batch_run`` evaluates one township and writes its proposals in one transaction; it is safe to
run twice and after an interrupted attempt (nothing of an interrupted attempt is committed).
"""

import datetime
import gc
import logging
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, diff, snapshot
from cadre_mgmt.bulkinsert import insert_rows
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.lookups import ids_in

from . import review_rules, rules, selectors, services
from .models import PromotionReview, Proposal, RankChange, ReviewBatch, ReviewSettings
from .review_facts import (
    NOT_STORED,
    all_cadre_facts,
    cadres_to_review,
    context_from_parameters,
    evaluations_of,
    explanation_json,
    explanation_text,
    review_parameters,
    stored_rule_values,
    text_digest,
)

logger = logging.getLogger(__name__)

WRITE_BATCH = 500
ACTIVE = (PromotionReview.State.QUEUED, PromotionReview.State.RUNNING)
FIRST_YEAR = 2000


def _require_county_admin(user):
    if user is None or not user.is_county_admin:
        raise PermissionDenied


def _require_county_approver(user):
    if user is None or not user.is_county_approver:
        raise PermissionDenied


# Settings ---------------------------------------------------------------------------------------


@transaction.atomic
def review_settings_update(*, user, values) -> dict:
    """Save the county's rule parameters (switches and values). Returns the changes, empty if none.

    ``values`` maps setting names to JSON values; names not given keep their current value.
    """
    _require_county_admin(user)
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


# Review runs -------------------------------------------------------------------------------------


def _already_running_error(year):
    return ValidationError(_("A promotion review of %(year)s is already running; wait until it has finished.") % {"year": year})


def _townships_with_cadres():
    return sorted(set(Cadre.objects.filter(status=Cadre.Status.IN_POST).values_list("township_id", flat=True).distinct()))


@transaction.atomic
def review_start(*, year, trigger, user=None, dry_run=False, enqueue=True, today=None) -> PromotionReview:
    """Start a review of ``year``; returns the run at once (state queued), its batches queued after commit.

    ``user`` None means the schedule. ``enqueue=False`` leaves the batches for ``review_run_now``
    (the command runs them in its own process). A second non-dry run of a year while one is queued or
    running is refused, by a check here and, for two starts at the same moment, by the database.
    """
    if user is not None:
        _require_county_admin(user)
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


def _enqueue(review_id, township_ids):
    from .tasks import run_review_batch

    for township_id in township_ids:
        run_review_batch.delay(review_id, township_id)


def review_run_now(*, review) -> PromotionReview:
    """Run the run's unfinished batches one after the other in this process (the management command)."""
    for township_id in (
        review.batches.exclude(state=ReviewBatch.State.DONE).order_by("township_id").values_list("township_id", flat=True)
    ):
        review_batch_run(review_id=review.pk, township_id=township_id)
    review.refresh_from_db()
    return review


@transaction.atomic
def review_resume(*, review, user) -> PromotionReview:
    """Queue again the batches of a run that did not finish (a failed batch, or a worker lost for good)."""
    _require_county_admin(user)
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


def start_scheduled_review(*, today=None):
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


# One batch ---------------------------------------------------------------------------------------


def review_batch_run(*, review_id, township_id) -> ReviewBatch:
    """Evaluate one township and write its proposals (or, for a dry run, keep the results on the batch).

    Idempotent: a finished batch is left as it is; a batch delivered twice at once writes once (its row
    is locked while it writes); an attempt interrupted by a lost worker committed nothing and runs again
    from the start. An error is recorded on the batch and the run, not raised: the run page shows it.
    """
    PromotionReview.objects.filter(pk=review_id, state=PromotionReview.State.QUEUED).update(
        state=PromotionReview.State.RUNNING, started_at=timezone.now()
    )
    try:
        with _collector_paused():
            return _batch_write(review_id, township_id)
    except Exception as exc:
        logger.exception("promotion review %s, township %s failed", review_id, township_id)
        return _batch_failed(review_id, township_id, exc)


class _Tally:
    """The batch's counts, taken as the evaluations stream past (by outcome, in all, dismissals)."""

    def __init__(self):
        self.outcomes = {outcome: 0 for outcome in review_rules.OUTCOMES}
        self.total = self.dismissal = 0

    def counted(self, evaluations):
        for evaluation in evaluations:
            self.outcomes[evaluation.outcome] += 1
            self.total += 1
            self.dismissal += evaluation.dismissal_recommended
            yield evaluation


@contextmanager
def _collector_paused():
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
def _batch_write(review_id, township_id):
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
    facts = all_cadre_facts(cadre_rows=cadres_to_review(township_id=township_id), context=context)
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
            writes = _write_proposals(review, township_id, [f.cadre_id for f in facts], evaluations)
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
def _batch_failed(review_id, township_id, exc):
    batch = ReviewBatch.objects.select_for_update().get(review_id=review_id, township_id=township_id)
    if batch.state != ReviewBatch.State.DONE:
        batch.state = ReviewBatch.State.FAILED
        batch.attempts += 1
        batch.error = f"{type(exc).__name__}: {exc}"[:2000]
        batch.finished_at = timezone.now()
        batch.save()
        _review_progress(review_id)
    return batch


PROPOSAL_UPDATE_FIELDS = [
    "review",
    "township",
    "outcome",
    "from_level",
    "to_level",
    "points_used",
    "dismissal_recommended",
    "review_date",
    "explanation",
    "digest",
    "status",
    "submitted_by",
    "submitted_at",
    "evaluated_at",
]


# A new proposal's columns, in the order _write_proposals builds its rows (the rest take their defaults:
# empty remarks and notes, no submission, no decision).
PROPOSAL_INSERT_COLUMNS = (
    "review_id",
    "year",
    "cadre_id",
    "township_id",
    "outcome",
    "from_level",
    "to_level",
    "points_used",
    "dismissal_recommended",
    "review_date",
    "explanation",
    "digest",
    "status",
    "evaluated_at",
)


def _write_proposals(review, township_id, ids, evaluations):
    """Create or refresh the proposals of one batch (cadres ``ids``, their ``evaluations`` in the same
    order, possibly still being computed). Decided proposals are never touched.

    The proposals concerned are locked first, so an approval cannot slip between the read and the write.
    New proposals stream into one COPY as they are evaluated: the database stores the first ones while
    the rules work on the next. Rows are built from the rules' validated output and checked by the
    database constraints; a ``full_clean()`` per row would cost several queries each on a 100,000-cadre
    run. The audit trail is one record per batch (in ``_batch_write``) plus the run and evaluation time
    kept on each proposal.
    """
    now = timezone.now()
    existing = {}
    for start in range(0, len(ids), WRITE_BATCH * 4):
        rows = (
            Proposal.objects.select_for_update(of=("self",))
            .filter(ids_in("cadre_id", ids[start : start + WRITE_BATCH * 4]), year=review.year)
            .order_by()  # the default order would join (and lock) cadres and villages
            .values_list(
                "pk", "cadre_id", "status", "outcome", "to_level", "digest", "township_id", "submitted_by_id", "submitted_at"
            )
        )
        existing.update({row[1]: row for row in rows})
    updated = []
    counts = {"unchanged": 0, "decided_kept": 0}

    def new_rows():
        """COPY rows (PROPOSAL_INSERT_COLUMNS) of the new proposals; the others are sorted out on the way."""
        for evaluation in evaluations:
            cadre_id = evaluation.cadre_id
            explanation = explanation_json(evaluation)
            text = explanation_text(explanation)
            digest = text_digest(text)
            hold = evaluation.outcome == review_rules.HOLD
            status = Proposal.Status.NO_ACTION if hold else Proposal.Status.PENDING
            old = existing.get(cadre_id)
            if old is None:
                # A new proposal has no remarks, submission or decision yet.
                yield (
                    review.pk,
                    review.year,
                    cadre_id,
                    township_id,
                    evaluation.outcome,
                    evaluation.from_level,
                    evaluation.to_level,
                    evaluation.points_used,
                    evaluation.dismissal_recommended,
                    review.review_date,
                    text,
                    digest,
                    status,
                    now,
                )
                continue
            pk, _cadre_id, old_status, outcome, to_level, old_digest, old_township, submitted_by_id, submitted_at = old
            if old_status in Proposal.DECIDED:
                counts["decided_kept"] += 1
                continue
            if old_digest == digest and old_township == township_id:
                counts["unchanged"] += 1
                continue
            proposal = Proposal(
                pk=pk,
                review=review,
                year=review.year,
                cadre_id=cadre_id,
                township_id=township_id,
                outcome=evaluation.outcome,
                from_level=evaluation.from_level,
                to_level=evaluation.to_level,
                points_used=evaluation.points_used,
                dismissal_recommended=evaluation.dismissal_recommended,
                review_date=review.review_date,
                explanation=explanation,
                digest=digest,
                status=status,
                evaluated_at=now,
            )
            # A submitted proposal stays submitted if the verdict is the same; otherwise the township checks again.
            same_verdict = (outcome, to_level) == (evaluation.outcome, evaluation.to_level)
            if not hold and old_status == Proposal.Status.SUBMITTED and same_verdict:
                proposal.status = Proposal.Status.SUBMITTED
                proposal.submitted_by_id, proposal.submitted_at = submitted_by_id, submitted_at
            updated.append(proposal)

    created = insert_rows(Proposal, PROPOSAL_INSERT_COLUMNS, new_rows())
    if updated:
        Proposal.objects.bulk_update(updated, PROPOSAL_UPDATE_FIELDS, batch_size=WRITE_BATCH)
    return {"created": created, "updated": len(updated), **counts}


def _aggregate(batches):
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


def _review_progress(review_id):
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


# Proposals --------------------------------------------------------------------------------------

KIND_OF_OUTCOME = {
    Proposal.Outcome.PROMOTE: RankChange.Kind.PROMOTION,
    Proposal.Outcome.OUT_OF_TURN: RankChange.Kind.OUT_OF_TURN,
    Proposal.Outcome.DEMOTE: RankChange.Kind.DEMOTION,
}
TRAIL_FIELDS = ("status", "township_remarks", "supporting_notes", "decision_comment", "reject_reason")
FK_FIELDS = ("review", "cadre", "township", "submitted_by", "decided_by", "rank_change")


def _check(proposal):
    """Field checks of the values a person typed; the keys and constraints are the database's to check."""
    proposal.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)


def _locked(proposal):
    return Proposal.objects.select_for_update().select_related("cadre").get(pk=proposal.pk)


def _refuse_if_not_open(proposal):
    name = proposal.cadre.name
    if proposal.is_decided:
        raise ValidationError(_("The proposal for %(name)s has already been decided.") % {"name": name})
    if not proposal.needs_decision:
        raise ValidationError(_("The proposal for %(name)s changes no level and needs no decision.") % {"name": name})


@transaction.atomic
def proposal_submit(*, proposal, user, remarks="", notes="") -> Proposal:
    """The township has checked the proposal: it goes to the county with its remarks and supporting notes.
    A submitted proposal may be submitted again (to change the remarks) until the county decides."""
    proposal = _locked(proposal)
    if not (user.is_township_staff or user.is_county_admin) or not township_allowed_for_user(user, proposal.township_id):
        raise PermissionDenied
    _refuse_if_not_open(proposal)
    before = snapshot(proposal, TRAIL_FIELDS)
    proposal.status = Proposal.Status.SUBMITTED
    proposal.township_remarks = (remarks or "").strip()
    proposal.supporting_notes = (notes or "").strip()
    proposal.submitted_by = user
    proposal.submitted_at = timezone.now()
    _check(proposal)
    proposal.save(update_fields=["status", "township_remarks", "supporting_notes", "submitted_by", "submitted_at"])
    audit_record(
        actor=user,
        action=AuditRecord.Action.UPDATE,
        obj=proposal,
        summary=_("Proposal submitted to the county"),
        changes=diff(before, snapshot(proposal, TRAIL_FIELDS)),
    )
    return proposal


@transaction.atomic
def proposals_submit_batch(*, proposals, user, remarks="") -> list[Proposal]:
    """Submit several proposals with the same remarks; all of them or none."""
    return [proposal_submit(proposal=p, user=user, remarks=remarks, notes=p.supporting_notes) for p in proposals]


def _rank_change_reason(proposal, comment):
    text = _("%(year)s promotion review: %(outcome)s, level %(from)s → level %(to)s") % {
        "year": proposal.year,
        "outcome": proposal.get_outcome_display(),
        "from": proposal.from_level,
        "to": proposal.to_level,
    }
    if comment:
        text += _("; ") + comment
    return text[:300]


@transaction.atomic
def proposal_approve(*, proposal, approver, comment="") -> Proposal:
    """Approve a submitted proposal: the rank history record is written in the same transaction, effective
    the first day of the next month. The proposal is locked first: a second approval at the same moment
    waits, then finds it decided and writes nothing."""
    _require_county_approver(approver)
    proposal = _locked(proposal)
    _refuse_if_not_open(proposal)
    cadre = proposal.cadre
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ValidationError(_("The township has not submitted the proposal for %(name)s yet.") % {"name": cadre.name})
    if cadre.status != Cadre.Status.IN_POST:
        raise ValidationError(_("%(name)s has left post; the proposal cannot be approved.") % {"name": cadre.name})
    now = timezone.now()
    level_day = rules.effective_month_after(timezone.localdate(now))
    current = selectors.rank_states_on(cadre_ids=[cadre.pk], day=level_day)[cadre.pk].level
    if current != proposal.from_level:
        raise ValidationError(
            _(
                "%(name)s is at level %(current)s now, not at level %(from)s as when the review ran; "
                "run the review again before deciding."
            )
            % {"name": cadre.name, "current": current, "from": proposal.from_level}
        )
    comment = (comment or "").strip()
    before = snapshot(proposal, TRAIL_FIELDS)
    proposal.rank_change = services.rank_change_record(
        cadre=cadre,
        kind=KIND_OF_OUTCOME[proposal.outcome],
        to_level=proposal.to_level,
        approved_by=approver,
        approved_at=now,
        reason=_rank_change_reason(proposal, comment),
        source=_("Promotion review %(year)s #%(id)s") % {"year": proposal.year, "id": proposal.pk},
    )
    proposal.status = Proposal.Status.APPROVED
    proposal.decided_by = approver
    proposal.decided_at = now
    proposal.decision_comment = comment
    _check(proposal)
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "rank_change"])
    audit_record(
        actor=approver,
        action=AuditRecord.Action.DECIDE,
        obj=proposal,
        summary=_("Proposal approved: level %(from)s → level %(to)s from %(month)s")
        % {"from": proposal.from_level, "to": proposal.to_level, "month": f"{proposal.rank_change.effective_month:%Y-%m}"},
        changes=diff(before, snapshot(proposal, TRAIL_FIELDS)),
    )
    return proposal


@transaction.atomic
def proposals_approve_batch(*, proposals, approver, comment="") -> list[Proposal]:
    """Approve a selection in one transaction: all of them or none (the message names the one refused)."""
    return [proposal_approve(proposal=p, approver=approver, comment=comment) for p in proposals]


@transaction.atomic
def proposal_reject(*, proposal, approver, reason) -> Proposal:
    """Reject a submitted proposal with the reason the township will read. No rank change is written."""
    _require_county_approver(approver)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    proposal = _locked(proposal)
    _refuse_if_not_open(proposal)
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ValidationError(_("The township has not submitted the proposal for %(name)s yet.") % {"name": proposal.cadre.name})
    before = snapshot(proposal, TRAIL_FIELDS)
    proposal.status = Proposal.Status.REJECTED
    proposal.reject_reason = reason
    proposal.decided_by = approver
    proposal.decided_at = timezone.now()
    _check(proposal)
    proposal.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    audit_record(
        actor=approver,
        action=AuditRecord.Action.DECIDE,
        obj=proposal,
        summary=_("Proposal rejected"),
        changes=diff(before, snapshot(proposal, TRAIL_FIELDS)),
    )
    return proposal


@transaction.atomic
def proposals_reject_batch(*, proposals, approver, reason) -> list[Proposal]:
    return [proposal_reject(proposal=p, approver=approver, reason=reason) for p in proposals]
