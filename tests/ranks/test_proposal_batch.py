"""Issue 17 item 3 (DESIGN §5): a batch approval first shows what it will do and asks to confirm; only the
confirming POST acts, and only on the selection the summary showed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from ranks.models import AllowanceSchedule, Proposal, RankChange
from ranks.review import decisions
from ranks.review import selectors as review_selectors

from .test_review_pages import decide_batch, reviewed  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

URL = "ranks:proposal_decide_batch"


@pytest.fixture
def submitted(reviewed, officer_x, officer_y):  # noqa: F811
    decisions.proposal_submit(proposal=reviewed["x"], user=officer_x)
    decisions.proposal_submit(proposal=reviewed["y"], user=officer_y)
    return [reviewed["x"], reviewed["y"]]


def test_the_first_post_shows_the_summary_and_changes_nothing(client_for, submitted, county_approver):
    AllowanceSchedule.objects.all().delete()
    AllowanceSchedule.objects.create(effective_from="2020-01-01", amount_per_level=Decimal("100.00"))
    records = AuditRecord.objects.count()
    response = client_for(county_approver).post(reverse(URL), {"proposal": [p.pk for p in submitted], "action": "approve"})
    assert response.status_code == 200
    summary = response.context["summary"]
    # x: 12 → 11, y: 11 → 10, both ordinary promotions: +100 yuan a month each.
    assert (summary.promotions, summary.out_of_turn, summary.demotions) == (2, 0, 0)
    assert summary.monthly_cost == Decimal("200.00") and isinstance(summary.monthly_cost, Decimal)
    assert "确认批准这 2 项" in response.text and 'data-figure="monthly_cost">200.00<' in response.text
    assert set(Proposal.objects.filter(pk__in=[p.pk for p in submitted]).values_list("status", flat=True)) == {"submitted"}
    assert not RankChange.objects.filter(kind="promotion").exists()
    assert AuditRecord.objects.count() == records


def test_the_cost_uses_the_schedule_in_force_in_the_effective_month(submitted):
    AllowanceSchedule.objects.all().delete()
    AllowanceSchedule.objects.create(effective_from="2020-01-01", amount_per_level=Decimal("100.00"))
    AllowanceSchedule.objects.create(effective_from="2030-01-01", amount_per_level=Decimal("150.00"))
    import datetime

    before = review_selectors.batch_summary(proposals=submitted, action="approve", today=datetime.date(2029, 11, 5))
    after = review_selectors.batch_summary(proposals=submitted, action="approve", today=datetime.date(2029, 12, 5))
    assert (before.effective_month, before.monthly_cost) == (datetime.date(2029, 12, 1), Decimal("200.00"))
    assert (after.effective_month, after.monthly_cost) == (datetime.date(2030, 1, 1), Decimal("300.00"))


def test_a_demotion_counts_as_a_saving(submitted):
    x = submitted[0]
    Proposal.objects.filter(pk=x.pk).update(outcome="demote", to_level=13)
    x.refresh_from_db()
    summary = review_selectors.batch_summary(proposals=[x], action="approve")
    assert (summary.promotions, summary.demotions) == (0, 1)
    assert summary.monthly_cost < 0


def test_the_confirming_post_approves(client_for, submitted, county_approver):
    response = decide_batch(client_for(county_approver), {"proposal": [p.pk for p in submitted], "action": "approve"})
    assert response.status_code == 302
    assert set(Proposal.objects.filter(pk__in=[p.pk for p in submitted]).values_list("status", flat=True)) == {"approved"}
    assert RankChange.objects.filter(kind="promotion").count() == 2


def test_a_proposal_decided_meanwhile_refuses_the_whole_batch(client_for, submitted, county_approver, county_admin):
    client = client_for(county_approver)
    data = {"proposal": [p.pk for p in submitted], "action": "approve"}
    fingerprint = client.post(reverse(URL), data).context["summary"].fingerprint
    decisions.proposal_reject(proposal=submitted[1], approver=county_admin, reason="材料不全")  # someone else, meanwhile
    response = client.post(reverse(URL), {**data, "confirm": "on", "fingerprint": fingerprint}, follow=True)
    assert "所选建议已发生变化" in response.text and "本次未办理任何一项" in response.text
    assert Proposal.objects.get(pk=submitted[0].pk).status == "submitted"
    assert not RankChange.objects.filter(kind="promotion").exists()


def test_a_changed_selection_or_a_forged_fingerprint_is_refused(client_for, submitted, county_approver):
    client = client_for(county_approver)
    fingerprint = client.post(reverse(URL), {"proposal": [submitted[0].pk], "action": "approve"}).context["summary"].fingerprint
    both = {"proposal": [p.pk for p in submitted], "action": "approve", "confirm": "on"}
    client.post(reverse(URL), {**both, "fingerprint": fingerprint})
    client.post(reverse(URL), {**both, "fingerprint": "0" * 24})
    client.post(reverse(URL), both)  # no fingerprint at all
    assert set(Proposal.objects.filter(pk__in=[p.pk for p in submitted]).values_list("status", flat=True)) == {"submitted"}


def test_batch_reject_also_asks_first(client_for, submitted, county_approver):
    client = client_for(county_approver)
    data = {"proposal": [submitted[0].pk], "action": "reject", "reason": "本轮暂缓"}
    response = client.post(reverse(URL), data)
    assert response.status_code == 200 and "确认退回这 1 项" in response.text and "本轮暂缓" in response.text
    assert Proposal.objects.get(pk=submitted[0].pk).status == "submitted"
    decide_batch(client, data)
    assert Proposal.objects.get(pk=submitted[0].pk).status == "rejected"


def test_only_county_approvers_see_the_summary_or_confirm(client_for, submitted, officer_x, finance, supervisor):
    for user in (officer_x, finance, supervisor):
        client = client_for(user)
        data = {"proposal": [submitted[0].pk], "action": "approve"}
        assert client.post(reverse(URL), data).status_code == 403
        assert client.post(reverse(URL), {**data, "confirm": "on", "fingerprint": "x"}).status_code == 403
    assert Proposal.objects.get(pk=submitted[0].pk).status == "submitted"
