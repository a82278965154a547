"""The proposal workflow: the township checks and submits, the county approves (writing the rank
history record in the same transaction) or rejects."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import require, township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, diff, snapshot
from cadre_mgmt.cadres.models import Cadre

from ..ladder import rules as ladder_rules
from ..ladder import selectors as ladder_selectors
from ..ladder import services as ladder_services
from ..models import Proposal, RankChange
from .selectors import selection_fingerprint

KIND_OF_OUTCOME = {
    Proposal.Outcome.PROMOTE: RankChange.Kind.PROMOTION,
    Proposal.Outcome.OUT_OF_TURN: RankChange.Kind.OUT_OF_TURN,
    Proposal.Outcome.DEMOTE: RankChange.Kind.DEMOTION,
}


TRAIL_FIELDS = ("status", "township_remarks", "supporting_notes", "decision_comment", "reject_reason")


FK_FIELDS = ("review", "cadre", "township", "submitted_by", "decided_by", "rank_change")


def _check(proposal):
    """Field checks of the values a person typed; the keys and constraints are the database's to check."""
    proposal.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)


def _locked(proposal):
    return Proposal.objects.select_for_update().select_related("cadre").get(pk=proposal.pk)


def _refuse_if_not_open(proposal):
    name = proposal.cadre.name
    if proposal.is_decided:
        raise ValidationError(_("The proposal for %(name)s has already been decided.") % {"name": name})
    if not proposal.needs_decision:
        raise ValidationError(_("The proposal for %(name)s changes no level and needs no decision.") % {"name": name})


@transaction.atomic
def proposal_submit(*, proposal, user, remarks="", notes="") -> Proposal:
    """The township has checked the proposal: it goes to the county with its remarks and supporting notes.
    A submitted proposal may be submitted again (to change the remarks) until the county decides."""
    proposal = _locked(proposal)
    if not (user.is_township_staff or user.is_county_admin) or not township_allowed_for_user(user, proposal.township_id):
        raise PermissionDenied
    _refuse_if_not_open(proposal)
    before = snapshot(proposal, TRAIL_FIELDS)
    proposal.status = Proposal.Status.SUBMITTED
    proposal.township_remarks = (remarks or "").strip()
    proposal.supporting_notes = (notes or "").strip()
    proposal.submitted_by = user
    proposal.submitted_at = timezone.now()
    _check(proposal)
    proposal.save(update_fields=["status", "township_remarks", "supporting_notes", "submitted_by", "submitted_at"])
    audit_record(
        actor=user,
        action=AuditRecord.Action.UPDATE,
        obj=proposal,
        summary=_("Proposal submitted to the county"),
        changes=diff(before, snapshot(proposal, TRAIL_FIELDS)),
    )
    return proposal


@transaction.atomic
def proposals_submit_batch(*, proposals, user, remarks="") -> list[Proposal]:
    """Submit several proposals with the same remarks; all of them or none."""
    return [proposal_submit(proposal=p, user=user, remarks=remarks, notes=p.supporting_notes) for p in proposals]


def _rank_change_reason(proposal, comment):
    text = _("%(year)s promotion review: %(outcome)s, level %(from)s → level %(to)s") % {
        "year": proposal.year,
        "outcome": proposal.get_outcome_display(),
        "from": proposal.from_level,
        "to": proposal.to_level,
    }
    if comment:
        text += _("; ") + comment
    return text[:300]


@transaction.atomic
def proposal_approve(*, proposal, approver, comment="") -> Proposal:
    """Approve a submitted proposal: the rank history record is written in the same transaction, effective
    the first day of the next month. The proposal is locked first: a second approval at the same moment
    waits, then finds it decided and writes nothing."""
    require(approver is not None and approver.is_county_approver)
    proposal = _locked(proposal)
    _refuse_if_not_open(proposal)
    cadre = proposal.cadre
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ValidationError(_("The township has not submitted the proposal for %(name)s yet.") % {"name": cadre.name})
    if cadre.status != Cadre.Status.IN_POST:
        raise ValidationError(_("%(name)s has left post; the proposal cannot be approved.") % {"name": cadre.name})
    now = timezone.now()
    level_day = ladder_rules.effective_month_after(timezone.localdate(now))
    current = ladder_selectors.rank_states_on(cadre_ids=[cadre.pk], day=level_day)[cadre.pk].level
    if current != proposal.from_level:
        raise ValidationError(
            _(
                "%(name)s is at level %(current)s now, not at level %(from)s as when the review ran; "
                "run the review again before deciding."
            )
            % {"name": cadre.name, "current": current, "from": proposal.from_level}
        )
    comment = (comment or "").strip()
    before = snapshot(proposal, TRAIL_FIELDS)
    proposal.rank_change = ladder_services.rank_change_record(
        cadre=cadre,
        kind=KIND_OF_OUTCOME[proposal.outcome],
        to_level=proposal.to_level,
        approved_by=approver,
        approved_at=now,
        reason=_rank_change_reason(proposal, comment),
        source=_("Promotion review %(year)s #%(id)s") % {"year": proposal.year, "id": proposal.pk},
    )
    proposal.status = Proposal.Status.APPROVED
    proposal.decided_by = approver
    proposal.decided_at = now
    proposal.decision_comment = comment
    _check(proposal)
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "rank_change"])
    audit_record(
        actor=approver,
        action=AuditRecord.Action.DECIDE,
        obj=proposal,
        summary=_("Proposal approved: level %(from)s → level %(to)s from %(month)s")
        % {"from": proposal.from_level, "to": proposal.to_level, "month": f"{proposal.rank_change.effective_month:%Y-%m}"},
        changes=diff(before, snapshot(proposal, TRAIL_FIELDS)),
    )
    return proposal


@transaction.atomic
def proposals_approve_batch(*, proposals, approver, comment="") -> list[Proposal]:
    """Approve a selection in one transaction: all of them or none (the message names the one refused)."""
    return [proposal_approve(proposal=p, approver=approver, comment=comment) for p in proposals]


@transaction.atomic
def proposal_reject(*, proposal, approver, reason) -> Proposal:
    """Reject a submitted proposal with the reason the township will read. No rank change is written."""
    require(approver is not None and approver.is_county_approver)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    proposal = _locked(proposal)
    _refuse_if_not_open(proposal)
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ValidationError(_("The township has not submitted the proposal for %(name)s yet.") % {"name": proposal.cadre.name})
    before = snapshot(proposal, TRAIL_FIELDS)
    proposal.status = Proposal.Status.REJECTED
    proposal.reject_reason = reason
    proposal.decided_by = approver
    proposal.decided_at = timezone.now()
    _check(proposal)
    proposal.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    audit_record(
        actor=approver,
        action=AuditRecord.Action.DECIDE,
        obj=proposal,
        summary=_("Proposal rejected"),
        changes=diff(before, snapshot(proposal, TRAIL_FIELDS)),
    )
    return proposal


@transaction.atomic
def proposals_reject_batch(*, proposals, approver, reason) -> list[Proposal]:
    return [proposal_reject(proposal=p, approver=approver, reason=reason) for p in proposals]


@transaction.atomic
def proposals_decide_confirmed(*, proposals, approver, action, reason="", fingerprint) -> list[Proposal]:
    """The confirming step of a batch decision: act only if the selection is still what the summary showed
    (``fingerprint``, ``selectors.selection_fingerprint``); otherwise refuse and change nothing. The rows
    are locked first, so a decision at the same moment cannot slip between the check and the writes."""
    require(approver is not None and approver.is_county_approver)
    locked = list(Proposal.objects.select_for_update(of=("self",)).filter(pk__in=[p.pk for p in proposals]).order_by("pk"))
    if len(locked) != len(proposals) or selection_fingerprint(locked) != fingerprint:
        raise ValidationError(
            _(
                "The selection has changed since the summary was shown (a proposal was decided or evaluated again "
                "meanwhile); nothing was done. Check the list and decide again."
            )
        )
    if action == "approve":
        return proposals_approve_batch(proposals=proposals, approver=approver, comment=reason)
    return proposals_reject_batch(proposals=proposals, approver=approver, reason=reason)
