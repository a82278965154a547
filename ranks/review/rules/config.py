"""The county's parameters of the promotion rules, and the ladder the rules climb.

Every condition has an on/off switch ``<code>_enabled`` and its parameters, with the defaults of
DESIGN §3 and §5. ``RuleSettings.to_dict()`` / ``from_dict()`` let a settings row keep them as JSON:
missing keys take the default (so rows written before a parameter existed keep working) and unknown
keys are ignored.
"""

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .facts import COMMENDATION_LEVELS, GOV_SEVERITIES, HIGHEST_LEVEL, LOWEST_LEVEL, PARTY_SEVERITIES, SEVERITIES
from .labels import parameter_label, rule_label

BASIC = "basic"
DISQUALIFIER = "disqualifier"
BONUS = "bonus"
DEMOTION = "demotion"


# The one table of the numeric parameters' ranges: the settings form offers them and RuleSettings refuses
# anything outside them (stored JSON, the API, the command).
PARAMETER_BOUNDS = {
    "min_years_after_credit": (1, 20),
    "years_grace_months": (0, 11),
    "satisfaction_threshold": (Decimal("0"), Decimal("100")),
    "max_leave_days": (0, 366),
    "min_months_in_post": (0, 120),
    "excellent_year_points": (Decimal("0"), Decimal("100")),
    "collective_factor": (Decimal("0"), Decimal("1")),
    "yearly_points_cap": (Decimal("0.5"), Decimal("100")),
    "points_per_credit_year": (Decimal("0.5"), Decimal("100")),
    "out_of_turn_extra_levels": (1, 2),
    "demote_incompetent_levels": (1, 2),
    "demote_basic_twice_levels": (1, 2),
    "demote_veto_levels": (1, 2),
    "demote_heavy_sanction_levels": (1, 2),
}


def _default_commendation_points():
    return {"county": Decimal("2"), "city": Decimal("4"), "province": Decimal("6"), "national": Decimal("10")}


@dataclass(frozen=True)
class RuleSettings:
    basic_years_enabled: bool = True
    min_years_after_credit: int = 1
    years_grace_months: int = 0
    collective_honours_qualify: bool = False

    basic_integrity_enabled: bool = True

    dq_grade_enabled: bool = True
    dq_sanction_enabled: bool = True
    dq_investigation_enabled: bool = True
    dq_veto_enabled: bool = True
    dq_satisfaction_enabled: bool = True
    satisfaction_threshold: Decimal = Decimal("70")
    dq_attendance_enabled: bool = True
    max_leave_days: int = 183
    dq_tenure_enabled: bool = True
    min_months_in_post: int = 12

    points_enabled: bool = True
    excellent_year_points: Decimal = Decimal("2")
    commendation_points: dict = field(default_factory=_default_commendation_points)
    collective_factor: Decimal = Decimal("0.5")
    yearly_points_cap: Decimal = Decimal("10")
    points_per_credit_year: Decimal = Decimal("4")

    out_of_turn_enabled: bool = True
    out_of_turn_min_level: str = "national"
    out_of_turn_extra_levels: int = 1

    demote_incompetent_enabled: bool = True
    demote_incompetent_levels: int = 1
    demote_basic_twice_enabled: bool = True
    demote_basic_twice_levels: int = 1
    demote_veto_enabled: bool = True
    demote_veto_levels: int = 1
    demote_heavy_sanction_enabled: bool = True
    demote_heavy_sanction_levels: int = 1
    heavy_party_min: str = "party_serious_warning"
    heavy_gov_min: str = "gov_demerit"
    dismissal_enabled: bool = True
    dismissal_severities: tuple = ("party_expulsion", "gov_dismissal")

    def __post_init__(self):
        points = {level: Decimal(str(value)) for level, value in dict(self.commendation_points).items()}
        object.__setattr__(self, "commendation_points", points)
        object.__setattr__(self, "dismissal_severities", tuple(self.dismissal_severities))
        for name in ("satisfaction_threshold", "excellent_year_points", "collective_factor", "yearly_points_cap"):
            object.__setattr__(self, name, Decimal(str(getattr(self, name))))
        object.__setattr__(self, "points_per_credit_year", Decimal(str(self.points_per_credit_year)))
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """What is wrong with these values, in words for the developer (the settings form checks first)."""
        problems = []

        def check(ok, message):
            if not ok:
                problems.append(message)

        for name, (low, high) in PARAMETER_BOUNDS.items():
            check(low <= getattr(self, name) <= high, f"{name} must be {low}..{high}")
        check(set(self.commendation_points) == set(COMMENDATION_LEVELS), "commendation_points needs every level")
        check(all(value >= 0 for value in self.commendation_points.values()), "commendation points cannot be negative")
        check(self.out_of_turn_min_level in COMMENDATION_LEVELS, "out_of_turn_min_level must be a commendation level")
        check(self.heavy_party_min in PARTY_SEVERITIES, "heavy_party_min must be a Party sanction")
        check(self.heavy_gov_min in GOV_SEVERITIES, "heavy_gov_min must be a government sanction")
        check(set(self.dismissal_severities) <= set(SEVERITIES), "dismissal_severities holds unknown severities")
        return problems

    def enabled(self, code: str) -> bool:
        return getattr(self, f"{code}_enabled")

    def to_dict(self) -> dict:
        data = {}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, dict):
                value = {key: str(points) for key, points in sorted(value.items())}
            elif isinstance(value, tuple):
                value = list(value)
            data[item.name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "RuleSettings":
        """Build settings from stored JSON; raises ValueError on a value of the wrong kind or range."""
        defaults = cls()
        values = {}
        for item in dataclasses.fields(cls):
            if item.name not in data:
                continue
            default, raw = getattr(defaults, item.name), data[item.name]
            try:
                values[item.name] = _coerce(default, raw)
            except (TypeError, ValueError, InvalidOperation) as error:
                raise ValueError(f"{item.name}: {raw!r} is not a valid value") from error
        return cls(**values)


def _coerce(default, raw):
    if isinstance(default, bool):
        if not isinstance(raw, bool):
            raise TypeError
        return raw
    if isinstance(default, int):
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise TypeError
        return int(raw)
    if isinstance(default, Decimal):
        return Decimal(str(raw))
    if isinstance(default, dict):
        return {**default, **{str(key): Decimal(str(value)) for key, value in dict(raw).items()}}
    if isinstance(default, tuple):
        if isinstance(raw, str):
            raise TypeError
        return tuple(str(value) for value in raw)
    if not isinstance(raw, str):
        raise TypeError
    return raw


@dataclass(frozen=True)
class RuleDescription:
    """One rule as the settings page shows it: its switch and its parameters."""

    code: str
    kind: str
    label: str
    switch: str
    params: tuple[str, ...]


# (code, kind, parameter names) in the order the review lists them.
RULES = (
    ("basic_years", BASIC, ("min_years_after_credit", "years_grace_months", "collective_honours_qualify")),
    ("basic_integrity", BASIC, ()),
    ("dq_grade", DISQUALIFIER, ()),
    ("dq_sanction", DISQUALIFIER, ()),
    ("dq_investigation", DISQUALIFIER, ()),
    ("dq_veto", DISQUALIFIER, ()),
    ("dq_satisfaction", DISQUALIFIER, ("satisfaction_threshold",)),
    ("dq_attendance", DISQUALIFIER, ("max_leave_days",)),
    ("dq_tenure", DISQUALIFIER, ("min_months_in_post",)),
    (
        "points",
        BONUS,
        ("excellent_year_points", "commendation_points", "collective_factor", "yearly_points_cap", "points_per_credit_year"),
    ),
    ("out_of_turn", BONUS, ("out_of_turn_min_level", "out_of_turn_extra_levels")),
    ("demote_incompetent", DEMOTION, ("demote_incompetent_levels",)),
    ("demote_basic_twice", DEMOTION, ("demote_basic_twice_levels",)),
    ("demote_veto", DEMOTION, ("demote_veto_levels",)),
    ("demote_heavy_sanction", DEMOTION, ("demote_heavy_sanction_levels", "heavy_party_min", "heavy_gov_min")),
    ("dismissal", DEMOTION, ("dismissal_severities",)),
)


def rule_descriptions() -> list[RuleDescription]:
    """Every rule with its Chinese label, switch and parameter names, for the county's settings page."""
    return [RuleDescription(code, kind, rule_label(code), f"{code}_enabled", params) for code, kind, params in RULES]


def parameter_labels() -> dict[str, str]:
    """Chinese label of every parameter (the switches excepted), for the settings form."""
    return {name: parameter_label(name) for _code, _kind, params in RULES for name in params}


@dataclass(frozen=True)
class LadderStepRule:
    """Promotion from ``from_level`` to ``from_level - 1``; the rules' view of ``ranks.models.LadderStep``."""

    from_level: int
    years_required: int
    requires_excellent_year: bool = False
    required_commendation_level: str | None = None  # "at least this level"

    def __post_init__(self):
        if not HIGHEST_LEVEL < self.from_level <= LOWEST_LEVEL:
            raise ValueError(f"from_level {self.from_level} outside {HIGHEST_LEVEL + 1}..{LOWEST_LEVEL}")
        if self.years_required < 0:
            raise ValueError("years_required cannot be negative")
        if self.required_commendation_level not in (None, *COMMENDATION_LEVELS):
            raise ValueError(f"unknown commendation level {self.required_commendation_level!r}")

    @property
    def to_level(self) -> int:
        return self.from_level - 1


def default_ladder() -> tuple[LadderStepRule, ...]:
    """DESIGN §3: 2 years up to level 10, 3 up to level 7, 3 and an excellent year up to level 4,
    then 4 years, an excellent year and a county-or-higher commendation."""
    steps = []
    for from_level in range(LOWEST_LEVEL, HIGHEST_LEVEL, -1):
        if from_level >= 11:
            steps.append(LadderStepRule(from_level, 2))
        elif from_level >= 8:
            steps.append(LadderStepRule(from_level, 3))
        elif from_level >= 5:
            steps.append(LadderStepRule(from_level, 3, requires_excellent_year=True))
        else:
            steps.append(LadderStepRule(from_level, 4, requires_excellent_year=True, required_commendation_level="county"))
    return tuple(steps)
