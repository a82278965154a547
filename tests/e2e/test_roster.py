"""Journey 4: a county approver locks the month's allowance roster; finance downloads its Excel export,
and the workbook's totals are the ones the page shows."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from cadre_mgmt.cadres.models import Post
from ranks.ladder import services as ladder_services
from ranks.models import RankChange, Roster
from ranks.rosters import services as rosters_services

from ..factories import CadreFactory
from .helpers import download, login, open_from_menu

MONTH = datetime.date(2026, 1, 1)
GRADED_AT = datetime.datetime(2025, 11, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
# Allowance = (13 − level) × 100 yuan (the default schedule).
EXPECTED = {"X镇": (3, Decimal("600.00")), "Y镇": (2, Decimal("400.00"))}
GRAND_TOTAL = Decimal("1000.00")


@pytest.fixture
def draft_roster(county_approver, village_x, village_y, cadre_x, cadre_y):
    """January 2026, generated but not locked: three paid cadres in X镇, two in Y镇, one unpaid clerk."""
    posts = {post.code: post for post in Post.objects.all()}
    cadre_x.posts.set([posts["party_secretary"], posts["director"]])
    cadre_y.posts.set([posts["party_secretary"]])
    levels = {
        cadre_x: 10,  # 300
        CadreFactory(village=village_x, name="赵海燕", posts=[posts["member"]]): 11,  # 200
        CadreFactory(village=village_x, name="孙德明", posts=[posts["accountant"]]): 12,  # 100
        cadre_y: 9,  # 400
        CadreFactory(village=village_y, name="周敏", posts=[posts["member"]]): 13,  # 0
    }
    CadreFactory(village=village_x, name="钱立新", posts=[posts["clerk"]])  # not a paid post: not on the roster
    for cadre, level in levels.items():
        ladder_services.rank_change_record(
            cadre=cadre,
            kind=RankChange.Kind.INITIAL_GRADING,
            to_level=level,
            approved_by=county_approver,
            approved_at=GRADED_AT,
            reason="初始定级",
        )
    return rosters_services.roster_generate(month=MONTH, user=county_approver)


def money(text):
    return Decimal(text.strip().replace(",", ""))


def test_approver_locks_the_roster_and_finance_exports_it_with_the_pages_grand_total(
    open_page, draft_roster, county_approver, finance
):
    approver = open_page()
    login(approver, "county_approver")
    open_from_menu(approver, "补贴花名册")
    heading = approver.get_by_role("heading", name="职级补贴花名册")
    expect(heading).to_contain_text("2026-01")
    expect(heading).to_contain_text("草稿")
    assert money(approver.get_by_test_id("grand-total").inner_text()) == GRAND_TOTAL
    expect(approver.get_by_test_id("roster-lines").get_by_role("cell", name="钱立新")).to_have_count(0)
    # Not silently left off (DESIGN §2): listed with the reason instead.
    expect(approver.get_by_test_id("not-on-roster")).to_contain_text("钱立新")

    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    approver.once("dialog", accept)
    approver.get_by_role("button", name="锁定花名册").click()
    expect(approver.get_by_role("alert").filter(has_text="花名册已锁定")).to_contain_text("2026-01 花名册已锁定。")
    assert questions == ["锁定后花名册将不能再修改。确定锁定吗？"]
    expect(heading).to_contain_text("已锁定")
    expect(approver.get_by_role("button", name="锁定花名册")).to_have_count(0)
    expect(approver.get_by_role("button", name="重新生成草稿")).to_have_count(0)
    expect(approver.get_by_text("锁定于")).to_contain_text("county_approver")
    draft_roster.refresh_from_db()
    assert draft_roster.status == Roster.Status.LOCKED and draft_roster.locked_by == county_approver

    clerk = open_page()
    login(clerk, "finance")
    open_from_menu(clerk, "补贴花名册")
    heading = clerk.get_by_role("heading", name="职级补贴花名册")
    expect(heading).to_contain_text("2026-01")
    expect(heading).to_contain_text("已锁定")
    expect(clerk.get_by_role("button", name="锁定花名册")).to_have_count(0)
    page_total = money(clerk.get_by_test_id("grand-total").inner_text())
    assert page_total == GRAND_TOTAL
    township_rows = clerk.get_by_test_id("roster-totals").locator("tbody tr")
    expect(township_rows).to_have_count(2)
    page_townships = {}
    for index in range(2):
        name, people, total = township_rows.nth(index).locator("td").all_inner_texts()
        page_townships[name.strip()] = (int(people), money(total))
    assert page_townships == EXPECTED

    workbook = openpyxl.load_workbook(io.BytesIO(download(clerk, "导出 Excel")))
    sheet = workbook.worksheets[0]
    assert sheet.title == "花名册"
    assert "2026年1月" in sheet["A1"].value
    assert "已锁定" in sheet["A2"].value
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    grand = [row for row in rows if row[0] == "合计"]
    assert len(grand) == 1
    assert Decimal(str(grand[0][7])) == page_total
    assert grand[0][3] == sum(people for people, _total in EXPECTED.values())
    subtotals = {row[1]: (row[3], Decimal(str(row[7]))) for row in rows if row[0] == "小计"}
    assert subtotals == page_townships
    names = {row[3] for row in rows if isinstance(row[0], int)}
    assert names == {"张建国", "赵海燕", "孙德明", "李秀英", "周敏"}
