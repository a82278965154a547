"""Worked examples of the promotion rules (DESIGN §5), by hand: each condition passing and failing."""

import json
from datetime import date
from decimal import Decimal

import pytest

from ranks.review.rules import (
    BASICALLY_COMPETENT,
    COMPETENT,
    DEMOTE,
    EXCELLENT,
    HOLD,
    INCOMPETENT,
    OUT_OF_TURN,
    PROMOTE,
    CadreFacts,
    CommendationFact,
    Evaluation,
    InvestigationFact,
    LadderStepRule,
    RuleSettings,
    SanctionFact,
    VetoFact,
    default_ladder,
    evaluate,
    evaluate_many,
    full_years,
    parameter_labels,
    rule_descriptions,
)
from ranks.review.rules.config import RULES

D = date


def make_facts(**changes):
    """A level-12 cadre since 2023, competent every year: promoted to 11 unless a test changes something."""
    values = {
        "cadre_id": 1,
        "review_year": 2025,
        "review_date": D(2025, 12, 31),
        "level": 12,
        "level_since": D(2023, 1, 1),
        "in_post": True,
        "suspended": False,
        "months_in_current_post": 36,
        "grades": {2023: COMPETENT, 2024: COMPETENT, 2025: COMPETENT},
        "mass_score": Decimal("85"),
        "leave_days": 5,
        "absent_without_leave": False,
    }
    values.update(changes)
    return CadreFacts(**values)


def commendation(id, level, awarded_on, *, title="优秀村干部", collective=False, honour_key=""):
    return CommendationFact(id, level, title, awarded_on, collective, honour_key)


def sanction(id, severity, decided_on, effective_until=None, description="违反工作纪律"):
    return SanctionFact(id, "discipline", severity, decided_on, effective_until, description)


def evidence(evaluation, code):
    return "；".join(evaluation.condition(code).evidence)


def only_failures(evaluation):
    return [c.code for c in evaluation.blocking]


# --- The baseline and the explanation -----------------------------------------------------------


def test_a_cadre_meeting_every_condition_is_promoted_one_level():
    result = evaluate(make_facts())
    assert (result.outcome, result.from_level, result.to_level) == (PROMOTE, 12, 11)
    assert only_failures(result) == []
    assert result.points_used == 0
    assert not result.dismissal_recommended


def test_explanation_reads_as_chinese_lines_for_the_county_official():
    result = evaluate(make_facts(grades={2023: COMPETENT, 2024: EXCELLENT, 2025: COMPETENT}))
    lines = result.explain_lines()
    assert lines[0] == "结论：晋升一级（12级→11级）"
    basic = next(line for line in lines if line.startswith("✔ 符合：基本条件1"))
    assert "12级晋升11级需现职级任职满2年" in basic
    assert "2023-01-01起任现职级，至2025-12-31已满3年" in basic
    assert "计入年度均为称职及以上（2024 优秀、2025 称职）" in basic
    assert "✔ 未触发：不予晋升情形5（群众满意度低于规定标准）：群众满意度85%，不低于70%" in lines
    assert "  + 2024年度优秀：+2分" in lines


def test_evaluation_round_trips_through_json():
    result = evaluate(make_facts(commendations=[commendation(3, "city", D(2024, 5, 1), collective=True)]))
    frozen = json.loads(json.dumps(result.to_dict()))
    assert Decimal(frozen["points"]["total"]) == 2
    assert Evaluation.from_dict(frozen) == result
    assert Evaluation.from_dict(frozen).explain_lines() == result.explain_lines()
    # Names and kinds follow from the codes and are not stored; explanations frozen with them still load.
    assert all(set(c) == {"code", "passed", "evidence", "params", "enabled"} for c in frozen["conditions"])
    older = {**frozen, "conditions": [{**c, "label": "旧名称", "kind": "basic"} for c in frozen["conditions"]]}
    assert Evaluation.from_dict(older).conditions[0].label == "旧名称"


# --- Basic condition 1: years at the level, counted years competent or better ------------------


def test_basic_condition_1_fails_when_the_years_at_the_level_are_short():
    result = evaluate(make_facts(level_since=D(2024, 6, 1)))
    assert result.outcome == HOLD
    assert only_failures(result) == ["basic_years"]
    assert "2024-06-01起任现职级，至2025-12-31已满1年" in evidence(result, "basic_years")
    assert "任职年限不足" in evidence(result, "basic_years")


def test_basic_condition_1_fails_when_a_counted_year_is_only_basically_competent():
    # Level 10 → 9 asks 3 years: 2023, 2024 and 2025 are counted, and 2023 is 基本称职.
    facts = make_facts(
        level=10, level_since=D(2022, 1, 1), grades={2022: COMPETENT, 2023: BASICALLY_COMPETENT, 2024: COMPETENT, 2025: COMPETENT}
    )
    result = evaluate(facts)
    assert result.outcome == HOLD
    assert only_failures(result) == ["basic_years"]
    assert "计入年度未全部达到称职及以上（2023 基本称职、2024 称职、2025 称职）" in evidence(result, "basic_years")


def test_a_weak_year_before_the_counted_years_does_not_block_for_ever():
    facts = make_facts(
        level_since=D(2020, 1, 1), grades={2022: BASICALLY_COMPETENT, 2023: COMPETENT, 2024: COMPETENT, 2025: COMPETENT}
    )
    result = evaluate(facts)
    assert result.outcome == PROMOTE
    assert result.condition("basic_years").params["counted_years"] == [2024, 2025]


def test_an_ungraded_cadre_holds_until_the_initial_grading():
    result = evaluate(make_facts(level=13, level_since=None))
    assert result.outcome == HOLD
    assert "尚未定级" in evidence(result, "basic_years")


def test_a_cadre_at_level_1_is_never_promoted():
    result = evaluate(make_facts(level=1))
    assert (result.outcome, result.to_level) == (HOLD, 1)
    assert "已是最高职级" in evidence(result, "basic_years")


def test_the_steps_from_level_7_to_4_need_an_excellent_year_at_the_level():
    without = evaluate(make_facts(level=6, level_since=D(2022, 1, 1)))
    assert without.outcome == HOLD
    assert "本级晋升须现职级内有一个优秀年度" in evidence(without, "basic_years")
    with_one = evaluate(
        make_facts(
            level=6, level_since=D(2022, 1, 1), grades={2022: EXCELLENT, 2023: COMPETENT, 2024: COMPETENT, 2025: COMPETENT}
        )
    )
    assert (with_one.outcome, with_one.to_level) == (PROMOTE, 5)
    assert "现职级内优秀年度：2022" in evidence(with_one, "basic_years")


def test_the_steps_from_level_4_to_1_also_need_a_county_or_higher_individual_commendation():
    grades = {2022: EXCELLENT, 2023: COMPETENT, 2024: COMPETENT, 2025: COMPETENT}
    base = {"level": 3, "level_since": D(2022, 1, 1), "grades": grades}
    assert evaluate(make_facts(**base)).outcome == HOLD
    city = evaluate(make_facts(**base, commendations=[commendation(5, "city", D(2023, 9, 1))]))
    assert (city.outcome, city.to_level) == (PROMOTE, 2)
    assert "现职级内县级及以上表彰：市级表彰“优秀村干部”（2023-09-01）" in evidence(city, "basic_years")
    collective = [commendation(6, "province", D(2023, 9, 1), collective=True)]
    assert evaluate(make_facts(**base, commendations=collective)).outcome == HOLD
    lenient = RuleSettings(collective_honours_qualify=True)
    assert evaluate(make_facts(**base, commendations=collective), lenient).outcome == PROMOTE


def test_grace_months_let_a_year_short_by_a_month_count():
    # Promoted in a January review, effective 1 February 2024: 1 year 11 months by the end of 2025.
    facts = make_facts(level_since=D(2024, 2, 1))
    assert evaluate(facts).outcome == HOLD
    assert evaluate(facts, RuleSettings(years_grace_months=1)).outcome == PROMOTE


def test_full_years_count_to_the_end_of_the_review_day():
    assert full_years(D(2023, 1, 1), D(2025, 12, 31)) == 3
    assert full_years(D(2023, 1, 1), D(2025, 12, 30)) == 2
    assert full_years(D(2024, 2, 1), D(2025, 12, 31)) == 1
    assert full_years(D(2024, 2, 1), D(2025, 12, 31), grace_months=1) == 2
    assert full_years(D(2026, 2, 1), D(2025, 12, 31)) == 0


# --- Basic condition 2: in post, no open case ----------------------------------------------------


def test_basic_condition_2_fails_for_a_cadre_not_in_post():
    result = evaluate(make_facts(in_post=False))
    assert result.outcome == HOLD
    assert only_failures(result) == ["basic_integrity"]
    assert evidence(result, "basic_integrity") == "不在职"


def test_basic_condition_2_fails_with_an_open_case():
    case = InvestigationFact(4, D(2025, 10, 8), "群众反映违规发放补贴")
    result = evaluate(make_facts(open_investigations=[case]))
    assert result.outcome == HOLD
    assert only_failures(result) == ["basic_integrity", "dq_investigation"]
    assert evidence(result, "basic_integrity") == "有未结案件：立案调查#4（2025-10-08立案）"


# --- The seven disqualifiers: each one alone blocks, and passes when absent -----------------------

SERIOUS = sanction(7, "admonition", D(2025, 3, 1), D(2026, 6, 30), "工作失职")


@pytest.mark.parametrize(
    ("changes", "code", "expected"),
    [
        ({"grades": {2023: COMPETENT, 2024: COMPETENT, 2025: None}}, "dq_grade", "2025年度考核：未评定"),
        ({"active_sanctions": [SERIOUS]}, "dq_sanction", "处分#7（诫勉，2025-03-01作出，影响期至2026-06-30）：工作失职"),
        (
            {"open_investigations": [InvestigationFact(9, D(2025, 11, 2), "涉嫌虚报冒领")]},
            "dq_investigation",
            "立案调查#9（2025-11-02立案）尚无结论：涉嫌虚报冒领",
        ),
        (
            {"vetoes_in_year": [VetoFact(2, D(2025, 7, 19), "发生较大安全生产事故")]},
            "dq_veto",
            "一票否决#2（2025-07-19）：发生较大安全生产事故",
        ),
        ({"mass_score": Decimal("69.5")}, "dq_satisfaction", "群众满意度69.5%，低于70%"),
        ({"mass_score": None}, "dq_satisfaction", "2025年度无群众评价"),
        ({"leave_days": 184}, "dq_attendance", "2025年度请假184天，超过183天"),
        ({"absent_without_leave": True}, "dq_attendance", "2025年度有擅离岗位（未请假缺勤）"),
        ({"months_in_current_post": 11}, "dq_tenure", "任现岗位11个月，不满12个月"),
        ({"suspended": True}, "dq_tenure", "被停职"),
    ],
)
def test_each_disqualifier_blocks_the_promotion_and_names_its_evidence(changes, code, expected):
    result = evaluate(make_facts(**changes))
    assert result.outcome in (HOLD, DEMOTE)
    assert result.to_level >= 12
    assert code in only_failures(result)
    assert expected in evidence(result, code)


@pytest.mark.parametrize(
    ("changes", "code", "expected"),
    [
        ({}, "dq_grade", "2025年度考核：称职"),
        (
            {"active_sanctions": []},
            "dq_sanction",
            "2025-12-31不在任何处分、诫勉或组织处理影响期内",
        ),
        ({}, "dq_investigation", "无未结调查"),
        ({}, "dq_veto", "2025年度无一票否决"),
        ({"mass_score": Decimal("70")}, "dq_satisfaction", "群众满意度70%，不低于70%"),
        ({"leave_days": 183}, "dq_attendance", "2025年度请假183天（不超过183天），无擅离岗位"),
        ({"months_in_current_post": 12}, "dq_tenure", "任现岗位12个月（不少于12个月），未被停职"),
    ],
)
def test_each_disqualifier_passes_on_the_boundary_and_says_why(changes, code, expected):
    result = evaluate(make_facts(**changes))
    assert result.outcome == PROMOTE
    assert result.condition(code).passed
    assert evidence(result, code) == expected


def test_a_veto_blocks_the_promotion_and_demotes():
    result = evaluate(make_facts(vetoes_in_year=[VetoFact(2, D(2025, 7, 19), "信访事项查实")]))
    assert (result.outcome, result.to_level) == (DEMOTE, 13)
    assert not result.condition("dq_veto").passed
    assert not result.condition("demote_veto").passed


def test_a_switched_off_disqualifier_passes_and_says_so():
    result = evaluate(make_facts(mass_score=Decimal("50")), RuleSettings(dq_satisfaction_enabled=False))
    assert result.outcome == PROMOTE
    condition = result.condition("dq_satisfaction")
    assert (condition.passed, condition.enabled) == (True, False)
    assert "— 不予晋升情形5（群众满意度低于规定标准）：县级已停用此条件。" in result.explain_lines()


def test_the_satisfaction_threshold_is_a_setting():
    facts = make_facts(mass_score=Decimal("75"))
    assert evaluate(facts).outcome == PROMOTE
    assert evaluate(facts, RuleSettings(satisfaction_threshold=Decimal("80"))).outcome == HOLD


# --- Points -------------------------------------------------------------------------------------


def test_two_excellent_years_and_a_city_commendation_give_8_points_and_2_years_credit():
    # Level 10 → 9 asks 3 years; 2 years at the level plus the credit are enough, using one year (4 points).
    facts = make_facts(
        level=10,
        level_since=D(2024, 1, 1),
        grades={2024: EXCELLENT, 2025: EXCELLENT},
        commendations=[commendation(11, "city", D(2025, 4, 20), title="乡村振兴先进个人")],
    )
    result = evaluate(facts)
    assert (result.points.total, result.points.credit_years) == (Decimal("8"), 2)
    assert [(y.year, y.counted) for y in result.points.years] == [(2024, Decimal("2")), (2025, Decimal("6"))]
    assert (result.outcome, result.to_level) == (PROMOTE, 9)
    assert result.points_used == Decimal("4")
    text = evidence(result, "basic_years")
    assert "现职级积分：2024年2分；2025年6分；合计8分，每4分抵减1年，可抵减2年" in text
    assert "使用积分抵减1年（4分）" in text
    assert result.explain_lines()[0] == "结论：晋升一级（10级→9级），使用积分4分"


def test_the_credit_never_brings_the_required_years_below_one():
    points = [commendation(i, "national", D(2025, 3, i), honour_key=f"h{i}") for i in range(1, 4)]
    # Level 12 → 11 asks 2 years; 10 points (the yearly cap) give 2 years credit, but one full year is still needed.
    under_a_year = evaluate(make_facts(level_since=D(2025, 3, 1), commendations=points))
    assert under_a_year.condition("basic_years").params["required_years"] == 1
    assert under_a_year.outcome == HOLD
    one_year = evaluate(make_facts(level_since=D(2025, 1, 1), commendations=points))
    assert one_year.outcome == OUT_OF_TURN
    assert one_year.points_used == Decimal("4")


def test_the_same_honour_counts_once_at_its_highest_level():
    facts = make_facts(
        commendations=[
            commendation(21, "county", D(2024, 3, 1), title="县级文明村干部", honour_key="文明村干部2024"),
            commendation(22, "province", D(2024, 9, 1), title="省级文明村干部", honour_key="文明村干部2024"),
        ]
    )
    result = evaluate(facts)
    assert result.points.total == Decimal("6")
    statuses = {item.ref: item.status for item in result.points.items}
    assert statuses == {21: "superseded", 22: "counted"}
    assert "与“省级文明村干部”为同一荣誉，只计最高一项" in next(i.evidence for i in result.points.items if i.ref == 21)


def test_a_collective_honour_gives_half_the_points():
    facts = make_facts(commendations=[commendation(31, "city", D(2024, 6, 1), title="先进基层党组织", collective=True)])
    result = evaluate(facts)
    assert result.points.total == Decimal("2")
    assert "市级集体荣誉“先进基层党组织”（2024-06-01）：+2分（集体荣誉按个人分值×0.5计）" in result.explain_lines()[-1]


def test_points_are_capped_per_calendar_year():
    facts = make_facts(
        grades={2023: COMPETENT, 2024: EXCELLENT, 2025: COMPETENT},
        commendations=[commendation(41, "national", D(2024, 10, 1), title="全国优秀党务工作者")],
    )
    result = evaluate(facts)
    assert [(y.year, y.raw, y.counted) for y in result.points.years] == [(2024, Decimal("12"), Decimal("10"))]
    assert result.points.total == Decimal("10")
    assert "2024年12分，按上限计10分" in evidence(result, "basic_years")


def test_points_used_by_an_earlier_promotion_do_not_count_again():
    facts = make_facts(
        level_since=D(2023, 1, 1),
        grades={2023: EXCELLENT, 2024: EXCELLENT, 2025: COMPETENT},
        points_consumed_until=D(2023, 12, 31),
    )
    result = evaluate(facts)
    assert result.points.total == Decimal("2")
    consumed = next(item for item in result.points.items if item.ref == 2023)
    assert consumed.status == "consumed"
    assert consumed.evidence == "2023年度优秀：2分，已用于2023-12-31的晋升，不再计分"


def test_points_before_the_current_level_do_not_count():
    facts = make_facts(level_since=D(2024, 2, 1), grades={2023: EXCELLENT, 2024: COMPETENT, 2025: COMPETENT})
    assert evaluate(facts).points.total == 0


def test_points_switched_off_give_no_credit():
    facts = make_facts(level=10, level_since=D(2024, 1, 1), grades={2024: EXCELLENT, 2025: EXCELLENT})
    assert evaluate(facts).outcome == PROMOTE
    assert evaluate(facts, RuleSettings(points_enabled=False)).outcome == HOLD


def test_no_points_are_used_when_the_years_suffice_on_their_own():
    facts = make_facts(grades={2023: EXCELLENT, 2024: EXCELLENT, 2025: EXCELLENT})
    result = evaluate(facts)
    assert result.points.total == Decimal("6")
    assert result.points_used == 0


# --- Out-of-turn promotion ---------------------------------------------------------------------


def test_a_national_honour_this_year_gives_an_out_of_turn_promotion_of_two_levels():
    facts = make_facts(
        level=9,
        level_since=D(2023, 1, 1),
        commendations=[commendation(51, "national", D(2025, 5, 4), title="全国脱贫攻坚先进个人")],
    )
    result = evaluate(facts)
    assert (result.outcome, result.from_level, result.to_level) == (OUT_OF_TURN, 9, 7)
    assert "国家级表彰“全国脱贫攻坚先进个人”（2025-05-04）：可破格多晋升1级" in evidence(result, "out_of_turn")
    assert result.explain_lines()[0] == "结论：破格晋升（9级→7级）"


def test_out_of_turn_needs_every_other_condition():
    facts = make_facts(
        level=9, level_since=D(2023, 1, 1), mass_score=Decimal("60"), commendations=[commendation(51, "national", D(2025, 5, 4))]
    )
    result = evaluate(facts)
    assert result.condition("out_of_turn").passed
    assert (result.outcome, result.to_level) == (HOLD, 9)


def test_out_of_turn_needs_an_individual_honour_in_the_review_year():
    last_year = evaluate(make_facts(level=9, commendations=[commendation(51, "national", D(2024, 5, 4))]))
    assert last_year.outcome == PROMOTE
    collective = evaluate(make_facts(level=9, commendations=[commendation(52, "national", D(2025, 5, 4), collective=True)]))
    assert collective.outcome == PROMOTE


def test_out_of_turn_never_goes_above_level_1():
    grades = {2022: EXCELLENT, 2023: COMPETENT, 2024: COMPETENT, 2025: COMPETENT}
    facts = make_facts(
        level=2, level_since=D(2022, 1, 1), grades=grades, commendations=[commendation(53, "national", D(2025, 5, 4))]
    )
    result = evaluate(facts)
    assert (result.outcome, result.to_level) == (PROMOTE, 1)


def test_out_of_turn_extra_levels_are_a_setting_and_can_be_switched_off():
    facts = make_facts(level=9, commendations=[commendation(51, "national", D(2025, 5, 4))])
    assert evaluate(facts, RuleSettings(out_of_turn_extra_levels=2)).to_level == 6
    assert evaluate(facts, RuleSettings(out_of_turn_enabled=False)).outcome == PROMOTE


# --- Demotion triggers ---------------------------------------------------------------------------


def test_an_incompetent_year_demotes_one_level():
    result = evaluate(make_facts(level=9, grades={2023: COMPETENT, 2024: COMPETENT, 2025: INCOMPETENT}))
    assert (result.outcome, result.to_level) == (DEMOTE, 10)
    assert evidence(result, "demote_incompetent") == "2025年度考核：不称职"
    assert result.explain_lines()[0] == "结论：降级（9级→10级）"


def test_basically_competent_two_years_running_demotes_one_level():
    result = evaluate(make_facts(level=9, grades={2023: COMPETENT, 2024: BASICALLY_COMPETENT, 2025: BASICALLY_COMPETENT}))
    assert (result.outcome, result.to_level) == (DEMOTE, 10)
    assert evidence(result, "demote_basic_twice") == "年度考核：2024 基本称职、2025 基本称职"


def test_one_basically_competent_year_holds_without_demotion():
    result = evaluate(make_facts(level=9, grades={2023: COMPETENT, 2024: COMPETENT, 2025: BASICALLY_COMPETENT}))
    assert (result.outcome, result.to_level) == (HOLD, 9)


def test_a_veto_demotes_one_level():
    result = evaluate(make_facts(level=9, vetoes_in_year=[VetoFact(3, D(2025, 8, 1), "发生较大安全生产事故")]))
    assert (result.outcome, result.to_level) == (DEMOTE, 10)
    assert evidence(result, "demote_veto") == "一票否决#3（2025-08-01）：发生较大安全生产事故"


@pytest.mark.parametrize(
    ("severity", "heavy"),
    [
        ("admonition", False),
        ("party_warning", False),
        ("party_serious_warning", True),
        ("party_probation", True),
        ("gov_warning", False),
        ("gov_demerit", True),
        ("gov_demotion", True),
    ],
)
def test_a_party_serious_warning_or_government_demerit_or_heavier_demotes(severity, heavy):
    decided = sanction(8, severity, D(2025, 4, 1), D(2026, 3, 31))
    result = evaluate(make_facts(level=9, sanctions_in_year=[decided], active_sanctions=[decided]))
    assert result.condition("demote_heavy_sanction").passed is not heavy
    assert (result.outcome, result.to_level) == ((DEMOTE, 10) if heavy else (HOLD, 9))


def test_a_heavy_sanction_can_demote_two_levels_by_setting():
    decided = sanction(8, "gov_major_demerit", D(2025, 4, 1), D(2026, 10, 31))
    facts = make_facts(level=9, sanctions_in_year=[decided], active_sanctions=[decided])
    assert evaluate(facts, RuleSettings(demote_heavy_sanction_levels=2)).to_level == 11


def test_the_gravest_sanction_demotes_and_recommends_dismissal():
    decided = sanction(9, "party_expulsion", D(2025, 6, 1), None, "严重违纪")
    result = evaluate(make_facts(level=9, sanctions_in_year=[decided], active_sanctions=[decided]))
    assert (result.outcome, result.to_level) == (DEMOTE, 10)
    assert result.dismissal_recommended
    assert "处分#9（开除党籍，2025-06-01作出，影响期无截止日期）：严重违纪" in evidence(result, "dismissal")
    assert result.explain_lines()[0] == "结论：降级（9级→10级），建议清退"


def test_several_triggers_demote_by_the_largest_step_not_the_sum():
    result = evaluate(
        make_facts(level=9, grades={2024: COMPETENT, 2025: INCOMPETENT}, vetoes_in_year=[VetoFact(3, D(2025, 8, 1), "x")])
    )
    assert result.to_level == 10


def test_demotion_never_goes_below_level_13():
    result = evaluate(make_facts(level=13, grades={2024: COMPETENT, 2025: INCOMPETENT}))
    assert (result.outcome, result.to_level) == (HOLD, 13)
    two = evaluate(make_facts(level=12, grades={2024: COMPETENT, 2025: INCOMPETENT}), RuleSettings(demote_incompetent_levels=2))
    assert (two.outcome, two.to_level) == (DEMOTE, 13)


def test_demotion_takes_precedence_over_an_out_of_turn_honour():
    facts = make_facts(
        level=9, vetoes_in_year=[VetoFact(3, D(2025, 8, 1), "x")], commendations=[commendation(51, "national", D(2025, 5, 4))]
    )
    assert evaluate(facts, RuleSettings(dq_veto_enabled=False)).outcome == DEMOTE


def test_a_switched_off_demotion_trigger_does_not_demote():
    facts = make_facts(level=9, grades={2024: COMPETENT, 2025: INCOMPETENT})
    assert evaluate(facts, RuleSettings(demote_incompetent_enabled=False)).outcome == HOLD


# --- Many cadres, settings and ladder ------------------------------------------------------------


def test_evaluate_many_keys_results_by_cadre_and_refuses_duplicates():
    results = evaluate_many([make_facts(cadre_id=7), make_facts(cadre_id=3, level=13)])
    assert list(results) == [3, 7]
    assert results[3].to_level == 12
    with pytest.raises(ValueError):
        evaluate_many([make_facts(cadre_id=1), make_facts(cadre_id=1)])


def test_settings_round_trip_through_json_and_default_missing_keys():
    changed = RuleSettings(
        satisfaction_threshold=Decimal("75.5"),
        dq_veto_enabled=False,
        commendation_points={"county": 3, "city": 4, "province": 6, "national": 10},
    )
    stored = json.loads(json.dumps(changed.to_dict()))
    assert RuleSettings.from_dict(stored) == changed
    assert RuleSettings.from_dict({}) == RuleSettings()
    assert RuleSettings.from_dict({"commendation_points": {"county": "3"}, "obsolete": 1}).commendation_points[
        "county"
    ] == Decimal("3")
    assert RuleSettings.from_dict({"commendation_points": {"county": "3"}}).commendation_points["national"] == Decimal("10")


@pytest.mark.parametrize(
    "data",
    [
        {"satisfaction_threshold": "120"},
        {"satisfaction_threshold": "abc"},
        {"dq_grade_enabled": "yes"},
        {"demote_heavy_sanction_levels": 3},
        {"points_per_credit_year": 0},
        {"min_years_after_credit": 0},
        {"heavy_party_min": "gov_demerit"},
        {"out_of_turn_min_level": "village"},
    ],
)
def test_bad_settings_are_refused(data):
    with pytest.raises(ValueError):
        RuleSettings.from_dict(data)


def test_rule_descriptions_cover_every_setting_once_in_chinese():
    descriptions = rule_descriptions()
    assert [d.code for d in descriptions] == [code for code, _kind, _params in RULES]
    named = [d.switch for d in descriptions] + [name for d in descriptions for name in d.params]
    assert sorted(named) == sorted(RuleSettings().to_dict())
    assert descriptions[0].label == "基本条件1（现职级任职年限，计入年度均为称职及以上）"
    assert parameter_labels()["satisfaction_threshold"] == "群众满意度最低标准（%）"


def test_default_ladder_follows_the_design():
    ladder = {step.from_level: step for step in default_ladder()}
    assert sorted(ladder) == list(range(2, 14))
    assert [ladder[level].years_required for level in range(13, 1, -1)] == [2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4]
    assert [level for level in ladder if ladder[level].requires_excellent_year] == [7, 6, 5, 4, 3, 2]
    assert [level for level in ladder if ladder[level].required_commendation_level == "county"] == [4, 3, 2]


def test_a_county_ladder_replaces_the_default():
    ladder = [LadderStepRule(level, 1) for level in range(2, 14)]
    result = evaluate(make_facts(level_since=D(2025, 1, 1)), ladder=ladder)
    assert result.outcome == PROMOTE


def test_facts_refuse_impossible_values():
    with pytest.raises(ValueError):
        make_facts(level=14)
    with pytest.raises(ValueError):
        make_facts(grades={2025: "great"})
    with pytest.raises(ValueError):
        sanction(1, "fine", D(2025, 1, 1))


def test_texts_are_looked_up_once_per_run_in_the_language_of_the_run():
    from django.utils import translation

    from ranks.review.rules.text import memoized_texts, tr

    with translation.override("zh-hans"), memoized_texts():
        chinese = tr("Not in post")
        with translation.override("en"):
            assert tr("Not in post") == chinese  # inside one run the language does not change
    with translation.override("en"):
        assert tr("Not in post") == "Not in post" != chinese  # outside a run: plain gettext
    facts = [make_facts(cadre_id=n) for n in (3, 1, 2)]
    with translation.override("zh-hans"):
        many = evaluate_many(facts)
        assert [many[f.cadre_id].explain_lines() for f in facts] == [evaluate(f).explain_lines() for f in facts]
