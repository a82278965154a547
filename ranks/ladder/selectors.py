"""Reads of the ladder and rank history: the level on a date, the allowance schedule, the budget."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.cadres.models import Cadre, Post
from cadre_mgmt.cadres.selectors import cadres_in_rank_system
from cadre_mgmt.lookups import ids_in

from ..models import AllowanceSchedule, InitialGrading, LadderStep, RankChange, RosterLine
from . import rules

ID_CHUNK = 5000


@dataclass(frozen=True)
class RankState:
    level: int
    since: datetime.date | None
    graded: bool


UNGRADED = RankState(level=rules.LOWEST_LEVEL, since=None, graded=False)


def latest_changes(queryset: QuerySet[RankChange]) -> Any:
    """One row per cadre: the change in force (latest effective month, then latest recorded), in one query."""
    # No default ordering: the cadre's (township, village, name) order would join three tables for nothing.
    return (
        queryset.order_by()
        .annotate(row=Window(RowNumber(), partition_by=[F("cadre_id")], order_by=[F("effective_month").desc(), F("id").desc()]))
        .filter(row=1)
        .values_list("cadre_id", "to_level", "effective_month", "kind", "reason")
    )


def _chunks(ids: Iterable[int], size: int = ID_CHUNK) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rank_states_on(*, cadre_ids: Iterable[int], day: datetime.date) -> dict[int, RankState]:
    """The level of each cadre on ``day``; ungraded cadres are at 13. One query per 5,000 cadres."""
    states = {cadre_id: UNGRADED for cadre_id in cadre_ids}
    for chunk in _chunks(states):
        rows = latest_changes(RankChange.objects.filter(ids_in("cadre_id", chunk), effective_month__lte=day))
        for cadre_id, level, since, _kind, _reason in rows:
            states[cadre_id] = RankState(level=level, since=since, graded=True)
    return states


def cadre_level_on(*, cadre: Cadre, day: datetime.date) -> int:
    return rank_states_on(cadre_ids=[cadre.pk], day=day)[cadre.pk].level


def allowance_schedule() -> rules.Schedule:
    return rules.Schedule(
        rows=tuple(AllowanceSchedule.objects.order_by("effective_from").values_list("effective_from", "amount_per_level"))
    )


def allowance_for(level: int, month: datetime.date) -> Decimal:
    """Monthly rank allowance of ``level`` in ``month`` under the schedule row in force that month."""
    row = (
        AllowanceSchedule.objects.filter(effective_from__lte=rules.first_of_month(month))
        .order_by("-effective_from")
        .values_list("amount_per_level", flat=True)
        .first()
    )
    return rules.allowance_amount(level, row if row is not None else Decimal(0))


def ladder_steps_queryset() -> QuerySet[LadderStep]:
    return LadderStep.objects.order_by("-from_level")


def ladder_steps() -> Any:
    return list(ladder_steps_queryset())


def can_change_settings(user: Any) -> bool:
    """The ladder, the allowance schedule and the grading rule: the county administrator."""
    return user.is_authenticated and user.is_county_admin


def can_correct_rank_changes(user: Any) -> bool:
    """The correction of an approved rank change (DESIGN §3): the county's approvers, as for the approval itself."""
    return user.is_authenticated and user.is_county_approver


def cadre_rank_history(*, cadre: Cadre) -> list[RankChange]:
    return list(RankChange.objects.filter(cadre=cadre).select_related("approved_by").order_by("-effective_month", "-id"))


def rank_state_from_history(history: list[RankChange], *, day: datetime.date) -> RankState:
    """The level on ``day`` from a cadre's whole history, newest first (as ``cadre_rank_history`` gives
    it): the same answer as ``rank_states_on`` without another query."""
    for change in history:
        if change.effective_month <= day:
            return RankState(level=change.to_level, since=change.effective_month, graded=True)
    return UNGRADED


def cadre_allowance_history(*, cadre: Cadre, limit: int = 24) -> list[Any]:
    return list(
        RosterLine.objects.filter(cadre=cadre)
        .select_related("roster")
        .order_by("-roster__month", "position")
        .values("roster__month", "roster__status", "kind", "level", "amount", "remarks")[:limit]
    )


@dataclass(frozen=True)
class BudgetFigures:
    next_month: datetime.date
    next_month_total: Decimal
    next_month_total_if_approved: Decimal
    pending_changes: int
    projection: list  # [(month, total)] for the next 12 months at current levels


def budget_figures(
    *, user: Any, today: datetime.date | None = None, extra_pending: Iterable[tuple[int, int]] = ()
) -> BudgetFigures:
    """Next month's allowance total (as is, and if every pending change is approved) and 12 months ahead.

    ``extra_pending``: more (cadre_id, to_level) pairs awaiting approval, e.g. from the promotion review.
    """
    today = today or timezone.localdate()
    next_month = rules.add_months(rules.first_of_month(today), 1)
    # No default ordering: it would join townships and villages into every one of these reads.
    cadres = scope_for_user(
        cadres_in_rank_system(Cadre.objects.filter(status=Cadre.Status.IN_POST), month=next_month),
        user,
        township_field="township",
    ).order_by()
    levels = {cadre_id: rules.LOWEST_LEVEL for cadre_id in cadres.values_list("pk", flat=True)}
    rows = latest_changes(RankChange.objects.filter(effective_month__lte=next_month, cadre_id__in=cadres.values("pk")))
    for cadre_id, level, _since, _kind, _reason in rows:
        levels[cadre_id] = level
    pending = dict(
        InitialGrading.objects.filter(status=InitialGrading.Status.SUBMITTED, cadre_id__in=cadres.values("pk"))
        .order_by()
        .values_list("cadre_id", "proposed_level")
    )
    for cadre_id, to_level in extra_pending:
        if cadre_id in levels:
            pending[cadre_id] = to_level
    schedule = allowance_schedule()
    count_by_level: defaultdict[int, int] = defaultdict(int)
    for level in levels.values():
        count_by_level[level] += 1
    after = dict(levels)
    after.update(pending)
    count_after: defaultdict[int, int] = defaultdict(int)
    for level in after.values():
        count_after[level] += 1

    def total(counts: dict[int, int], month: datetime.date) -> Decimal:
        return sum((schedule.allowance(level, month) * n for level, n in counts.items()), Decimal(0))

    projection = [(month, total(count_by_level, month)) for month in (rules.add_months(next_month, i) for i in range(12))]
    return BudgetFigures(
        next_month=next_month,
        next_month_total=total(count_by_level, next_month),
        next_month_total_if_approved=total(count_after, next_month),
        pending_changes=len(pending),
        projection=projection,
    )


def rank_changes_for_user(*, user: Any) -> QuerySet[RankChange]:
    """Rank history of the cadres the user may read, latest first."""
    return scope_for_user(
        RankChange.objects.select_related("cadre", "approved_by"), user, township_field="cadre__township"
    ).order_by("-effective_month", "-id")


def posts_with_rank_system(*, today: datetime.date | None = None) -> list[tuple[Post, bool, bool]]:
    """The settings page's posts: (post, in the rank system this month, from next month)."""
    this_month = rules.first_of_month(today or timezone.localdate())
    next_month = rules.add_months(this_month, 1)
    return [(post, post.in_rank_system_on(this_month), post.in_rank_system_on(next_month)) for post in Post.objects.all()]


def rank_system_posts_next_month(*, today: datetime.date | None = None) -> list[int]:
    """The ids of the posts in the rank system from next month (the settings form's ticks)."""
    return [post.pk for post, _now, later in posts_with_rank_system(today=today) if later]


@dataclass(frozen=True)
class ReversalPreview:
    """What reversing a change would do (the confirmation page): the level it goes back to, the locked
    months it reaches, and the difference the next unlocked roster settles (negative: a recovery)."""

    problem: str
    back_to_level: int
    locked_months: list
    settlement: Decimal


def reversal_preview(*, change: RankChange) -> ReversalPreview:
    later = RankChange.objects.filter(cadre_id=change.cadre_id, effective_month__gte=change.effective_month).exclude(
        effective_month=change.effective_month, pk__lte=change.pk
    )
    problem = rules.reversal_problem(
        kind=change.kind, already_reversed=RankChange.objects.filter(reverses=change).exists(), later_changes=later.exists()
    )
    back_to = change.from_level if change.from_level is not None else rules.LOWEST_LEVEL
    schedule = allowance_schedule()
    paid = RosterLine.objects.filter(
        cadre_id=change.cadre_id,
        kind=RosterLine.Kind.REGULAR,
        roster__status="locked",
        roster__month__gte=change.effective_month,
    ).values_list("roster__month", "amount")
    months = sorted(paid)
    settlement = sum((schedule.allowance(back_to, month) - amount for month, amount in months), Decimal(0))
    return ReversalPreview(problem, back_to, [month for month, _amount in months], settlement)
