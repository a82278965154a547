"""The proposal workflow: the township checks and submits, the county approves or rejects, once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cadre_mgmt.audit.models import AuditRecord
from ranks.ladder import rules
from ranks.ladder import selectors as ladder_selectors
from ranks.ladder import services as ladder_services
from ranks.models import PromotionReview, Proposal, RankChange
from ranks.review import decisions
from ranks.review import selectors as review_selectors
from ranks.review import services as review_services

from ..conftest import at
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def proposals(promotable, cadre_x, cadre_y, village_x):
    """Run the 2025 review: cadre_x promote 12→11, cadre_y promote 11→10, one ungraded hold in X."""
    promotable(cadre_x, 12)
    promotable(cadre_y, 11)
    CadreFactory(village=village_x, name="赵未定")
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    review_services.review_run_now(review=review)
    return {p.cadre_id: p for p in Proposal.objects.select_related("cadre")}


def test_approval_writes_the_rank_record_effective_next_month(proposals, cadre_x, officer_x, county_approver):
    proposal = proposals[cadre_x.pk]
    decisions.proposal_submit(proposal=proposal, user=officer_x, remarks="属实", notes="台账齐全")
    approved = decisions.proposal_approve(proposal=proposal, approver=county_approver, comment="同意")
    change = approved.rank_change
    assert (change.kind, change.from_level, change.to_level, change.approved_by) == ("promotion", 12, 11, county_approver)
    assert change.effective_month == rules.effective_month_after(timezone.localdate(approved.decided_at))
    assert change.source == f"晋升评审 {YEAR} #{proposal.pk}"
    assert "同意" in change.reason
    assert (approved.status, approved.decided_by) == ("approved", county_approver)
    next_month = rules.effective_month_after(timezone.localdate())
    assert ladder_selectors.cadre_level_on(cadre=cadre_x, day=next_month) == 11


def test_a_demotion_is_recorded_as_a_demotion(promotable, cadre_x, officer_x, county_approver):
    promotable(cadre_x, 11, grades={2024: "competent", 2025: "incompetent"})
    review_services.review_run_now(
        review=review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    )
    proposal = Proposal.objects.get(cadre=cadre_x)
    assert (proposal.outcome, proposal.to_level) == ("demote", 12)
    decisions.proposal_submit(proposal=proposal, user=officer_x)
    change = decisions.proposal_approve(proposal=proposal, approver=county_approver).rank_change
    assert (change.kind, change.from_level, change.to_level) == ("demotion", 11, 12)


def test_township_staff_cannot_approve_or_reject(proposals, cadre_x, officer_x):
    proposal = decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x)
    with pytest.raises(PermissionDenied):
        decisions.proposal_approve(proposal=proposal, approver=officer_x)
    with pytest.raises(PermissionDenied):
        decisions.proposal_reject(proposal=proposal, approver=officer_x, reason="不同意")
    assert RankChange.objects.filter(kind="promotion").count() == 0


def test_a_township_cannot_submit_another_townships_proposal(proposals, cadre_y, officer_x, county_approver):
    with pytest.raises(PermissionDenied):
        decisions.proposal_submit(proposal=proposals[cadre_y.pk], user=officer_x)
    with pytest.raises(PermissionDenied):
        decisions.proposal_submit(proposal=proposals[cadre_y.pk], user=county_approver)


def test_the_county_decides_only_what_the_township_submitted(proposals, cadre_x, county_approver):
    with pytest.raises(ValidationError, match="submitted|上报"):
        decisions.proposal_approve(proposal=proposals[cadre_x.pk], approver=county_approver)
    with pytest.raises(ValidationError):
        decisions.proposal_reject(proposal=proposals[cadre_x.pk], approver=county_approver, reason="材料不全")


def test_a_hold_needs_no_submission_or_decision(proposals, village_x, officer_x):
    hold = Proposal.objects.get(outcome="hold")
    with pytest.raises(ValidationError):
        decisions.proposal_submit(proposal=hold, user=officer_x)


def test_a_proposal_is_decided_once(proposals, cadre_x, officer_x, county_approver, county_admin):
    proposal = decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x)
    decisions.proposal_approve(proposal=proposal, approver=county_approver)
    with pytest.raises(ValidationError, match="已审批"):
        decisions.proposal_approve(proposal=proposal, approver=county_admin)
    with pytest.raises(ValidationError):
        decisions.proposal_reject(proposal=proposal, approver=county_admin, reason="重新考虑")
    with pytest.raises(ValidationError):
        decisions.proposal_submit(proposal=proposal, user=officer_x, remarks="改")
    assert RankChange.objects.filter(cadre=cadre_x, kind="promotion").count() == 1


def test_rejection_needs_a_reason_and_writes_no_rank_record(proposals, cadre_x, officer_x, county_approver):
    proposal = decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x)
    with pytest.raises(ValidationError):
        decisions.proposal_reject(proposal=proposal, approver=county_approver, reason="  ")
    rejected = decisions.proposal_reject(proposal=proposal, approver=county_approver, reason="群众测评材料不全")
    assert (rejected.status, rejected.reject_reason, rejected.decided_by) == ("rejected", "群众测评材料不全", county_approver)
    assert rejected.rank_change is None
    assert not RankChange.objects.filter(cadre=cadre_x, kind="promotion").exists()


def test_approval_is_refused_when_the_level_changed_since_the_review(proposals, cadre_x, officer_x, county_approver):
    proposal = decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x)
    ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=11, approved_by=county_approver, approved_at=timezone.now(), reason="另案晋升"
    )
    with pytest.raises(ValidationError, match="level 11|11级|11"):
        decisions.proposal_approve(proposal=proposal, approver=county_approver)
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


def test_batch_approval_is_all_or_nothing(proposals, cadre_x, cadre_y, officer_x, officer_y, county_approver):
    x = decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x)
    y = decisions.proposal_submit(proposal=proposals[cadre_y.pk], user=officer_y)
    ladder_services.rank_change_record(
        cadre=cadre_y, kind="demotion", to_level=12, approved_by=county_approver, approved_at=at(2026, 3, 3), reason="降级"
    )
    with pytest.raises(ValidationError, match=cadre_y.name):
        decisions.proposals_approve_batch(proposals=[x, y], approver=county_approver)
    assert set(Proposal.objects.filter(pk__in=[x.pk, y.pk]).values_list("status", flat=True)) == {"submitted"}
    assert not RankChange.objects.filter(kind="promotion").exists()


def test_batch_submission_and_rejection(proposals, cadre_x, village_x, promotable, officer_x, county_approver):
    promotable(CadreFactory(village=village_x, name="孙晋"), 12)
    review_services.review_run_now(
        review=review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    )
    open_x = list(Proposal.objects.filter(township=cadre_x.township, status="pending").select_related("cadre"))
    assert len(open_x) == 2
    submitted = decisions.proposals_submit_batch(proposals=open_x, user=officer_x, remarks="经核实")
    assert {p.status for p in submitted} == {"submitted"} and {p.township_remarks for p in submitted} == {"经核实"}
    rejected = decisions.proposals_reject_batch(proposals=submitted, approver=county_approver, reason="本轮暂缓")
    assert {p.status for p in rejected} == {"rejected"}


def test_every_action_records_who_and_when(proposals, cadre_x, officer_x, county_approver):
    proposal = decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x, remarks="属实")
    decisions.proposal_approve(proposal=proposal, approver=county_approver)
    history = review_selectors.proposal_history(proposal=proposal)
    assert [(r.actor, r.action) for r in history] == [
        (officer_x, AuditRecord.Action.UPDATE),
        (county_approver, AuditRecord.Action.DECIDE),
    ]
    assert "属实" in str(history[0].changes)
    panel = review_selectors.cadre_review_panel(cadre_x, county_approver)["proposals"]
    assert [(p.status, p.submitted_by, p.decided_by) for p in panel] == [("approved", officer_x, county_approver)]


def test_submitted_proposals_feed_the_allowance_budget(proposals, cadre_x, cadre_y, officer_x, county_approver):
    decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x)
    pending = review_selectors.pending_proposal_changes(user=county_approver, year=YEAR)
    assert pending == [(cadre_x.pk, 11)]
    figures = ladder_selectors.budget_figures(user=county_approver, extra_pending=pending)
    assert figures.next_month_total_if_approved - figures.next_month_total == 100


def test_remarks_longer_than_allowed_are_refused(proposals, cadre_x, officer_x):
    with pytest.raises(ValidationError):
        decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x, remarks="很长" * 200)
    assert Proposal.objects.get(pk=proposals[cadre_x.pk].pk).status == "pending"


def test_a_cadre_who_left_post_cannot_be_promoted(proposals, cadre_x, officer_x, county_approver):
    proposal = decisions.proposal_submit(proposal=proposals[cadre_x.pk], user=officer_x)
    type(cadre_x).objects.filter(pk=cadre_x.pk).update(status="left", left_on=timezone.localdate())
    with pytest.raises(ValidationError):
        decisions.proposal_approve(proposal=proposal, approver=county_approver)
