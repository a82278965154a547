"""Dashboard: roster totals of recent months and the allowance budget ahead."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Sum,
)

from cadre_mgmt.accounts.scoping import scope_for_user

from ..ladder import rules
from ..ladder.selectors import BudgetFigures, allowance_schedule
from ..models import Roster, RosterLine
from .levels import cadre_level_groups

ROSTER_MONTHS = 24


@dataclass(frozen=True)
class MonthTotal:
    month: datetime.date
    status: str  # Roster.Status value
    total: Decimal


@dataclass(frozen=True)
class AllowanceFigures:
    rosters: list  # MonthTotal of the last 24 months that have a roster, oldest first
    budget: BudgetFigures

    @property
    def latest_locked(self) -> MonthTotal | None:
        locked = [month for month in self.rosters if month.status == Roster.Status.LOCKED]
        return locked[-1] if locked else None

    @property
    def projection_total(self) -> Decimal:
        return sum((total for _month, total in self.budget.projection), Decimal(0))

    @property
    def pending_difference(self) -> Decimal:
        return self.budget.next_month_total_if_approved - self.budget.next_month_total


def roster_month_totals(*, user, today, months=ROSTER_MONTHS) -> list[MonthTotal]:
    """Roster totals of the last ``months`` months (this month included) on the user's scope. One query:
    county-wide users read the roster's stored total (the sum of all its lines, written at generation);
    a township's users sum their township's lines, grouped by roster (roster_line_page_idx)."""
    last = rules.first_of_month(today)
    first = rules.add_months(last, 1 - months)
    if user.sees_all_townships:
        rows = Roster.objects.filter(month__gte=first, month__lte=last).values_list("month", "status", "total_amount")
    else:
        rows = (
            scope_for_user(RosterLine.objects.filter(roster__month__gte=first, roster__month__lte=last), user)
            .order_by()
            .values_list("roster__month", "roster__status")
            .annotate(total=Sum("amount"))
        )
    totals = (MonthTotal(month, status, Decimal(total or 0).quantize(rules.CENT)) for month, status, total in rows)
    return sorted(totals, key=lambda m: m.month)


def budget_from_groups(groups, *, next_month, schedule: rules.Schedule) -> BudgetFigures:
    """Pure: ``ranks.ladder.selectors.budget_figures`` from ``cadre_level_groups``: next month's allowance of
    the cadres in a paid post at their level then (13 without a rank history), the same if every pending
    change is approved, and the next 12 months at next month's levels."""
    count_by_level, count_after, pending = defaultdict(int), defaultdict(int), 0
    for group in groups:
        if not group.paid:
            continue
        level = rules.LOWEST_LEVEL if group.level_next_month is None else group.level_next_month
        count_by_level[level] += group.n
        count_after[level if group.pending_level is None else group.pending_level] += group.n
        pending += 0 if group.pending_level is None else group.n

    def total(counts, month):
        return sum((schedule.allowance(level, month) * n for level, n in counts.items()), Decimal(0))

    return BudgetFigures(
        next_month=next_month,
        next_month_total=total(count_by_level, next_month),
        next_month_total_if_approved=total(count_after, next_month),
        pending_changes=pending,
        projection=[(month, total(count_by_level, month)) for month in (rules.add_months(next_month, i) for i in range(12))],
    )


def allowance_figures(*, user, today, groups=None) -> AllowanceFigures:
    """The roster totals and the budget figures of the ranks issue, with the promotion review's submitted
    changes as pending. ``groups``: ``cadre_level_groups`` on ``today`` when the caller has them."""
    next_month = rules.add_months(rules.first_of_month(today), 1)
    groups = cadre_level_groups(user=user, day=today, next_month=next_month) if groups is None else groups
    return AllowanceFigures(
        rosters=roster_month_totals(user=user, today=today),
        budget=budget_from_groups(groups, next_month=next_month, schedule=allowance_schedule()),
    )
