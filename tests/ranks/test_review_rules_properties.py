"""Properties of the promotion rules over generated cadre histories (hypothesis)."""

import dataclasses
import json
import os
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ranks.review.rules import (
    COMMENDATION_LEVELS,
    DEMOTE,
    DEMOTION,
    DISQUALIFIER,
    GRADES,
    HOLD,
    OUT_OF_TURN,
    PROMOTE,
    SEVERITIES,
    CadreFacts,
    CommendationFact,
    Evaluation,
    InvestigationFact,
    RuleSettings,
    SanctionFact,
    VetoFact,
    evaluate,
    evaluate_many,
)
from ranks.review.rules.config import RULES

# 150 histories per property keeps the suite quick; REVIEW_RULES_EXAMPLES=5000 runs the thorough version.
EXAMPLE_COUNT = int(os.environ.get("REVIEW_RULES_EXAMPLES", "150"))
EXAMPLES = hypothesis_settings(max_examples=EXAMPLE_COUNT, deadline=None, database=None)


@st.composite
def rule_settings(draw):
    """The defaults most of the time; otherwise any switches and parameters in their allowed ranges."""
    if draw(st.booleans()):
        return RuleSettings()
    switches = {f"{code}_enabled": draw(st.booleans()) for code, _kind, _params in RULES}
    return RuleSettings(
        **switches,
        min_years_after_credit=draw(st.integers(1, 3)),
        years_grace_months=draw(st.integers(0, 11)),
        collective_honours_qualify=draw(st.booleans()),
        satisfaction_threshold=draw(st.decimals(0, 100, places=1)),
        max_leave_days=draw(st.integers(0, 366)),
        min_months_in_post=draw(st.integers(0, 36)),
        excellent_year_points=draw(st.decimals(0, 10, places=1)),
        collective_factor=draw(st.sampled_from([Decimal("0"), Decimal("0.5"), Decimal("1")])),
        yearly_points_cap=draw(st.decimals(1, 20, places=1)),
        points_per_credit_year=draw(st.decimals(1, 8, places=1)),
        out_of_turn_min_level=draw(st.sampled_from(COMMENDATION_LEVELS)),
        out_of_turn_extra_levels=draw(st.integers(1, 2)),
        demote_incompetent_levels=draw(st.integers(1, 2)),
        demote_basic_twice_levels=draw(st.integers(1, 2)),
        demote_veto_levels=draw(st.integers(1, 2)),
        demote_heavy_sanction_levels=draw(st.integers(1, 2)),
    )


def _day(year_from, until):
    # Through ordinals: much quicker to generate than st.dates, and shrinks just as well.
    return st.integers(date(year_from, 1, 1).toordinal(), until.toordinal()).map(date.fromordinal)


@st.composite
def cadre_facts(draw):
    """Half the histories are clean (no disqualifier, good grades) so promotions are frequent; the rest are anything."""
    year = draw(st.integers(2018, 2026))
    review_date = draw(st.sampled_from([date(year, 12, 31), date(year + 1, 1, 20)]))
    clean = draw(st.booleans())
    good_grade = st.sampled_from(["excellent", "competent", "competent"])
    grade = good_grade if clean else st.sampled_from([*GRADES, "excellent", "competent", "competent", None])
    sanctions = st.lists(
        st.builds(
            SanctionFact,
            id=st.integers(1, 500),
            kind=st.just("discipline"),
            severity=st.sampled_from(SEVERITIES),
            decided_on=_day(year, date(year, 12, 31)),
            effective_until=st.none() | _day(year, date(year + 2, 12, 31)),
            description=st.just("违纪"),
        ),
        max_size=2,
    )
    investigations = st.lists(
        st.builds(InvestigationFact, id=st.integers(1, 99), opened_on=_day(year - 1, review_date), description=st.just("核查中")),
        max_size=1,
    )
    vetoes = st.lists(
        st.builds(VetoFact, id=st.integers(1, 99), occurred_on=_day(year, date(year, 12, 31)), reason=st.just("安全事故")),
        max_size=1,
    )
    commendation = st.builds(
        CommendationFact,
        id=st.integers(1, 999),
        level=st.sampled_from(COMMENDATION_LEVELS),
        title=st.sampled_from(["优秀村干部", "先进基层党组织", "脱贫攻坚先进个人"]),
        awarded_on=_day(year - 6, review_date),
        collective=st.booleans(),
        honour_key=st.sampled_from(["", "a", "b"]),
    )
    national_this_year = st.builds(
        CommendationFact,
        id=st.integers(1000, 1999),
        level=st.just("national"),
        title=st.just("全国优秀村党组织书记"),
        awarded_on=_day(year, date(year, 12, 31)),
        collective=st.just(False),
        honour_key=st.just("n"),
    )
    commendations = draw(st.lists(commendation, max_size=4)) + draw(st.lists(national_this_year, max_size=1))
    none = st.just([])
    return CadreFacts(
        cadre_id=draw(st.integers(1, 10_000)),
        review_year=year,
        review_date=review_date,
        level=draw(st.integers(1, 13)),
        level_since=draw(_day(year - 8, review_date)) if clean or draw(st.integers(0, 9)) else None,
        in_post=clean or draw(st.integers(0, 9)) > 0,
        suspended=not clean and draw(st.integers(0, 9)) == 0,
        months_in_current_post=draw(st.integers(12, 120) if clean else st.integers(0, 120)),
        grades={y: draw(grade) for y in range(year - 6, year + 1)},
        mass_score=draw(st.decimals(70, 100, places=1) if clean else st.none() | st.decimals(40, 100, places=1)),
        leave_days=draw(st.integers(0, 183) if clean else st.integers(0, 250)),
        absent_without_leave=not clean and draw(st.integers(0, 9)) == 0,
        active_sanctions=draw(none if clean else none | sanctions),
        sanctions_in_year=draw(none if clean else none | sanctions),
        open_investigations=draw(none if clean else none | investigations),
        vetoes_in_year=draw(none if clean else none | vetoes),
        commendations=commendations,
        points_consumed_until=draw(st.none() | _day(year - 6, review_date)),
    )


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_a_cadre_with_any_disqualifier_is_never_promoted(facts, rule_set):
    result = evaluate(facts, rule_set)
    if any(c.kind == DISQUALIFIER and c.enabled and not c.passed for c in result.conditions):
        assert result.outcome in (HOLD, DEMOTE)
        assert result.to_level >= result.from_level
    if result.blocking:
        assert result.outcome in (HOLD, DEMOTE)


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_a_promotion_is_one_level_except_an_out_of_turn_one(facts, rule_set):
    result = evaluate(facts, rule_set)
    step = result.from_level - result.to_level
    if result.outcome == PROMOTE:
        assert step == 1
    elif result.outcome == OUT_OF_TURN:
        assert 1 < step <= 1 + rule_set.out_of_turn_extra_levels
    elif result.outcome == HOLD:
        assert step == 0
    else:
        assert -2 <= step < 0


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_levels_stay_within_1_and_13(facts, rule_set):
    result = evaluate(facts, rule_set)
    assert 1 <= result.to_level <= 13


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_a_demoted_level_never_exceeds_13_and_demotion_comes_first(facts, rule_set):
    result = evaluate(facts, rule_set)
    if result.outcome == DEMOTE:
        assert result.from_level < result.to_level <= 13
    triggered = [c for c in result.conditions if c.kind == DEMOTION and c.code != "dismissal" and not c.passed]
    if triggered:
        assert result.outcome == (DEMOTE if result.from_level < 13 else HOLD)


@hypothesis_settings(max_examples=max(EXAMPLE_COUNT // 2, 50), deadline=None, database=None)
@given(
    st.lists(cadre_facts(), max_size=6, unique_by=lambda f: f.cadre_id).flatmap(
        lambda xs: st.tuples(st.just(xs), st.permutations(xs))
    ),
    rule_settings(),
)
def test_the_outcome_does_not_depend_on_the_order_cadres_are_evaluated(lists, rule_set):
    original, shuffled = lists
    in_order = evaluate_many(original, rule_set)
    assert evaluate_many(shuffled, rule_set) == in_order
    assert list(evaluate_many(shuffled, rule_set)) == sorted(f.cadre_id for f in original)
    assert in_order == {f.cadre_id: evaluate(f, rule_set) for f in original}


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_the_same_inputs_give_the_same_explanation(facts, rule_set):
    first = evaluate(facts, rule_set)
    again = evaluate(dataclasses.replace(facts), RuleSettings.from_dict(rule_set.to_dict()))
    assert again == first
    assert again.explain_lines() == first.explain_lines()


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_to_dict_is_deterministic_json_and_round_trips(facts, rule_set):
    first = evaluate(facts, rule_set).to_dict()
    second = evaluate(facts, rule_set).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert Evaluation.from_dict(json.loads(json.dumps(first))).to_dict() == first


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_points_never_exceed_the_yearly_cap(facts, rule_set):
    points = evaluate(facts, rule_set).points
    for year in points.years:
        assert year.counted <= rule_set.yearly_points_cap
    assert points.total == sum((y.counted for y in points.years), Decimal("0"))
    assert len({y.year for y in points.years}) == len(points.years)


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_required_years_never_drop_below_one(facts, rule_set):
    result = evaluate(facts, rule_set)
    params = result.condition("basic_years").params
    if "required_years" in params:
        assert params["required_years"] >= 1
        assert params["required_years"] >= rule_set.min_years_after_credit or params["required_years"] == params["ladder_years"]
    assert result.points_used >= 0
    if result.outcome not in (PROMOTE, OUT_OF_TURN):
        assert result.points_used == 0


@EXAMPLES
@given(cadre_facts(), rule_settings())
def test_points_used_never_exceed_the_points_earned(facts, rule_set):
    result = evaluate(facts, rule_set)
    assert result.points_used <= result.points.total


def test_generated_histories_reach_every_outcome():
    """Guards the strategies themselves: the properties above mean little if nobody is ever promoted."""
    seen = set()

    @hypothesis_settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(cadre_facts())
    def collect(facts):
        seen.add(evaluate(facts).outcome)

    collect()
    assert seen == {PROMOTE, OUT_OF_TURN, HOLD, DEMOTE}
