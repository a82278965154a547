"""Writes of the ladder and rank history (DESIGN §3): ladder steps, the allowance schedule, rank changes.

Rank history is append-only: there is no service that edits or deletes it; a mistaken rank change is
reversed by ``rank_change_reverse`` (a new correction record)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_update, diff, snapshot
from cadre_mgmt.cadres.models import Cadre, Post

from ..models import (
    AllowanceSchedule,
    LadderStep,
    RankChange,
    Roster,
)
from . import rules

LADDER_FIELDS = ("years_required", "requires_excellent_year", "required_commendation_level")


@transaction.atomic
def ladder_step_update(
    *,
    user: Any,
    step: LadderStep,
    years_required: int,
    requires_excellent_year: bool,
    required_commendation_level: str | None,
) -> dict:
    """Change one step of the ladder (county administrator). Returns the changes, empty if none."""
    require(user.is_county_admin)
    step = LadderStep.objects.select_for_update().get(pk=step.pk)
    values = {
        "years_required": years_required,
        "requires_excellent_year": requires_excellent_year,
        "required_commendation_level": required_commendation_level or None,
    }
    return audited_update(step, actor=user, values=values, summary=_("Ladder step changed"))


@transaction.atomic
def ladder_update(*, user: Any, steps: Iterable[tuple[LadderStep, dict[str, Any]]]) -> int:
    """Save the whole ladder page at once: ``steps`` is [(step, {field: value})]. Returns how many
    steps changed; all of them or none."""
    return sum(1 for step, values in steps if ladder_step_update(user=user, step=step, **values))


@transaction.atomic
def allowance_schedule_set(
    *, user: Any, effective_from: datetime.date, amount_per_level: Decimal | int | str, note: str = ""
) -> AllowanceSchedule:
    """Set the yuan per level from month ``effective_from`` onward. Months before it never change;
    a month whose roster is locked cannot be changed (what was paid stays as it was)."""
    require(user.is_county_admin)
    month = rules.first_of_month(effective_from)
    if Roster.objects.filter(month__gte=month, status=Roster.Status.LOCKED).exists():
        raise ValidationError(
            {
                "effective_from": _("The roster of %(month)s or a later month is already locked; choose a later month.")
                % {"month": rules.month_key(month)}
            }
        )
    row = AllowanceSchedule.objects.select_for_update().filter(effective_from=month).first()
    before = snapshot(row, ("amount_per_level", "note")) if row else {}
    if row is None:
        row = AllowanceSchedule(effective_from=month, created_by=user)
    row.amount_per_level = Decimal(amount_per_level)
    row.note = note.strip()
    row.full_clean()
    row.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE,
        obj=row,
        summary=_("Allowance schedule set from %(month)s") % {"month": rules.month_key(month)},
        changes=diff(before, snapshot(row, ("amount_per_level", "note"))),
    )
    return row


def _check_kind(kind: str, from_level: int, to_level: int, has_history: bool) -> None:
    if kind == RankChange.Kind.INITIAL_GRADING:
        if has_history:
            raise ValidationError(_("This cadre already has a level; an initial grading is for cadres without one."))
        return
    if not has_history:
        raise ValidationError(_("This cadre has no level yet; record an initial grading first."))
    if kind == RankChange.Kind.PROMOTION and to_level != from_level - 1:
        raise ValidationError(
            _("A promotion goes up exactly one level (from %(from)s to %(to)s).") % {"from": from_level, "to": from_level - 1}
        )
    if kind == RankChange.Kind.OUT_OF_TURN and not from_level - 2 <= to_level <= from_level - 1:
        raise ValidationError(_("An out-of-turn promotion goes up one or two levels."))
    if kind == RankChange.Kind.DEMOTION and to_level <= from_level:
        raise ValidationError(_("A demotion must go down at least one level."))
    if kind == RankChange.Kind.CORRECTION and to_level == from_level:
        raise ValidationError(_("A correction must change the level."))


@transaction.atomic
def rank_change_record(
    *,
    cadre: Cadre,
    kind: str,
    to_level: int,
    approved_by: Any,
    approved_at: datetime.datetime,
    reason: str,
    source: str = "",
    effective_month: datetime.date | None = None,
    reverses: RankChange | None = None,
) -> RankChange:
    """Append one approved rank change; it takes effect on the first day of the month after ``approved_at``
    (Asia/Shanghai). Only a correction may name an earlier ``effective_month`` (to reverse a mistake from then).
    Callers such as the promotion review call this inside their own transaction."""
    if not approved_by.is_county_approver:
        raise PermissionDenied
    if kind not in RankChange.Kind.values:
        raise ValidationError(_("Unknown kind of rank change."))
    if not isinstance(to_level, int) or not rules.HIGHEST_LEVEL <= to_level <= rules.LOWEST_LEVEL:
        raise ValidationError({"to_level": _("The level must be between 1 and 13.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the rank change.")})
    if timezone.is_naive(approved_at):
        raise ValidationError({"approved_at": _("The approval time must carry a time zone.")})
    approval_day = timezone.localdate(approved_at)
    if effective_month is None:
        effective_month = rules.effective_month_after(approval_day)
    elif kind != RankChange.Kind.CORRECTION:
        raise ValidationError({"effective_month": _("Only a correction may take effect from another month.")})
    else:
        effective_month = rules.first_of_month(effective_month)
        if effective_month > rules.effective_month_after(approval_day):
            raise ValidationError(
                {"effective_month": _("A correction cannot take effect later than the month after its approval.")}
            )
    # One writer per cadre at a time: the level before the change is read under the lock.
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    history = list(RankChange.objects.filter(cadre=cadre).values_list("effective_month", "id", "to_level"))
    from_level, _since = rules.level_on(history, effective_month)
    _check_kind(kind, from_level, to_level, bool(history))
    change = RankChange(
        cadre=cadre,
        kind=kind,
        from_level=None if kind == RankChange.Kind.INITIAL_GRADING else from_level,
        to_level=to_level,
        approved_by=approved_by,
        approved_at=approved_at,
        effective_month=effective_month,
        reason=reason.strip(),
        source=(source or "").strip(),
        reverses=reverses,
    )
    change.full_clean()
    change.save()
    audit_record(
        actor=approved_by,
        action=AuditRecord.Action.DECIDE,
        obj=change,
        summary=_("Rank change recorded: %(kind)s to level %(level)s from %(month)s")
        % {"kind": change.get_kind_display(), "level": to_level, "month": rules.month_key(effective_month)},
        changes={
            "after": snapshot(
                change, ("cadre", "kind", "from_level", "to_level", "effective_month", "reason", "source", "reverses")
            )
        },
    )
    return change


@transaction.atomic
def rank_change_reverse(
    *, change: RankChange, approved_by: Any, reason: str, approved_at: datetime.datetime | None = None
) -> RankChange:
    """Reverse a mistaken approved change (DESIGN §3, county approver): a new correction record naming it,
    back to the level before it, from the month it took effect; the record itself stays. The roster settles
    the months already paid as a back payment or recovery line of the next unlocked roster.

    Refused: a change already reversed (once only: rank_change_reversed_once), a correction (a wrong
    correction is followed by a new rank change, not a reversal of the reversal), and a change followed by
    a later one of the same cadre (reverse the later one first, so the history reads in order)."""
    if not approved_by.is_county_approver:
        raise PermissionDenied(_("Only a county approver may reverse a rank change."))
    Cadre.objects.select_for_update().get(pk=change.cadre_id)  # one writer per cadre, as in rank_change_record
    problem = rules.reversal_problem(
        kind=change.kind,
        already_reversed=RankChange.objects.filter(reverses=change).exists(),
        later_changes=RankChange.objects.filter(cadre_id=change.cadre_id)
        .filter(Q(effective_month__gt=change.effective_month) | Q(effective_month=change.effective_month, pk__gt=change.pk))
        .exists(),
    )
    if problem:
        raise ValidationError(problem)
    return rank_change_record(
        cadre=change.cadre,
        kind=RankChange.Kind.CORRECTION,
        to_level=change.from_level if change.from_level is not None else rules.LOWEST_LEVEL,
        approved_by=approved_by,
        approved_at=approved_at or timezone.now(),
        reason=reason,
        source=_("Reverses record #%(id)s") % {"id": change.pk},
        effective_month=change.effective_month,
        reverses=change,
    )


@transaction.atomic
def post_rank_system_set(*, user: Any, post: Post, in_rank_system: bool, today: datetime.date | None = None) -> dict:
    """Put a post in the rank system or take it out (county administrator, DESIGN §2). The change is in force
    from next month's roster: this month keeps the value in force now. Returns the changes, empty if none."""
    require(user.is_county_admin)
    post = Post.objects.select_for_update().get(pk=post.pk)
    this_month = rules.first_of_month(today or timezone.localdate())
    next_month = rules.add_months(this_month, 1)
    in_force_now = post.in_rank_system_on(this_month)
    if post.in_rank_system_on(next_month) == in_rank_system:
        return {}
    values = {"in_rank_system": in_rank_system, "in_rank_system_from": next_month, "was_in_rank_system": in_force_now}
    summary = _("Post %(post)s in the rank system from %(month)s: %(value)s") % {
        "post": post.name,
        "month": rules.month_key(next_month),
        "value": _("yes") if in_rank_system else _("no"),
    }
    return audited_update(post, actor=user, values=values, summary=summary)


@transaction.atomic
def rank_system_posts_set(*, user: Any, posts: Iterable[Post], today: datetime.date | None = None) -> int:
    """Save the settings page's ticked posts (the posts in the rank system); returns how many posts changed."""
    require(user.is_county_admin)
    inside = {post.pk for post in posts}
    return sum(
        1
        for post in Post.objects.order_by("sort_order")
        if post_rank_system_set(user=user, post=post, in_rank_system=post.pk in inside, today=today)
    )
