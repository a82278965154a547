"""Journeys 3b and 3c (issue 17): a rejected proposal goes back to the township, which answers on a phone and
resubmits it, and the county approves the second round; a county approver corrects a wrong promotion already
paid in locked months, and the next roster recovers exactly what was overpaid (扣回)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ranks.ladder import rules
from ranks.ladder import services as ladder_services
from ranks.models import Proposal, RankChange, RosterLine
from ranks.rosters import services as rosters_services

from .helpers import login, page_width
from .test_proposals import proposal_row, submitted_proposals  # noqa: F401  (the fixture)

REASON = "缺少村民代表会议记录，请补充后再报"
ANSWER = "已补充2025年12月村民代表会议记录"
MATERIAL = "村民代表会议记录（2025-12-20，到会31人）已核实，附于乡镇档案。"


def test_a_rejected_proposal_is_answered_on_a_phone_resubmitted_and_approved_in_the_second_round(
    open_page,
    phone_page,
    submitted_proposals,  # noqa: F811
    county_approver,
    officer_x,
):
    proposal = submitted_proposals["孙德明"]
    county = open_page()
    login(county, "county_approver")

    # Round 1: the county rejects with a reason.
    county.goto(f"/ranks/proposals/{proposal.pk}/")
    county.get_by_label("退回理由").fill(REASON)
    county.get_by_role("button", name="退回", exact=True).click()
    expect(county.locator("#returned")).to_contain_text(REASON)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.REJECTED

    # The township, on a phone: its dashboard counts the returned proposal and leads to it.
    phone = phone_page
    login(phone, "township_x")
    phone.goto("/ranks/dashboard/")
    returned = phone.get_by_test_id("work-proposals_returned")
    expect(returned.get_by_test_id("work-count")).to_have_text("1")
    returned.click()
    expect(proposal_row(phone, "孙德明")).to_contain_text("已退回")
    proposal_row(phone, "孙德明").get_by_role("link", name="评审说明").click()
    expect(phone.locator("#returned")).to_contain_text(REASON)
    phone.get_by_label("对退回意见的答复").fill(ANSWER)
    phone.get_by_label("补充材料").fill(MATERIAL)
    phone.get_by_label("附件").set_input_files(
        files=[{"name": "村民代表会议记录.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    phone.get_by_role("button", name="重新报县级审批").click()
    expect(phone.get_by_role("alert").first).to_be_visible()
    assert page_width(phone) <= 390
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED and MATERIAL in proposal.supporting_notes

    # Round 2: the county reads both rounds in the handling record and approves.
    county.goto(f"/ranks/proposals/{proposal.pk}/")
    record = county.locator("#handling-record")
    expect(record).to_contain_text(REASON)
    expect(record).to_contain_text(ANSWER)
    expect(county.get_by_text(MATERIAL).first).to_be_visible()
    expect(record.get_by_test_id("step-attachment")).to_contain_text("村民代表会议记录.pdf")
    with county.expect_download() as info:
        record.get_by_role("link", name="村民代表会议记录.pdf").click()
    assert info.value.suggested_filename == "村民代表会议记录.pdf"
    county.get_by_role("button", name="批准", exact=True).click()
    expect(county.get_by_role("alert").first).to_contain_text("生效")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED and proposal.rank_change.to_level == 12
    assert proposal.rank_change.effective_month == rules.effective_month_after(timezone.localdate())


@pytest.fixture
def paid_wrong_promotion(grade, cadre_x, county_approver):
    """张建国 at 12, wrongly promoted to 11 three months ago; the two months since are paid at 11 and locked."""
    this_month = timezone.localdate().replace(day=1)
    first_paid = rules.add_months(this_month, -2)
    grade(cadre_x, 12, approved=timezone.now() - datetime.timedelta(days=400))
    approved_at = timezone.make_aware(datetime.datetime.combine(rules.add_months(first_paid, -1), datetime.time(10)))
    promotion = ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=11, approved_by=county_approver, approved_at=approved_at, reason="晋升"
    )
    assert promotion.effective_month == first_paid
    for month in (first_paid, rules.add_months(first_paid, 1)):
        roster = rosters_services.roster_generate(month=month, user=county_approver)
        rosters_services.roster_lock(roster=roster, user=county_approver)
    return promotion, this_month


def test_a_correction_of_a_paid_promotion_ends_in_a_recovery_line_on_the_next_roster(
    open_page, paid_wrong_promotion, cadre_x, county_approver
):
    promotion, this_month = paid_wrong_promotion
    page = open_page()
    login(page, "county_approver")
    page.goto(f"/cadres/{cadre_x.pk}/")
    panel = page.locator("#ranks-panel")
    panel.get_by_role("link", name="更正", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("更正职级变动")
    preview = page.get_by_test_id("reversal-preview")
    expect(preview).to_contain_text("12")
    expect(preview).to_contain_text("-200")
    expect(preview).to_contain_text("扣回")
    assert RankChange.objects.filter(kind=RankChange.Kind.CORRECTION).count() == 0  # nothing before the confirmation
    page.get_by_label("更正理由").fill("晋升时年度考核等次录入有误")
    page.get_by_label("我已核对以上数字，确认更正该职级变动。").check()
    page.get_by_role("button", name="确认更正").click()
    expect(page.locator("#ranks-panel")).to_contain_text("已更正")

    # The next unlocked roster: the regular line at 12 and one recovery line of the two overpaid months.
    page.goto(f"/ranks/rosters/?month={this_month:%Y-%m}")
    page.get_by_role("button", name="生成花名册").click()
    lines = page.get_by_test_id("roster-lines").locator("tbody tr").filter(has_text=cadre_x.name)
    expect(lines).to_have_count(2)
    recovery = lines.filter(has_text="扣回")
    expect(recovery.locator("td").nth(7)).to_have_text("-200.00")
    expect(recovery).to_contain_text("更正")
    expect(lines.filter(has_not_text="扣回").locator("td").nth(6)).to_have_text("12")
    line = RosterLine.objects.get(cadre=cadre_x, roster__month=this_month, kind=RosterLine.Kind.RECOVERY)
    assert line.amount == Decimal("-200.00")
