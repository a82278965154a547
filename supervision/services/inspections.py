"""Inspections and their rectification items."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.services import audited_create, audited_update
from cadre_mgmt.cadres.models import Township, Village

from .. import rules
from ..models import Inspection, RectificationItem
from ..selectors import can_update_rectification
from ._common import _create_with_members, _require_supervisor


@transaction.atomic
def inspection_create(
    *, user: User, township: Township, villages: Iterable[Village], inspected_on: datetime.date, team: str, findings: str
) -> Inspection:
    _require_supervisor(user)
    villages = list(villages)
    if not villages:
        raise ValidationError({"villages": _("Choose the inspected villages.")})
    if any(village.township_id != township.pk for village in villages):
        raise ValidationError({"villages": _("Every inspected village must belong to the township.")})
    inspection = Inspection(township=township, inspected_on=inspected_on, team=team, findings=findings, recorded_by=user)
    return _create_with_members(
        inspection, "villages", villages, user=user, summary=_("Inspection recorded"), fields=("township", "inspected_on", "team")
    )


@transaction.atomic
def rectification_item_add(
    *, user: User, inspection: Inspection, description: str, deadline: datetime.date, village: Village | None = None
) -> RectificationItem:
    _require_supervisor(user)
    if village is not None and not inspection.villages.filter(pk=village.pk).exists():
        raise ValidationError({"village": _("The village was not part of this inspection.")})
    if deadline < inspection.inspected_on:
        raise ValidationError({"deadline": _("The deadline cannot be before the inspection.")})
    item = RectificationItem(inspection=inspection, village=village, description=description, deadline=deadline, updated_by=user)
    return audited_create(
        item,
        actor=user,
        summary=_("Rectification item added"),
        fields=("inspection", "village", "description", "deadline", "status"),
    )


@transaction.atomic
def rectification_item_set_status(
    *, user: User, item: RectificationItem, status: str, done_on: datetime.date | None = None
) -> RectificationItem:
    item = RectificationItem.objects.select_for_update().select_related("inspection").get(pk=item.pk)
    if not can_update_rectification(user, item):
        raise PermissionDenied
    if not rules.rectification_transition_allowed(item.status, status):
        raise ValidationError(_("This rectification item cannot move to that status."))
    values: dict[str, Any] = {"status": status, "updated_by": user, "updated_at": timezone.now()}
    if status == RectificationItem.Status.DONE:
        values["done_on"] = done_on or timezone.localdate()
        if values["done_on"] > timezone.localdate():
            raise ValidationError({"done_on": _("The date cannot be in the future.")})
    audited_update(item, actor=user, values=values, summary=_("Rectification item updated"), fields=("status", "done_on"))
    return item
