"""A township's quarters: their task areas, the score grid and the quarter score."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery

from cadre_mgmt.cadres.models import Cadre, Township, Village

from .. import rules
from ..models import DefaultQuarterArea, QuarterArea, QuarterScore, TownshipQuarter
from .ledger import ledger_changes
from .policy import assessed_cadres


@dataclass
class QuarterRow:
    cadre: Cadre
    scores: dict  # area id → Decimal
    quarter_score: Decimal | None
    missing: int
    ledger_change: Decimal


def quarter_or_none(*, township: Township, year: int, quarter: int) -> TownshipQuarter | None:
    return TownshipQuarter.objects.filter(township=township, year=year, quarter=quarter).first()


def proposed_areas(*, township: Township, year: int, quarter: int) -> list[tuple[str, Decimal]]:
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


def quarter_score_if_complete(pairs: Iterable[tuple[Decimal, Decimal]], areas: int) -> Decimal | None:
    """The quarter score rule, in one place: the weighted score of ``pairs`` (score, weight) once every one
    of the quarter's ``areas`` (their number) is scored; None while one is missing."""
    pairs = list(pairs)
    if not areas or len(pairs) != areas:
        return None
    return rules.quarter_score(pairs)


def quarter_grid(
    *,
    township: Township,
    year: int,
    quarter: int,
    township_quarter: TownshipQuarter | None = None,
    village: Village | None = None,
) -> tuple[list[QuarterArea], list[QuarterRow]]:
    """(areas, rows) of a township's quarter: every cadre in post at quarter end × every area. 4 queries."""
    first, last = rules.quarter_bounds(year, quarter)
    cadres = assessed_cadres(township=township, on=last)
    if village is not None:
        cadres = cadres.filter(village=village)
    cadre_list = list(cadres)
    areas = list(township_quarter.areas.all()) if township_quarter is not None and township_quarter.pk else []
    by_cadre: defaultdict[int, dict[int, Decimal]] = defaultdict(dict)
    if areas:
        for score in QuarterScore.objects.filter(area__in=areas, cadre__in=cadre_list).values("cadre_id", "area_id", "score"):
            by_cadre[score["cadre_id"]][score["area_id"]] = score["score"]
    # The ledger feeds the quarter for reference: the sum of the quarter's score changes.
    ledger = ledger_changes(cadre_ids=[c.pk for c in cadre_list], first=first, last=last)
    rows = []
    for cadre in cadre_list:
        scores = by_cadre.get(cadre.pk, {})
        rows.append(
            QuarterRow(
                cadre=cadre,
                scores=scores,
                quarter_score=quarter_score_if_complete(((scores[a.pk], a.weight) for a in areas if a.pk in scores), len(areas)),
                missing=len(areas) - len(scores) if areas else 0,
                ledger_change=ledger.get(cadre.pk) or Decimal("0"),
            )
        )
    return areas, rows


def quarter_scores_by_cadre(*, cadre_ids: Iterable[int], years: Iterable[int]) -> dict[int, dict[tuple[int, int], Decimal]]:
    """cadre id → {(year, quarter): quarter score} for quarters where every area is scored. One query:
    each score row carries the number of areas of its quarter."""
    areas_of_quarter = (
        QuarterArea.objects.filter(township_quarter_id=OuterRef("area__township_quarter_id"))
        .order_by()
        .values("township_quarter_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        QuarterScore.objects.filter(cadre_id__in=list(cadre_ids), area__township_quarter__year__in=list(years))
        .annotate(areas=Subquery(areas_of_quarter))
        .values_list(
            "cadre_id",
            "score",
            "area__weight",
            "area__township_quarter_id",
            "area__township_quarter__year",
            "area__township_quarter__quarter",
            "areas",
        )
    )
    collected: defaultdict[int, defaultdict[int, list[tuple[Decimal, Decimal]]]] = defaultdict(lambda: defaultdict(list))
    keys: dict[int, tuple[int, int]] = {}
    counts: dict[int, int] = {}
    for cadre_id, score, weight, tq, year, quarter, areas in rows:
        keys[tq], counts[tq] = (year, quarter), areas
        collected[cadre_id][tq].append((score, weight))
    result: dict[int, dict[tuple[int, int], Decimal]] = {}
    for cadre_id, by_quarter in collected.items():
        scored = {keys[tq]: quarter_score_if_complete(pairs, counts[tq]) for tq, pairs in by_quarter.items()}
        result[cadre_id] = {key: value for key, value in scored.items() if value is not None}
    return result
