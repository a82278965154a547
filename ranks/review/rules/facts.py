"""What the promotion rules read about one cadre: plain values the review maps from the other areas.

No ORM here. The promotion review (the integrator) fills these from ``ranks.ladder.selectors``,
``assessments.selectors``, ``supervision.selectors`` and ``incentives.selectors``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

LOWEST_LEVEL = 13
HIGHEST_LEVEL = 1

EXCELLENT = "excellent"
COMPETENT = "competent"
BASICALLY_COMPETENT = "basically_competent"
INCOMPETENT = "incompetent"
GRADES = (EXCELLENT, COMPETENT, BASICALLY_COMPETENT, INCOMPETENT)
GOOD_GRADES = frozenset({EXCELLENT, COMPETENT})

# Ascending: "at least city" means city, province or national.
COMMENDATION_LEVELS = ("county", "city", "province", "national")

# Each list runs from the mildest to the gravest, so "X or heavier" is an index comparison.
PARTY_SEVERITIES = ("party_warning", "party_serious_warning", "party_removal", "party_probation", "party_expulsion")
GOV_SEVERITIES = ("gov_warning", "gov_demerit", "gov_major_demerit", "gov_demotion", "gov_dismissal")
SEVERITIES = ("admonition", "org_measure", *PARTY_SEVERITIES, *GOV_SEVERITIES)


def commendation_rank(level: str) -> int:
    return COMMENDATION_LEVELS.index(level)


@dataclass(frozen=True)
class SanctionFact:
    id: int
    kind: str
    severity: str
    decided_on: date
    effective_until: date | None
    description: str = ""

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown sanction severity {self.severity!r}")


@dataclass(frozen=True)
class InvestigationFact:
    id: int
    opened_on: date
    description: str = ""


@dataclass(frozen=True)
class VetoFact:
    id: int
    occurred_on: date
    reason: str = ""


@dataclass(frozen=True)
class CommendationFact:
    id: int
    level: str
    title: str
    awarded_on: date
    collective: bool = False
    # Identifies "the same honour" (e.g. normalized title + year): only the highest award of one honour counts.
    honour_key: str = ""

    def __post_init__(self):
        if self.level not in COMMENDATION_LEVELS:
            raise ValueError(f"unknown commendation level {self.level!r}")

    @property
    def honour(self) -> str:
        return self.honour_key or f"#{self.id}"


@dataclass(frozen=True)
class CadreFacts:
    """Everything the rules know about one cadre for one review.

    ``review_year`` is the assessment year under review (its grade, its vetoes, its sanctions);
    ``review_date`` the day the review evaluates "on" (31 December of that year, or today for a dry run).
    ``active_sanctions`` are those in effect on ``review_date``; ``sanctions_in_year`` those decided in
    ``review_year``; the lists are taken as given (the selectors did the date filtering).
    """

    cadre_id: int
    review_year: int
    review_date: date
    level: int
    level_since: date | None  # effective month of the change that set the level; None: never graded
    in_post: bool
    suspended: bool
    months_in_current_post: int
    grades: Mapping[int, str | None]
    mass_score: Decimal | None
    leave_days: int
    absent_without_leave: bool
    active_sanctions: tuple[SanctionFact, ...] = ()
    sanctions_in_year: tuple[SanctionFact, ...] = ()
    open_investigations: tuple[InvestigationFact, ...] = ()
    vetoes_in_year: tuple[VetoFact, ...] = ()
    commendations: tuple[CommendationFact, ...] = ()
    # Points dated on or before this day were consumed by an earlier promotion.
    points_consumed_until: date | None = None
    # The effective month of a change of level after ``review_date`` (an approval since): the cadre is not
    # evaluated again for this year and nothing is proposed (DESIGN §5, as of the review date).
    level_changed_on: date | None = None
    # Where the mass score came from ("村民测评 43 票，满意度 86.0%" or "乡镇录入：理由…"); empty when typed on the year page.
    mass_source: str = ""

    def __post_init__(self):
        if not HIGHEST_LEVEL <= self.level <= LOWEST_LEVEL:
            raise ValueError(f"level {self.level} outside {HIGHEST_LEVEL}..{LOWEST_LEVEL}")
        for name in ("active_sanctions", "sanctions_in_year", "open_investigations", "vetoes_in_year", "commendations"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        grades = {int(year): grade for year, grade in dict(self.grades).items()}
        unknown = {grade for grade in grades.values() if grade is not None and grade not in GRADES}
        if unknown:
            raise ValueError(f"unknown grade codes {sorted(unknown)}")
        object.__setattr__(self, "grades", grades)
        if self.mass_score is not None and not isinstance(self.mass_score, Decimal):
            object.__setattr__(self, "mass_score", Decimal(str(self.mass_score)))
        if self.leave_days < 0 or self.months_in_current_post < 0:
            raise ValueError("leave_days and months_in_current_post cannot be negative")

    def grade(self, year: int) -> str | None:
        return self.grades.get(year)
