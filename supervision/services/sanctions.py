"""Sanctions, investigations and one-vote vetoes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update
from cadre_mgmt.cadres.models import Cadre

from .. import rules
from ..models import Inspection, Investigation, Petition, Sanction, VetoEvent
from ._common import _require_supervisor


@transaction.atomic
def sanction_record(
    *,
    user: User,
    cadre: Cadre,
    severity: str,
    decided_on: datetime.date,
    description: str,
    effective_until: datetime.date | None = None,
    decided_by_body: str = "",
    petition: Petition | None = None,
    inspection: Inspection | None = None,
) -> Sanction:
    """Record a sanction. Without an explicit end, the effect period is the default for its type (rules)."""
    _require_supervisor(user)
    if severity not in Sanction.Severity.values:
        raise ValidationError({"severity": _("Unknown sanction type.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    if effective_until is None:
        effective_until = rules.sanction_default_until(severity, decided_on)
    if effective_until is not None and effective_until < decided_on:
        raise ValidationError({"effective_until": _("The effect period cannot end before the decision.")})
    if petition is not None and petition.cadre_id not in (None, cadre.pk):
        raise ValidationError({"petition": _("The linked petition concerns another cadre.")})
    sanction = Sanction(
        cadre=cadre,
        severity=severity,
        decided_on=decided_on,
        effective_until=effective_until,
        decided_by_body=decided_by_body,
        description=description,
        petition=petition,
        inspection=inspection,
        recorded_by=user,
    )
    return audited_create(
        sanction,
        actor=user,
        summary=_("Sanction recorded"),
        fields=("cadre", "severity", "decided_on", "effective_until", "petition", "inspection"),
    )


@transaction.atomic
def investigation_open(
    *,
    user: User,
    cadre: Cadre,
    opened_on: datetime.date,
    description: str,
    suspended: bool = False,
    petition: Petition | None = None,
) -> Investigation:
    _require_supervisor(user)
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("The date cannot be in the future.")})
    investigation = Investigation(
        cadre=cadre, opened_on=opened_on, description=description, suspended=suspended, petition=petition, recorded_by=user
    )
    return audited_create(
        investigation, actor=user, summary=_("Investigation opened"), fields=("cadre", "opened_on", "suspended", "petition")
    )


@transaction.atomic
def investigation_close(*, user: User, investigation: Investigation, closed_on: datetime.date, conclusion: str) -> Investigation:
    _require_supervisor(user)
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if investigation.closed_on is not None:
        raise ValidationError(_("This investigation is already concluded."))
    if closed_on < investigation.opened_on:
        raise ValidationError({"closed_on": _("The conclusion cannot be before the investigation was opened.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The date cannot be in the future.")})
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Give the conclusion.")})
    audited_update(
        investigation,
        actor=user,
        values={"closed_on": closed_on, "conclusion": conclusion.strip(), "closed_by": user},
        summary=_("Investigation concluded"),
        fields=("closed_on", "conclusion"),
    )
    return investigation


@transaction.atomic
def veto_record(
    *, user: User, cadre: Cadre, year: int, occurred_on: datetime.date, reason: str, kind: str = VetoEvent.Kind.OTHER
) -> VetoEvent:
    _require_supervisor(user)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    if year not in (occurred_on.year, occurred_on.year - 1):
        raise ValidationError({"year": _("A veto counts against the year it occurred in or the year before.")})
    veto = VetoEvent(cadre=cadre, year=year, occurred_on=occurred_on, kind=kind, reason=reason, recorded_by=user)
    return audited_create(
        veto, actor=user, summary=_("One-vote veto recorded"), fields=("cadre", "year", "occurred_on", "kind", "reason")
    )


@transaction.atomic
def veto_revoke(*, user: User, veto: VetoEvent, reason: str) -> VetoEvent:
    """A veto recorded in error is revoked, with who and why; the record stays."""
    _require_supervisor(user)
    veto = VetoEvent.objects.select_for_update().get(pk=veto.pk)
    if veto.revoked_at is not None:
        raise ValidationError(_("This veto is already revoked."))
    if not reason.strip():
        raise ValidationError({"revoke_reason": _("Give the reason for revoking.")})
    veto.revoked_at = timezone.now()
    veto.revoked_by = user
    veto.revoke_reason = reason.strip()
    veto.full_clean()
    veto.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.UPDATE,
        obj=veto,
        summary=_("One-vote veto revoked"),
        changes={"revoke_reason": veto.revoke_reason},
    )
    return veto
