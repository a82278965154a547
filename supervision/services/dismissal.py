"""Dismissal: ends the post through the core service."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.services import audited_create
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.cadres.services import cadre_mark_left

from ..models import Dismissal, Sanction


@transaction.atomic
def dismissal_record(
    *, user: User, cadre: Cadre, dismissed_on: datetime.date, reason: str, sanction: Sanction | None = None
) -> Dismissal:
    """Dismiss (清退) a cadre: ends the post through the core service, so the allowance stops next month."""
    if not township_allowed_for_user(user, cadre.township_id):
        raise PermissionDenied
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the dismissal.")})
    if dismissed_on > timezone.localdate():
        raise ValidationError({"dismissed_on": _("The date cannot be in the future.")})
    if sanction is not None and sanction.cadre_id != cadre.pk:
        raise ValidationError({"sanction": _("The linked sanction concerns another cadre.")})
    if Cadre.objects.get(pk=cadre.pk).status != Cadre.Status.IN_POST:
        raise ValidationError(_("This cadre has already left post."))
    dismissal = Dismissal(cadre=cadre, dismissed_on=dismissed_on, reason=reason.strip(), sanction=sanction, decided_by=user)
    dismissal.full_clean()
    cadre_mark_left(user=user, cadre=cadre, left_on=dismissed_on, reason=_("Dismissed: %(reason)s") % {"reason": reason.strip()})
    return audited_create(
        dismissal, actor=user, summary=_("Cadre dismissed"), fields=("cadre", "dismissed_on", "reason", "sanction")
    )
