"""A township's assessment year: the road from the ledger, the quarters and the year-end review to the
annual score and grade (``annual_breakdown_of``, ``annual_result``), which the year page, the API, the
cadre file, the dashboard and the promotion review all take."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from cadre_mgmt.cadres.models import Cadre, Township, Village
from cadre_mgmt.lookups import ids_in
from supervision.selectors import cadre_ids_with_veto

from .. import rules
from ..models import AnnualReview, AssessmentPolicy, TownshipYear
from .ledger import ledger_sums
from .policy import assessed_cadres, bands_of, current_policy, shares_of, township_year_or_default, weights_of
from .quarters import quarter_scores_by_cadre


@dataclass(frozen=True)
class AnnualResult:
    year: int
    score: Decimal | None
    grade: str | None
    mass_score: Decimal | None
    final: bool
    # Where the mass score came from, when the villagers' evaluation set it (assessments/evaluation).
    mass_source: str = ""

    @property
    def grade_label(self) -> str:
        return str(AnnualReview.Grade(self.grade).label) if self.grade else ""


@dataclass
class YearRow:
    cadre: Cadre
    review: AnnualReview | None
    breakdown: rules.AnnualBreakdown
    quarter_scores: dict  # (year, quarter) → Decimal
    final_grade: str | None = None
    capped: bool = False

    @property
    def quarter_columns(self) -> list[Decimal | None]:
        by_number = {quarter: value for (_year, quarter), value in self.quarter_scores.items()}
        return [by_number.get(quarter) for quarter in range(1, 5)]

    @property
    def grade(self) -> str | None:
        """The stored grade once finalized, else the provisional one (before the cap)."""
        return self.final_grade or self.breakdown.grade

    @property
    def grade_label(self) -> str:
        return str(AnnualReview.Grade(self.grade).label) if self.grade else ""

    @property
    def missing_review(self) -> bool:
        r = self.review
        return r is None or r.political_score is None or r.business_score is None or r.mass_score is None


def annual_breakdown_of(
    *,
    year: int,
    township_year: TownshipYear,
    policy: AssessmentPolicy,
    ledger_sum: Decimal | None,
    quarters: Mapping[tuple[int, int], Decimal],
    review: AnnualReview | None,
    vetoed: bool,
    bands: rules.Bands | None = None,
) -> rules.AnnualBreakdown:
    """The one road from the figures to the annual score and grade (veto applied, excellent cap not).

    ``ledger_sum``: the year's sum of score changes (None = no entries); ``quarters``: {(year, quarter):
    quarter score} (other years' are ignored); ``review``: the AnnualReview or None.
    """
    inputs = rules.AnnualInputs(
        score_changes=(ledger_sum if ledger_sum is not None else Decimal("0"),),
        quarter_scores=tuple(value for (y, _q), value in sorted(quarters.items()) if y == year),
        political=review.political_score if review else None,
        business=review.business_score if review else None,
        mass=review.mass_score if review else None,
        vetoed=vetoed,
    )
    return rules.annual_breakdown(
        inputs,
        weights=weights_of(township_year),
        shares=shares_of(township_year),
        bands=bands or bands_of(policy),
        ledger_base=policy.ledger_base_score,
    )


def annual_result(
    review: AnnualReview,
    *,
    policy: AssessmentPolicy | None,
    ledger_sum: Decimal | None,
    quarters: Mapping[tuple[int, int], Decimal],
    vetoed: bool,
    bands: rules.Bands | None = None,
) -> AnnualResult:
    """A review's AnnualResult: a finalized year's stored score and grade, an open year's provisional ones
    (``annual_breakdown_of``; ``policy`` is read only then). ``final`` once the county confirmed the year."""
    ty = review.township_year
    if ty.status == TownshipYear.Status.OPEN:
        b = annual_breakdown_of(
            year=review.year,
            township_year=ty,
            policy=policy or current_policy(),
            ledger_sum=ledger_sum,
            quarters=quarters,
            review=review,
            vetoed=vetoed,
            bands=bands,
        )
        score, grade = b.score, b.grade
    else:
        score, grade = review.score, review.grade or None
    return AnnualResult(
        year=review.year, score=score, grade=grade, mass_score=review.mass_score, final=ty.status == TownshipYear.Status.CONFIRMED
    )


def year_sheet(
    *,
    township: Township,
    year: int,
    township_year: TownshipYear | None = None,
    policy: AssessmentPolicy | None = None,
    village: Village | None = None,
) -> tuple[TownshipYear, list[YearRow]]:
    """Every cadre of the township's year with the computed breakdown. A fixed number of queries."""
    policy = policy or current_policy()
    township_year = township_year or township_year_or_default(township=township, year=year, policy=policy)
    assessed = assessed_cadres(township=township, on=datetime.date(year, 12, 31))
    cadres = list(assessed if village is None else assessed.filter(village=village))
    ids = [c.pk for c in cadres]
    reviews = {r.cadre_id: r for r in AnnualReview.objects.filter(cadre_id__in=ids, year=year)}
    quarters = quarter_scores_by_cadre(cadre_ids=ids, years=[year])
    sums = ledger_sums(cadre_ids=ids, years=[year])
    vetoed = cadre_ids_with_veto(year=year, cadre_ids=ids)
    bands = bands_of(policy)
    rows = []
    for cadre in cadres:
        review = reviews.get(cadre.pk)
        q_scores = quarters.get(cadre.pk, {})
        breakdown = annual_breakdown_of(
            year=year,
            township_year=township_year,
            policy=policy,
            ledger_sum=sums.get((cadre.pk, year)),
            quarters=q_scores,
            review=review,
            vetoed=cadre.pk in vetoed,
            bands=bands,
        )
        row = YearRow(cadre=cadre, review=review, breakdown=breakdown, quarter_scores=q_scores)
        if review is not None and review.grade:
            row.final_grade, row.capped = review.grade, review.capped
        rows.append(row)
    return township_year, rows


def annual_results(*, cadre_ids: Iterable[int], years: Iterable[int]) -> dict[int, dict[int, AnnualResult]]:
    """cadre id → {year: AnnualResult} for every year the cadre has an annual review row.

    Finalized years give the stored score and grade; open years a provisional computed score and
    band grade (veto applied, cap not). ``final`` is True only once the county confirmed the year.
    Queries: 2 (policy, reviews), plus 2 and one per open year when a requested year is still open;
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
    result: defaultdict[int, dict[int, AnnualResult]] = defaultdict(dict)
    for review in reviews:
        result[review.cadre_id][review.year] = annual_result(
            review,
            policy=policy,
            ledger_sum=sums.get((review.cadre_id, review.year)),
            quarters=quarters.get(review.cadre_id, {}),
            vetoed=review.cadre_id in vetoed.get(review.year, ()),
            bands=bands,
        )
    return dict(result)


def confirmed_results(*, cadre_ids: Iterable[int], years: Iterable[int]) -> dict[int, dict[int, AnnualResult]]:
    """cadre id → {year: AnnualResult} of the county-confirmed years only: what the promotion review
    reads (a provisional figure never decides a promotion). The same results as ``annual_results`` keeps
    with ``final`` True, in one query of plain values (model instances would cost most of a
    100,000-cadre review's reading time)."""
    cadre_ids, years = list(cadre_ids), sorted(set(years))
    if not cadre_ids or not years:
        return {}
    rows = AnnualReview.objects.filter(
        ids_in("cadre_id", cadre_ids), year__in=years, township_year__status=TownshipYear.Status.CONFIRMED
    ).values_list("cadre_id", "year", "score", "grade", "mass_score", "mass_source")
    result: defaultdict[int, dict[int, AnnualResult]] = defaultdict(dict)
    for cadre_id, year, score, grade, mass_score, source in rows:
        result[cadre_id][year] = AnnualResult(
            year=year, score=score, grade=grade or None, mass_score=mass_score, final=True, mass_source=source
        )
    return dict(result)
