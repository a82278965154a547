"""Warning education sessions."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.cadres.models import Cadre, Township

from ..models import WarningEducationSession
from ._common import _create_with_members, _require_supervisor


@transaction.atomic
def warning_session_create(
    *,
    user: User,
    township: Township,
    held_on: datetime.date,
    title: str,
    location: str = "",
    content: str = "",
    attendees: Iterable[Cadre] = (),
) -> WarningEducationSession:
    _require_supervisor(user)
    attendees = list(attendees)
    if any(cadre.township_id != township.pk for cadre in attendees):
        raise ValidationError({"attendees": _("Every attendee must be a cadre of the township.")})
    session = WarningEducationSession(
        township=township, held_on=held_on, title=title, location=location, content=content, recorded_by=user
    )
    summary = _("Warning education session recorded")
    fields = ("township", "held_on", "title")
    return _create_with_members(session, "attendees", attendees, user=user, summary=summary, fields=fields)
