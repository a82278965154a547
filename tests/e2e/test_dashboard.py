"""The dashboard after signing in: a county approver sees every township's charts and their tables; a
township officer, at a desk and on a phone, sees only their township. The harness fails the journey on
any console error, so the ECharts drawing is proved to run under the CSP."""

import datetime
import zoneinfo

import pytest
from playwright.sync_api import expect

from assessments.models import TownshipYear
from ranks.ladder import services as ladder_services
from ranks.models import RankChange

from ..conftest import confirmed_grades
from ..factories import CadreFactory
from .helpers import login

GRADED_AT = datetime.datetime(2025, 11, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
CHARTS = ["levels", "allowance", "outcomes", "grades"]


@pytest.fixture
def county(county_approver, township_x, village_x, village_y, cadre_x, cadre_y):
    """X镇: 张建国 10, 赵海燕 11, 孙德明 without a level; Y镇: 李秀英 9. 2025 grades confirmed, X镇 with
    one excellent place."""
    zhao = CadreFactory(village=village_x, name="赵海燕")
    CadreFactory(village=village_x, name="孙德明")
    for cadre, level in [(cadre_x, 10), (zhao, 11), (cadre_y, 9)]:
        ladder_services.rank_change_record(
            cadre=cadre,
            kind=RankChange.Kind.INITIAL_GRADING,
            to_level=level,
            approved_by=county_approver,
            approved_at=GRADED_AT,
            reason="初始定级",
        )
    confirmed_grades(cadre_x, county_approver, {2025: "excellent"})
    confirmed_grades(zhao, county_approver, {2025: "competent"})
    confirmed_grades(cadre_y, county_approver, {2025: "competent"})
    TownshipYear.objects.filter(township=township_x, year=2025).update(excellent_cap=1)


def _charts_drawn(page, names):
    for name in names:
        expect(page.locator(f"#chart-{name} canvas")).to_have_count(1)


def _column(page, test_id, header):
    """The cells of the table's column headed ``header``, by row header."""
    table = page.get_by_test_id(test_id)
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    index = headers.index(header)
    cells = {}
    for row in table.locator("tbody tr").all():
        cells[row.locator("th").inner_text().strip()] = row.locator("th, td").nth(index).inner_text().strip()
    return cells


def test_county_approver_lands_on_the_dashboard_with_every_townships_charts(page, county):
    login(page, "county_approver")
    expect(page.get_by_role("heading", name="工作台")).to_contain_text("全县")
    _charts_drawn(page, CHARTS)
    levels = _column(page, "levels-table", "合计")
    assert (levels["9级"], levels["10级"], levels["11级"], levels["未定级"]) == ("1", "1", "1", "1")
    expect(page.get_by_test_id("levels-total")).to_have_text("4")
    assert _column(page, "levels-table", "Y镇")["9级"] == "1"
    grades = _column(page, "grades-table", "优秀")
    assert grades == {"X镇": "1", "Y镇": "0"}
    expect(page.get_by_test_id("work-gradings_to_approve").get_by_test_id("work-count")).to_have_text("0")


def test_township_officer_sees_only_their_township_at_a_desk_and_on_a_phone(open_page, phone_page, county, officer_x):
    for page, width in [(open_page(), 1280), (phone_page, 390)]:
        login(page, "township_x")
        expect(page.get_by_role("heading", name="工作台")).to_contain_text("X镇")
        _charts_drawn(page, CHARTS)
        headers = page.get_by_test_id("levels-table").locator("thead th").all_inner_texts()
        assert [text.strip() for text in headers] == ["职级", "X镇"]
        assert _column(page, "levels-table", "X镇")["未定级"] == "1"
        assert list(_column(page, "grades-table", "优秀")) == ["X镇"]
        expect(page.get_by_text("Y镇")).to_have_count(0)
        expect(page.get_by_test_id("work-gradings_to_submit").get_by_test_id("work-count")).to_have_text("1")
        # Charts and tables fit the screen: the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
