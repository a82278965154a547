"""Petitions: registration, status steps, the daily overdue flags."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update
from cadre_mgmt.cadres.models import Cadre, Village

from .. import crypto, rules
from ..models import Petition, PetitionStep
from ..selectors import supervision_settings
from ._common import PETITION_AUDITED, _require_supervisor


@transaction.atomic
def petition_create(
    *,
    user: User,
    channel: str,
    summary: str,
    content: str,
    received_on: datetime.date,
    cadre: Cadre | None = None,
    village: Village | None = None,
    anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_address: str = "",
    deadline: datetime.date | None = None,
) -> Petition:
    """Register a petition. The deadline defaults to the county's setting (60 days) from receipt."""
    _require_supervisor(user)
    if village is None:
        if cadre is None:
            raise ValidationError(_("Name the subject cadre or village of the petition."))
        village = cadre.village
    elif cadre is not None and cadre.village_id != village.pk:
        raise ValidationError({"village": _("The cadre does not belong to this village.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    identity = {"name": reporter_name.strip(), "phone": reporter_phone.strip(), "address": reporter_address.strip()}
    if anonymous:
        identity = {}
    elif not identity["name"]:
        raise ValidationError({"reporter_name": _("Give the reporter's name, or mark the petition anonymous.")})
    if deadline is None:
        deadline = rules.petition_deadline(received_on, supervision_settings().petition_deadline_days)
    petition = Petition(
        township_id=village.township_id,
        village=village,
        cadre=cadre,
        channel=channel,
        anonymous=anonymous,
        reporter_encrypted=crypto.encrypt_identity(identity) if identity else "",
        summary=summary,
        content=crypto.encrypt_content(content),
        received_on=received_on,
        deadline=deadline,
        recorded_by=user,
    )
    audited_create(petition, actor=user, summary=_("Petition registered"), fields=(*PETITION_AUDITED, "anonymous", "channel"))
    PetitionStep.objects.create(petition=petition, from_status="", to_status=Petition.Status.RECEIVED, by=user)
    return petition


@transaction.atomic
def petition_transition(
    *, user: User, petition: Petition, to_status: str, assigned_to: str = "", conclusion: str = "", note: str = ""
) -> Petition:
    """Move a petition one step along received → assigned → investigating → concluded → closed."""
    _require_supervisor(user)
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not rules.petition_transition_allowed(petition.status, to_status):
        raise ValidationError(
            _("A petition that is “%(current)s” cannot move to “%(target)s”: its steps go in order.")
            % {"current": petition.get_status_display(), "target": Petition.Status(to_status).label}
            if to_status in Petition.Status.values
            else _("Unknown status.")
        )
    from_status = petition.status
    values = {"status": to_status}
    if to_status == Petition.Status.ASSIGNED:
        if not assigned_to.strip():
            raise ValidationError({"assigned_to": _("Say who handles the petition.")})
        values["assigned_to"] = assigned_to.strip()
    if to_status == Petition.Status.CONCLUDED:
        if conclusion not in Petition.Conclusion.values:
            raise ValidationError({"conclusion": _("Choose the conclusion: substantiated, partly substantiated or unfounded.")})
        values["conclusion"] = conclusion
    audited_update(petition, actor=user, values=values, summary=_("Petition status changed"), fields=PETITION_AUDITED)
    PetitionStep.objects.create(
        petition=petition,
        from_status=from_status,
        to_status=to_status,
        assigned_to=petition.assigned_to if to_status == Petition.Status.ASSIGNED else "",
        conclusion=petition.conclusion if to_status == Petition.Status.CONCLUDED else "",
        note=note.strip()[:500],
        by=user,
    )
    return petition


@transaction.atomic
def petitions_flag_overdue(*, today: datetime.date) -> list[int]:
    """Daily job: mark open petitions past their deadline. Running it twice flags nothing new."""
    candidates = Petition.objects.select_for_update().filter(
        status__in=Petition.OPEN_STATUSES, deadline__lt=today, overdue_since__isnull=True
    )
    flagged = []
    for petition in candidates:
        if rules.petition_is_overdue(status=petition.status, deadline=petition.deadline, day=today):
            petition.overdue_since = petition.deadline + datetime.timedelta(days=1)
            petition.save(update_fields=["overdue_since"])
            flagged.append(petition.pk)
    if flagged:
        audit_record(
            actor=None,
            action=AuditRecord.Action.UPDATE,
            object_type=Petition._meta.label,
            summary=_("Overdue petitions flagged: %(count)s") % {"count": len(flagged)},
            changes={"petitions": flagged, "on": today},
        )
    return flagged
