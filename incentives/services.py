"""Writes of the incentives area. Every function runs in one transaction and writes its audit record."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update, diff, snapshot
from cadre_mgmt.cadres.models import Cadre, Post, Village

from . import rules
from .models import (
    Commendation,
    CommendationPoints,
    HardshipAid,
    HardshipAidStep,
    InsuranceEnrolment,
    PayScale,
    PoliticalRecommendation,
    TrainingRecord,
)
from .selectors import aid_can_take


def _require_recorder(user: User, township_id: int | None) -> None:
    """Township staff write their own township's records; the county administrator writes any."""
    if not township_allowed_for_user(user, township_id):
        raise PermissionDenied


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _audited_save(
    instance: Model,
    *,
    actor: User,
    values: dict,
    summary: str,
    fields: Sequence[str],
    new_action: str = AuditRecord.Action.CREATE,
) -> dict:
    """Create or update one row of a one-per-key table: ``audited_update`` for a stored row; for a new one
    the same tail with nothing before (changes {field: [None, value]}, action ``new_action``)."""
    if instance.pk:
        return audited_update(instance, actor=actor, values=values, summary=summary, fields=fields)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    changes = diff({}, snapshot(instance, fields))
    audit_record(actor=actor, action=new_action, obj=instance, summary=summary, changes=changes)
    return changes


# --- Commendations ------------------------------------------------------------------------------


@transaction.atomic
def commendation_record(
    *,
    user: User,
    level: str,
    title: str,
    issuer: str,
    awarded_on: datetime.date,
    cadre: Cadre | None = None,
    village: Village | None = None,
) -> Commendation:
    """Record an honour of a cadre, or of a village (a collective honour)."""
    if cadre is not None and village is None:
        township_id = cadre.township_id
    elif village is not None and cadre is None:
        township_id = village.township_id
    else:
        raise ValidationError(_("A commendation goes to one cadre or to one village (collective honour)."))
    _require_recorder(user, township_id)
    _not_future(awarded_on, "awarded_on")
    commendation = Commendation(
        township_id=township_id,
        cadre=cadre,
        village=village,
        level=level,
        title=title.strip(),
        issuer=issuer.strip(),
        awarded_on=awarded_on,
        recorded_by=user,
    )
    return audited_create(
        commendation,
        actor=user,
        summary=_("Commendation recorded"),
        fields=("cadre", "village", "level", "title", "issuer", "awarded_on"),
    )


@transaction.atomic
def commendation_points_save(*, user: User, level: str, points: Decimal) -> CommendationPoints:
    """The county administrator changes the points of a commendation level."""
    if not user.is_county_admin:
        raise PermissionDenied
    row = CommendationPoints.objects.select_for_update().filter(level=level).first() or CommendationPoints(level=level)
    summary = _("Commendation points changed")
    # A level's first points were audited as an update of the table, not as a new row: kept so.
    first = AuditRecord.Action.UPDATE
    _audited_save(row, actor=user, values={"points": points}, summary=summary, fields=("points",), new_action=first)
    return row


# --- Training, insurance, recommendations -------------------------------------------------------


@transaction.atomic
def training_record(
    *, user: User, cadre: Cadre, course: str, organizer: str, hours: Decimal, trained_on: datetime.date
) -> TrainingRecord:
    _require_recorder(user, cadre.township_id)
    _not_future(trained_on, "trained_on")
    record = TrainingRecord(cadre=cadre, course=course, organizer=organizer, hours=hours, trained_on=trained_on, recorded_by=user)
    return audited_create(
        record, actor=user, summary=_("Training recorded"), fields=("cadre", "course", "organizer", "hours", "trained_on")
    )


INSURANCE_FIELDS = ("start_month", "status", "note")


@transaction.atomic
def insurance_save(
    *, user: User, cadre: Cadre, scheme: str, start_month: datetime.date, status: str, note: str = ""
) -> InsuranceEnrolment:
    """Enrol a cadre in a scheme, or update the enrolment (one row per cadre and scheme)."""
    _require_recorder(user, cadre.township_id)
    start_month = start_month.replace(day=1)
    enrolment = InsuranceEnrolment.objects.select_for_update().filter(cadre=cadre, scheme=scheme).first()
    enrolment = enrolment or InsuranceEnrolment(cadre=cadre, scheme=scheme)
    values = {"start_month": start_month, "status": status, "note": note, "updated_by": user, "updated_at": timezone.now()}
    _audited_save(enrolment, actor=user, values=values, summary=_("Insurance enrolment saved"), fields=INSURANCE_FIELDS)
    return enrolment


@transaction.atomic
def recommendation_record(
    *, user: User, cadre: Cadre, kind: str, level: str, recommended_on: datetime.date, note: str = ""
) -> PoliticalRecommendation:
    _require_recorder(user, cadre.township_id)
    _not_future(recommended_on, "recommended_on")
    recommendation = PoliticalRecommendation(
        cadre=cadre, kind=kind, level=level, recommended_on=recommended_on, note=note, recorded_by=user
    )
    return audited_create(
        recommendation,
        actor=user,
        summary=_("Political recommendation recorded"),
        fields=("cadre", "kind", "level", "recommended_on", "status"),
    )


@transaction.atomic
def recommendation_set_status(
    *, user: User, recommendation: PoliticalRecommendation, status: str, note: str | None = None
) -> PoliticalRecommendation:
    recommendation = PoliticalRecommendation.objects.select_for_update().select_related("cadre").get(pk=recommendation.pk)
    _require_recorder(user, recommendation.cadre.township_id)
    if recommendation.status != PoliticalRecommendation.Status.RECOMMENDED:
        raise ValidationError(_("The outcome of this recommendation is already recorded."))
    if status == PoliticalRecommendation.Status.RECOMMENDED:
        raise ValidationError({"status": _("Choose the outcome.")})
    values = {"status": status, "updated_at": timezone.now()}
    if note is not None:
        values["note"] = note
    summary = _("Political recommendation outcome recorded")
    audited_update(recommendation, actor=user, values=values, summary=summary, fields=("status", "note"))
    return recommendation


# --- Hardship aid ---------------------------------------------------------------------------------

AID_FIELDS = ("status", "amount_granted", "paid_on")
AID_APPLIED_FIELDS = ("cadre", "reason", "amount_requested", "status")


@transaction.atomic
def aid_apply(*, user: User, cadre: Cadre, reason: str, amount_requested: Decimal, supporting_note: str = "") -> HardshipAid:
    _require_recorder(user, cadre.township_id)
    aid = HardshipAid(
        cadre=cadre, reason=reason, amount_requested=amount_requested, supporting_note=supporting_note, applied_by=user
    )
    audited_create(aid, actor=user, summary=_("Hardship aid applied for"), fields=AID_APPLIED_FIELDS)
    HardshipAidStep.objects.create(aid=aid, from_status="", to_status=aid.status, amount=amount_requested, by=user)
    return aid


@transaction.atomic
def aid_step(
    *,
    user: User,
    aid: HardshipAid,
    to_status: str,
    note: str = "",
    amount_granted: Decimal | None = None,
    paid_on: datetime.date | None = None,
) -> HardshipAid:
    """Take one step of a hardship aid case: township review, county decision (with the amount), payment."""
    aid = HardshipAid.objects.select_for_update().select_related("cadre").get(pk=aid.pk)
    if not aid_can_take(user, aid, to_status):
        raise PermissionDenied
    if not rules.aid_transition_allowed(aid.status, to_status):
        if to_status == HardshipAid.Status.PAID:
            raise ValidationError(_("Hardship aid can be paid only after the county has approved it."))
        raise ValidationError(
            _("A case that is “%(current)s” cannot move to “%(target)s”.")
            % {"current": aid.get_status_display(), "target": HardshipAid.Status(to_status).label}
        )
    from_status, step_amount = aid.status, None
    values: dict[str, object] = {"status": to_status}
    if to_status == HardshipAid.Status.COUNTY_APPROVED:
        if amount_granted is None or amount_granted <= 0:
            raise ValidationError({"amount_granted": _("Give the amount granted.")})
        values["amount_granted"] = step_amount = amount_granted
    if to_status == HardshipAid.Status.PAID:
        if paid_on is None:
            raise ValidationError({"paid_on": _("Give the date of payment.")})
        _not_future(paid_on, "paid_on")
        approved_at = aid.steps.filter(to_status=HardshipAid.Status.COUNTY_APPROVED).values_list("at", flat=True).first()
        if approved_at is not None and paid_on < timezone.localdate(approved_at):
            raise ValidationError({"paid_on": _("The payment cannot be dated before the county approval.")})
        values["paid_on"] = paid_on
        step_amount = aid.amount_granted
    summary = _("Hardship aid: %(step)s") % {"step": HardshipAid.Status(to_status).label}
    audited_update(aid, actor=user, values=values, summary=summary, fields=AID_FIELDS, action=AuditRecord.Action.DECIDE)
    HardshipAidStep.objects.create(aid=aid, from_status=from_status, to_status=to_status, amount=step_amount, note=note, by=user)
    return aid


# --- Pay scale ------------------------------------------------------------------------------------

PAY_FIELDS = ("effective_from", "post", "base_pay", "performance_pay", "note")


def pay_scale_validate(*, scale: PayScale) -> None:
    """Refuse a change that would rewrite a month already begun (reads only; the admin form calls it too)."""
    this_month = timezone.localdate().replace(day=1)
    if scale.effective_from is not None and scale.effective_from.day != 1:
        raise ValidationError({"effective_from": _("A pay scale starts on the first day of a month.")})
    if scale.pk:
        stored = PayScale.objects.get(pk=scale.pk)
        if stored.effective_from <= this_month:
            raise ValidationError(_("A pay scale already in force cannot be changed: add a new one from a later month."))
    # The very first rows may be back-dated (setting the system up); later ones start next month at the earliest.
    back_dated = scale.effective_from is not None and scale.effective_from <= this_month
    if back_dated and PayScale.objects.exclude(pk=scale.pk).exists():
        raise ValidationError({"effective_from": _("A new pay scale starts next month at the earliest.")})


@transaction.atomic
def pay_scale_save(*, user: User, scale: PayScale) -> PayScale:
    """Add a pay scale row (or correct one that has not started yet). A month already begun is never changed."""
    if not user.is_county_admin:
        raise PermissionDenied
    pay_scale_validate(scale=scale)
    if not scale.pk:
        _audited_save(scale, actor=user, values={"created_by": user}, summary=_("Pay scale saved"), fields=PAY_FIELDS)
        return scale
    # The admin form has already set the new values on ``scale``: compare with the stored row.
    stored = PayScale.objects.select_for_update().get(pk=scale.pk)
    values = {name: getattr(scale, name) for name in PAY_FIELDS}
    audited_update(stored, actor=user, values=values, summary=_("Pay scale saved"), fields=PAY_FIELDS)
    return scale


@transaction.atomic
def pay_scale_seed(
    *,
    user: User,
    effective_from: datetime.date,
    base_pay: Decimal,
    performance_pay: Decimal,
    post: Post | None = None,
    note: str = "",
) -> PayScale:
    """Set up the county's pay scale (demo data and first configuration): back-dating allowed, idempotent."""
    if not user.is_county_admin:
        raise PermissionDenied
    existing = PayScale.objects.filter(effective_from=effective_from, post=post).first()
    if existing is not None:
        return existing
    scale = PayScale(
        effective_from=effective_from,
        post=post,
        base_pay=base_pay,
        performance_pay=performance_pay,
        note=note,
        created_by=user,
    )
    return audited_create(scale, actor=user, summary=_("Pay scale saved"), fields=PAY_FIELDS)
