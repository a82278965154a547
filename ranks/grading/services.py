"""Writes of the initial grading (DESIGN §3, 初始定级): the county's rule, the township's submission, the county's decision."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import require, township_allowed_for_user
from cadre_mgmt.audit import chain as audit_chain
from cadre_mgmt.audit.middleware import current_ip
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update, snapshot
from cadre_mgmt.cadres.models import Cadre

from ..ladder import rules
from ..models import (
    InitialGrading,
    InitialGradingRule,
    RankChange,
)
from . import selectors

GRADING_RULE_FIELDS = ("years_per_level", "highest_level", "lower_for_basically_competent")


@transaction.atomic
def grading_rule_update(*, user: User, years_per_level: int, highest_level: int, lower_for_basically_competent: bool) -> dict:
    require(user.is_county_admin)
    rule, _created = InitialGradingRule.objects.select_for_update().get_or_create(pk=1)
    values = {
        "years_per_level": years_per_level,
        "highest_level": highest_level,
        "lower_for_basically_competent": lower_for_basically_competent,
    }
    return audited_update(rule, actor=user, values=values, summary=_("Initial grading rule changed"))


def _check_gradable(user: User, cadre: Cadre) -> None:
    if not township_allowed_for_user(user, cadre.township_id):
        raise PermissionDenied
    if cadre.status != Cadre.Status.IN_POST:
        raise ValidationError(_("%(name)s is not in post.") % {"name": cadre.name})
    if RankChange.objects.filter(cadre=cadre).exists():
        raise ValidationError(_("%(name)s already has a level.") % {"name": cadre.name})
    if InitialGrading.objects.filter(cadre=cadre, status__in=["submitted", "approved"]).exists():
        raise ValidationError(_("The initial grading of %(name)s has already been submitted.") % {"name": cadre.name})
    outside = selectors.rank_system_refusal(cadre)
    if outside:
        raise ValidationError(
            _("%(name)s holds no post in the rank system and is not graded: %(reason)s") % {"name": cadre.name, "reason": outside}
        )


@transaction.atomic
def initial_grading_submit(*, user: User, cadre: Cadre, proposed_level: int | None = None, reason: str = "") -> InitialGrading:
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
def initial_gradings_submit(*, user: User, cadres: Iterable[Cadre]) -> list[InitialGrading]:
    """Submit the computed level for several cadres at once."""
    return [initial_grading_submit(user=user, cadre=cadre) for cadre in cadres]


def _decide(grading: InitialGrading, approver: User, status: str, comment: str) -> InitialGrading:
    grading = InitialGrading.objects.select_for_update().get(pk=grading.pk)
    if grading.status != InitialGrading.Status.SUBMITTED:
        raise ValidationError(_("The initial grading of %(name)s has already been decided.") % {"name": grading.cadre.name})
    grading.status = status
    grading.decided_by = approver
    grading.decided_at = timezone.now()
    grading.decision_comment = (comment or "").strip()
    return grading


RANK_CHANGE_FIELDS = ("cadre", "kind", "from_level", "to_level", "effective_month", "reason", "source")


def _rank_change(grading: InitialGrading, approver: User, approved_at: datetime.datetime) -> RankChange:
    """The initial grading record of an approved grading, as ``rank_change_record`` writes it."""
    return RankChange(
        cadre_id=grading.cadre_id,
        kind=RankChange.Kind.INITIAL_GRADING,
        from_level=None,
        to_level=rules.check_level(grading.proposed_level),
        approved_by=approver,
        approved_at=approved_at,
        effective_month=rules.effective_month_after(timezone.localdate(approved_at)),
        reason=grading.reason or _("Initial grading by %(years)s full years of service") % {"years": grading.years_served},
        source=_("Initial grading #%(id)s") % {"id": grading.pk},
    )


def _approve_locked(gradings: list[InitialGrading], approver: User, comment: str) -> list[InitialGrading]:
    """Approve submitted gradings in the caller's transaction, set-based: the cadres locked in one query
    (one writer per cadre, as ``rank_change_record``), their rank history checked in one, the rank
    changes inserted in one, the gradings updated in one and the audit records inserted in one: the
    records the one-by-one path wrote before (the rank change's, then the grading's decision)."""
    require(approver.is_county_approver)
    cadre_ids = [grading.cadre_id for grading in gradings]
    names = dict(Cadre.objects.select_for_update().filter(pk__in=cadre_ids).values_list("pk", "name"))
    graded = set(RankChange.objects.filter(cadre_id__in=cadre_ids).values_list("cadre_id", flat=True))
    if graded:
        first = sorted(names[pk] for pk in graded)[0]
        raise ValidationError(_("%(name)s already has a level.") % {"name": first})
    now = timezone.now()
    changes = RankChange.objects.bulk_create([_rank_change(grading, approver, now) for grading in gradings])
    for grading, change in zip(gradings, changes, strict=True):
        grading.status, grading.decided_by, grading.decided_at = InitialGrading.Status.APPROVED, approver, now
        grading.decision_comment, grading.rank_change = (comment or "").strip(), change
    # Each cadre's one rank change is the initial grading just inserted (none before it, under the lock).
    written = RankChange.objects.filter(cadre_id=OuterRef("cadre_id"), kind=RankChange.Kind.INITIAL_GRADING).values("pk")[:1]
    InitialGrading.objects.filter(pk__in=[grading.pk for grading in gradings]).update(
        status=InitialGrading.Status.APPROVED,
        decided_by=approver,
        decided_at=now,
        decision_comment=(comment or "").strip(),
        rank_change=Subquery(written),
    )
    for grading, change in zip(gradings, changes, strict=True):
        change.cadre = grading.cadre
    audit_chain.append(_decision_records(gradings, changes, approver))
    return gradings


def _decision_records(gradings: list[InitialGrading], changes: list[RankChange], approver: User) -> list[AuditRecord]:
    """The audit records ``audit_record`` writes for each approval (the rank change's, then the grading's
    decision), built for one bulk insert: a county's 5,000 approvals are 10,000 records."""
    base = {"actor": approver, "actor_name": approver.get_username()[:150], "ip_address": current_ip()}
    records = []
    for grading, change in zip(gradings, changes, strict=True):
        summary = _("Rank change recorded: %(kind)s to level %(level)s from %(month)s") % {
            "kind": change.get_kind_display(),
            "level": change.to_level,
            "month": rules.month_key(change.effective_month),
        }
        for obj, text, record in (
            (change, summary, {"after": snapshot(change, RANK_CHANGE_FIELDS)}),
            (grading, _("Initial grading approved"), {}),
        ):
            label, repr_ = obj._meta.label, str(obj)[:200]
            records.append(
                AuditRecord(
                    **base,
                    action=AuditRecord.Action.DECIDE,
                    object_type=label,
                    object_id=str(obj.pk),
                    object_repr=repr_,
                    summary=text[:300],
                    changes=record,
                )
            )
    return records


def _lock_submitted(queryset: QuerySet[InitialGrading]) -> list[InitialGrading]:
    return list(queryset.select_for_update(of=("self",)).select_related("cadre").order_by("pk"))


@transaction.atomic
def initial_gradings_approve(*, gradings: Iterable[InitialGrading], approver: User, comment: str = "") -> list[InitialGrading]:
    """Approve a batch in one transaction: all of them or none; each writes its rank history record,
    effective next month."""
    require(approver.is_county_approver)
    locked = _lock_submitted(InitialGrading.objects.filter(pk__in=[grading.pk for grading in gradings]))
    for grading in locked:
        if grading.status != InitialGrading.Status.SUBMITTED:
            raise ValidationError(_("The initial grading of %(name)s has already been decided.") % {"name": grading.cadre.name})
    return _approve_locked(locked, approver, comment)


def initial_grading_approve(*, grading: InitialGrading, approver: User, comment: str = "") -> InitialGrading:
    """Approve one initial grading: writes the rank history record, effective next month."""
    return initial_gradings_approve(gradings=[grading], approver=approver, comment=comment)[0]


APPROVE_ALL_BATCH = 500


def initial_gradings_approve_matching(*, approver: User, matching: selectors.GradingFilter, expected: int, last_id: int) -> int:
    """ "Approve all that match this filter", confirmed for ``expected`` gradings up to id ``last_id``:
    approves them in batches of ``APPROVE_ALL_BATCH``, each batch in its own transaction (a batch locks
    its 500 cadres for well under a second; a refusal in one batch keeps the batches before it, and the
    action can be repeated for the rest). Returns how many were approved. Refused when the list changed
    since the confirmation."""
    require(approver.is_county_approver)
    pending = selectors.matching_gradings(user=approver, matching=matching).filter(pk__lte=last_id)
    if pending.count() != expected:
        raise ValidationError(_("The list changed since you confirmed it; review the new count and confirm again."))
    approved = 0
    while approved < expected:
        with transaction.atomic():
            ids = list(pending.order_by("pk").values_list("pk", flat=True)[:APPROVE_ALL_BATCH])
            batch = _lock_submitted(InitialGrading.objects.filter(pk__in=ids, status=InitialGrading.Status.SUBMITTED))
            if not batch:
                break
            approved += len(_approve_locked(batch, approver, ""))
    return approved


@transaction.atomic
def initial_grading_reject(*, grading: InitialGrading, approver: User, comment: str) -> InitialGrading:
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
