"""Issue 17 item 5 (DESIGN §5, as of the review date): a review of year Y judges every cadre as they stood
on 31 December of Y; a cadre whose level changed after that day is not evaluated again."""

import datetime

import pytest

from ranks.ladder import services as ladder_services
from ranks.models import PromotionReview, Proposal, RankChange
from ranks.review import services as review_services
from ranks.review.rules import HOLD, evaluate

from ..conftest import at
from .test_review_rules import D, make_facts

pytestmark = pytest.mark.django_db

YEAR = 2025


def run_2025():
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    return review_services.review_run_now(review=review)


def promoted_in_february_2026(cadre, approver, to_level=11):
    """A promotion approved on 2026-01-10, in force from 2026-02-01: after 2025's review date."""
    return ladder_services.rank_change_record(
        cadre=cadre,
        kind=RankChange.Kind.PROMOTION,
        to_level=to_level,
        approved_by=approver,
        approved_at=at(2026, 1, 10),
        reason="2025年度晋升",
    )


def test_the_rules_propose_nothing_when_the_level_changed_after_the_review_date():
    result = evaluate(make_facts(level_changed_on=D(2026, 2, 1)))
    assert (result.outcome, result.from_level, result.to_level) == (HOLD, 12, 12)
    assert "2026-02-01 起职级已变动（晚于评审基准日）" in result.explain_lines()[0]
    assert evaluate(make_facts()).outcome != HOLD  # the same cadre without the change is promoted


def test_a_rerun_of_2025_counts_years_to_2025_12_31_from_the_level_then_and_proposes_nothing(
    promotable, cadre_x, county_approver
):
    promotable(cadre_x, 12)  # level 12 from 2024-01-01, competent in 2024 and 2025
    run_2025()
    first = Proposal.objects.get(cadre=cadre_x)
    assert (first.outcome, first.from_level, first.to_level, first.status) == ("promote", 12, 11, "pending")

    promoted_in_february_2026(cadre_x, county_approver)  # by another route, the proposal still undecided
    run_2025()
    proposal = Proposal.objects.get(cadre=cadre_x)
    assert (proposal.outcome, proposal.from_level, proposal.to_level, proposal.status) == ("hold", 12, 12, "no_action")
    assert proposal.explanation["level_changed_on"] == "2026-02-01"
    text = " ".join(str(c["evidence"]) for c in proposal.explanation["conditions"])
    assert "2024-01-01起任现职级，至2025-12-31已满" in text
    assert "2026-02-01起任现职级" not in text


def test_a_cadre_at_12_on_the_review_date_is_not_demoted_from_a_level_held_only_since(promotable, cadre_y, county_approver):
    """The issue's case: at 12 on 2025-12-31, promoted to 11 from 2026-02-01, graded incompetent for 2025.
    The old code proposed a demotion 11 → 12 counted from 2026-02-01."""
    promotable(cadre_y, 12, grades={2024: "competent", 2025: "incompetent"})
    promoted_in_february_2026(cadre_y, county_approver)
    run_2025()
    proposal = Proposal.objects.get(cadre=cadre_y)
    assert (proposal.outcome, proposal.from_level, proposal.to_level) == ("hold", 12, 12)
    assert proposal.status == "no_action"


def test_a_cadre_whose_level_did_not_change_is_judged_on_the_level_of_the_review_date(promotable, cadre_x):
    promotable(cadre_x, 12)
    run_2025()
    proposal = Proposal.objects.get(cadre=cadre_x)
    assert proposal.review_date == datetime.date(2025, 12, 31)
    assert "level_changed_on" not in proposal.explanation
    assert proposal.outcome == "promote"
