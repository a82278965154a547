"""Writes of the Party-branch meetings and revitalization projects: one transaction and one audit record each."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.services import audited_create
from cadre_mgmt.cadres.models import Cadre, Village

from .models import BranchMeeting, RevitalizationProject


def _require_writer(user: User, village: Village) -> None:
    if not township_allowed_for_user(user, village.township_id):
        raise PermissionDenied


def _of_village(cadres: Iterable[Cadre], village: Village, field: str) -> list[Cadre]:
    cadres = list(cadres)
    if any(cadre.village_id != village.pk for cadre in cadres):
        raise ValidationError({field: _("Only the village's own cadres can be chosen.")})
    return cadres


@transaction.atomic
def meeting_record(
    *, user: User, village: Village, held_on: datetime.date, kind: str, topic: str, attendees: Iterable[Cadre]
) -> BranchMeeting:
    """Record a meeting or lesson of the village branch with its attendance (the whole checklist at once)."""
    _require_writer(user, village)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date is in the future.")})
    attendees = _of_village(attendees, village, "attendees")
    meeting = BranchMeeting(
        township_id=village.township_id, village=village, held_on=held_on, kind=kind, topic=topic.strip(), recorded_by=user
    )
    names = sorted(cadre.name for cadre in attendees)
    audited_create(
        meeting,
        actor=user,
        summary=_("Party-branch meeting recorded: %(count)s attended") % {"count": len(attendees)},
        fields=("village", "held_on", "kind", "topic"),
        extra={"attendees": names},
    )
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def project_record(
    *,
    user: User,
    village: Village,
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    budget: Decimal,
    progress: str,
    responsible: Iterable[Cadre],
) -> RevitalizationProject:
    _require_writer(user, village)
    responsible = _of_village(responsible, village, "responsible")
    if not responsible:
        raise ValidationError({"responsible": _("Name at least one cadre responsible.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end is before the start.")})
    project = RevitalizationProject(
        township_id=village.township_id,
        village=village,
        name=name.strip(),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
        progress=progress.strip(),
        recorded_by=user,
    )
    audited_create(
        project,
        actor=user,
        summary=_("Revitalization project recorded"),
        fields=("village", "name", "kind", "starts_on", "ends_on", "budget", "progress"),
        extra={"responsible": sorted(cadre.name for cadre in responsible)},
    )
    project.responsible.set(responsible)
    return project
