"""Dashboard: the assessment years, promotion outcomes per year and the grade distribution per township."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.timezone import get_current_timezone

from assessments.models import AnnualReview, TownshipYear
from assessments.rules import GRADES, excellent_places
from assessments.selectors import current_policy
from cadre_mgmt.accounts.scoping import scope_for_user

from ..models import Proposal, RankChange
from .levels import TownshipRef

YEARS_SHOWN = 6


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
