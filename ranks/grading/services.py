"""Writes of the initial grading (DESIGN §3, 初始定级): the county's rule, the township's submission, the county's decision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import require, township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update
from cadre_mgmt.cadres.models import Cadre

from ..ladder.services import rank_change_record
from ..models import (
    InitialGrading,
    InitialGradingRule,
    RankChange,
)
from . import selectors

GRADING_RULE_FIELDS = ("years_per_level", "highest_level", "lower_for_basically_competent")


@transaction.atomic
def grading_rule_update(*, user, years_per_level, highest_level, lower_for_basically_competent):
    require(user.is_county_admin)
    rule, _created = InitialGradingRule.objects.select_for_update().get_or_create(pk=1)
    values = {
        "years_per_level": years_per_level,
        "highest_level": highest_level,
        "lower_for_basically_competent": lower_for_basically_competent,
    }
    return audited_update(rule, actor=user, values=values, summary=_("Initial grading rule changed"))


def _check_gradable(user, cadre):
    if not township_allowed_for_user(user, cadre.township_id):
        raise PermissionDenied
    if cadre.status != Cadre.Status.IN_POST:
        raise ValidationError(_("%(name)s is not in post.") % {"name": cadre.name})
    if RankChange.objects.filter(cadre=cadre).exists():
        raise ValidationError(_("%(name)s already has a level.") % {"name": cadre.name})
    if InitialGrading.objects.filter(cadre=cadre, status__in=["submitted", "approved"]).exists():
        raise ValidationError(_("The initial grading of %(name)s has already been submitted.") % {"name": cadre.name})


@transaction.atomic
def initial_grading_submit(*, user, cadre, proposed_level=None, reason=""):
    """The township submits a cadre's initial level: the computed one, or another with a reason."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    _check_gradable(user, cadre)
    computed = selectors.computed_initial_levels(cadres=[cadre])[cadre.pk]
    proposed_level = computed.level if proposed_level is None else proposed_level
    reason = (reason or "").strip()
    if proposed_level != computed.level and not reason:
        raise ValidationError({"reason": _("Give the reason for a level other than the computed one.")})
    grading = InitialGrading(
        cadre=cadre,
        township_id=cadre.township_id,
        computed_level=computed.level,
        proposed_level=proposed_level,
        years_served=computed.years_served,
        reason=reason,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    return audited_create(
        grading,
        actor=user,
        summary=_("Initial grading submitted: level %(level)s") % {"level": proposed_level},
        fields=("cadre", "computed_level", "proposed_level", "years_served", "reason"),
    )


@transaction.atomic
def initial_gradings_submit(*, user, cadres):
    """Submit the computed level for several cadres at once."""
    return [initial_grading_submit(user=user, cadre=cadre) for cadre in cadres]


def _decide(grading, approver, status, comment):
    grading = InitialGrading.objects.select_for_update().get(pk=grading.pk)
    if grading.status != InitialGrading.Status.SUBMITTED:
        raise ValidationError(_("The initial grading of %(name)s has already been decided.") % {"name": grading.cadre.name})
    grading.status = status
    grading.decided_by = approver
    grading.decided_at = timezone.now()
    grading.decision_comment = (comment or "").strip()
    return grading


@transaction.atomic
def initial_grading_approve(*, grading, approver, comment=""):
    """Approve one initial grading: writes the rank history record, effective next month."""
    require(approver.is_county_approver)
    grading = _decide(grading, approver, InitialGrading.Status.APPROVED, comment)
    reason = grading.reason or _("Initial grading by %(years)s full years of service") % {"years": grading.years_served}
    grading.rank_change = rank_change_record(
        cadre=grading.cadre,
        kind=RankChange.Kind.INITIAL_GRADING,
        to_level=grading.proposed_level,
        approved_by=approver,
        approved_at=grading.decided_at,
        reason=reason,
        source=_("Initial grading #%(id)s") % {"id": grading.pk},
    )
    grading.full_clean()
    grading.save()
    audit_record(actor=approver, action=AuditRecord.Action.DECIDE, obj=grading, summary=_("Initial grading approved"))
    return grading


@transaction.atomic
def initial_gradings_approve(*, gradings, approver, comment=""):
    """Approve a batch in one transaction: all of them or none."""
    return [initial_grading_approve(grading=grading, approver=approver, comment=comment) for grading in gradings]


@transaction.atomic
def initial_grading_reject(*, grading, approver, comment):
    require(approver.is_county_approver)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Give the reason for the rejection.")})
    grading = _decide(grading, approver, InitialGrading.Status.REJECTED, comment)
    grading.full_clean()
    grading.save()
    audit_record(
        actor=approver,
        action=AuditRecord.Action.DECIDE,
        obj=grading,
        summary=_("Initial grading rejected"),
        changes={"comment": grading.decision_comment},
    )
    return grading
