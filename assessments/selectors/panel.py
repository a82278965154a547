"""A township's year at a glance (the overview page) and the assessments section of the cadre file."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.cadres.models import Cadre, Township
from supervision.selectors import vetoes_charged

from .. import rules
from ..models import AnnualReview, LedgerEntry, QuarterScore, TownshipQuarter, TownshipYear
from .access import can_read_assessments
from .ledger import score_change_totals
from .policy import current_policy
from .quarters import quarter_scores_by_cadre
from .years import annual_result, year_sheet


@dataclass
class QuarterStatus:
    quarter: int
    township_quarter: TownshipQuarter | None
    assessed: int
    missing: list  # cadres with a missing area score


def _quarter_statuses(*, township: Township, year: int) -> list[QuarterStatus]:
    """Per quarter of the year: the cadres in post at its end and those with an area unscored."""
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
    scored: defaultdict[int, set[int]] = defaultdict(set)
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
    return statuses


def overview(*, township: Township, year: int) -> dict[str, Any]:
    """A township's year at a glance: per quarter who is missing scores; the year's missing reviews and
    grade distribution. A fixed number of queries."""
    policy = current_policy()
    statuses = _quarter_statuses(township=township, year=year)
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


def _cadre_reviews(*, cadre: Cadre) -> list[AnnualReview]:
    """The cadre's annual reviews with their township year, each carrying what an open year's provisional
    score needs besides the quarters: the year's ledger sum (``score_change_totals``) and its veto. One query."""
    ledger_sum = score_change_totals(
        LedgerEntry.objects.filter(cadre_id=OuterRef("cadre_id"), date__year=OuterRef("year")), "cadre_id"
    ).values("total")
    return list(
        AnnualReview.objects.filter(cadre=cadre)
        .select_related("township_year")
        .annotate(
            ledger_sum=Subquery(ledger_sum, output_field=DecimalField(max_digits=9, decimal_places=2)),
            veto_charged=Exists(vetoes_charged(cadre=OuterRef("cadre_id"), year=OuterRef("year"))),
        )
    )


def cadre_panel(cadre: Cadre, user: User) -> dict[str, Any]:
    """Context of the cadre file panel: recent ledger entries, quarter scores and years — the same figures
    as ``quarter_scores_by_cadre`` and ``annual_results``. Three queries, four when a year is still open
    (the county policy then grades it provisionally)."""
    if not can_read_assessments(user):
        return {"visible": False}
    entries = list(
        scope_for_user(LedgerEntry.objects.filter(cadre=cadre), user).select_related("category").order_by("-date", "-id")[:10]
    )
    reviews = _cadre_reviews(cadre=cadre)
    this_year = timezone.localdate().year
    quarter_years = {review.year for review in reviews} | {this_year, this_year - 1}
    quarters = quarter_scores_by_cadre(cadre_ids=[cadre.pk], years=sorted(quarter_years)).get(cadre.pk, {})
    policy = current_policy() if any(r.township_year.status == TownshipYear.Status.OPEN for r in reviews) else None
    results = {
        review.year: annual_result(
            # ledger_sum and veto_charged are the annotations of _cadre_reviews.
            review,
            policy=policy,
            ledger_sum=review.ledger_sum,  # type: ignore[attr-defined]
            quarters=quarters,
            vetoed=review.veto_charged,  # type: ignore[attr-defined]
        )
        for review in reviews
    }
    return {
        "visible": True,
        "entries": entries,
        "quarters": sorted(quarters.items(), reverse=True)[:8],
        "years": [results[year] for year in sorted(results, reverse=True)],
    }
