"""Issue 17 item 9: every condition's mark (✔ / ✘) and its words say the same thing to a Chinese reader.

A disqualifier or a demotion trigger that did not fire passes: "✔ 未触发"; one that fired fails: "✘ 触发".
A basic condition met: "✔ 符合"; not met: "✘ 不符合". A bonus: "✔ 适用" / "· 不适用".
"""

from decimal import Decimal

import pytest

from ranks.review.rules import INCOMPETENT, SanctionFact, evaluate, verdict
from ranks.review.rules.config import BASIC, BONUS, DEMOTION, DISQUALIFIER
from ranks.review.selectors import explanation_view

from .test_review_rules import D, make_facts

POSITIVE = {"✔": ("符合", "未触发", "适用")}
NEGATIVE = {"✘": ("不符合", "触发"), "·": ("不适用",)}


@pytest.mark.parametrize(
    ("kind", "passed", "expected"),
    [
        (BASIC, True, ("✔", "符合")),
        (BASIC, False, ("✘", "不符合")),
        (DISQUALIFIER, True, ("✔", "未触发")),
        (DISQUALIFIER, False, ("✘", "触发")),
        (BONUS, True, ("✔", "适用")),
        (BONUS, False, ("·", "不适用")),
        (DEMOTION, True, ("✔", "未触发")),
        (DEMOTION, False, ("✘", "触发")),
    ],
)
def test_mark_and_words_agree_for_each_kind(kind, passed, expected):
    assert verdict(kind, passed, True) == expected
    assert verdict(kind, passed, False)[0] == "—"


def _lines_by_code(evaluation):
    lines = evaluation.explain_lines()[1 : 1 + len(evaluation.conditions)]
    return {c.code: line for c, line in zip(evaluation.conditions, lines, strict=True)}


def test_a_cadre_not_disqualified_reads_not_triggered_never_meets_the_disqualifier():
    lines = _lines_by_code(evaluate(make_facts()))
    assert lines["dq_satisfaction"].startswith("✔ 未触发：不予晋升情形5（群众满意度低于规定标准）")
    assert lines["basic_years"].startswith("✔ 符合：基本条件1")
    assert lines["demote_incompetent"].startswith("✔ 未触发：降级情形")
    assert lines["out_of_turn"].startswith("· 不适用：破格晋升")
    assert not any(line.startswith("✔ 符合：不予晋升情形") for line in lines.values())


def test_a_disqualified_cadre_reads_triggered():
    facts = make_facts(mass_score=Decimal("60"), grades={2023: "competent", 2024: "competent", 2025: INCOMPETENT})
    lines = _lines_by_code(evaluate(facts))
    assert lines["dq_satisfaction"].startswith("✘ 触发：不予晋升情形5")
    assert lines["dq_grade"].startswith("✘ 触发：不予晋升情形1")
    assert lines["basic_years"].startswith("✘ 不符合：基本条件1")
    assert lines["demote_incompetent"].startswith("✘ 触发：降级情形")


def test_every_condition_on_the_page_has_agreeing_mark_and_words():
    """The proposal page's table (explanation_view), for a mix of passing and failing conditions of every kind."""
    sanction = SanctionFact(1, "discipline", "party_serious_warning", D(2025, 3, 1), None, "违反工作纪律")
    for facts in (make_facts(), make_facts(mass_score=Decimal("60"), active_sanctions=[sanction], sanctions_in_year=[sanction])):
        view = explanation_view(evaluate(facts).to_dict())
        seen = 0
        for _title, items in view["groups"]:
            for item in items:
                seen += 1
                words = (POSITIVE if item.passed else NEGATIVE).get(item.mark)
                assert words is not None and item.verdict in words, (item.label, item.mark, item.verdict)
        assert seen == len(evaluate(facts).conditions)
