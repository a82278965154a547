"""Pure rules of the ladder, the allowance and the roster: plain values in, plain values out (no ORM).

Dates are calendar dates in Asia/Shanghai; months are represented by their first day.
"""

import datetime
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

LOWEST_LEVEL = 13
HIGHEST_LEVEL = 1
CENT = Decimal("0.01")


def month_key(month: datetime.date) -> str:
    """A month as YYYY-MM (the rosters' and the audit summaries' spelling)."""
    return f"{month:%Y-%m}"


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_of_month(month: datetime.date) -> datetime.date:
    return add_months(first_of_month(month), 1) - datetime.timedelta(days=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from ``first`` to ``last`` inclusive."""
    months = []
    month = first_of_month(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def effective_month_after(approval_day: datetime.date) -> datetime.date:
    """A change takes effect on the first day of the month after its approval (批复后的次月)."""
    return add_months(first_of_month(approval_day), 1)


def parse_month(text: str) -> datetime.date:
    """'2026-03' → date(2026, 3, 1); ValueError on anything else."""
    try:
        parsed = datetime.datetime.strptime(text.strip(), "%Y-%m")  # noqa: DTZ007 - a calendar month, no time of day
    except (AttributeError, ValueError) as exc:
        raise ValueError(f"not a month in the form YYYY-MM: {text!r}") from exc
    if parsed.year < 2000 or parsed.year > 2100:
        raise ValueError(f"month out of range: {text!r}")
    return parsed.date()


def check_level(level: int) -> int:
    if not isinstance(level, int) or not HIGHEST_LEVEL <= level <= LOWEST_LEVEL:
        raise ValueError(f"level must be between {HIGHEST_LEVEL} and {LOWEST_LEVEL}, got {level!r}")
    return level


def allowance_amount(level: int, amount_per_level: Decimal) -> Decimal:
    """Allowance = (13 − level) × yuan per level gained."""
    return ((LOWEST_LEVEL - check_level(level)) * amount_per_level).quantize(CENT)


@dataclass(frozen=True)
class Schedule:
    """The effective-dated schedule: (month from, yuan per level), sorted by month."""

    rows: tuple[tuple[datetime.date, Decimal], ...]

    def amount_per_level(self, month: datetime.date) -> Decimal:
        months = [row[0] for row in self.rows]
        index = bisect_right(months, first_of_month(month)) - 1
        return self.rows[index][1] if index >= 0 else Decimal(0)

    def allowance(self, level: int, month: datetime.date) -> Decimal:
        return allowance_amount(level, self.amount_per_level(month))


def level_on(history, day: datetime.date):
    """(level, since) from history rows (effective_month, order, to_level): the last one in force wins."""
    in_force = [row for row in history if row[0] <= day]
    if not in_force:
        return LOWEST_LEVEL, None
    month, _order, level = max(in_force, key=lambda row: (row[0], row[1]))
    return level, month


def full_years(start: datetime.date, day: datetime.date) -> int:
    if day < start:
        return 0
    years = day.year - start.year
    if (day.month, day.day) < (start.month, start.day):
        years -= 1
    return years


def initial_level(
    *,
    years_served: int,
    years_per_level: int,
    highest_level: int,
    basically_competent_recently: bool,
    lower_for_basically_competent: bool = True,
) -> int:
    """One level up from 13 per ``years_per_level`` full years, at most to ``highest_level``,
    one lower for a basically competent grade in the last three years."""
    level = max(LOWEST_LEVEL - years_served // max(years_per_level, 1), highest_level)
    if basically_competent_recently and lower_for_basically_competent:
        level += 1
    return min(max(level, HIGHEST_LEVEL), LOWEST_LEVEL)


def adjustment_by_month(*, due: dict, paid: dict) -> dict:
    """{month: due − paid} for every month where they differ (positive = back pay, negative = recovery)."""
    deltas = {}
    for month in sorted(set(due) | set(paid)):
        delta = (due.get(month, Decimal(0)) - paid.get(month, Decimal(0))).quantize(CENT)
        if delta:
            deltas[month] = delta
    return deltas


def reversal_problem(*, kind: str, already_reversed: bool, later_changes: bool) -> str:
    """Why an approved rank change cannot be reversed by a correction (DESIGN §3), or "" when it can."""
    if already_reversed:
        return _("This rank change has already been reversed; a change is reversed only once.")
    if kind == "correction":
        return _("A correction cannot itself be reversed; record a new rank change instead.")
    if later_changes:
        return _("A later rank change of this cadre exists; reverse the later one first.")
    return ""
