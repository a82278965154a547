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
are tested on their own.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, ExtractYear, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _

from assessments.models import AnnualReview, TownshipQuarter, TownshipYear
from assessments.rules import GRADES, excellent_places, quarter_bounds
from assessments.selectors import current_policy
from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre, Township
from supervision.selectors import overdue_petitions

from . import rules
from .models import InitialGrading, Proposal, RankChange, Roster, RosterLine
from .selectors import BudgetFigures, allowance_schedule, ungraded_cadres_for

YEARS_SHOWN = 6
ROSTER_MONTHS = 24
# Finance: locked rosters of this many recent months that the user has not exported yet.
DOWNLOAD_MONTHS = 12


def can_read_assessment_figures(user) -> bool:
    """Grades and promotion outcomes: the people who keep or decide them (not finance, not supervisors)."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_approver)


@dataclass(frozen=True)
class TownshipRef:
    id: int
    name: str


# 1. Cadres by level ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRow:
    level: int | None  # None: no rank history yet (paid as level 13)
    counts: tuple  # per township, in the order of LevelTable.townships
    total: int


@dataclass(frozen=True)
class LevelTable:
    townships: tuple
    rows: tuple  # levels 1 (highest) … 13, then "no level yet"
    totals: tuple  # per township
    total: int

    @property
    def shown_rows(self) -> tuple:
        """From the highest level anyone holds down to 13, then "no level yet": empty top rungs are left out."""
        occupied = [row.level for row in self.rows if row.level is not None and row.total]
        top = min(occupied, default=rules.LOWEST_LEVEL)
        return tuple(row for row in self.rows if row.level is None or row.level >= top)


@dataclass(frozen=True)
class LevelGroup:
    """In-post cadres of one township sharing the same figures; ``cadre_level_groups`` counts them."""

    township: TownshipRef
    sort_order: int
    paid: bool  # holds a paid post (the allowance is theirs)
    level: int | None  # in force on the day asked; None: no rank history yet
    level_next_month: int | None  # in force on the first of next month
    pending_level: int | None  # awaiting the county: a submitted proposal, else a submitted initial grading
    n: int


def _as_sql(queryset):
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _latest_per_cadre(queryset, order, **columns):
    """One row per cadre: its first row in ``order`` (a descending ``cadre_id`` leads), with ``columns``.

    PostgreSQL takes DISTINCT ON, which walks rank_change_cadre_month_idx backwards with no sort; a
    ROW_NUMBER window elsewhere (three times slower on PostgreSQL: its window node, then a sort)."""
    queryset = queryset.order_by()
    if connection.features.can_distinct_on_fields:
        return queryset.order_by(*order).distinct("cadre_id").values("cadre_id", **columns)
    ordering = [OrderBy(F(name.lstrip("-")), descending=name.startswith("-")) for name in order[1:]]
    number = Window(RowNumber(), partition_by=[F("cadre_id")], order_by=ordering)
    return queryset.annotate(row_number=number).filter(row_number=1).values("cadre_id", **columns)


# Only Django's compiled SQL goes into the braces (cadre_level_groups); every value travels as a parameter.
LEVEL_GROUPS_SQL = """
        SELECT x.township_id, t.name, t.sort_order, x.paid, x.level, x.level_next, x.pending, x.n
        FROM (
            SELECT c.township_id, c.paid,
                   CASE WHEN l.after_day THEN d.level ELSE l.level END AS level,
                   l.level AS level_next, COALESCE(p.level, g.level) AS pending, COUNT(*) AS n
            FROM ({}) c
            LEFT JOIN ({}) l ON l.cadre_id = c.id
            LEFT JOIN ({}) d ON d.cadre_id = c.id
            LEFT JOIN ({}) p ON p.cadre_id = c.id
            LEFT JOIN ({}) g ON g.cadre_id = c.id
            GROUP BY 1, 2, 3, 4, 5
        ) x
        JOIN ({}) t ON t.id = x.township_id
    """


def cadre_level_groups(*, user, day, next_month=None) -> list[LevelGroup]:
    """In-post cadres on the user's scope counted per township, paid post, level on ``day``, level on
    ``next_month`` (default: the month after ``day``) and the level awaiting approval. One query.

    Every cadre's latest rank change up to next month (``_latest_per_cadre``) is joined to the cadres;
    the level on ``day`` differs only for the few cadres with a change taking effect after ``day``, whose
    latest change up to ``day`` is read apart. Each correlated subquery per cadre would cost more than
    the scan itself (see the module's note on JIT), hence ``IN`` for the paid posts and joins for the
    rest."""
    next_month = next_month or rules.add_months(rules.first_of_month(day), 1)
    paid_posts = Cadre.posts.through.objects.filter(post__is_paid=True)
    paid_cadres = scope_for_user(paid_posts, user, township_field="cadre__township").values("cadre_id")
    cadres = (
        scope_for_user(Cadre.objects.filter(status=Cadre.Status.IN_POST), user, township_field="township")
        .order_by()
        .values("id", "township_id", paid=ExpressionWrapper(Q(pk__in=paid_cadres), output_field=BooleanField()))
    )
    changes = scope_for_user(RankChange.objects.all(), user, township_field="cadre__township")
    by_recency = ("-cadre_id", "-effective_month", "-id")
    latest = _latest_per_cadre(
        changes.filter(effective_month__lte=next_month),
        by_recency,
        level=F("to_level"),
        after_day=ExpressionWrapper(Q(effective_month__gt=day), output_field=BooleanField()),
    )
    changed_after_day = changes.filter(effective_month__gt=day, effective_month__lte=next_month).values("cadre_id")
    on_day = _latest_per_cadre(
        changes.filter(effective_month__lte=day, cadre_id__in=changed_after_day), by_recency, level=F("to_level")
    )
    # Of a cadre's submitted proposals (one a year), the one budget_figures met last in Proposal's
    # ordering: (township, …, id).
    proposals = _latest_per_cadre(
        scope_for_user(Proposal.objects.filter(status=Proposal.Status.SUBMITTED), user, township_field="township"),
        ("-cadre_id", "-township__sort_order", "-township__name", "-id"),
        level=F("to_level"),
    )
    gradings = (
        InitialGrading.objects.filter(status=InitialGrading.Status.SUBMITTED)
        .order_by()
        .values("cadre_id", level=F("proposed_level"))
    )
    townships = Township.objects.order_by().values("id", "name", "sort_order")
    try:
        parts = [_as_sql(qs) for qs in (cadres, latest, on_day, proposals, gradings, townships)]
    except EmptyResultSet:
        return []
    # Only Django's compiled SQL is put together here; every value travels as a parameter. The
    # townships' names join the few grouped rows, not every cadre.
    sql = LEVEL_GROUPS_SQL.format(*(part_sql for part_sql, _params in parts))
    params = [param for _sql, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        LevelGroup(TownshipRef(pk, name), order, bool(paid), level, level_next, pending, n)
        for pk, name, order, paid, level, level_next, pending, n in rows
    ]


def cadres_by_level(*, user, day, groups=None) -> LevelTable:
    """Cadres in post on the user's scope, per township and the level in force on ``day``, from
    ``cadre_level_groups`` (read here when not given)."""
    groups = cadre_level_groups(user=user, day=day) if groups is None else groups
    townships, counts = {}, defaultdict(int)
    for group in groups:
        townships[group.township.id] = (group.sort_order, group.township.name)
        counts[(group.township.id, group.level)] += group.n
    order = sorted(townships, key=lambda pk: (*townships[pk], pk))
    levels = [*range(rules.HIGHEST_LEVEL, rules.LOWEST_LEVEL + 1), None]
    table_rows = []
    for level in levels:
        per_township = tuple(counts[(pk, level)] for pk in order)
        table_rows.append(LevelRow(level=level, counts=per_township, total=sum(per_township)))
    totals = tuple(sum(counts[(pk, level)] for level in levels) for pk in order)
    return LevelTable(
        townships=tuple(TownshipRef(pk, townships[pk][1]) for pk in order),
        rows=tuple(table_rows),
        totals=totals,
        total=sum(totals),
    )


# 2. Outcomes per year -------------------------------------------------------------------------------

SOURCE_REVIEW = "review"
SOURCE_HISTORY = "history"


@dataclass(frozen=True)
class YearOutcome:
    """One year's figures; each promotion and demotion of the rank history is counted exactly once.

    A change the promotion review proposed counts in the review's assessment year; any other change in
    the calendar year it was approved. In a year with a review (``source`` "review"): held = no change
    proposed, or the proposed change rejected; awaiting = proposed changes not decided yet. Without a
    review ("history") held is not known (None)."""

    year: int
    graded: int  # cadres with a county-confirmed annual grade for the year
    initially_graded: int  # initial gradings approved in the year
    source: str
    promoted: int  # approved promotions (out-of-turn included)
    held: int | None
    demoted: int  # approved demotions
    awaiting: int


def _outcome_rows(*, graded, initial, history, proposals, last_year, count=YEARS_SHOWN) -> list[YearOutcome]:
    """Pure: assemble the per-year rows from grouped counts.

    ``graded``/``initial``: {year: n}; ``history``: {(year, kind): n} of rank changes no proposal wrote;
    ``proposals``: {(year, outcome, status): n}. The ``count`` most recent years up to ``last_year``
    that have any figure, oldest first."""
    review_years = {year for year, _outcome, _status in proposals}
    years = {*graded, *initial, *review_years, *(year for year, _kind in history)}
    years = sorted(year for year in years if year <= last_year)[-count:]
    promote_kinds = (RankChange.Kind.PROMOTION, RankChange.Kind.OUT_OF_TURN)
    promote = (Proposal.Outcome.PROMOTE, Proposal.Outcome.OUT_OF_TURN)
    changes = (*promote, Proposal.Outcome.DEMOTE)
    approved, rejected = (Proposal.Status.APPROVED,), (Proposal.Status.REJECTED,)
    undecided = (Proposal.Status.PENDING, Proposal.Status.SUBMITTED)

    def n(year, outcomes, statuses):
        return sum(v for (y, o, s), v in proposals.items() if y == year and o in outcomes and s in statuses)

    result = []
    for year in years:
        reviewed = year in review_years
        result.append(
            YearOutcome(
                year=year,
                graded=graded.get(year, 0),
                initially_graded=initial.get(year, 0),
                source=SOURCE_REVIEW if reviewed else SOURCE_HISTORY,
                promoted=n(year, promote, approved) + sum(history.get((year, kind), 0) for kind in promote_kinds),
                held=n(year, (Proposal.Outcome.HOLD,), tuple(Proposal.Status)) + n(year, changes, rejected) if reviewed else None,
                demoted=n(year, (Proposal.Outcome.DEMOTE,), approved) + history.get((year, RankChange.Kind.DEMOTION), 0),
                awaiting=n(year, changes, undecided),
            )
        )
    return result


@dataclass(frozen=True)
class ReviewCount:
    """Annual reviews of one assessment year and township year with the same grade ("" before grading)."""

    year: int
    township: TownshipRef
    sort_order: int
    status: str  # the township year's TownshipYear.Status value
    excellent_cap: int | None
    grade: str
    n: int


def annual_review_counts(*, user) -> list[ReviewCount]:
    """Every annual review on the user's scope counted per year, township year and grade, for both the
    years' figures and the grade chart. Two queries: the reviews grouped on their own columns (five years
    of a province are 500,000 rows: no join per row), then the township years they name."""
    counts = (
        scope_for_user(AnnualReview.objects.all(), user, township_field="township_year__township")
        .order_by()
        .values_list("year", "township_year_id", "grade")
        .annotate(n=Count("*"))
    )
    counts = list(counts)
    if not counts:
        return []
    township_years = {
        row[0]: row[1:]
        for row in scope_for_user(TownshipYear.objects.all(), user, township_field="township")
        .order_by()
        .values_list("id", "township_id", "township__name", "township__sort_order", "status", "excellent_cap")
    }
    result = []
    for year, township_year_id, grade, n in counts:
        township_id, name, sort_order, status, cap = township_years[township_year_id]
        result.append(ReviewCount(year, TownshipRef(township_id, name), sort_order, status, cap, grade, n))
    return result


@dataclass(frozen=True)
class AssessmentYears:
    graded: dict  # year → cadres with a county-confirmed grade
    with_grades: list  # years with any stored grade (finalized or confirmed), ascending
    with_reviews: list  # years with any annual review row, ascending


def assessment_years(*, user, counts=None) -> AssessmentYears:
    """Per year: confirmed grades, and which years have grades or reviews at all. From
    ``annual_review_counts`` (read here when not given)."""
    counts = annual_review_counts(user=user) if counts is None else counts
    confirmed, with_grade = defaultdict(int), defaultdict(int)
    for count in counts:
        graded = count.grade != ""
        confirmed[count.year] += count.n if graded and count.status == TownshipYear.Status.CONFIRMED else 0
        with_grade[count.year] += count.n if graded else 0
    years = sorted(with_grade)
    return AssessmentYears(
        graded={year: confirmed[year] for year in years if confirmed[year]},
        with_grades=[year for year in years if with_grade[year]],
        with_reviews=years,
    )


def proposal_counts(*, user) -> dict:
    """{(year, outcome, status): n} of the promotion review's proposals on the user's scope; one query
    (proposal_township_idx for a township)."""
    rows = (
        scope_for_user(Proposal.objects.all(), user, township_field="township")
        .order_by()
        .values("year", "outcome", "status")
        .annotate(n=Count("*"))
    )
    return {(row["year"], row["outcome"], row["status"]): row["n"] for row in rows}


def approval_year(field, *, last_year, recent=YEARS_SHOWN):
    """``ExtractYear(field)`` (the year in the current time zone), computed for the ``recent`` years up to
    ``last_year`` by comparing with each year's first instant: a comparison per row instead of a time
    zone conversion, half the time over 200,000 rank changes. Instants before, or after ``last_year``,
    are converted as by ExtractYear; the answer is the same for every instant."""
    zone = get_current_timezone()
    starts = [(year, datetime.datetime(year, 1, 1, tzinfo=zone)) for year in range(last_year + 1, last_year - recent, -1)]
    later = When(**{f"{field}__gte": starts[0][1]}, then=ExtractYear(field))
    recent_years = [When(**{f"{field}__gte": start}, then=Value(year)) for year, start in starts[1:]]
    return Case(later, *recent_years, default=ExtractYear(field), output_field=IntegerField())


def outcomes_by_year(*, user, today, years: AssessmentYears | None = None, proposals=None) -> list[YearOutcome]:
    """The write-up's figures per year (graded, promoted, held, demoted), most recent years last.
    One query, plus those of ``assessment_years`` and ``proposal_counts`` when not given."""
    years = years or assessment_years(user=user)
    kinds = [RankChange.Kind.INITIAL_GRADING, RankChange.Kind.PROMOTION, RankChange.Kind.OUT_OF_TURN, RankChange.Kind.DEMOTION]
    # Approval year in Asia/Shanghai (the current time zone); changes written by a proposal are counted
    # with their review's year instead. NOT EXISTS, not a LEFT JOIN: a township's few thousand changes
    # probe the proposals' rank_change index instead of hashing every proposal.
    written_by_proposal = Proposal.objects.filter(rank_change_id=OuterRef("pk"))
    history_rows = (
        scope_for_user(
            RankChange.objects.filter(~Exists(written_by_proposal), kind__in=kinds), user, township_field="cadre__township"
        )
        .order_by()
        .values_list(approval_year("approved_at", last_year=today.year), "kind")
        .annotate(n=Count("*"))
    )
    initial, history = {}, {}
    for year, kind, n in history_rows:
        if kind == RankChange.Kind.INITIAL_GRADING:
            initial[year] = n
        else:
            history[(year, kind)] = n
    proposals = proposal_counts(user=user) if proposals is None else proposals
    return _outcome_rows(graded=years.graded, initial=initial, history=history, proposals=proposals, last_year=today.year)


# 3. Grade distribution against the excellent cap ------------------------------------------------------


@dataclass(frozen=True)
class TownshipGrades:
    township: TownshipRef
    status: str  # TownshipYear.Status value
    status_label: str
    assessed: int  # annual review rows of the year
    counts: dict  # grade → n (stored grades; empty until the township finalizes)
    ungraded: int
    places: int  # excellent places: fixed at finalization, else provisional from the county's cap
    places_fixed: bool

    @property
    def excellent(self):
        return self.counts.get("excellent", 0)

    @property
    def over_cap(self):
        return self.excellent > self.places


def _grade_rows(rows, *, cap_percent) -> list[TownshipGrades]:
    """Pure: grouped review counts → one row per township in township order.

    ``rows``: dicts with township_id, township_name, sort_order, status, excellent_cap, grade, n."""
    by_township = {}
    for row in rows:
        key = (row["sort_order"], row["township_name"], row["township_id"])
        entry = by_township.setdefault(key, {"status": row["status"], "cap": row["excellent_cap"], "counts": defaultdict(int)})
        entry["counts"][row["grade"] or ""] += row["n"]
    result = []
    for (_order, name, pk), entry in sorted(by_township.items()):
        counts = entry["counts"]
        assessed = sum(counts.values())
        fixed = entry["cap"] is not None and entry["status"] != TownshipYear.Status.OPEN
        result.append(
            TownshipGrades(
                township=TownshipRef(pk, name),
                status=entry["status"],
                status_label=TownshipYear.Status(entry["status"]).label,
                assessed=assessed,
                counts={grade: counts.get(grade, 0) for grade in GRADES},
                ungraded=counts.get("", 0),
                places=entry["cap"] if fixed else excellent_places(assessed=assessed, cap_percent=cap_percent),
                places_fixed=fixed,
            )
        )
    return result


def grade_distribution(*, user, year, counts=None) -> list[TownshipGrades]:
    """Annual grades of ``year`` per township, with the excellent places. One query (the policy), plus
    those of ``annual_review_counts`` when not given."""
    policy = current_policy()
    counts = annual_review_counts(user=user) if counts is None else counts
    plain = [
        {
            "township_id": count.township.id,
            "township_name": count.township.name,
            "sort_order": count.sort_order,
            "status": count.status,
            "excellent_cap": count.excellent_cap,
            "grade": count.grade,
            "n": count.n,
        }
        for count in counts
        if count.year == year
    ]
    return _grade_rows(plain, cap_percent=policy.excellent_cap_percent)


# 4. Allowance: paid, next month, projection ----------------------------------------------------------


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
    """Pure: ``ranks.selectors.budget_figures`` from ``cadre_level_groups``: next month's allowance of
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


# 5. Work waiting for this user ------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    key: str
    label: str
    count: int
    url: str
    detail: str = ""


def quarters_not_closed(*, today, closed) -> list[tuple[int, int]]:
    """Pure: quarters of this year and last year that have ended and are not in ``closed``
    ({(year, quarter)}), oldest first."""
    due = []
    for year in (today.year - 1, today.year):
        for quarter in range(1, 5):
            _first, last = quarter_bounds(year, quarter)
            if last < today and (year, quarter) not in closed:
                due.append((year, quarter))
    return due


def _approver_work(user, today, by_status) -> list[WorkItem]:
    this_month = rules.first_of_month(today)
    drafts = list(
        Roster.objects.filter(status=Roster.Status.DRAFT, month__lte=this_month).order_by("month").values_list("month", flat=True)
    )
    gradings = scope_for_user(
        InitialGrading.objects.filter(status=InitialGrading.Status.SUBMITTED), user, township_field="township"
    ).count()
    roster_url = reverse("ranks:roster") + (f"?month={drafts[0]:%Y-%m}" if drafts else "")
    return [
        WorkItem(
            "proposals_to_decide",
            _("Promotion proposals to decide"),
            by_status[Proposal.Status.SUBMITTED],
            reverse("ranks:proposals") + "?status=submitted",
        ),
        WorkItem("gradings_to_approve", _("Initial gradings to approve"), gradings, reverse("ranks:grading")),
        WorkItem(
            "rosters_to_lock",
            _("Rosters to lock"),
            len(drafts),
            roster_url,
            "、".join(f"{month:%Y-%m}" for month in drafts[:6]),
        ),
    ]


def _township_work(user, today, by_status) -> list[WorkItem]:
    closed = set(
        TownshipQuarter.objects.filter(
            township_id=user.township_id, year__gte=today.year - 1, status=TownshipQuarter.Status.CLOSED
        ).values_list("year", "quarter")
    )
    due = quarters_not_closed(today=today, closed=closed)
    quarter_url = reverse("assessments:overview") + (f"?year={due[0][0]}" if due else "")
    return [
        WorkItem(
            "proposals_to_check",
            _("Promotion proposals to check"),
            by_status[Proposal.Status.PENDING],
            reverse("ranks:proposals") + "?status=pending",
        ),
        WorkItem(
            "quarters_not_closed",
            _("Quarters ended but not closed"),
            len(due),
            quarter_url,
            "、".join(f"{year}Q{quarter}" for year, quarter in due),
        ),
        WorkItem(
            "gradings_to_submit",
            _("Cadres without a level to grade"),
            ungraded_cadres_for(user=user).count(),
            reverse("ranks:grading"),
        ),
    ]


def _finance_work(user, today) -> list[WorkItem]:
    first = rules.add_months(rules.first_of_month(today), 1 - DOWNLOAD_MONTHS)
    exported = AuditRecord.objects.filter(
        actor=user,
        action=AuditRecord.Action.EXPORT,
        object_type=Roster._meta.label,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    months = list(
        Roster.objects.filter(status=Roster.Status.LOCKED, month__gte=first)
        .filter(~Exists(exported))
        .order_by("-month")
        .values_list("month", flat=True)
    )
    url = reverse("ranks:roster") + (f"?month={months[0]:%Y-%m}" if months else "")
    detail = "、".join(f"{month:%Y-%m}" for month in months[:6])
    return [WorkItem("rosters_to_download", _("Locked rosters you have not exported"), len(months), url, detail)]


def work_waiting(*, user, today, proposals=None) -> list[WorkItem]:
    """What waits for this user, by role: counts with a link to the page where it is done.
    ``proposals``: ``proposal_counts`` when the caller has them already."""
    items = []
    if user.is_county_approver or user.is_township_staff:
        proposals = proposal_counts(user=user) if proposals is None else proposals
        by_status = defaultdict(int)
        for (_year, _outcome, status), n in proposals.items():
            by_status[status] += n
        if user.is_county_approver:
            items += _approver_work(user, today, by_status)
        if user.is_township_staff:
            items += _township_work(user, today, by_status)
    if user.is_supervisor:
        items.append(
            WorkItem(
                "overdue_petitions",
                _("Overdue petitions"),
                overdue_petitions(user=user).count(),
                reverse("supervision:petition_list") + "?overdue=on",
            )
        )
    if user.is_finance:
        items += _finance_work(user, today)
    return items


# The page ------------------------------------------------------------------------------------------


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


def dashboard_for(*, user, today=None, grade_year=None) -> Dashboard:
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
        board.grades = grade_distribution(user=user, year=grade_year, counts=counts) if grade_year else []
    return board


def _money(value) -> str:
    return str(Decimal(value).quantize(rules.CENT))


def level_label(level) -> str:
    return _("No level yet") if level is None else _("Level %(level)s") % {"level": level}


def chart_data(board: Dashboard) -> dict:
    """Plain data for static/js/dashboard.js (json_script); money as strings, never floats."""
    levels = board.levels
    # Lowest level on the left, so the bars read as the ladder being climbed.
    shown = levels.shown_rows
    ladder = [row for row in shown if row.level is None] + sorted(
        (row for row in shown if row.level is not None), key=lambda row: -row.level
    )
    data = {
        "levels": {
            "categories": [level_label(row.level) for row in ladder],
            "series": [
                {"name": township.name, "data": [row.counts[index] for row in ladder]}
                for index, township in enumerate(levels.townships)
            ],
            "axis": _("Cadres"),
        }
    }
    allowance = board.allowance
    budget = allowance.budget
    by_month = {m.month: m for m in allowance.rosters}
    this_month = rules.first_of_month(board.today)
    past = [rules.add_months(this_month, offset) for offset in range(1 - ROSTER_MONTHS, 1)]
    ahead = [month for month, _total in budget.projection]
    months = past + ahead

    def roster_value(month, status):
        found = by_month.get(month)
        return _money(found.total) if found is not None and found.status == status else None

    projection = dict(budget.projection)
    data["allowance"] = {
        "categories": [f"{month:%Y-%m}" for month in months],
        "series": [
            {"name": _("Locked roster"), "kind": "locked", "data": [roster_value(m, Roster.Status.LOCKED) for m in months]},
            {"name": _("Draft roster"), "kind": "draft", "data": [roster_value(m, Roster.Status.DRAFT) for m in months]},
            {
                "name": _("Projection at current levels"),
                "kind": "projection",
                "data": [_money(projection[m]) if m in projection else None for m in months],
            },
            {
                "name": _("Next month if all pending changes are approved"),
                "kind": "if_approved",
                "data": [_money(budget.next_month_total_if_approved) if m == budget.next_month else None for m in months],
            },
        ],
        "axis": _("Yuan"),
    }
    if board.assessment_figures:
        data["outcomes"] = {
            "categories": [str(row.year) for row in board.outcomes],
            "series": [
                {"name": _("Initially graded"), "kind": "initial", "data": [row.initially_graded for row in board.outcomes]},
                {"name": _("Graded"), "kind": "graded", "data": [row.graded for row in board.outcomes]},
                {"name": _("Promoted"), "kind": "promoted", "data": [row.promoted for row in board.outcomes]},
                {"name": _("Held"), "kind": "held", "data": [row.held for row in board.outcomes]},
                {"name": _("Demoted"), "kind": "demoted", "data": [row.demoted for row in board.outcomes]},
            ],
            "axis": _("Cadres"),
        }
        data["grades"] = {
            "categories": [row.township.name for row in board.grades],
            "series": [
                *(
                    {"name": AnnualReview.Grade(grade).label, "kind": grade, "data": [r.counts[grade] for r in board.grades]}
                    for grade in GRADES
                ),
                {"name": _("Not yet graded"), "kind": "ungraded", "data": [row.ungraded for row in board.grades]},
            ],
            "cap": {"name": _("Excellent places"), "data": [row.places for row in board.grades]},
            "axis": _("Cadres"),
        }
    return data
