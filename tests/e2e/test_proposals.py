"""Journey 3: a county approver reads a proposal's explanation, approves two proposals in a batch, rejects
one with a reason, and finds the promotion in the cadre's rank history, effective next month."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AnnualReview, TownshipYear
from ranks.ladder import rules
from ranks.ladder import services as ladder_services
from ranks.models import PromotionReview, Proposal, RankChange
from ranks.review import decisions
from ranks.review import services as review_services

from ..factories import CadreFactory
from .helpers import login, open_from_menu

YEAR = 2025
GRADED_AT = datetime.datetime(2021, 12, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))  # level 13 from 2022-01
REASON = "群众测评材料不全，请补充后再报"


def confirm_grades(cadre, approver, years):
    """County-confirmed 'competent' annual grades, written directly as the ranks review tests do (the
    assessment workflow has its own tests; the review reads only confirmed years)."""
    for year in years:
        township_year, _created = TownshipYear.objects.get_or_create(
            township_id=cadre.township_id,
            year=year,
            defaults={"status": TownshipYear.Status.CONFIRMED, "confirmed_by": approver, "confirmed_at": timezone.now()},
        )
        AnnualReview.objects.update_or_create(
            cadre=cadre,
            year=year,
            defaults={"township_year": township_year, "grade": "competent", "score": Decimal("85"), "mass_score": Decimal("80")},
        )


@pytest.fixture
def submitted_proposals(county_approver, officer_x, village_x, cadre_x):
    """Four cadres of X镇 at level 13 since 2022-01, competent every year; the 2025 review proposes 13 → 12
    for each, and the township has checked and submitted all four. Returns {name: proposal}."""
    cadres = [
        cadre_x,  # 张建国
        CadreFactory(village=village_x, name="赵海燕"),
        CadreFactory(village=village_x, name="孙德明"),
        CadreFactory(village=village_x, name="钱立新"),
    ]
    for cadre in cadres:
        ladder_services.rank_change_record(
            cadre=cadre,
            kind=RankChange.Kind.INITIAL_GRADING,
            to_level=13,
            approved_by=county_approver,
            approved_at=GRADED_AT,
            reason="初始定级",
        )
        confirm_grades(cadre, county_approver, range(2022, YEAR + 1))
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    review = review_services.review_run_now(review=review)
    assert review.state == PromotionReview.State.DONE
    proposals = {p.cadre.name: p for p in Proposal.objects.select_related("cadre")}
    assert {name: (p.outcome, p.from_level, p.to_level) for name, p in proposals.items()} == {
        cadre.name: ("promote", 13, 12) for cadre in cadres
    }
    decisions.proposals_submit_batch(proposals=list(proposals.values()), user=officer_x, remarks="经村委会核实")
    return proposals


def proposal_row(page, name):
    return page.locator("tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))


def test_approver_approves_two_proposals_rejects_one_and_reads_the_promotion_effective_next_month(
    page, submitted_proposals, county_approver
):
    login(page, "county_approver")
    open_from_menu(page, "评审建议")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"{YEAR} 年度晋升评审建议")
    rows = page.locator("tbody tr").filter(has=page.get_by_role("checkbox"))
    expect(rows).to_have_count(4)
    expect(proposal_row(page, "赵海燕")).to_contain_text("待县级审批")
    expect(proposal_row(page, "赵海燕")).to_contain_text("经村委会核实")

    # One explanation, read before deciding.
    proposal_row(page, "赵海燕").get_by_role("link", name="评审说明").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("赵海燕")
    expect(page.get_by_role("heading", name="基本条件", exact=True)).to_be_visible()
    expect(page.get_by_text("基本条件1（现职级任职年限", exact=False)).to_be_visible()
    expect(page.get_by_text(f"{YEAR} 称职").first).to_be_visible()
    expect(page.get_by_text("经村委会核实").first).to_be_visible()
    page.go_back()

    # Two approved in one batch.
    expect(rows).to_have_count(4)
    page.get_by_role("checkbox", name="张建国").check()
    page.get_by_role("checkbox", name="赵海燕").check()
    page.get_by_role("button", name="批准所选").click()
    # Nothing is done before the summary is confirmed (DESIGN §5): two changes, their monthly cost.
    expect(page.get_by_role("heading", name="确认批量批准")).to_be_visible()
    summary = page.locator("#batch-summary")
    changes = sum(int(summary.locator(f"[data-figure={key}]").inner_text()) for key in ("promotions", "out_of_turn", "demotions"))
    assert changes == 2
    expect(summary.locator("[data-figure=monthly_cost]")).not_to_be_empty()
    assert Proposal.objects.filter(status=Proposal.Status.APPROVED).count() == 0
    page.get_by_role("button", name="确认批准这 2 项").click()
    expect(page.get_by_role("alert").filter(has_text="已批准")).to_contain_text("已批准 2 条评审建议，自次月起生效。")
    approved_on = timezone.localdate()

    # One rejected with a reason; the list now holds only what still waits for the county.
    expect(rows).to_have_count(2)
    page.get_by_role("checkbox", name="孙德明").check()
    page.get_by_label("理由或意见").fill(REASON)
    page.get_by_role("button", name="退回所选").click()
    expect(page.get_by_role("heading", name="确认批量退回")).to_be_visible()
    page.get_by_role("button", name="确认退回这 1 项").click()
    expect(page.get_by_role("alert").filter(has_text="已退回")).to_contain_text("已退回 1 条评审建议。")
    expect(rows).to_have_count(1)
    expect(proposal_row(page, "钱立新")).to_contain_text("待县级审批")

    # Every status, as the county reads them.
    page.get_by_label("状态", exact=True).select_option(label="全部状态")
    page.get_by_role("button", name="筛选").click()
    for name, status in {"张建国": "已批准", "赵海燕": "已批准", "孙德明": "已退回", "钱立新": "待县级审批"}.items():
        expect(proposal_row(page, name)).to_contain_text(status)
        expect(proposal_row(page, name).locator("td").nth(7)).to_have_text(status)
    expect(proposal_row(page, "张建国")).to_contain_text("county_approver")

    proposal_row(page, "孙德明").get_by_role("link", name="评审说明").click()
    expect(page.locator("#returned")).to_contain_text(REASON)  # returned to the township, with the reason
    page.go_back()

    # The promoted cadre's file: the rank history shows the promotion from the first day of next month.
    effective = rules.effective_month_after(approved_on)
    proposal_row(page, "张建国").get_by_role("link", name="评审说明").click()
    expect(page.get_by_text("自 " + effective.strftime("%Y-%m") + " 起生效", exact=False)).to_be_visible()
    page.get_by_role("link", name="干部档案").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("张建国")
    panel = page.locator("#ranks-panel")
    expect(panel).to_contain_text("职级变动记录")
    history = panel.locator("table").first.locator("tbody tr")
    expect(history).to_have_count(2)
    promotion = history.filter(has_text="晋升")
    cells = promotion.locator("td")
    expect(cells.nth(0)).to_have_text(effective.strftime("%Y-%m"))
    expect(cells.nth(1)).to_have_text("晋升")
    expect(cells.nth(2)).to_have_text("13")
    expect(cells.nth(3)).to_have_text("12")
    expect(cells.nth(5)).to_contain_text("county_approver")
    expect(cells.nth(6)).to_have_text(approved_on.strftime("%Y-%m-%d"))
    expect(history.filter(has_text="初始定级").locator("td").first).to_have_text("2022-01")
    # Until next month the cadre is still at level 13.
    expect(panel).to_contain_text("现为 13 级，自 2022-01 起。")

    decided = {p.cadre.name: p.status for p in Proposal.objects.select_related("cadre")}
    assert decided == {"张建国": "approved", "赵海燕": "approved", "孙德明": "rejected", "钱立新": "submitted"}
    assert Proposal.objects.get(cadre__name="孙德明").reject_reason == REASON
    promotions = RankChange.objects.filter(kind=RankChange.Kind.PROMOTION)
    assert {(c.cadre.name, c.to_level, c.effective_month) for c in promotions.select_related("cadre")} == {
        ("张建国", 12, effective),
        ("赵海燕", 12, effective),
    }
