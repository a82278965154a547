"""Reads of assessment data. Every township-scoped queryset goes through ``scope_for_user``.

The contract functions used by the promotion review are ``annual_results`` and ``attendance_facts``;
both take many cadres at once and run a fixed number of queries whatever their number.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.lookups import ids_in
from supervision.selectors import cadre_ids_with_veto, vetoes_charged

from . import rules
from .models import (
    AnnualReview,
    AssessmentPolicy,
    DefaultQuarterArea,
    LedgerCategory,
    LedgerEntry,
    QuarterArea,
    QuarterScore,
    TownshipQuarter,
    TownshipYear,
)

LEDGER_PAGE_SIZE = 30
CADRE_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class AnnualResult:
    year: int
    score: Decimal | None
    grade: str | None
    mass_score: Decimal | None
    final: bool

    @property
    def grade_label(self):
        return AnnualReview.Grade(self.grade).label if self.grade else ""


@dataclass(frozen=True)
class AttendanceFacts:
    leave_days: int
    absent_without_leave: bool


# ---------------------------------------------------------------- settings


def current_policy() -> AssessmentPolicy:
    """The county policy row (created by the data migration); unsaved defaults if it was removed."""
    return AssessmentPolicy.objects.order_by("pk").first() or AssessmentPolicy()


def bands_of(policy) -> rules.Bands:
    return rules.Bands(policy.excellent_min, policy.competent_min, policy.basically_competent_min)


def default_year_values(policy) -> dict:
    return {
        "political_weight": policy.default_political_weight,
        "business_weight": policy.default_business_weight,
        "mass_weight": policy.default_mass_weight,
        "ledger_share": policy.default_ledger_share,
        "quarters_share": policy.default_quarters_share,
        "review_share": policy.default_review_share,
    }


def township_year_or_default(*, township, year, policy=None) -> TownshipYear:
    """The township's year, or an unsaved one with the county defaults (nothing written by a read)."""
    found = TownshipYear.objects.filter(township=township, year=year).first()
    if found is not None:
        return found
    return TownshipYear(township=township, year=year, **default_year_values(policy or current_policy()))


def weights_of(township_year) -> rules.ReviewWeights:
    return rules.ReviewWeights(township_year.political_weight, township_year.business_weight, township_year.mass_weight)


def shares_of(township_year) -> rules.Shares:
    return rules.Shares(township_year.ledger_share, township_year.quarters_share, township_year.review_share)


def active_categories():
    return LedgerCategory.objects.filter(is_active=True)


# ---------------------------------------------------------------- cadres assessed


def assessed_cadres(*, township, on: datetime.date):
    """Cadres of the township in post on ``on`` (appointed by then and not left before it)."""
    return (
        Cadre.objects.filter(township=township, first_appointed_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("village")
        .order_by("village__sort_order", "village__name", "name", "id")
    )


def cadre_choices(*, user, township, q="", village=None):
    """Cadres in post the user may record for: by part of the name, or a whole village.

    Bounded by the township (index cadre_township_status_idx) and CADRE_SEARCH_LIMIT when searching.
    """
    qs = scope_for_user(Cadre.objects.select_related("village"), user).filter(township=township, status=Cadre.Status.IN_POST)
    q = (q or "").strip()
    if q:
        return list(qs.filter(name__contains=q).order_by("name", "id")[:CADRE_SEARCH_LIMIT])
    if village is not None:
        return list(qs.filter(village=village).order_by("name", "id"))
    return []


# ---------------------------------------------------------------- ledger


def closed_quarters(*, township_ids) -> set[tuple[int, int, int]]:
    """(township id, year, quarter) of every closed quarter; one query."""
    return set(
        TownshipQuarter.objects.filter(township_id__in=list(township_ids), status=TownshipQuarter.Status.CLOSED).values_list(
            "township_id", "year", "quarter"
        )
    )


def date_is_locked(*, township_id, day, closed=None) -> bool:
    year, quarter = rules.quarter_of(day)
    if closed is not None:
        return (township_id, year, quarter) in closed
    return TownshipQuarter.objects.filter(
        township_id=township_id, year=year, quarter=quarter, status=TownshipQuarter.Status.CLOSED
    ).exists()


def ledger_page(*, user, township, before=None, cadre=None, limit=LEDGER_PAGE_SIZE):
    """The latest ledger entries of a township (keyset paging on (date, id): no COUNT over millions of rows).

    ``before`` = (date, id) of the last entry of the previous page. Returns (entries, next cursor or None).
    """
    qs = scope_for_user(LedgerEntry.objects.all(), user).filter(township=township)
    if cadre is not None:
        qs = qs.filter(cadre=cadre)
    if before is not None:
        day, pk = before
        qs = qs.filter(Q(date__lt=day) | Q(date=day, id__lt=pk))
    rows = list(qs.select_related("cadre", "cadre__village", "category", "recorded_by").order_by("-date", "-id")[: limit + 1])
    entries, more = rows[:limit], len(rows) > limit
    closed = closed_quarters(township_ids=[township.pk])
    for entry in entries:
        entry.locked = date_is_locked(township_id=entry.township_id, day=entry.date, closed=closed)
    next_cursor = (entries[-1].date, entries[-1].pk) if more and entries else None
    return entries, next_cursor


def ledger_entries_for_user(*, user):
    return scope_for_user(LedgerEntry.objects.select_related("cadre", "category", "township"), user)


# ---------------------------------------------------------------- quarters


def quarter_or_none(*, township, year, quarter):
    return TownshipQuarter.objects.filter(township=township, year=year, quarter=quarter).first()


def proposed_areas(*, township, year, quarter) -> list[tuple[str, Decimal]]:
    """Areas a new quarter starts with: the township's previous quarter, else the county defaults."""
    previous = (
        TownshipQuarter.objects.filter(township=township)
        .filter(Q(year__lt=year) | Q(year=year, quarter__lt=quarter))
        .order_by("-year", "-quarter")
        .first()
    )
    if previous is not None:
        areas = [(a.name, a.weight) for a in previous.areas.all()]
        if areas:
            return areas
    return [(a.name, a.weight) for a in DefaultQuarterArea.objects.all()]


@dataclass
class QuarterRow:
    cadre: Cadre
    scores: dict  # area id → Decimal
    quarter_score: Decimal | None
    missing: int
    ledger_change: Decimal


def quarter_grid(*, township, year, quarter, township_quarter=None, village=None):
    """(areas, rows) of a township's quarter: every cadre in post at quarter end × every area. 4 queries."""
    first, last = rules.quarter_bounds(year, quarter)
    cadres = assessed_cadres(township=township, on=last)
    if village is not None:
        cadres = cadres.filter(village=village)
    cadres = list(cadres)
    areas = list(township_quarter.areas.all()) if township_quarter is not None and township_quarter.pk else []
    by_cadre = defaultdict(dict)
    if areas:
        for score in QuarterScore.objects.filter(area__in=areas, cadre__in=cadres).values("cadre_id", "area_id", "score"):
            by_cadre[score["cadre_id"]][score["area_id"]] = score["score"]
    # The ledger feeds the quarter for reference: the sum of the quarter's score changes.
    ledger = dict(
        LedgerEntry.objects.filter(cadre__in=cadres, date__gte=first, date__lte=last, score_change__isnull=False)
        .values("cadre_id")
        .annotate(total=Sum("score_change"))
        .values_list("cadre_id", "total")
    )
    rows = []
    for cadre in cadres:
        scores = by_cadre.get(cadre.pk, {})
        complete = areas and len(scores) == len(areas)
        rows.append(
            QuarterRow(
                cadre=cadre,
                scores=scores,
                quarter_score=rules.quarter_score((scores[a.pk], a.weight) for a in areas) if complete else None,
                missing=len(areas) - len(scores) if areas else 0,
                ledger_change=ledger.get(cadre.pk) or Decimal("0"),
            )
        )
    return areas, rows


def quarter_scores_by_cadre(*, cadre_ids, years) -> dict[int, dict[tuple[int, int], Decimal]]:
    """cadre id → {(year, quarter): quarter score} for quarters where every area is scored. One query
    for the scores and one for the number of areas per quarter."""
    cadre_ids = list(cadre_ids)
    area_counts = dict(
        QuarterArea.objects.filter(township_quarter__year__in=list(years))
        .values("township_quarter_id")
        .annotate(n=Count("id"))
        .values_list("township_quarter_id", "n")
    )
    collected = defaultdict(lambda: defaultdict(list))
    keys = {}
    for row in QuarterScore.objects.filter(cadre_id__in=cadre_ids, area__township_quarter__year__in=list(years)).values(
        "cadre_id",
        "score",
        "area__weight",
        "area__township_quarter_id",
        "area__township_quarter__year",
        "area__township_quarter__quarter",
    ):
        tq = row["area__township_quarter_id"]
        keys[tq] = (row["area__township_quarter__year"], row["area__township_quarter__quarter"])
        collected[row["cadre_id"]][tq].append((row["score"], row["area__weight"]))
    result = {}
    for cadre_id, by_quarter in collected.items():
        result[cadre_id] = {
            keys[tq]: rules.quarter_score(pairs) for tq, pairs in by_quarter.items() if len(pairs) == area_counts.get(tq, -1)
        }
    return result


# ---------------------------------------------------------------- years


def ledger_sums(*, cadre_ids, years) -> dict[tuple[int, int], Decimal]:
    """(cadre id, year) → sum of the score changes of the ledger entries dated in that year; one query."""
    years = sorted(years)
    rows = (
        LedgerEntry.objects.filter(
            cadre_id__in=list(cadre_ids),
            date__gte=datetime.date(years[0], 1, 1),
            date__lte=datetime.date(years[-1], 12, 31),
            score_change__isnull=False,
        )
        .values("cadre_id", "date__year")
        .annotate(total=Sum("score_change"))
    )
    return {(row["cadre_id"], row["date__year"]): row["total"] for row in rows if row["date__year"] in years}


@dataclass
class YearRow:
    cadre: Cadre
    review: AnnualReview | None
    breakdown: rules.AnnualBreakdown
    quarter_scores: dict  # (year, quarter) → Decimal
    final_grade: str | None = None
    capped: bool = False

    @property
    def quarter_columns(self):
        by_number = {quarter: value for (_year, quarter), value in self.quarter_scores.items()}
        return [by_number.get(quarter) for quarter in range(1, 5)]

    @property
    def grade(self):
        """The stored grade once finalized, else the provisional one (before the cap)."""
        return self.final_grade or self.breakdown.grade

    @property
    def grade_label(self):
        return AnnualReview.Grade(self.grade).label if self.grade else ""

    @property
    def missing_review(self):
        r = self.review
        return r is None or r.political_score is None or r.business_score is None or r.mass_score is None


def year_sheet(*, township, year, township_year=None, policy=None, village=None):
    """Every cadre of the township's year with the computed breakdown. A fixed number of queries."""
    policy = policy or current_policy()
    township_year = township_year or township_year_or_default(township=township, year=year, policy=policy)
    cadres = assessed_cadres(township=township, on=datetime.date(year, 12, 31))
    if village is not None:
        cadres = cadres.filter(village=village)
    cadres = list(cadres)
    ids = [c.pk for c in cadres]
    reviews = {r.cadre_id: r for r in AnnualReview.objects.filter(cadre_id__in=ids, year=year)}
    quarters = quarter_scores_by_cadre(cadre_ids=ids, years=[year])
    sums = ledger_sums(cadre_ids=ids, years=[year])
    vetoed = cadre_ids_with_veto(year=year, cadre_ids=ids)
    weights, shares, bands = weights_of(township_year), shares_of(township_year), bands_of(policy)
    rows = []
    for cadre in cadres:
        review = reviews.get(cadre.pk)
        q_scores = quarters.get(cadre.pk, {})
        inputs = rules.AnnualInputs(
            score_changes=(sums.get((cadre.pk, year), Decimal("0")),),
            quarter_scores=tuple(q_scores[k] for k in sorted(q_scores)),
            political=review.political_score if review else None,
            business=review.business_score if review else None,
            mass=review.mass_score if review else None,
            vetoed=cadre.pk in vetoed,
        )
        breakdown = rules.annual_breakdown(
            inputs, weights=weights, shares=shares, bands=bands, ledger_base=policy.ledger_base_score
        )
        row = YearRow(cadre=cadre, review=review, breakdown=breakdown, quarter_scores=q_scores)
        if review is not None and review.grade:
            row.final_grade, row.capped = review.grade, review.capped
        rows.append(row)
    return township_year, rows


def annual_results(*, cadre_ids, years) -> dict[int, dict[int, AnnualResult]]:
    """cadre id → {year: AnnualResult} for every year the cadre has an annual review row.

    Finalized years give the stored score and grade; open years a provisional computed score and
    band grade (veto applied, cap not). ``final`` is True only once the county confirmed the year.
    Queries: 2 (policy, reviews), plus 3 and one per open year when a requested year is still open;
    never one per cadre.
    """
    cadre_ids, years = list(cadre_ids), sorted(set(years))
    if not cadre_ids or not years:
        return {}
    policy = current_policy()
    reviews = list(AnnualReview.objects.filter(cadre_id__in=cadre_ids, year__in=years).select_related("township_year"))
    open_reviews = [r for r in reviews if r.township_year.status == TownshipYear.Status.OPEN]
    open_years = sorted({r.year for r in open_reviews})
    open_ids = {r.cadre_id for r in open_reviews}
    quarters = quarter_scores_by_cadre(cadre_ids=open_ids, years=open_years) if open_reviews else {}
    sums = ledger_sums(cadre_ids=open_ids, years=open_years) if open_reviews else {}
    vetoed = {year: cadre_ids_with_veto(year=year, cadre_ids=open_ids) for year in open_years}
    bands = bands_of(policy)
    result = defaultdict(dict)
    for review in reviews:
        ty = review.township_year
        if ty.status == TownshipYear.Status.OPEN:
            q_scores = quarters.get(review.cadre_id, {})
            inputs = rules.AnnualInputs(
                score_changes=(sums.get((review.cadre_id, review.year), Decimal("0")),),
                quarter_scores=tuple(v for (y, _q), v in sorted(q_scores.items()) if y == review.year),
                political=review.political_score,
                business=review.business_score,
                mass=review.mass_score,
                vetoed=review.cadre_id in vetoed[review.year],
            )
            b = rules.annual_breakdown(
                inputs, weights=weights_of(ty), shares=shares_of(ty), bands=bands, ledger_base=policy.ledger_base_score
            )
            score, grade = b.score, b.grade
        else:
            score, grade = review.score, review.grade or None
        result[review.cadre_id][review.year] = AnnualResult(
            year=review.year,
            score=score,
            grade=grade,
            mass_score=review.mass_score,
            final=ty.status == TownshipYear.Status.CONFIRMED,
        )
    return dict(result)


def confirmed_results(*, cadre_ids, years) -> dict[int, dict[int, AnnualResult]]:
    """cadre id → {year: AnnualResult} of the county-confirmed years only: what the promotion review
    reads (a provisional figure never decides a promotion). The same results as ``annual_results`` keeps
    with ``final`` True, in one query of plain values (model instances would cost most of a
    100,000-cadre review's reading time)."""
    cadre_ids, years = list(cadre_ids), sorted(set(years))
    if not cadre_ids or not years:
        return {}
    rows = AnnualReview.objects.filter(
        ids_in("cadre_id", cadre_ids), year__in=years, township_year__status=TownshipYear.Status.CONFIRMED
    ).values_list("cadre_id", "year", "score", "grade", "mass_score")
    result = defaultdict(dict)
    for cadre_id, year, score, grade, mass_score in rows:
        result[cadre_id][year] = AnnualResult(year=year, score=score, grade=grade or None, mass_score=mass_score, final=True)
    return dict(result)


def attendance_facts(*, cadre_ids, year) -> dict[int, AttendanceFacts]:
    """cadre id → leave days and absence without leave in ``year``, from the ledger. One query; every
    requested cadre is in the result (no entries → 0 days, not absent)."""
    cadre_ids = list(cadre_ids)
    rows = (
        LedgerEntry.objects.filter(
            ids_in("cadre_id", cadre_ids),
            date__gte=datetime.date(year, 1, 1),
            date__lte=datetime.date(year, 12, 31),
            category__kind__in=[LedgerCategory.Kind.LEAVE, LedgerCategory.Kind.ABSENCE],
        )
        .values("cadre_id", "category__kind")
        .annotate(days=Sum("leave_days"))
    )
    leave, absent = defaultdict(int), set()
    for row in rows:
        if row["category__kind"] == LedgerCategory.Kind.LEAVE:
            leave[row["cadre_id"]] += row["days"] or 0
        else:
            absent.add(row["cadre_id"])
    return {cid: AttendanceFacts(leave_days=leave[cid], absent_without_leave=cid in absent) for cid in cadre_ids}


# ---------------------------------------------------------------- overview and cadre file


@dataclass
class QuarterStatus:
    quarter: int
    township_quarter: TownshipQuarter | None
    assessed: int
    missing: list  # cadres with a missing area score


def overview(*, township, year):
    """A township's year at a glance: per quarter who is missing scores; the year's missing reviews and
    grade distribution. A fixed number of queries."""
    policy = current_policy()
    quarters_by_number = {
        tq.quarter: tq for tq in TownshipQuarter.objects.filter(township=township, year=year).prefetch_related("areas")
    }
    year_end = datetime.date(year, 12, 31)
    cadres = list(
        Cadre.objects.filter(township=township, first_appointed_on__lte=year_end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=datetime.date(year, 1, 1)))
        .select_related("village")
        .order_by("village__sort_order", "name", "id")
    )
    area_ids = [a.pk for tq in quarters_by_number.values() for a in tq.areas.all()]
    scored = defaultdict(set)
    for cadre_id, area_id in QuarterScore.objects.filter(area_id__in=area_ids).values_list("cadre_id", "area_id"):
        scored[cadre_id].add(area_id)
    statuses = []
    for number in range(1, 5):
        tq = quarters_by_number.get(number)
        _first, last = rules.quarter_bounds(year, number)
        in_post = [c for c in cadres if c.first_appointed_on <= last and (c.left_on is None or c.left_on > last)]
        needed = {a.pk for a in tq.areas.all()} if tq else set()
        missing = [c for c in in_post if not needed or not needed <= scored[c.pk]]
        statuses.append(QuarterStatus(quarter=number, township_quarter=tq, assessed=len(in_post), missing=missing))
    township_year, rows = year_sheet(township=township, year=year, policy=policy)
    distribution = {grade: 0 for grade in rules.GRADES}
    ungraded = 0
    for row in rows:
        grade = row.final_grade or row.breakdown.grade
        if grade:
            distribution[grade] += 1
        else:
            ungraded += 1
    return {
        "quarters": statuses,
        "township_year": township_year,
        "rows": rows,
        "missing_reviews": [row.cadre for row in rows if row.missing_review],
        "distribution": [(grade, AnnualReview.Grade(grade).label, count) for grade, count in distribution.items()],
        "ungraded": ungraded,
        "final": township_year.pk is not None and not township_year.is_open,
    }


def _cadre_quarter_scores(*, cadre, years) -> dict[tuple[int, int], Decimal]:
    """{(year, quarter): quarter score} of one cadre, as ``quarter_scores_by_cadre`` gives it, in one query:
    each score row carries the number of areas of its quarter."""
    areas_of_quarter = (
        QuarterArea.objects.filter(township_quarter_id=OuterRef("area__township_quarter_id"))
        .order_by()
        .values("township_quarter_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        QuarterScore.objects.filter(cadre=cadre, area__township_quarter__year__in=list(years))
        .annotate(areas=Subquery(areas_of_quarter))
        .values_list("score", "area__weight", "area__township_quarter__year", "area__township_quarter__quarter", "areas")
    )
    pairs, areas = defaultdict(list), {}
    for score, weight, year, quarter, n in rows:
        pairs[(year, quarter)].append((score, weight))
        areas[(year, quarter)] = n
    return {key: rules.quarter_score(scored) for key, scored in pairs.items() if len(scored) == areas[key]}


def _cadre_reviews(*, cadre) -> list[AnnualReview]:
    """The cadre's annual reviews with their township year, each carrying what an open year's provisional
    score needs besides the quarters: the year's ledger sum (as ``ledger_sums``) and its veto. One query."""
    ledger_sum = (
        LedgerEntry.objects.filter(cadre_id=OuterRef("cadre_id"), date__year=OuterRef("year"), score_change__isnull=False)
        .order_by()
        .values("cadre_id")
        .annotate(total=Sum("score_change"))
        .values("total")
    )
    return list(
        AnnualReview.objects.filter(cadre=cadre)
        .select_related("township_year")
        .annotate(
            ledger_sum=Subquery(ledger_sum, output_field=DecimalField(max_digits=9, decimal_places=2)),
            veto_charged=Exists(vetoes_charged(cadre=OuterRef("cadre_id"), year=OuterRef("year"))),
        )
    )


def _cadre_annual_results(*, reviews, quarters) -> dict[int, AnnualResult]:
    """{year: AnnualResult} from ``_cadre_reviews``, the same as ``annual_results`` gives for those years;
    no query unless a year is open (then the county policy). ``quarters`` are the cadre's quarter scores
    of (at least) those years."""
    policy = current_policy() if any(r.township_year.status == TownshipYear.Status.OPEN for r in reviews) else None
    results = {}
    for review in reviews:
        ty = review.township_year
        if ty.status == TownshipYear.Status.OPEN:
            inputs = rules.AnnualInputs(
                score_changes=(review.ledger_sum if review.ledger_sum is not None else Decimal("0"),),
                quarter_scores=tuple(v for (y, _q), v in sorted(quarters.items()) if y == review.year),
                political=review.political_score,
                business=review.business_score,
                mass=review.mass_score,
                vetoed=review.veto_charged,
            )
            b = rules.annual_breakdown(
                inputs, weights=weights_of(ty), shares=shares_of(ty), bands=bands_of(policy), ledger_base=policy.ledger_base_score
            )
            score, grade = b.score, b.grade
        else:
            score, grade = review.score, review.grade or None
        results[review.year] = AnnualResult(
            year=review.year,
            score=score,
            grade=grade,
            mass_score=review.mass_score,
            final=ty.status == TownshipYear.Status.CONFIRMED,
        )
    return results


def cadre_panel(cadre, user) -> dict:
    """Context of the cadre file panel: recent ledger entries, quarter scores and years. Three queries,
    four when a year is still open (the county policy then grades it provisionally)."""
    if not (user.is_township_staff or user.is_county_approver):
        return {"visible": False}
    entries = list(
        scope_for_user(LedgerEntry.objects.filter(cadre=cadre), user).select_related("category").order_by("-date", "-id")[:10]
    )
    reviews = _cadre_reviews(cadre=cadre)
    this_year = timezone.localdate().year
    quarter_years = {review.year for review in reviews} | {this_year, this_year - 1}
    quarters = _cadre_quarter_scores(cadre=cadre, years=sorted(quarter_years))
    results = _cadre_annual_results(reviews=reviews, quarters=quarters)
    return {
        "visible": True,
        "entries": entries,
        "quarters": sorted(quarters.items(), reverse=True)[:8],
        "years": [results[year] for year in sorted(results, reverse=True)],
    }
