"""Shared people and decisions of the self-service and appeals tests (DESIGN §12)."""

import pytest

from cadre_mgmt.accounts import cadre_accounts
from cadre_mgmt.cadres.models import Cadre
from ranks.models import PromotionReview, Proposal
from ranks.review import decisions
from ranks.review import services as review_services


def run_review(year=2025):
    review = review_services.review_start(year=year, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    return review_services.review_run_now(review=review)


@pytest.fixture
def approved_promotion(promotable, cadre_x, officer_x, county_approver):
    """cadre_x at level 12, promoted to 11 by the 2025 review: submitted by X镇, approved by the county now."""
    promotable(cadre_x, 12)
    run_review()
    proposal = Proposal.objects.get(cadre=cadre_x)
    decisions.proposal_submit(proposal=proposal, user=officer_x, remarks="同意上报")
    return decisions.proposal_approve(proposal=proposal, approver=county_approver, comment="同意")


def _issue(officer, cadre, phone):
    Cadre.objects.filter(pk=cadre.pk).update(phone=phone)
    cadre.refresh_from_db()
    account, password = cadre_accounts.cadre_account_issue(user=officer, cadre=cadre)
    return account, password


@pytest.fixture
def cadre_account_x(officer_x, cadre_x):
    """cadre_x's own account, issued by X镇 (initial password changed: ready to use)."""
    account, _password = _issue(officer_x, cadre_x, "13800000001")
    account.must_change_password = False
    account.save(update_fields=["must_change_password"])
    return account


@pytest.fixture
def cadre_account_y(officer_y, cadre_y):
    account, _password = _issue(officer_y, cadre_y, "13800000002")
    account.must_change_password = False
    account.save(update_fields=["must_change_password"])
    return account
