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
from django.utils import timezone
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _

from assessments.models import AnnualReview, TownshipYear
from assessments.rules import GRADES, excellent_places
from assessments.selectors import current_policy
from cadre_mgmt.accounts.scoping import scope_for_user

from ..models import Proposal, RankChange
from .levels import TownshipRef, cadre_level_groups

YEARS_SHOWN = 6


SOURCE_REVIEW = "review"


SOURCE_HISTORY = "history"


@dataclass(frozen=True)
class YearOutcome:
    """One year's figures; each promotion and demotion of the rank history is counted exactly once.

    A year with a promotion review (``source`` "review") splits the cadres it reviewed (its proposals:
    one per cadre and year, however many times it ran; a dry run writes none) into four parts that add
    up to ``reviewed``: promoted, held (no change proposed, or the proposed change rejected), demoted and
    awaiting (proposed changes not decided yet). A change the review proposed counts in the review's
    assessment year, whenever it was approved. Rank changes no proposal wrote are counted apart
    (``promoted_outside``, ``demoted_outside``), in the calendar year they were approved. Without a
    review ("history") the four parts and ``reviewed`` are None."""

    year: int
    graded: int  # cadres with a county-confirmed annual grade for the year
    initially_graded: int  # initial gradings approved in the year
    source: str
    reviewed: int | None  # the review's proposals of the year = promoted + held + demoted + awaiting
    promoted: int | None  # proposed promotions approved (out-of-turn included)
    held: int | None
    demoted: int | None  # proposed demotions approved
    awaiting: int | None
    promoted_outside: int = 0  # promotions approved in the calendar year that no proposal wrote
    demoted_outside: int = 0  # demotions approved in the calendar year that no proposal wrote

    @property
    def parts_add_up(self) -> bool:
        parts = (self.promoted, self.held, self.demoted, self.awaiting)
        return self.reviewed is None or sum(part or 0 for part in parts) == self.reviewed


def _outcome_rows(*, graded, initial, history, proposals, last_year, count=YEARS_SHOWN) -> list[YearOutcome]:
    """Pure: assemble the per-year rows from grouped counts.

    ``graded``/``initial``: {year: n}; ``history``: {(year, kind): n} of rank changes no proposal wrote;
    ``proposals``: {(year, outcome, status): n}. The ``count`` most recent years up to ``last_year``
    that have any figure, oldest first. Every proposal falls in exactly one part: approved changes are
    promoted or demoted, a hold or a rejected change is held, any other status awaits."""
    review_years = {year for year, _outcome, _status in proposals}
    years = {*graded, *initial, *review_years, *(year for year, _kind in history)}
    years = sorted(year for year in years if year <= last_year)[-count:]
    promote_kinds = (RankChange.Kind.PROMOTION, RankChange.Kind.OUT_OF_TURN)
    parts: dict[tuple[int, str], int] = defaultdict(int)
    for (year, outcome, status), n in proposals.items():
        parts[(year, _proposal_part(outcome, status))] += n

    result = []
    for year in years:
        reviewed = year in review_years

        def part(name, year=year, reviewed=reviewed):
            return parts[(year, name)] if reviewed else None

        result.append(
            YearOutcome(
                year=year,
                graded=graded.get(year, 0),
                initially_graded=initial.get(year, 0),
                source=SOURCE_REVIEW if reviewed else SOURCE_HISTORY,
                reviewed=sum(parts[(year, name)] for name in PARTS) if reviewed else None,
                promoted=part("promoted"),
                held=part("held"),
                demoted=part("demoted"),
                awaiting=part("awaiting"),
                promoted_outside=sum(history.get((year, kind), 0) for kind in promote_kinds),
                demoted_outside=history.get((year, RankChange.Kind.DEMOTION), 0),
            )
        )
    return result


PARTS = ("promoted", "held", "demoted", "awaiting")


def _proposal_part(outcome: str, status: str) -> str:
    """Pure: the one part of a review year a proposal counts in."""
    if outcome == Proposal.Outcome.HOLD or status == Proposal.Status.REJECTED:
        return "held"
    if status == Proposal.Status.APPROVED:
        return "demoted" if outcome == Proposal.Outcome.DEMOTE else "promoted"
    return "awaiting"


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


NOT_STARTED = ""


def _grade_rows(rows, *, cap_percent, townships=()) -> list[TownshipGrades]:
    """Pure: grouped review counts → one row per township in township order.

    ``rows``: dicts with township_id, township_name, sort_order, status, excellent_cap, grade, n.
    ``townships``: (TownshipRef, sort_order) of the townships that must appear even with no review row
    (the ones with cadres in post): 0 assessed, status "not started"."""
    by_township = {}
    for township, sort_order in townships:
        by_township[(sort_order, township.name, township.id)] = {"status": NOT_STARTED, "cap": None, "counts": defaultdict(int)}
    for row in rows:
        key = (row["sort_order"], row["township_name"], row["township_id"])
        entry = by_township.setdefault(key, {"status": row["status"], "cap": row["excellent_cap"], "counts": defaultdict(int)})
        entry.update(status=row["status"], cap=row["excellent_cap"])
        entry["counts"][row["grade"] or ""] += row["n"]
    result = []
    for (_order, name, pk), entry in sorted(by_township.items()):
        counts = entry["counts"]
        assessed = sum(counts.values())
        status = entry["status"]
        fixed = entry["cap"] is not None and status not in (TownshipYear.Status.OPEN, NOT_STARTED)
        result.append(
            TownshipGrades(
                township=TownshipRef(pk, name),
                status=status,
                status_label=TownshipYear.Status(status).label if status else _("Assessment not started"),
                assessed=assessed,
                counts={grade: counts.get(grade, 0) for grade in GRADES},
                ungraded=counts.get("", 0),
                places=entry["cap"] if fixed else excellent_places(assessed=assessed, cap_percent=cap_percent),
                places_fixed=fixed,
            )
        )
    return result


def grade_total(rows: list[TownshipGrades]) -> TownshipGrades | None:
    """Pure: the county's row, the townships' rows added up (None for a single township)."""
    if len(rows) < 2:
        return None
    return TownshipGrades(
        township=TownshipRef(0, ""),
        status="",
        status_label="",
        assessed=sum(row.assessed for row in rows),
        counts={grade: sum(row.counts[grade] for row in rows) for grade in GRADES},
        ungraded=sum(row.ungraded for row in rows),
        places=sum(row.places for row in rows),
        places_fixed=all(row.places_fixed for row in rows),
    )


def grade_distribution(*, user, year, counts=None, townships=None) -> list[TownshipGrades]:
    """Annual grades of ``year`` per township, with the excellent places; every township on the scope
    with cadres in post appears, with 0 when it has no review row for the year. One query (the policy),
    plus those of ``annual_review_counts`` and ``townships_in_post`` when not given."""
    policy = current_policy()
    counts = annual_review_counts(user=user) if counts is None else counts
    townships = townships_in_post(user=user) if townships is None else townships
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
    return _grade_rows(plain, cap_percent=policy.excellent_cap_percent, townships=townships)


def townships_in_post(*, user, groups=None) -> list[tuple[TownshipRef, int]]:
    """(township, sort order) of the townships on the scope with cadres in post, from
    ``cadre_level_groups`` (read here when not given)."""
    groups = cadre_level_groups(user=user, day=timezone.localdate()) if groups is None else groups
    return sorted({(group.township, group.sort_order) for group in groups}, key=lambda item: (item[1], item[0].name))
