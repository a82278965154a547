"""The proposal workflow: the township checks and submits, the county approves (writing the rank
history record in the same transaction) or rejects; a rejected proposal returns to the township, which
adds material and resubmits it (the next round) or closes it. Every step is a ``ProposalStep`` row
(append-only, the proposal page's 办理记录) and an audit record."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.attachments import check_attachment, store_attachment
from cadre_mgmt.accounts.scoping import require, township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_update
from cadre_mgmt.cadres.models import Cadre

from ..appeals.notices import proposal_notice
from ..ladder import rules as ladder_rules
from ..ladder import selectors as ladder_selectors
from ..ladder import services as ladder_services
from ..models import Proposal, ProposalAttachment, RankChange
from ..models.review import ProposalStep
from .selectors import selection_fingerprint

KIND_OF_OUTCOME = {
    Proposal.Outcome.PROMOTE: RankChange.Kind.PROMOTION,
    Proposal.Outcome.OUT_OF_TURN: RankChange.Kind.OUT_OF_TURN,
    Proposal.Outcome.DEMOTE: RankChange.Kind.DEMOTION,
}


MAX_ATTACHMENTS = 5  # documents a township attaches to one resubmission

TRAIL_FIELDS = ("status", "township_remarks", "supporting_notes", "decision_comment", "reject_reason")


FK_FIELDS = ("review", "cadre", "township", "submitted_by", "decided_by", "rank_change")


def _check(proposal) -> None:
    """Field checks of the values a person typed; the keys and constraints are the database's to check."""
    proposal.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("cadre").get(pk=proposal.pk)


def _refuse_if_not_open(proposal: Proposal) -> None:
    name = proposal.cadre.name
    if proposal.is_decided:
        raise ValidationError(_("The proposal for %(name)s has already been decided.") % {"name": name})
    if not proposal.needs_decision:
        raise ValidationError(_("The proposal for %(name)s changes no level and needs no decision.") % {"name": name})


def _step(proposal, *, by, action, from_status, note="", material="") -> ProposalStep:
    """Append one step; a resubmission opens the next round."""
    last = proposal.steps.order_by("-round").values_list("round", flat=True).first() or 1
    round_ = last + 1 if action == ProposalStep.Action.RESUBMIT else last
    step = ProposalStep(
        proposal=proposal,
        by=by,
        round=round_,
        action=action,
        from_status=from_status,
        to_status=proposal.status,
        note=note[:300],
        material=material,
    )
    step.save()
    return step


def _audited(proposal, *, actor, values, summary, action=AuditRecord.Action.UPDATE) -> dict:
    """Save ``values`` and record the difference of the trail fields (always: each step is an event)."""
    return audited_update(
        proposal,
        actor=actor,
        values=values,
        summary=summary,
        fields=TRAIL_FIELDS,
        action=action,
        clean=lambda: _check(proposal),
        always=True,
    )


def _refuse_unless_township_staff(user, proposal) -> None:
    if not (user.is_township_staff or user.is_county_admin) or not township_allowed_for_user(user, proposal.township_id):
        raise PermissionDenied


@transaction.atomic
def proposal_submit(*, proposal, user, remarks="", notes="") -> Proposal:
    """The township has checked the proposal: it goes to the county with its remarks and supporting notes.
    A submitted proposal may be submitted again (to change the remarks) until the county decides."""
    proposal = _locked(proposal)
    _refuse_unless_township_staff(user, proposal)
    _refuse_if_not_open(proposal)
    was = proposal.status
    values = {
        "status": Proposal.Status.SUBMITTED,
        "township_remarks": (remarks or "").strip(),
        "supporting_notes": (notes or "").strip(),
        "submitted_by": user,
        "submitted_at": timezone.now(),
    }
    _audited(proposal, actor=user, values=values, summary=_("Proposal submitted to the county"))
    action = ProposalStep.Action.REMARKS if was == Proposal.Status.SUBMITTED else ProposalStep.Action.SUBMIT
    _step(proposal, by=user, action=action, from_status=was, note=proposal.township_remarks)
    proposal_notice(proposal)
    return proposal


@transaction.atomic
def proposals_submit_batch(*, proposals, user, remarks="") -> list[Proposal]:
    """Submit several proposals with the same remarks; all of them or none."""
    return [proposal_submit(proposal=p, user=user, remarks=remarks, notes=p.supporting_notes) for p in proposals]


def _rank_change_reason(proposal, comment) -> str:
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
    rank_change = ladder_services.rank_change_record(
        cadre=cadre,
        kind=KIND_OF_OUTCOME[proposal.outcome],
        to_level=proposal.to_level,
        approved_by=approver,
        approved_at=now,
        reason=_rank_change_reason(proposal, comment),
        source=_("Promotion review %(year)s #%(id)s") % {"year": proposal.year, "id": proposal.pk},
    )
    summary = _("Proposal approved: level %(from)s → level %(to)s from %(month)s") % {
        "from": proposal.from_level,
        "to": proposal.to_level,
        "month": f"{rank_change.effective_month:%Y-%m}",
    }
    values = {
        "status": Proposal.Status.APPROVED,
        "decided_by": approver,
        "decided_at": now,
        "decision_comment": comment,
        "rank_change": rank_change,
    }
    _audited(proposal, actor=approver, values=values, summary=summary, action=AuditRecord.Action.DECIDE)
    _step(proposal, by=approver, action=ProposalStep.Action.APPROVE, from_status=Proposal.Status.SUBMITTED, note=comment)
    proposal_notice(proposal)  # DESIGN §12: the cadre is told in the app
    return proposal


@transaction.atomic
def proposals_approve_batch(*, proposals, approver, comment="") -> list[Proposal]:
    """Approve a selection in one transaction: all of them or none (the message names the one refused)."""
    return [proposal_approve(proposal=p, approver=approver, comment=comment) for p in proposals]


@transaction.atomic
def proposal_reject(*, proposal, approver, reason) -> Proposal:
    """Reject a submitted proposal with the reason the township will read: it returns to the township's
    to-do list (resubmit with more material, or close). No rank change is written."""
    require(approver is not None and approver.is_county_approver)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    proposal = _locked(proposal)
    _refuse_if_not_open(proposal)
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ValidationError(_("The township has not submitted the proposal for %(name)s yet.") % {"name": proposal.cadre.name})
    values = {
        "status": Proposal.Status.REJECTED,
        "reject_reason": reason,
        "decided_by": approver,
        "decided_at": timezone.now(),
    }
    _audited(proposal, actor=approver, values=values, summary=_("Proposal rejected"), action=AuditRecord.Action.DECIDE)
    _step(proposal, by=approver, action=ProposalStep.Action.REJECT, from_status=Proposal.Status.SUBMITTED, note=reason)
    proposal_notice(proposal)
    return proposal


@transaction.atomic
def proposals_reject_batch(*, proposals, approver, reason) -> list[Proposal]:
    return [proposal_reject(proposal=p, approver=approver, reason=reason) for p in proposals]


def _returned(proposal, user) -> Proposal:
    """The locked proposal if it is back with this user's township; only its township staff act on it."""
    proposal = _locked(proposal)
    if not (user.is_township_staff and township_allowed_for_user(user, proposal.township_id)):
        raise PermissionDenied
    if not proposal.is_returned:
        raise ValidationError(
            _("The proposal for %(name)s has not been returned to the township; it cannot be resubmitted or closed.")
            % {"name": proposal.cadre.name}
        )
    return proposal


@transaction.atomic
def proposal_resubmit(*, proposal, user, remarks="", material="", attachments=()) -> Proposal:
    """Send a returned proposal to the county again, with the township's answer to the rejection and the
    material it adds (appended to the supporting notes, and documents attached to this round's step): the
    next round. The earlier rounds stay in the steps; the county decides again. A refused attachment
    (type, content, size) refuses the whole resubmission: nothing is stored."""
    proposal = _returned(proposal, user)
    remarks, material = (remarks or "").strip(), (material or "").strip()
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}})
    for upload in attachments:
        check_attachment(upload)
    if not remarks and not material and not attachments:
        raise ValidationError({"remarks": _("Say what was added or changed since the rejection.")})
    notes = "\n".join(part for part in (proposal.supporting_notes, material) if part)
    if len(notes) > 2000:
        raise ValidationError({"material": _("The supporting notes would exceed 2000 characters; shorten the material.")})
    values = {
        "status": Proposal.Status.SUBMITTED,
        "township_remarks": remarks or proposal.township_remarks,
        "supporting_notes": notes,
        "submitted_by": user,
        "submitted_at": timezone.now(),
        "reject_reason": "",
        "decision_comment": "",
        "decided_by": None,
        "decided_at": None,
    }
    _audited(proposal, actor=user, values=values, summary=_("Proposal resubmitted to the county"))
    step = _step(
        proposal,
        by=user,
        action=ProposalStep.Action.RESUBMIT,
        from_status=Proposal.Status.REJECTED,
        note=remarks,
        material=material,
    )
    _attach(step, attachments, user=user)
    return proposal


def _attach(step, uploads, *, user) -> None:
    """Store the round's documents (checked already) and record each in the audit log."""
    storage = ProposalAttachment._meta.get_field("file").storage
    for upload in uploads:
        stored, name = store_attachment(upload, storage=storage, folder=f"proposals/{step.proposal_id}")
        attachment = ProposalAttachment(step=step, file=stored, name=name, uploaded_by=user)
        attachment.save()
        audit_record(
            actor=user,
            action=AuditRecord.Action.CREATE,
            obj=attachment,
            summary=_("Attachment added to the proposal: %(name)s") % {"name": name},
            changes={"after": {"proposal": str(step.proposal_id), "round": str(step.round), "name": name}},
        )


@transaction.atomic
def proposal_close(*, proposal, user, reason) -> Proposal:
    """The township accepts the rejection and closes the proposal (final; a re-run keeps it closed)."""
    proposal = _returned(proposal, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"remarks": _("Give the reason for closing the proposal.")})
    _audited(proposal, actor=user, values={"status": Proposal.Status.CLOSED}, summary=_("Proposal closed by the township"))
    _step(proposal, by=user, action=ProposalStep.Action.CLOSE, from_status=Proposal.Status.REJECTED, note=reason)
    return proposal


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


@transaction.atomic
def proposal_reopen_on_appeal(*, proposal, approver, note) -> Proposal:
    """An upheld appeal against a rejected proposal (DESIGN §12) sends it to the county again in one step:
    the next round, awaiting the county's decision, the appeal's reasons as the step's note."""
    proposal = _locked(proposal)
    if not approver.is_county_approver:
        raise PermissionDenied
    if not proposal.is_returned:
        raise ValidationError(
            _("The proposal for %(name)s is not a rejected one; it cannot be reopened.") % {"name": proposal.cadre.name}
        )
    values = {"status": Proposal.Status.SUBMITTED, "reject_reason": "", "decided_by": None, "decided_at": None}
    _audited(proposal, actor=approver, values=values, summary=_("Proposal reopened after an upheld appeal"))
    _step(proposal, by=approver, action=ProposalStep.Action.RESUBMIT, from_status=Proposal.Status.REJECTED, note=note)
    return proposal
