"""The verdict for one cadre: every condition with its evidence, then the outcome.

Demotion takes precedence over promotion. A promotion needs every basic condition and no
disqualifier; it is one level, or one plus the extra levels of an out-of-turn promotion, never above
level 1. A demotion is the largest of the triggered steps (one event can trigger several rules: a veto
also makes the year incompetent), never below level 13.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .conditions import (
    DISQUALIFIERS,
    KINDS,
    ConditionResult,
    basic_integrity,
    basic_years,
    out_of_turn,
)
from .config import BASIC, BONUS, DEMOTION, DISQUALIFIER, LadderStepRule, RuleSettings, default_ladder
from .demotions import DEMOTION_TRIGGERS, dismissal
from .facts import HIGHEST_LEVEL, LOWEST_LEVEL, CadreFacts
from .labels import rule_label
from .points import COUNTED, PointItem, PointsSummary, PointsYear, points_summary
from .text import clauses, labelled, memoized_texts, number
from .text import tr as _

PROMOTE = "promote"
OUT_OF_TURN = "out_of_turn"
HOLD = "hold"
DEMOTE = "demote"
OUTCOMES = (PROMOTE, OUT_OF_TURN, HOLD, DEMOTE)


@dataclass(frozen=True)
class Evaluation:
    cadre_id: int
    outcome: str
    from_level: int
    to_level: int
    conditions: tuple[ConditionResult, ...]
    points: PointsSummary
    points_used: Decimal  # consumed by this promotion (0 unless promoted with the help of points)
    dismissal_recommended: bool
    # Set when the level changed after the review date: the verdict is a hold that proposes nothing.
    level_changed_on: date | None = None

    def condition(self, code: str) -> ConditionResult:
        return next(result for result in self.conditions if result.code == code)

    @property
    def blocking(self) -> tuple[ConditionResult, ...]:
        """The basic conditions and disqualifiers that failed."""
        return tuple(c for c in self.conditions if c.kind in (BASIC, DISQUALIFIER) and not c.passed)

    @property
    def triggered_demotions(self) -> tuple[ConditionResult, ...]:
        return tuple(c for c in self.conditions if c.kind == DEMOTION and c.code != "dismissal" and not c.passed)

    def to_dict(self) -> dict:
        """JSON-safe (Decimals as strings, dates ISO), for freezing into a proposal.

        A condition's name and kind follow from its code (``from_dict`` puts them back), so they are
        not stored: a third less to write for each of 100,000 cadres. Everything the evaluation found
        (pass or fail, evidence, parameters, switched off or not) is kept.
        """
        data = _json(dataclasses.asdict(self))
        if data["level_changed_on"] is None:  # the usual case: not stored, so older explanations compare equal
            del data["level_changed_on"]
        for condition in data["conditions"]:
            del condition["label"], condition["kind"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Evaluation":
        points = data["points"]
        return cls(
            cadre_id=data["cadre_id"],
            outcome=data["outcome"],
            from_level=data["from_level"],
            to_level=data["to_level"],
            conditions=tuple(
                ConditionResult(
                    **{
                        # Explanations frozen before names and kinds were left out still carry them.
                        "label": rule_label(item["code"]),
                        "kind": KINDS[item["code"]],
                        **item,
                        "evidence": tuple(item["evidence"]),
                        "params": dict(item["params"]),
                    }
                )
                for item in data["conditions"]
            ),
            points=PointsSummary(
                items=tuple(
                    PointItem(**{**item, "on": date.fromisoformat(item["on"]), "points": Decimal(item["points"])})
                    for item in points["items"]
                ),
                years=tuple(
                    PointsYear(year=item["year"], raw=Decimal(item["raw"]), counted=Decimal(item["counted"]))
                    for item in points["years"]
                ),
                total=Decimal(points["total"]),
                credit_years=points["credit_years"],
            ),
            points_used=Decimal(data["points_used"]),
            dismissal_recommended=data["dismissal_recommended"],
            level_changed_on=date.fromisoformat(data["level_changed_on"]) if data.get("level_changed_on") else None,
        )

    def explain_lines(self) -> list[str]:
        """The lines a county official reads: the outcome, then each condition with ✔ / ✘, the words that
        say the same (符合 / 未触发 …) and its evidence."""
        lines = [_outcome_line(self)]
        for result in self.conditions:
            mark, words = verdict(result.kind, result.passed, result.enabled)
            if not result.enabled:
                lines.append(f"{mark} {labelled(result.label, clauses(result.evidence))}")
                continue
            lines.append(f"{mark} {labelled(labelled(words, result.label), clauses(result.evidence))}")
        counted = [item for item in self.points.items if item.status == COUNTED]
        others = [item for item in self.points.items if item.status != COUNTED]
        if self.points.items:
            lines.append(labelled(rule_label("points"), ""))
            lines.extend(f"  + {item.evidence}" for item in counted)
            lines.extend(f"  · {item.evidence}" for item in others)
        return lines


def verdict(kind: str, passed: bool, enabled: bool) -> tuple[str, str]:
    """The mark and the words of one condition, worded so that both say the same to a Chinese reader:
    a basic condition is met (✔ 符合) or not (✘ 不符合); a disqualifier or a demotion trigger that did
    not fire passes (✔ 未触发), one that fired fails (✘ 触发); a bonus applies (✔ 适用) or not (· 不适用).
    Worded when read, not when frozen: stored proposals read the same way."""
    if not enabled:
        return "—", _("switched off")
    if kind in (DISQUALIFIER, DEMOTION):
        return ("✔", _("not triggered")) if passed else ("✘", _("triggered"))
    if kind == BONUS:
        return ("✔", _("applies")) if passed else ("·", _("does not apply"))
    return ("✔", _("met")) if passed else ("✘", _("not met"))


def _outcome_line(evaluation: Evaluation) -> str:
    values = {"from": evaluation.from_level, "to": evaluation.to_level}
    if evaluation.outcome == PROMOTE:
        line = _("Outcome: promote one level (level %(from)s → level %(to)s)") % values
    elif evaluation.outcome == OUT_OF_TURN:
        line = _("Outcome: out-of-turn promotion (level %(from)s → level %(to)s)") % values
    elif evaluation.outcome == DEMOTE:
        line = _("Outcome: demote (level %(from)s → level %(to)s)") % values
    else:
        line = _("Outcome: hold at level %(from)s") % values
    if evaluation.points_used:
        line += _("; uses %(points)s points") % {"points": number(evaluation.points_used)}
    if evaluation.dismissal_recommended:
        line += _("; dismissal recommended")
    if evaluation.level_changed_on is not None:
        line += _("; level changed on %(day)s after the review date: not evaluated again, nothing proposed") % {
            "day": evaluation.level_changed_on.isoformat()
        }
    return line


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


def _ladder_by_level(ladder) -> dict[int, LadderStepRule]:
    steps = {}
    for step in ladder:
        if step.from_level in steps:
            raise ValueError(f"two ladder steps from level {step.from_level}")
        steps[step.from_level] = step
    return steps


def evaluate(facts: CadreFacts, settings: RuleSettings | None = None, ladder=None) -> Evaluation:
    """Decide promote / out-of-turn / hold / demote for one cadre, with every condition's evidence."""
    settings = settings if settings is not None else RuleSettings()
    steps = _ladder_by_level(ladder if ladder is not None else default_ladder())
    points = points_summary(facts, settings)

    years_result, credit_used = basic_years(facts, settings, steps.get(facts.level), points)
    requirements = (years_result, basic_integrity(facts, settings), *(rule(facts, settings) for rule in DISQUALIFIERS))
    bonus = out_of_turn(facts, settings)
    demotions = tuple(rule(facts, settings) for rule in DEMOTION_TRIGGERS)
    dismissal_result = dismissal(facts, settings)
    conditions = (*requirements, bonus, *demotions, dismissal_result)

    level = facts.level
    demote_levels = max((c.params["levels"] for c in demotions if not c.passed), default=0)
    eligible = facts.level_since is not None and level > HIGHEST_LEVEL
    points_used = Decimal("0")
    if facts.level_changed_on is not None:
        outcome, to_level = HOLD, level
    elif demote_levels and level < LOWEST_LEVEL:
        outcome, to_level = DEMOTE, min(LOWEST_LEVEL, level + demote_levels)
    elif demote_levels or not eligible or not all(c.passed for c in requirements):
        outcome, to_level = HOLD, level
    else:
        to_level = level - 1
        outcome = PROMOTE
        if bonus.enabled and bonus.passed:
            leaped = max(HIGHEST_LEVEL, level - 1 - settings.out_of_turn_extra_levels)
            # From level 2 the extra level has nowhere to go: that is an ordinary promotion.
            if leaped < to_level:
                outcome, to_level = OUT_OF_TURN, leaped
        points_used = credit_used * settings.points_per_credit_year
    return Evaluation(
        cadre_id=facts.cadre_id,
        outcome=outcome,
        from_level=level,
        to_level=to_level,
        conditions=conditions,
        points=points,
        points_used=points_used,
        dismissal_recommended=dismissal_result.enabled and not dismissal_result.passed and facts.level_changed_on is None,
        level_changed_on=facts.level_changed_on,
    )


def evaluate_many(facts_list, settings: RuleSettings | None = None, ladder=None) -> dict[int, Evaluation]:
    """Evaluate every cadre independently; the result, keyed and ordered by cadre id, ignores input order."""
    settings = settings if settings is not None else RuleSettings()
    ladder = tuple(ladder if ladder is not None else default_ladder())
    results = {}
    with memoized_texts():
        for facts in sorted(facts_list, key=lambda f: f.cadre_id):
            if facts.cadre_id in results:
                raise ValueError(f"cadre {facts.cadre_id} given twice")
            results[facts.cadre_id] = evaluate(facts, settings, ladder)
    return results
