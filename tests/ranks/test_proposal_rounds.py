"""Issue 17 item 4 (DESIGN §5): a rejected proposal returns to the township with the reason; the township
adds material and resubmits it (the next round) or closes it; every round stays in the proposal's history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from ranks.models import PromotionReview, Proposal
from ranks.models.review import ProposalStep
from ranks.review import decisions
from ranks.review import selectors as review_selectors
from ranks.review import services as review_services

from .test_review_pages import reviewed  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(reviewed, officer_x, county_approver):  # noqa: F811
    officer_x.full_name = "王乡镇"
    officer_x.save()
    county_approver.full_name = "李审批"
    county_approver.save()
    proposal = decisions.proposal_submit(proposal=reviewed["x"], user=officer_x, remarks="经核实")
    return decisions.proposal_reject(proposal=proposal, approver=county_approver, reason="缺少年度考核表")


def test_a_rejected_proposal_is_on_the_townships_to_do_list_with_the_reason(client_for, returned, officer_x, officer_y):
    assert list(review_selectors.returned_proposals_for_user(user=officer_x)) == [returned]
    assert review_selectors.returned_proposal_count(user=officer_x) == 1
    assert review_selectors.returned_proposal_count(user=officer_y) == 0
    assert review_selectors.proposal_todo_count(user=officer_x) >= 1
    response = client_for(officer_x).get(reverse("ranks:proposals"))  # the default: the to-do list
    assert returned in list(response.context["page"]) and "缺少年度考核表" in response.text
    page = client_for(officer_x).get(reverse("ranks:proposal_detail", args=[returned.pk]))
    assert page.context["can_resubmit"] and 'id="resubmit-form"' in page.text and "缺少年度考核表" in page.text


def test_resubmit_with_material_then_approve_keeps_every_round(client_for, returned, officer_x, county_approver):
    client = client_for(officer_x)
    response = client.post(
        reverse("ranks:proposal_submit", args=[returned.pk]),
        {"action": "resubmit", "remarks": "已补充考核表", "material": "2025年度考核登记表已扫描存档"},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(pk=returned.pk)
    assert (proposal.status, proposal.reject_reason, proposal.decided_by) == ("submitted", "", None)
    assert "2025年度考核登记表已扫描存档" in proposal.supporting_notes
    assert review_selectors.returned_proposal_count(user=officer_x) == 0
    decisions.proposal_approve(proposal=proposal, approver=county_approver)
    steps = review_selectors.proposal_steps(proposal=proposal)
    assert [(s.round, s.action, s.from_status, s.to_status) for s in steps] == [
        (1, "submit", "pending", "submitted"),
        (1, "reject", "submitted", "rejected"),
        (2, "resubmit", "rejected", "submitted"),
        (2, "approve", "submitted", "approved"),
    ]
    assert steps[1].note == "缺少年度考核表" and steps[2].material == "2025年度考核登记表已扫描存档"
    page = client_for(county_approver).get(reverse("ranks:proposal_detail", args=[proposal.pk]))
    assert "办理记录" in page.text and "第2轮" in page.text and "补充材料后重新报送" in page.text
    assert "王乡镇" in page.text and "李审批" in page.text  # names, not login names
    summaries = list(AuditRecord.objects.filter(object_type="ranks.Proposal").values_list("summary", flat=True))
    assert "建议已重新报县级审批" in summaries


def test_a_returned_proposal_can_be_rejected_again_and_then_closed(returned, officer_x, county_approver):
    again = decisions.proposal_resubmit(proposal=returned, user=officer_x, remarks="补充说明")
    again = decisions.proposal_reject(proposal=again, approver=county_approver, reason="仍不符合条件")
    closed = decisions.proposal_close(proposal=again, user=officer_x, reason="同意县级意见")
    assert closed.status == "closed"
    actions = [(s.round, s.action) for s in review_selectors.proposal_steps(proposal=closed)]
    assert actions == [(1, "submit"), (1, "reject"), (2, "resubmit"), (2, "reject"), (2, "close")]
    with pytest.raises(ValidationError):
        decisions.proposal_resubmit(proposal=closed, user=officer_x, remarks="再报")


def test_only_the_townships_staff_resubmit_or_close(client_for, returned, officer_y, county_admin, county_approver, finance):
    for user in (officer_y, county_admin, county_approver):
        with pytest.raises(PermissionDenied):
            decisions.proposal_resubmit(proposal=returned, user=user, remarks="x")
        with pytest.raises(PermissionDenied):
            decisions.proposal_close(proposal=returned, user=user, reason="x")
    url = reverse("ranks:proposal_submit", args=[returned.pk])
    assert client_for(officer_y).post(url, {"action": "close"}).status_code == 404
    assert client_for(finance).post(url, {"action": "close"}).status_code == 403
    assert Proposal.objects.get(pk=returned.pk).status == "rejected"


def test_bad_input_is_refused_in_chinese(client_for, returned, officer_x):
    client = client_for(officer_x)
    response = client.post(reverse("ranks:proposal_submit", args=[returned.pk]), {"action": "resubmit"})
    assert response.status_code == 400 and "请说明退回后补充或更正了哪些内容" in response.text
    response = client.post(reverse("ranks:proposal_submit", args=[returned.pk]), {"action": "close"})
    assert response.status_code == 400 and "请填写办结（不再报送）的理由" in response.text
    assert Proposal.objects.get(pk=returned.pk).status == "rejected"
    assert not ProposalStep.objects.filter(action__in=["resubmit", "close"]).exists()


def test_a_rerun_never_touches_a_returned_or_closed_proposal(returned, officer_x):
    def rerun():
        review = review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
        return review_services.review_run_now(review=review)

    rerun()
    assert Proposal.objects.get(pk=returned.pk).status == "rejected"
    decisions.proposal_close(proposal=returned, user=officer_x, reason="同意")
    review = rerun()
    assert Proposal.objects.get(pk=returned.pk).status == "closed"
    assert review.counts["writes"]["decided_kept"] >= 1


def test_steps_are_append_only(returned):
    step = ProposalStep.objects.filter(proposal=returned).first()
    step.note = "改写"
    with pytest.raises(ValueError):
        step.save()


def test_the_database_refuses_to_rewrite_a_step(returned):
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalStep.objects.filter(proposal=returned).update(note="改写")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalStep.objects.filter(proposal=returned).delete()
