"""Assessment arithmetic as pure functions over plain data (no ORM), so it can be checked by hand.

Rounding: every component is rounded to 2 decimal places with ROUND_HALF_UP *before* it is
combined, so the figures shown on the pages are exactly the figures used (a township can redo
the sum on paper). All values are ``Decimal``; weights and shares are percentages adding up to 100.

The rules, with the county defaults (every number is a setting, see ``AssessmentPolicy``):

* quarter score = weighted mean of the cadre's task-area scores with the quarter's area weights;
* quarterly component = mean of the cadre's quarter scores in the year (quarters not scored are
  left out; a cadre with no quarter score at all is assessed on the other two parts, their shares
  scaled up to 100);
* ledger component = base score (80) + the sum of the score changes of the year's ledger entries,
  kept between 0 and 100;
* year-end review component = political × 30% + business × 40% + mass × 30%;
* annual score = ledger × 20% + quarterly × 40% + review × 40%;
* grade from the bands: ≥ 90 excellent, ≥ 75 competent, ≥ 60 basically competent, else incompetent;
  a vetoed cadre is incompetent whatever the score;
* at most ``floor(cap% × cadres assessed)`` excellent grades per township and year; the best scores
  take the places, cadres over the cap are competent, and a tie across the last place is returned
  to the township to decide (``apply_excellent_cap``), never broken here.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")

EXCELLENT = "excellent"
COMPETENT = "competent"
BASICALLY_COMPETENT = "basically_competent"
INCOMPETENT = "incompetent"
GRADES = (EXCELLENT, COMPETENT, BASICALLY_COMPETENT, INCOMPETENT)


def round2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bands:
    excellent_min: Decimal = Decimal("90")
    competent_min: Decimal = Decimal("75")
    basically_competent_min: Decimal = Decimal("60")


@dataclass(frozen=True)
class ReviewWeights:
    political: Decimal = Decimal("30")
    business: Decimal = Decimal("40")
    mass: Decimal = Decimal("30")


@dataclass(frozen=True)
class Shares:
    ledger: Decimal = Decimal("20")
    quarters: Decimal = Decimal("40")
    review: Decimal = Decimal("40")


@dataclass(frozen=True)
class AnnualInputs:
    """What the township entered for one cadre and year, plus the veto fact."""

    score_changes: tuple[Decimal, ...] = ()
    quarter_scores: tuple[Decimal, ...] = ()
    political: Decimal | None = None
    business: Decimal | None = None
    mass: Decimal | None = None
    vetoed: bool = False


@dataclass(frozen=True)
class AnnualBreakdown:
    ledger: Decimal
    quarters: Decimal | None
    review: Decimal | None
    score: Decimal | None
    band_grade: str | None
    grade: str | None
    vetoed: bool

    @property
    def complete(self):
        return self.score is not None


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ(score × weight) / Σweight, rounded; None when there is nothing to average."""
    pairs = list(pairs)
    total_weight = sum((weight for _score, weight in pairs), ZERO)
    if not pairs or total_weight <= 0:
        return None
    return round2(sum((score * weight for score, weight in pairs), ZERO) / total_weight)


def quarter_score(area_scores: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """(score, weight) of each task area → the quarter score."""
    return weighted_mean(area_scores)


def quarters_component(quarter_scores: Iterable[Decimal]) -> Decimal | None:
    scores = list(quarter_scores)
    if not scores:
        return None
    return round2(sum(scores, ZERO) / len(scores))


def ledger_component(*, base: Decimal, score_changes: Iterable[Decimal]) -> Decimal:
    total = Decimal(base) + sum((Decimal(change) for change in score_changes), ZERO)
    return round2(min(HUNDRED, max(ZERO, total)))


def review_component(*, political, business, mass, weights: ReviewWeights) -> Decimal | None:
    if political is None or business is None or mass is None:
        return None
    return round2((political * weights.political + business * weights.business + mass * weights.mass) / HUNDRED)


def annual_score(*, ledger: Decimal, quarters: Decimal | None, review: Decimal | None, shares: Shares) -> Decimal | None:
    """The weighted annual score; None without the year-end review. Without any quarter score the
    ledger and review shares are scaled up to 100."""
    if review is None:
        return None
    if quarters is None:
        return weighted_mean([(ledger, shares.ledger), (review, shares.review)])
    return round2((ledger * shares.ledger + quarters * shares.quarters + review * shares.review) / HUNDRED)


def grade_for(score: Decimal | None, bands: Bands) -> str | None:
    if score is None:
        return None
    if score >= bands.excellent_min:
        return EXCELLENT
    if score >= bands.competent_min:
        return COMPETENT
    if score >= bands.basically_competent_min:
        return BASICALLY_COMPETENT
    return INCOMPETENT


def annual_breakdown(
    inputs: AnnualInputs, *, weights: ReviewWeights, shares: Shares, bands: Bands, ledger_base: Decimal
) -> AnnualBreakdown:
    """Every figure of one cadre's year. ``grade`` is before the excellent cap (see apply_excellent_cap)."""
    ledger = ledger_component(base=ledger_base, score_changes=inputs.score_changes)
    quarters = quarters_component(inputs.quarter_scores)
    review = review_component(political=inputs.political, business=inputs.business, mass=inputs.mass, weights=weights)
    score = annual_score(ledger=ledger, quarters=quarters, review=review, shares=shares)
    band = grade_for(score, bands)
    grade = INCOMPETENT if inputs.vetoed else band
    return AnnualBreakdown(
        ledger=ledger, quarters=quarters, review=review, score=score, band_grade=band, grade=grade, vetoed=inputs.vetoed
    )


def excellent_places(*, assessed: int, cap_percent: Decimal) -> int:
    """floor(cap% × cadres assessed): a cap is never exceeded by rounding up."""
    return int((Decimal(assessed) * Decimal(cap_percent) / HUNDRED).to_integral_value(rounding=ROUND_DOWN))


@dataclass(frozen=True)
class CapOutcome:
    excellent: frozenset  # sure of an excellent place
    over_cap: frozenset  # excellent band but no place: graded competent
    tied: frozenset = field(default_factory=frozenset)  # equal scores across the last place(s)
    tie_places: int = 0  # how many of ``tied`` the township may grade excellent

    @property
    def has_tie(self):
        return bool(self.tied)


def apply_excellent_cap(candidates: Mapping[int, Decimal], places: int) -> CapOutcome:
    """Give the excellent places to the best scores. ``candidates`` maps cadre id → score of the
    cadres graded excellent by their score (vetoed cadres are never candidates).

    When equal scores straddle the last place, those cadres are returned as ``tied`` with the
    number of places left for them; the township decides who takes them.
    """
    ranked = sorted(candidates.items(), key=lambda item: item[1], reverse=True)
    if len(ranked) <= places:
        return CapOutcome(excellent=frozenset(candidates), over_cap=frozenset())
    if places <= 0:
        return CapOutcome(excellent=frozenset(), over_cap=frozenset(candidates))
    last_in = ranked[places - 1][1]
    first_out = ranked[places][1]
    if last_in != first_out:
        return CapOutcome(
            excellent=frozenset(cid for cid, _s in ranked[:places]), over_cap=frozenset(cid for cid, _s in ranked[places:])
        )
    above = frozenset(cid for cid, score in ranked if score > last_in)
    tied = frozenset(cid for cid, score in ranked if score == last_in)
    below = frozenset(cid for cid, score in ranked if score < last_in)
    return CapOutcome(excellent=above, over_cap=below, tied=tied, tie_places=places - len(above))


class TieUnresolved(Exception):
    def __init__(self, outcome: CapOutcome):
        super().__init__("excellent places tied")
        self.outcome = outcome


def final_grades(grades: Mapping[int, str | None], scores: Mapping[int, Decimal | None], *, places: int, tie_choice=None):
    """Apply the cap to graded cadres: (final grade by cadre id, ids held back by the cap).

    ``tie_choice`` is the set of tied cadre ids the township grades excellent; it must hold exactly
    ``tie_places`` of the tied ids, else ``TieUnresolved`` is raised with the tie to show.
    """
    # An excellent grade always has a score.
    candidates = {cid: score for cid, grade in grades.items() if grade == EXCELLENT and (score := scores[cid]) is not None}
    outcome = apply_excellent_cap(candidates, places)
    excellent = set(outcome.excellent)
    if outcome.has_tie:
        chosen = set(tie_choice or ())
        if not chosen <= outcome.tied or len(chosen) != outcome.tie_places:
            raise TieUnresolved(outcome)
        excellent |= chosen
    held_back = set(candidates) - excellent
    result = {cid: (COMPETENT if cid in held_back else grade) for cid, grade in grades.items()}
    return result, held_back


def weight_problems(values: Mapping[str, Decimal], defaults: Mapping[str, Decimal], tolerance: Decimal) -> list[tuple[str, str]]:
    """(name, problem code) for weights outside default ± tolerance, and ("", "sum") when they do not add to 100."""
    problems = []
    for name, value in values.items():
        low, high = defaults[name] - tolerance, defaults[name] + tolerance
        if value < max(low, ZERO) or value > min(high, HUNDRED):
            problems.append((name, "bounds"))
    if sum(values.values(), ZERO) != HUNDRED:
        problems.append(("", "sum"))
    return problems


def quarter_of(day) -> tuple[int, int]:
    """(year, quarter) of a date."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int):
    """First and last day of a quarter."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    last = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return first, last - datetime.timedelta(days=1)
