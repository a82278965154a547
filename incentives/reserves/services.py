"""Writes of the reserve pool. Each runs in one transaction and writes its audit record."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import require, township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update
from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.models import Cadre, Post, Village
from cadre_mgmt.cadres.services import cadre_create

from ..models import TrainingRecord
from ..training_fields import TrainingFields
from . import rules
from .models import Reserve, ReserveAssessment, ReservePoolSetting, ReserveStep, ReserveTraining

RESERVE_FIELDS = (
    "village",
    "name",
    "gender",
    "birth_date",
    "id_number_hash",
    "phone",
    "political_status",
    "education",
    "source",
    "target_post",
    "mentor",
    "registered_on",
)
EDITABLE = ("name", "phone", "political_status", "education", "source", "target_post", "mentor")


def _require_open(reserve: Reserve) -> None:
    """An appointed or withdrawn reserve's record is closed: nothing is added or changed any more."""
    if not reserve.is_open:
        raise ValidationError(_("The reserve record has ended and can no longer be changed."))


def _require_writer(user: User, township_id: int) -> None:
    if not township_allowed_for_user(user, township_id):
        raise PermissionDenied


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date is in the future.")})


def _check_mentor(mentor: Cadre | None, village_id: int) -> None:
    if mentor is not None and (mentor.village_id != village_id or mentor.status != Cadre.Status.IN_POST):
        raise ValidationError({"mentor": _("The mentor must be a cadre in post of the reserve's village.")})


def _check_id_free(id_hash: str) -> None:
    if Reserve.objects.filter(id_number_hash=id_hash).exists():
        raise ValidationError({"id_number": _("A reserve cadre with this resident ID number is already registered.")})


@transaction.atomic
def reserve_register(*, user: User, village: Village, id_number: str, mentor: Cadre | None = None, **fields: Any) -> Reserve:
    """Register a reserve in a village: the ID number is validated, encrypted and masked as a cadre's."""
    _require_writer(user, village.township_id)
    facts = idnumbers.parse_id_number(id_number)
    reserve = Reserve(township_id=village.township_id, village=village, mentor=mentor, recorded_by=user, **fields)
    reserve.assign_id_number(facts)
    _check_id_free(reserve.id_number_hash)
    _check_mentor(mentor, village.pk)
    _not_future(reserve.registered_on, "registered_on")
    audited_create(reserve, actor=user, summary=_("Reserve cadre registered"), fields=RESERVE_FIELDS)
    ReserveStep.objects.create(reserve=reserve, to_status=Reserve.Status.REGISTERED, on=reserve.registered_on, by=user)
    return reserve


def _locked(reserve: Reserve, user: User) -> Reserve:
    reserve = Reserve.objects.select_for_update().get(pk=reserve.pk)
    _require_writer(user, reserve.township_id)
    return reserve


@transaction.atomic
def reserve_update(*, user: User, reserve: Reserve, **values: Any) -> dict:
    """Change a reserve's file (contact, education, source, the post prepared for, the mentor)."""
    reserve = _locked(reserve, user)
    _require_open(reserve)
    values = {name: value for name, value in values.items() if name in EDITABLE}
    _check_mentor(values.get("mentor", reserve.mentor), reserve.village_id)
    return audited_update(reserve, actor=user, values=values, summary=_("Reserve cadre file updated"))


def _step(reserve: Reserve, user: User, to_status: str, on: datetime.date, note: str = "", **values: Any) -> Reserve:
    if not rules.may_step(reserve.status, to_status):
        raise ValidationError(
            _("A reserve who is %(status)s cannot be moved to %(to)s.")
            % {"status": reserve.get_status_display(), "to": Reserve.Status(to_status).label}
        )
    _not_future(on, "on")
    if on < reserve.registered_on:
        raise ValidationError({"on": _("The date is before the registration.")})
    from_status = reserve.status
    audited_update(
        reserve,
        actor=user,
        values={"status": to_status, **values},
        summary=_("Reserve cadre: %(to)s") % {"to": Reserve.Status(to_status).label},
        always=True,
    )
    ReserveStep.objects.create(reserve=reserve, from_status=from_status, to_status=to_status, on=on, note=note, by=user)
    return reserve


@transaction.atomic
def reserve_start_cultivation(*, user: User, reserve: Reserve, on: datetime.date, note: str = "") -> Reserve:
    return _step(_locked(reserve, user), user, Reserve.Status.CULTIVATING, on, note.strip())


@transaction.atomic
def reserve_withdraw(*, user: User, reserve: Reserve, on: datetime.date, reason: str) -> Reserve:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    reserve = _locked(reserve, user)
    return _step(reserve, user, Reserve.Status.WITHDRAWN, on, reason, ended_on=on, withdrawal_reason=reason)


@transaction.atomic
def reserve_appoint(*, user: User, reserve: Reserve, posts: Iterable[Post], appointed_on: datetime.date) -> Cadre:
    """Appoint a reserve to a post: the cadre file is made from the reserve's record (the ID number goes from
    one encrypted record to the other inside this service, never through a form), the reserve record ends as
    appointed, and the new cadre waits on the initial grading page for the township to submit its level."""
    reserve = _locked(reserve, user)
    if reserve.status == Reserve.Status.APPOINTED or Cadre.objects.filter(id_number_hash=reserve.id_number_hash).exists():
        raise ValidationError(_("%(name)s is already a cadre and cannot be appointed again.") % {"name": reserve.name})
    if not rules.may_step(reserve.status, Reserve.Status.APPOINTED):
        raise ValidationError(_("Only a reserve in cultivation can be appointed."))
    posts = list(posts)
    if not posts:
        raise ValidationError({"posts": _("Give at least one post.")})
    _not_future(appointed_on, "appointed_on")
    if appointed_on < reserve.registered_on:
        raise ValidationError({"appointed_on": _("The date is before the registration.")})
    try:
        cadre = cadre_create(
            user=user,
            village=reserve.village,
            id_number=reserve.id_number,
            posts=posts,
            name=reserve.name,
            phone=reserve.phone,
            political_status=reserve.political_status,
            education=reserve.education,
            first_appointed_on=appointed_on,
            prior_service_years=0,
        )
    except ValidationError as exc:  # the cadre file's own checks, worded for the cadre form: say them as they are
        raise ValidationError(exc.messages) from exc
    note = _("Appointed as %(posts)s") % {"posts": "、".join(post.name for post in posts)}
    _step(reserve, user, Reserve.Status.APPOINTED, appointed_on, note, ended_on=appointed_on, cadre=cadre)
    _carry_trainings(user, reserve, cadre)
    return cadre


def _carry_trainings(user: User, reserve: Reserve, cadre: Cadre) -> None:
    """The reserve's training courses become the new cadre's training records (the same fields)."""
    courses = list(reserve.trainings.filter(kind=ReserveTraining.Kind.TRAINING).order_by("trained_on", "pk"))
    if not courses:
        return
    fields = [field.name for field in TrainingFields._meta.get_fields()]
    TrainingRecord.objects.bulk_create(
        [TrainingRecord(cadre=cadre, recorded_by=user, **{name: getattr(course, name) for name in fields}) for course in courses]
    )
    audit_record(
        actor=user,
        action=AuditRecord.Action.CREATE,
        obj=cadre,
        summary=_("Training as a reserve carried into the cadre's records: %(count)s") % {"count": len(courses)},
        changes={"courses": [course.course for course in courses]},
    )


@transaction.atomic
def reserve_training_record(*, user: User, reserve: Reserve, **fields: Any) -> ReserveTraining:
    _require_writer(user, reserve.township_id)
    _require_open(reserve)
    _not_future(fields["trained_on"], "trained_on")
    record = ReserveTraining(reserve=reserve, recorded_by=user, **fields)
    return audited_create(
        record,
        actor=user,
        summary=_("Reserve training recorded"),
        fields=("reserve", "kind", "course", "organizer", "hours", "trained_on"),
    )


@transaction.atomic
def reserve_assessment_save(*, user: User, reserve: Reserve, year: int, grade: str, comment: str = "") -> ReserveAssessment:
    """The reserve's assessment of ``year`` (one per year: a second save changes it, audited)."""
    _require_writer(user, reserve.township_id)
    _require_open(reserve)
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("The year has not begun.")})
    existing = ReserveAssessment.objects.select_for_update().filter(reserve=reserve, year=year).first()
    if existing is not None:
        values = {"grade": grade, "comment": comment.strip()}
        audited_update(existing, actor=user, values=values, summary=_("Reserve assessment changed"))
        return existing
    assessment = ReserveAssessment(reserve=reserve, year=year, grade=grade, comment=comment.strip(), recorded_by=user)
    return audited_create(
        assessment, actor=user, summary=_("Reserve assessment recorded"), fields=("reserve", "year", "grade", "comment")
    )


@transaction.atomic
def pool_minimum_update(*, user: User, minimum_per_village: int) -> dict:
    require(user.is_county_admin)
    setting, _created = ReservePoolSetting.objects.select_for_update().get_or_create(pk=1)
    return audited_update(
        setting, actor=user, values={"minimum_per_village": minimum_per_village}, summary=_("Reserve pool minimum changed")
    )
