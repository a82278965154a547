"""Writes of the mass evaluation. Every step is audited except the ballot itself: a vote leaves no trace
but the ballot (no code, no time finer than the day) and the counters it adds to."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update
from cadre_mgmt.cadres.models import Cadre, Village

from ..models import AnnualReview
from ..services.common import require_township
from ..services.years import open_year_for
from . import rules, selectors
from .codes import code_digest
from .models import MAX_SLIPS_PER_VILLAGE, Ballot, EvaluationCode, EvaluationRound, PaperTally, RoundCadre, SlipBatch

ROUND_FIELDS = ("village", "year", "closes_on", "min_ballots")


def _writable(user: User | None, round_: EvaluationRound) -> EvaluationRound:
    """The round locked for the write, after the township check (none for the scheduled closing, user
    None); a closed round refuses every change."""
    if user is not None:
        require_township(user, round_.township_id)
    locked = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
    if not locked.is_open:
        raise ValidationError(_("This evaluation is closed; nothing in it can change."))
    return locked


@transaction.atomic
def round_open(*, user: User, village: Village, year: int, closes_on: datetime.date, min_ballots: int = 5) -> EvaluationRound:
    """Open a village's evaluation for a year: the cadres in post today are the ones rated."""
    require_township(user, village.township_id)
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date cannot be in the past.")})
    if EvaluationRound.objects.filter(village=village, year=year).exists():
        raise ValidationError(_("%(village)s already has an evaluation for %(year)s.") % {"village": village, "year": year})
    cadres = list(Cadre.objects.filter(village=village, status="in_post").order_by("name", "pk"))
    if not cadres:
        raise ValidationError(_("No cadre of this village is in post; there is no one to evaluate."))
    round_ = EvaluationRound(
        township_id=village.township_id, village=village, year=year, closes_on=closes_on, min_ballots=min_ballots, opened_by=user
    )
    audited_create(
        round_,
        actor=user,
        summary=_("Mass evaluation opened"),
        fields=ROUND_FIELDS,
        extra={"cadres": [c.pk for c in cadres]},
    )
    RoundCadre.objects.bulk_create([RoundCadre(round=round_, cadre=c) for c in cadres])
    return round_


@transaction.atomic
def slips_issue(*, user: User, round_: EvaluationRound, count: int) -> tuple[SlipBatch, list[str]]:
    """Issue ``count`` new codes. The codes are returned once, for the download, and stored only as digests."""
    locked = _writable(user, round_)
    issued = sum(locked.batches.values_list("count", flat=True))
    if not 1 <= count <= MAX_SLIPS_PER_VILLAGE - issued:
        left = {"max": MAX_SLIPS_PER_VILLAGE, "left": MAX_SLIPS_PER_VILLAGE - issued}
        raise ValidationError({"count": _("A village has at most %(max)s slips; %(left)s can still be issued.") % left})
    number = locked.batches.count() + 1
    batch = SlipBatch.objects.create(round=locked, number=number, count=count, issued_by=user)
    codes = [rules.new_code() for _ in range(count)]
    EvaluationCode.objects.bulk_create([EvaluationCode(batch=batch, round=locked, digest=code_digest(c)) for c in codes])
    audit_record(
        actor=user,
        action=AuditRecord.Action.CREATE,
        obj=batch,
        summary=_("Evaluation slips issued (%(count)s)") % {"count": count},
        changes={"round": locked.pk, "batch": number, "count": count},
    )
    return batch, codes


@transaction.atomic
def batch_void(*, user: User, batch: SlipBatch, reason: str) -> int:
    """Void the unused slips of a batch (lost, misused). Returns how many were voided."""
    _writable(user, batch.round)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for voiding these slips.")})
    voided = EvaluationCode.objects.filter(batch=batch, status=EvaluationCode.Status.UNUSED).update(
        status=EvaluationCode.Status.VOIDED
    )
    audited_update(
        batch,
        actor=user,
        values={"voided_by": user, "voided_at": timezone.now(), "void_reason": reason.strip()},
        fields=("void_reason",),
        summary=_("Unused evaluation slips voided (%(count)s)") % {"count": voided},
        always=True,
    )
    return voided


def _refuse(message: str) -> NoReturn:
    raise ValidationError(message, code="refused")


def ballot_round(*, code: str, today: datetime.date | None = None) -> EvaluationCode:
    """The code's row (with its round and village) if it may vote now; a clear refusal otherwise."""
    row = selectors.code_row(code_digest(code))
    if row is None:
        raise ValidationError(_("This code is not valid. Check it against your slip."), code="unknown")
    today = today or timezone.localdate()
    if row.status == EvaluationCode.Status.USED:
        _refuse(_("This code has already been used. Each slip votes once."))
    if row.status == EvaluationCode.Status.VOIDED:
        _refuse(_("This slip has been voided by the township and cannot be used."))
    if not row.round.is_open or row.round.closes_on < today:
        _refuse(_("This evaluation has ended; the slip can no longer be used."))
    return row


def ballot_cast(*, code: str, ratings: Mapping[int, str], comment: str = "", today: datetime.date | None = None) -> None:
    """Store one anonymous ballot and add it to the tallies, or refuse and change nothing.

    The conditional UPDATE marks the code used only if it still is unused: of two submissions racing
    with the same code exactly one wins, on PostgreSQL as anywhere. Nothing of the code reaches the ballot.
    """
    today = today or timezone.localdate()
    row = ballot_round(code=code, today=today)
    allowed = set(RoundCadre.objects.filter(round_id=row.round_id).values_list("cadre_id", flat=True))
    if not ratings or set(ratings) - allowed or set(ratings.values()) - set(rules.RATINGS):
        raise ValidationError(_("Rate at least one cadre of this village."))
    with transaction.atomic():
        won = EvaluationCode.objects.filter(pk=row.pk, status=EvaluationCode.Status.UNUSED).update(
            status=EvaluationCode.Status.USED, used_on=today
        )
        if not won:
            _refuse(_("This code has already been used. Each slip votes once."))
        Ballot.objects.create(
            round_id=row.round_id, cast_on=today, ratings={str(k): v for k, v in sorted(ratings.items())}, comment=comment[:500]
        )
        _count_ballot(row.round_id, ratings)


COUNTERS = {"s": "satisfied", "b": "basically", "d": "dissatisfied"}


def _count_ballot(round_id: int, ratings: Mapping[int, str]) -> None:
    """Add one ballot to the cadres' counters in one UPDATE, after locking the rows in cadre order:
    two ballots rating the same cadres differently then never wait on each other in opposite orders
    (without the ordered lock, PostgreSQL found deadlocks with 20 voters at once)."""
    rated = RoundCadre.objects.filter(round_id=round_id, cadre_id__in=list(ratings))
    list(rated.select_for_update().order_by("cadre_id").values_list("pk", flat=True))
    grouped = rules.by_rating(ratings)
    rated.update(
        **{
            field: F(field) + Case(When(cadre_id__in=grouped.get(rating, []), then=Value(1)), default=Value(0))
            for rating, field in COUNTERS.items()
            if rating in grouped
        }
    )


@transaction.atomic
def paper_tally_enter(
    *, user: User, round_: EvaluationRound, cadre_id: int, satisfied: int, basically: int, dissatisfied: int
) -> PaperTally:
    """Enter (or correct, before it is confirmed) the paper tally of one cadre."""
    locked = _writable(user, round_)
    if not RoundCadre.objects.filter(round=locked, cadre_id=cadre_id).exists():
        raise PermissionDenied
    tally = PaperTally.objects.filter(round=locked, cadre_id=cadre_id).first()
    if tally is not None and tally.is_confirmed:
        raise ValidationError(_("This paper tally is confirmed; it can no longer be changed."))
    values = {"satisfied": satisfied, "basically": basically, "dissatisfied": dissatisfied, "entered_by": user}
    if tally is None:
        tally = PaperTally(round=locked, cadre_id=cadre_id, **values)
        return audited_create(
            tally, actor=user, summary=_("Paper tally entered"), fields=("satisfied", "basically", "dissatisfied")
        )
    audited_update(tally, actor=user, values=values, summary=_("Paper tally corrected"), always=True)
    return tally


@transaction.atomic
def paper_tally_confirm(*, user: User, tally: PaperTally) -> PaperTally:
    """A second township user confirms a paper tally; only then does it count."""
    _writable(user, tally.round)
    tally = PaperTally.objects.select_for_update().get(pk=tally.pk)
    if tally.is_confirmed:
        raise ValidationError(_("This paper tally is already confirmed."))
    if tally.entered_by_id == user.pk:
        raise ValidationError(_("The tally must be confirmed by another township user than the one who entered it."))
    try:
        audited_update(
            tally,
            actor=user,
            values={"confirmed_by": user, "confirmed_at": timezone.now()},
            fields=("confirmed_by",),
            summary=_("Paper tally confirmed"),
            action=AuditRecord.Action.DECIDE,
        )
    except IntegrityError as exc:  # pragma: no cover - the check above runs first
        raise ValidationError(_("The tally must be confirmed by another township user.")) from exc
    return tally


def _apply_score(*, user: User | None, round_: EvaluationRound, cadre_id: int, score: Decimal, source: str) -> bool:
    """Write the mass-evaluation score of the cadre's annual review of the round's year, if that year is open."""
    year = open_year_for(user=user, township=round_.township, year=round_.year)
    if year is None:
        return False
    review, _created = AnnualReview.objects.get_or_create(township_year=year, cadre_id=cadre_id, year=round_.year)
    audited_update(
        review,
        actor=user,
        values={"mass_score": score, "mass_source": source[:250]},
        summary=_("Mass evaluation score from the villagers' evaluation"),
    )
    return True


@transaction.atomic
def round_close(*, user: User | None, round_: EvaluationRound) -> list[RoundCadre]:
    """Close the round: freeze each cadre's result and, once, fill the annual mass-evaluation score
    (only for results shown, i.e. from the threshold on). After this nothing in the round changes."""
    locked = _writable(user, round_)
    results = selectors.round_results(locked)
    when = {"closed_by": user, "closed_at": timezone.now()}
    applied = {}
    for row in results.rows:
        subject = row.subject
        subject.final_ballots = row.tally.ballots
        subject.final_satisfaction = row.satisfaction if row.shown else None
        subject.save(update_fields=["final_ballots", "final_satisfaction"])
        if row.shown and row.satisfaction is not None:
            applied[subject.cadre_id] = _apply_score(
                user=user, round_=locked, cadre_id=subject.cadre_id, score=row.satisfaction, source=row.source
            )
    audited_update(
        locked,
        actor=user,
        values={"status": EvaluationRound.Status.CLOSED, **when},
        fields=("status",),
        summary=_("Mass evaluation closed"),
        action=AuditRecord.Action.DECIDE,
    )
    audit_record(
        actor=user,
        action=AuditRecord.Action.DECIDE,
        obj=locked,
        summary=_("Mass evaluation results frozen"),
        changes={"applied": applied, "ballots": {r.subject.cadre_id: r.tally.ballots for r in results.rows}},
    )
    return [row.subject for row in results.rows]


@transaction.atomic
def result_override(*, user: User, subject: RoundCadre, score: Decimal, reason: str) -> RoundCadre:
    """The township enters a cadre's mass-evaluation score itself, with a reason (a closed round only)."""
    require_township(user, subject.round.township_id)
    if subject.round.is_open:
        raise ValidationError(_("Close the evaluation before entering a score instead of its result."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for entering a score instead of the villagers' result.")})
    if not Decimal("0") <= score <= Decimal("100"):
        raise ValidationError({"score": _("A score must be between 0 and 100.")})
    subject = RoundCadre.objects.select_for_update().select_related("round__township").get(pk=subject.pk)
    audited_update(
        subject,
        actor=user,
        values={"override_score": score, "override_reason": reason.strip()},
        summary=_("Mass evaluation score entered by the township"),
    )
    if not _apply_score(
        user=user, round_=subject.round, cadre_id=subject.cadre_id, score=score, source=rules.override_source(reason.strip())
    ):
        raise ValidationError(
            _("The %(year)s assessment is finalized; it can no longer be changed.") % {"year": subject.round.year}
        )
    return subject


def rounds_close_due(*, today: datetime.date | None = None) -> int:
    """Close every open round whose closing date has passed (the daily job); returns how many."""
    today = today or timezone.localdate()
    due = list(EvaluationRound.objects.filter(status=EvaluationRound.Status.OPEN, closes_on__lt=today).select_related("township"))
    for round_ in due:
        round_close(user=None, round_=round_)
    return len(due)
