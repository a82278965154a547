"""The facts of the promotion review: what the rules read about a township's cadres, and their verdicts.

Reads only. For one batch of cadres every area's selector is called once (rank states, confirmed grades,
attendance, supervision, commendations, consumed points): a fixed number of queries per batch of
``CHUNK`` cadres, never one per cadre. The facts are mapped onto ``review_rules.CadreFacts`` and
evaluated with ``evaluate_many``.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from assessments.selectors import attendance_facts, confirmed_results
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.cadres.selectors import cadres_in_rank_system
from cadre_mgmt.lookups import ids_in
from incentives.selectors import commendation_points_table, commendations_for
from supervision.selectors import review_facts

from ..ladder import rules as ladder_rules
from ..ladder.selectors import rank_states_on
from ..models import LadderStep, Proposal, ReviewSettings
from . import rules as review_rules

CHUNK = 2000
# The stored defaults differ from the rules module's in one place: a promotion approved in January takes
# effect in February, so without a grace month a 2-year step would need almost 3 calendar years.
STORED_DEFAULTS = {"years_grace_months": 1}
# Commendation points are the incentives area's table, never stored with the review settings.
NOT_STORED = ("commendation_points",)
# Grades further back than this are never needed (the longest ladder step is 20 years).
MAX_YEARS_BACK = 21


# Settings and ladder ----------------------------------------------------------------------------


def stored_rule_values() -> dict:
    """The county's saved parameters over the stored defaults (JSON values, as the settings form edits them)."""
    row = ReviewSettings.objects.filter(pk=1).values_list("rules", flat=True).first() or {}
    values = {**review_rules.RuleSettings().to_dict(), **STORED_DEFAULTS, **row}
    for name in NOT_STORED:
        values.pop(name, None)
    return values


def review_rule_settings() -> review_rules.RuleSettings:
    """The rules as a review applies them now: the county's settings plus the commendation points table."""
    return review_rules.RuleSettings.from_dict({**stored_rule_values(), "commendation_points": commendation_points_table()})


def review_ladder() -> tuple[review_rules.LadderStepRule, ...]:
    """The ladder table as the rules read it (the defaults of DESIGN §3 if the table is empty)."""
    rows = LadderStep.objects.order_by("-from_level").values_list(
        "from_level", "years_required", "requires_excellent_year", "required_commendation_level"
    )
    steps = tuple(review_rules.LadderStepRule(f, y, e, c or None) for f, y, e, c in rows)
    return steps or review_rules.default_ladder()


# What a run fixes at its start --------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewContext:
    year: int
    # The conditions are evaluated on this day (31 December of the year, or today if earlier).
    review_date: datetime.date
    # The level is the one held on ``review_date`` (DESIGN §5, as of the review date). The history as it
    # stands on this day (every change approved so far, including those taking effect next month) tells
    # whether the level changed after the review date: such a cadre is not evaluated again.
    level_day: datetime.date
    settings: review_rules.RuleSettings
    ladder: tuple[review_rules.LadderStepRule, ...]


def review_dates(*, year, today=None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), today), ladder_rules.effective_month_after(today)


def review_parameters(*, year, today=None) -> dict:
    """The JSON a run freezes at its start: the dates, the rules and the ladder."""
    review_date, level_day = review_dates(year=year, today=today)
    return {
        "review_date": review_date.isoformat(),
        "level_day": level_day.isoformat(),
        "rules": review_rule_settings().to_dict(),
        "ladder": [
            [s.from_level, s.years_required, s.requires_excellent_year, s.required_commendation_level] for s in review_ladder()
        ],
    }


def context_from_parameters(*, year, parameters) -> ReviewContext:
    return ReviewContext(
        year=year,
        review_date=datetime.date.fromisoformat(parameters["review_date"]),
        level_day=datetime.date.fromisoformat(parameters["level_day"]),
        settings=review_rules.RuleSettings.from_dict(parameters["rules"]),
        ladder=tuple(review_rules.LadderStepRule(*step) for step in parameters["ladder"]),
    )


# Facts ------------------------------------------------------------------------------------------


def review_month(context: ReviewContext) -> datetime.date:
    """The month whose "in the rank system" post settings a review reads (DESIGN §2): the review date's
    month, as every other fact is taken as of the review date (a post turned off in December of Y counts
    from January of Y+1, so the cadre is still reviewed for Y)."""
    return context.review_date.replace(day=1)


def cadres_to_review(*, township_id: int, month: datetime.date) -> list[tuple[int, datetime.date]]:
    """(id, first appointed on) of the township's cadres in post holding a post in the rank system for
    ``month`` (``cadres_in_rank_system``, DESIGN §2), in id order (index cadre_township_status_idx)."""
    in_post = Cadre.objects.filter(township_id=township_id, status=Cadre.Status.IN_POST)
    return list(cadres_in_rank_system(in_post, month=month).order_by("pk").values_list("pk", "first_appointed_on"))


def months_between(start: datetime.date, day: datetime.date) -> int:
    """Whole months from ``start`` to ``day`` (0 if ``start`` is later)."""
    months = (day.year - start.year) * 12 + day.month - start.month - (1 if day.day < start.day else 0)
    return max(0, months)


def _points_consumed_until(cadre_ids) -> dict[int, datetime.date]:
    """Per cadre, the evaluation day of its latest approved promotion that used points (DESIGN §5: consumed)."""
    rows = (
        Proposal.objects.filter(ids_in("cadre_id", cadre_ids), status=Proposal.Status.APPROVED, points_used__gt=0)
        .order_by()
        .values("cadre_id")
        .annotate(until=Max("review_date"))
        .values_list("cadre_id", "until")
    )
    return dict(rows)


def _years_needed(context, states) -> list[int]:
    longest = max((step.years_required for step in context.ladder), default=4)
    first = min([context.year - longest - 1, *(s.since.year for s in states.values() if s.since is not None)])
    first = max(first, context.year - MAX_YEARS_BACK)
    return list(range(first, context.year + 1))


def cadre_facts(*, cadre_rows, context: ReviewContext) -> list[review_rules.CadreFacts]:
    """CadreFacts of the given (id, first appointed on) rows, in 8 to 11 queries whatever their number.

    Only county-confirmed grades count (``final``), and the mass evaluation of a confirmed year only:
    a provisional figure never decides a promotion.
    """
    ids = [row[0] for row in cadre_rows]
    if not ids:
        return []
    year, on = context.year, context.review_date
    states = rank_states_on(cadre_ids=ids, day=on)
    now = rank_states_on(cadre_ids=ids, day=context.level_day) if context.level_day > on else states
    results = confirmed_results(cadre_ids=ids, years=_years_needed(context, states))
    attendance = attendance_facts(cadre_ids=ids, year=year)
    supervision = review_facts(cadre_ids=ids, year=year, on=on)
    honours = commendations_for(cadre_ids=ids, up_to=on)
    consumed = _points_consumed_until(ids)

    facts = []
    for cadre_id, appointed_on in cadre_rows:
        state = states[cadre_id]
        final = results.get(cadre_id, {})
        this_year = final.get(year)
        sup = supervision[cadre_id]
        present = attendance[cadre_id]
        facts.append(
            review_rules.CadreFacts(
                cadre_id=cadre_id,
                review_year=year,
                review_date=on,
                level=state.level,
                level_since=state.since,
                in_post=True,
                suspended=sup.suspended,
                months_in_current_post=months_between(appointed_on, on),
                grades={y: r.grade for y, r in final.items()},
                mass_score=this_year.mass_score if this_year is not None else None,
                mass_source=this_year.mass_source if this_year is not None else "",
                leave_days=present.leave_days,
                absent_without_leave=present.absent_without_leave,
                active_sanctions=tuple(_sanction(s) for s in sup.active_sanctions),
                sanctions_in_year=tuple(_sanction(s) for s in sup.sanctions_in_year),
                open_investigations=tuple(
                    review_rules.InvestigationFact(i.id, i.opened_on, i.description) for i in sup.open_investigations
                ),
                vetoes_in_year=tuple(review_rules.VetoFact(v.id, v.occurred_on, v.reason) for v in sup.vetoes_in_year),
                commendations=tuple(
                    review_rules.CommendationFact(c.id, c.level, c.title, c.awarded_on, c.collective, c.honour_key)
                    for c in honours.get(cadre_id, ())
                ),
                points_consumed_until=consumed.get(cadre_id),
                level_changed_on=_changed_after(state, now[cadre_id], on),
            )
        )
    return facts


def _changed_after(then, now, review_date) -> datetime.date | None:
    """The effective month of the change in force now if it came after the review date, else None."""
    if now.since is not None and now.since > review_date and now != then:
        return now.since
    return None


def _sanction(fact):
    return review_rules.SanctionFact(fact.id, fact.kind, fact.severity, fact.decided_on, fact.effective_until, fact.description)


def evaluate_cadres(*, cadre_rows, context: ReviewContext) -> dict[int, review_rules.Evaluation]:
    """Verdicts of the given cadres, keyed by id (the "what if" of one cadre; a run streams instead)."""
    return review_rules.evaluate_many(all_cadre_facts(cadre_rows=cadre_rows, context=context), context.settings, context.ladder)


def all_cadre_facts(*, cadre_rows, context: ReviewContext) -> list[review_rules.CadreFacts]:
    """The facts of the given cadres, in id order, every query done (``CHUNK`` cadres per round)."""
    facts = []
    for start in range(0, len(cadre_rows), CHUNK):
        facts.extend(cadre_facts(cadre_rows=cadre_rows[start : start + CHUNK], context=context))
    return sorted(facts, key=lambda f: f.cadre_id)


def evaluations_of(facts, context: ReviewContext):
    """The verdicts of ``facts`` one by one, computed as they are asked for (no query). Call it inside
    ``review_rules.memoized_texts()``: every text is then looked up once for the whole batch."""
    for one in facts:
        yield review_rules.evaluate(one, context.settings, context.ladder)


def evaluate_one(*, cadre, year, today=None) -> review_rules.Evaluation:
    """ "What if it ran today" for one cadre, with the settings in force now."""
    context = context_from_parameters(year=year, parameters=review_parameters(year=year, today=today))
    return evaluate_cadres(cadre_rows=[(cadre.pk, cadre.first_appointed_on)], context=context)[cadre.pk]


# The frozen explanation ------------------------------------------------------------------------


def explanation_json(evaluation: review_rules.Evaluation) -> dict:
    """``Evaluation.to_dict()`` written out by hand: the same JSON, without ``dataclasses.asdict``'s deep
    copies (a third of the time of a 100,000-cadre run). A test keeps the two equal."""
    points = evaluation.points
    return {
        "cadre_id": evaluation.cadre_id,
        "outcome": evaluation.outcome,
        "from_level": evaluation.from_level,
        "to_level": evaluation.to_level,
        "conditions": [
            {
                "code": c.code,
                "passed": c.passed,
                "evidence": list(c.evidence),
                # Already JSON-safe: the conditions build their params that way (conditions._json_safe).
                "params": dict(c.params),
                "enabled": c.enabled,
            }
            for c in evaluation.conditions
        ],
        "points": {
            "items": [
                {
                    "source": i.source,
                    "ref": i.ref,
                    "year": i.year,
                    "on": i.on.isoformat(),
                    "points": str(i.points),
                    "status": i.status,
                    "evidence": i.evidence,
                }
                for i in points.items
            ],
            "years": [{"year": y.year, "raw": str(y.raw), "counted": str(y.counted)} for y in points.years],
            "total": str(points.total),
            "credit_years": points.credit_years,
        },
        "points_used": str(evaluation.points_used),
        "dismissal_recommended": evaluation.dismissal_recommended,
        **({"level_changed_on": evaluation.level_changed_on.isoformat()} if evaluation.level_changed_on else {}),
    }


def explanation_text(explanation: dict) -> str:
    """The explanation as the JSON text stored (``explanation_json`` always builds the keys in the same
    order, so no sorting is needed)."""
    return json.dumps(explanation, ensure_ascii=False, separators=(",", ":"))


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def explanation_digest(explanation: dict) -> str:
    """A short fingerprint of the explanation: equal explanations, equal digests."""
    return text_digest(explanation_text(explanation))
