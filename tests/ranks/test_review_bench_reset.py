"""The bench's reset between its two review runs empties the review's tables, proposal rounds included
(append-only on PostgreSQL: migration 0011's trigger refuses deleting a ProposalStep, TRUNCATE is not refused)."""

import pytest

from bench.review import clear_reviews
from ranks.models import PromotionReview, Proposal, ReviewBatch
from ranks.models.review import ProposalStep
from ranks.review import decisions
from ranks.review import services as review_services

pytestmark = pytest.mark.django_db


def test_the_bench_reset_empties_the_review_with_its_proposal_rounds(promotable, cadre_x, officer_x):
    promotable(cadre_x, 12)
    review = review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    review_services.review_run_now(review=review)
    decisions.proposal_submit(proposal=Proposal.objects.get(cadre=cadre_x), user=officer_x, remarks="已核实")
    assert ProposalStep.objects.exists()
    clear_reviews()
    assert not ProposalStep.objects.exists() and not Proposal.objects.exists()
    assert not ReviewBatch.objects.exists() and not PromotionReview.objects.exists()
