"""Points (积分): excellent years and commendations at the current level shorten the years required.

DESIGN §5: excellent year +2; commendation county +2, city +4, province +6, national +10; of the same
honour only the highest counts; a collective honour gives half; at most 10 points a calendar year;
every 4 points shorten the required years by one. Points dated on or before
``points_consumed_until`` were used by an earlier promotion and count no more.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .config import RuleSettings
from .facts import EXCELLENT, CadreFacts, CommendationFact
from .labels import commendation_level_label
from .text import clauses, number
from .text import tr as _

COUNTED = "counted"
CONSUMED = "consumed"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class PointItem:
    source: str  # "excellent_year" or "commendation"
    ref: int  # the year, or the commendation id
    year: int  # the calendar year the points belong to (for the yearly cap)
    on: date
    points: Decimal  # what the item is worth (after the collective share)
    status: str  # counted / consumed / superseded
    evidence: str


@dataclass(frozen=True)
class PointsYear:
    year: int
    raw: Decimal
    counted: Decimal  # raw, capped at the yearly cap


@dataclass(frozen=True)
class PointsSummary:
    items: tuple[PointItem, ...]
    years: tuple[PointsYear, ...]
    total: Decimal
    credit_years: int

    @classmethod
    def empty(cls) -> "PointsSummary":
        return cls(items=(), years=(), total=Decimal("0"), credit_years=0)


def commendation_points(commendation: CommendationFact, settings: RuleSettings) -> Decimal:
    points = settings.commendation_points[commendation.level]
    if commendation.collective:
        points *= settings.collective_factor
    return points


def _in_period(day: date, facts: CadreFacts) -> bool:
    return facts.level_since is not None and facts.level_since <= day <= facts.review_date


def _consumed(day: date, facts: CadreFacts) -> bool:
    return facts.points_consumed_until is not None and day <= facts.points_consumed_until


def _excellent_items(facts: CadreFacts, settings: RuleSettings) -> list[PointItem]:
    items = []
    for year in sorted(facts.grades):
        # An annual grade belongs to the last day of its year.
        day = date(year, 12, 31)
        if facts.grades[year] != EXCELLENT or year > facts.review_year or not _in_period(day, facts):
            continue
        points = settings.excellent_year_points
        if _consumed(day, facts):
            status = CONSUMED
            evidence = _("%(year)s excellent year: %(points)s points, already used by the promotion of %(until)s") % {
                "year": year,
                "points": number(points),
                "until": _consumed_until(facts),
            }
        else:
            status = COUNTED
            evidence = _("%(year)s excellent year: +%(points)s points") % {"year": year, "points": number(points)}
        items.append(PointItem("excellent_year", year, year, day, points, status, evidence))
    return items


def _consumed_until(facts: CadreFacts) -> str:
    """The day up to which points were consumed (only asked when ``_consumed`` said so)."""
    return facts.points_consumed_until.isoformat() if facts.points_consumed_until is not None else ""


def _commendation_items(facts: CadreFacts, settings: RuleSettings) -> list[PointItem]:
    candidates = sorted((c for c in facts.commendations if _in_period(c.awarded_on, facts)), key=lambda c: (c.awarded_on, c.id))
    best: dict[str, tuple] = {}
    for commendation in candidates:
        if _consumed(commendation.awarded_on, facts):
            continue
        current = best.get(commendation.honour)
        key = (commendation_points(commendation, settings), -commendation.awarded_on.toordinal(), -commendation.id)
        if current is None or key > current[0]:
            best[commendation.honour] = (key, commendation)
    items = []
    for commendation in candidates:
        points = commendation_points(commendation, settings)
        described = {
            "level": commendation_level_label(commendation.level),
            "title": commendation.title,
            "on": commendation.awarded_on.isoformat(),
            "points": number(points),
        }
        if _consumed(commendation.awarded_on, facts):
            status = CONSUMED
            evidence = _(
                "%(level)s commendation “%(title)s” (%(on)s): %(points)s points, already used by the promotion of %(until)s"
            ) % {
                **described,
                "until": _consumed_until(facts),
            }
        elif best[commendation.honour][1] is not commendation:
            status = SUPERSEDED
            winner = best[commendation.honour][1]
            evidence = _("%(level)s commendation “%(title)s” (%(on)s): same honour as “%(best)s”, only the highest counts") % {
                **described,
                "best": winner.title,
            }
        else:
            status = COUNTED
            if commendation.collective:
                evidence = _(
                    "%(level)s collective honour “%(title)s” (%(on)s): +%(points)s points (%(share)s of the individual points)"
                ) % {
                    **described,
                    "share": number(settings.collective_factor),
                }
            else:
                evidence = _("%(level)s commendation “%(title)s” (%(on)s): +%(points)s points") % described
        items.append(
            PointItem(
                "commendation", commendation.id, commendation.awarded_on.year, commendation.awarded_on, points, status, evidence
            )
        )
    return items


def points_summary(facts: CadreFacts, settings: RuleSettings) -> PointsSummary:
    """The points earned at the current level up to the review date, capped per year, and their credit."""
    if not settings.points_enabled or facts.level_since is None:
        return PointsSummary.empty()
    items = sorted(
        _excellent_items(facts, settings) + _commendation_items(facts, settings),
        key=lambda item: (item.on, item.source, item.ref),
    )
    raw: defaultdict[int, Decimal] = defaultdict(Decimal)
    for item in items:
        if item.status == COUNTED:
            raw[item.year] += item.points
    years = tuple(PointsYear(year, raw[year], min(raw[year], settings.yearly_points_cap)) for year in sorted(raw))
    total = sum((year.counted for year in years), Decimal("0"))
    credit_years = int(total // settings.points_per_credit_year)
    return PointsSummary(items=tuple(items), years=years, total=total, credit_years=credit_years)


def points_arithmetic(summary: PointsSummary, settings: RuleSettings) -> str:
    """The sum in words: "2024: 6 points; 2025: 12 points, counted 10 → 16 points, 4 points a year → 4 years"."""
    parts = []
    for year in summary.years:
        if year.counted < year.raw:
            parts.append(
                _("%(year)s: %(raw)s points, capped at %(counted)s")
                % {"year": year.year, "raw": number(year.raw), "counted": number(year.counted)}
            )
        else:
            parts.append(_("%(year)s: %(raw)s points") % {"year": year.year, "raw": number(year.raw)})
    return _(
        "Points at this level: %(parts)s; total %(total)s, every %(per)s points shorten the years by one: %(credit)s years"
    ) % {
        "parts": clauses(parts) if parts else _("none"),
        "total": number(summary.total),
        "per": number(settings.points_per_credit_year),
        "credit": summary.credit_years,
    }
