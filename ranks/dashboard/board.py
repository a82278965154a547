"""Reads of the dashboard: the figures a county official (or a township officer, for their township)
sees first after signing in. Every figure is an aggregate over scoped rows; no cadre is ranked or
named here (DESIGN §9: no points leaderboard).

Each section is one selector with a bounded number of queries, whatever the number of cadres. Rows
are grouped and counted in the database; Python sees a few hundred grouped rows, never one per cadre:

* ``cadre_level_groups``   1 query   in-post cadres per township, paid post, level today, level next
  month and level awaiting approval: both the level table and the budget are added up from it;
* ``cadres_by_level``      from ``cadre_level_groups``;
* ``allowance_figures``    roster totals (1) + the schedule (1), the budget from ``cadre_level_groups``;
* ``annual_review_counts`` 2 queries reviews per year, township year and grade: the years' figures and
  the grade chart both come from it;
* ``outcomes_by_year``     1 query   (+ ``proposal_counts``, 1, shared with ``work_waiting``);
* ``grade_distribution``   1 query   (the policy);
* ``work_waiting``         1–4 queries, depending on the user's roles.

At 100,000 cadres a county approver's page reads 12 queries (the session and user included). No query
here may cost a correlated subquery per cadre: besides its own time, its estimate alone sets off
PostgreSQL's JIT compiler, which takes longer (0.4–0.9 s) than the query.

The pure functions (``_outcome_rows``, ``quarters_not_closed``, ``_grade_rows``) take plain values and
are tested on their own."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .allowance import AllowanceFigures, allowance_figures
from .levels import LevelTable, cadre_level_groups, cadres_by_level
from .outcomes import (
    TownshipGrades,
    annual_review_counts,
    assessment_years,
    grade_distribution,
    grade_total,
    outcomes_by_year,
    proposal_counts,
    townships_in_post,
)
from .work import work_waiting


def can_read_assessment_figures(user) -> bool:
    """Grades and promotion outcomes: the people who keep or decide them (not finance, not supervisors)."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_approver)


@dataclass
class Dashboard:
    today: datetime.date
    scope_label: str
    levels: LevelTable
    allowance: AllowanceFigures
    work: list
    assessment_figures: bool = False
    outcomes: list = field(default_factory=list)
    grade_year: int | None = None
    grade_years: list = field(default_factory=list)
    grades: list = field(default_factory=list)
    grades_total: TownshipGrades | None = None


def dashboard_for(*, user, today: datetime.date | None = None, grade_year: int | None = None) -> Dashboard:
    """Every section of the dashboard for ``user``; ``grade_year`` picks the year of the grade chart
    (default: the latest year with stored grades)."""
    today = today or timezone.localdate()
    figures = can_read_assessment_figures(user)
    proposals = proposal_counts(user=user) if figures else None
    groups = cadre_level_groups(user=user, day=today)
    board = Dashboard(
        today=today,
        scope_label=_("Whole county") if user.sees_all_townships else str(user.township or ""),
        levels=cadres_by_level(user=user, day=today, groups=groups),
        allowance=allowance_figures(user=user, today=today, groups=groups),
        work=work_waiting(user=user, today=today, proposals=proposals),
    )
    if figures:
        counts = annual_review_counts(user=user)
        years = assessment_years(user=user, counts=counts)
        board.assessment_figures = True
        board.outcomes = outcomes_by_year(user=user, today=today, years=years, proposals=proposals)
        board.grade_years = years.with_reviews
        if grade_year not in years.with_reviews:
            grade_year = (years.with_grades or years.with_reviews or [None])[-1]
        board.grade_year = grade_year
        townships = townships_in_post(user=user, groups=groups)
        board.grades = grade_distribution(user=user, year=grade_year, counts=counts, townships=townships) if grade_year else []
        board.grades_total = grade_total(board.grades)
    return board
