"""Every write of the appeals (DESIGN §12), audited, in transactions: filing, the township's comment, the
county's decision and what follows from it, the daily overdue flag, the cadre's notices."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.attachments import store_attachment
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update

from ..ladder.services import rank_change_reverse
from ..models import Appeal, AppealAttachment, Notice, Proposal, RankChange
from ..review.decisions import proposal_reopen_on_appeal
from . import rules, selectors
from .notices import notice_send

MAX_ATTACHMENTS = 5
FILED_FIELDS = ("cadre", "subject_kind", "subject_id", "subject_label", "subject_decided_on", "comment_due", "decision_due")
DECISION_FIELDS = ("status", "outcome", "decision_reasons", "remedy", "correction", "regrade_required")


@transaction.atomic
def appeal_settings_save(*, user: Any, settings: Any, changed: Iterable[str]) -> None:
    """Save the appeal deadlines the county administrator changed in the admin, with the audit record."""
    if not user.is_county_admin:
        raise PermissionDenied
    settings.full_clean()
    settings.save()
    values = {name: getattr(settings, name) for name in changed}
    audit_record(
        actor=user, action=AuditRecord.Action.UPDATE, obj=settings, summary=_("Appeal deadlines changed"), changes=values
    )


def notices_mark_read(*, user: Any, ids: Iterable[int] | None = None, link: str = "") -> int:
    """Mark the cadre's own notices read: all of them, those of ``ids``, or those pointing to ``link`` (the page
    the cadre has just opened); another cadre's notices are never touched. One UPDATE: atomic by itself."""
    rows = Notice.objects.filter(cadre_id=user.cadre_id, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    if link:
        rows = rows.filter(link=link)
    return rows.update(read_at=timezone.now())


def personal_data_viewed(*, user: Any, page: str, cadre: Any) -> None:
    """DESIGN §12: every page a cadre opens that shows personal data leaves an audit record."""
    audit_record(
        actor=user,
        action=AuditRecord.Action.OTHER,
        object_type="cadres.Cadre",
        object_id=str(cadre.pk),
        summary=_("Cadre opened their own page: %(page)s") % {"page": page},
    )


def _store(appeal: Appeal, upload: UploadedFile) -> AppealAttachment:
    storage = AppealAttachment._meta.get_field("file").storage
    stored, name = store_attachment(upload, storage=storage, folder=f"appeals/{timezone.localdate():%Y/%m}")
    return AppealAttachment.objects.create(appeal=appeal, file=stored, name=name)


@transaction.atomic
def appeal_file(
    *,
    user: Any,
    kind: str,
    subject_id: int,
    reasons: str,
    attachments: Iterable[UploadedFile] = (),
    today: datetime.date | None = None,
) -> Appeal:
    """The cadre appeals one decision about them, within the filing deadline, with reasons and attachments."""
    if not user.is_cadre or user.cadre_id is None:
        raise PermissionDenied
    today = today or timezone.localdate()
    cadre = user.cadre
    decision = selectors.decision_for_cadre(cadre=cadre, kind=kind, pk=subject_id)
    if decision is None:
        raise ValidationError(_("This decision is not one about you; it cannot be appealed here."))
    settings = selectors.appeal_settings()
    problem = rules.filing_problem(today=today, decided_on=decision.decided_on, filing_days=settings.filing_days)
    if problem:
        raise ValidationError(problem)
    if decision.open_appeal:
        raise ValidationError(_("An appeal against this decision is already open."))
    reasons = (reasons or "").strip()
    if len(reasons) < 10:
        raise ValidationError({"reasons": _("Explain in at least 10 characters why the decision is wrong.")})
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(_("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS})
    comment_due, decision_due = rules.due_dates(
        filed_on=today, comment_days=settings.comment_days, decision_days=settings.decision_days
    )
    appeal = Appeal(
        cadre=cadre,
        township_id=cadre.township_id,
        subject_kind=kind,
        subject_id=subject_id,
        subject_label=decision.label[:300],
        subject_decided_on=decision.decided_on,
        reasons=reasons,
        filed_by=user,
        filed_at=timezone.now(),
        comment_due=comment_due,
        decision_due=decision_due,
    )
    audited_create(appeal, actor=user, summary=_("Appeal filed"), fields=FILED_FIELDS)
    for upload in attachments:
        _store(appeal, upload)
    notice_send(
        cadre=cadre, text=_("Your appeal has been received: %(label)s") % {"label": appeal.subject_label}, link=_me_link(appeal)
    )
    return appeal


def _me_link(appeal: Appeal) -> str:
    return reverse("me:appeal_detail", args=[appeal.pk])


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().select_related("cadre").get(pk=appeal.pk)


@transaction.atomic
def appeal_comment(*, appeal: Appeal, user: Any, comment: str) -> Appeal:
    """The township's comment on a filed appeal (its own township's staff only); then the county decides."""
    appeal = _locked(appeal)
    if not (user.is_township_staff and township_allowed_for_user(user, appeal.township_id)):
        raise PermissionDenied
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError(_("The township has already commented on this appeal."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write the township's comment.")})
    values = {
        "status": Appeal.Status.COMMENTED,
        "township_comment": comment,
        "commented_by": user,
        "commented_at": timezone.now(),
    }
    audited_update(
        appeal, actor=user, values=values, summary=_("Township commented on the appeal"), fields=("status", "township_comment")
    )
    notice_send(
        cadre=appeal.cadre, text=_("The township has commented on your appeal; the county decides next."), link=_me_link(appeal)
    )
    return appeal


def remedies(appeal: Appeal) -> list[str]:
    proposal = Proposal.objects.filter(pk=appeal.subject_id).first() if appeal.subject_kind == "proposal" else None
    return rules.remedies_for(
        subject_kind=appeal.subject_kind,
        proposal_status=proposal.status if proposal else "",
        has_rank_change=bool(proposal and proposal.rank_change_id),
    )


def rank_change_of(appeal: Appeal) -> RankChange | None:
    """The approved rank change an upheld appeal would correct, if any."""
    if appeal.subject_kind == "demotion":
        return RankChange.objects.filter(pk=appeal.subject_id).first()
    if appeal.subject_kind == "proposal":
        proposal = Proposal.objects.select_related("rank_change").filter(pk=appeal.subject_id).first()
        return proposal.rank_change if proposal else None
    return None


def _apply_remedy(appeal: Appeal, *, user: Any, remedy: str, reasons: str) -> dict:
    note = (_("Appeal #%(id)s upheld: %(reasons)s") % {"id": appeal.pk, "reasons": reasons})[:300]
    if remedy == "correction":
        change = rank_change_of(appeal)
        if change is None:
            raise ValidationError(_("There is no approved rank change to correct."))
        return {"correction": rank_change_reverse(change=change, approved_by=user, reason=note)}
    if remedy == "proposal":
        proposal_reopen_on_appeal(proposal=Proposal.objects.get(pk=appeal.subject_id), approver=user, note=note)
    if remedy == "regrade":
        return {"regrade_required": True}
    return {}


@transaction.atomic
def appeal_decide(*, appeal: Appeal, user: Any, outcome: str, reasons: str, remedy: str = "") -> Appeal:
    """A county approver decides a commented appeal; an upheld one leads in the same step to its remedy:
    the correction of the rank change (DESIGN §3), the rejected proposal sent to the county again, or a regrade."""
    appeal = _locked(appeal)
    if not user.is_county_approver:
        raise PermissionDenied
    if appeal.status != Appeal.Status.COMMENTED:
        raise ValidationError(_("This appeal is not waiting for the county's decision."))
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    if outcome not in Appeal.Outcome.values:
        raise ValidationError({"outcome": _("Choose upheld, partly upheld or dismissed.")})
    if remedy and (outcome not in rules.UPHELD_OUTCOMES or remedy not in remedies(appeal)):
        raise ValidationError({"remedy": _("This remedy does not fit this appeal and outcome.")})
    values = {
        "status": Appeal.Status.DECIDED,
        "outcome": outcome,
        "decision_reasons": reasons,
        "decided_by": user,
        "decided_at": timezone.now(),
        "remedy": remedy,
        "overdue": False,
        **_apply_remedy(appeal, user=user, remedy=remedy, reasons=reasons),
    }
    audited_update(
        appeal, actor=user, values=values, summary=_("Appeal decided"), fields=DECISION_FIELDS, action=AuditRecord.Action.DECIDE
    )
    text = _("Your appeal has been decided: %(outcome)s.") % {"outcome": appeal.get_outcome_display()}
    notice_send(cadre=appeal.cadre, text=text, link=_me_link(appeal))
    return appeal


@transaction.atomic
def appeals_flag_overdue(*, today: datetime.date) -> list[int]:
    """The daily job: flag exactly the open appeals past the date of their due step (safe to run twice)."""
    flagged = []
    for appeal in Appeal.objects.select_for_update().exclude(status=Appeal.Status.DECIDED).filter(overdue=False):
        if rules.is_overdue(status=appeal.status, today=today, comment_due=appeal.comment_due, decision_due=appeal.decision_due):
            flagged.append(appeal.pk)
    if flagged:
        Appeal.objects.filter(pk__in=flagged).update(overdue=True)
        audit_record(
            actor=None,
            action=AuditRecord.Action.UPDATE,
            object_type=Appeal._meta.label,
            summary=_("%(n)s appeals flagged overdue") % {"n": len(flagged)},
            changes={"ids": flagged},
        )
    return flagged
