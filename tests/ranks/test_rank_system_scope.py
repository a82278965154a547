"""DESIGN §2: only a cadre holding at least one post in the rank system is graded (initial grading) and
reviewed (promotion review); the one predicate is ``cadre_mgmt.cadres.selectors.cadres_in_rank_system``."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cadre_mgmt.cadres.models import Post
from ranks.grading import selectors as grading_selectors
from ranks.grading import services as grading_services
from ranks.models import InitialGrading, PromotionReview, Proposal
from ranks.review import services as review_services

from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


def _posts(*codes):
    return [Post.objects.get(code=code) for code in codes]


def _review():
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    return review_services.review_run_now(review=review)


def test_a_clerk_only_cadre_gets_no_proposal_and_a_clerk_and_member_is_reviewed(promotable, village_x):
    clerk = promotable(CadreFactory(village=village_x, name="钱立新", posts=_posts("clerk")), 12)
    both = promotable(CadreFactory(village=village_x, name="孙文军", posts=_posts("clerk", "member")), 12)
    review = _review()
    assert review.state == PromotionReview.State.DONE
    proposals = {p.cadre_id: p for p in Proposal.objects.all()}
    assert clerk.pk not in proposals
    assert (proposals[both.pk].outcome, proposals[both.pk].to_level) == ("promote", 11)
    assert review.counts["total"] == 1


def test_a_clerk_only_cadre_is_not_to_grade_and_cannot_be_graded(village_x, officer_x, client_for):
    clerk = CadreFactory(village=village_x, name="钱立新", posts=_posts("clerk"))
    both = CadreFactory(village=village_x, name="孙文军", posts=_posts("clerk", "member"))
    ungraded = set(grading_selectors.ungraded_cadres_for(user=officer_x))
    assert both in ungraded and clerk not in ungraded
    assert clerk not in set(grading_selectors.submittable_cadres_for(user=officer_x))
    with pytest.raises(ValidationError) as refused:
        grading_services.initial_grading_submit(user=officer_x, cadre=clerk)
    assert "不在职级体系" in " ".join(refused.value.messages) and "文书" in " ".join(refused.value.messages)
    assert not InitialGrading.objects.filter(cadre=clerk).exists()
    assert grading_services.initial_grading_submit(user=officer_x, cadre=both).status == "submitted"
    page = client_for(officer_x).get(reverse("ranks:grading"))
    assert page.status_code == 200 and "钱立新" not in page.text
