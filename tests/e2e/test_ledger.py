"""Journey 1: a township officer records a ledger entry for one cadre, then a bulk entry for a village
meeting, and reads both in the list; at a desk and on a phone."""

import pytest
from playwright.sync_api import expect

from assessments.models import LedgerEntry
from cadre_mgmt.cadres.models import Post

from ..factories import CadreFactory, VillageFactory
from .helpers import login, open_from_menu, page_width

# Past dates: the form refuses a future date, and nothing here depends on the clock.
VISIT_DAY = "2025-11-03"
MEETING_DAY = "2025-11-05"
MEETING = "村“两委”例会：部署冬季防火"
# htmx marks an element it has processed (its triggers bound) with its internal data.
HTMX_BOUND = (
    "(selector) => { const e = document.querySelector(selector);"
    " return !!(e && e['htmx-internal-data'] && e['htmx-internal-data'].initHash); }"
)


@pytest.fixture
def xihe_village_cadres(township_x, village_x):
    """A second village of X镇 whose three cadres all attend the village meeting; one more cadre in 东岭村,
    so that finding 张建国 by name narrows the choices."""
    member = Post.objects.get(code="member")
    CadreFactory(village=village_x, name="赵海燕", posts=[member])
    xihe = VillageFactory(township=township_x, name="西河村")
    return [CadreFactory(village=xihe, name=name, posts=[member]) for name in ("王立军", "陈桂兰", "刘振华")]


def record_a_visit_and_a_village_meeting(page, cadre_name, meeting_cadres):
    login(page, "township_x")
    open_from_menu(page, "台账")
    expect(page.get_by_role("heading", name="台账")).to_contain_text("X镇")
    # htmx has bound the form's elements (a search typed before that would send nothing).
    page.wait_for_function("() => window.htmx && document.readyState === 'complete'")
    entries = page.get_by_test_id("ledger-entries")
    expect(entries).to_contain_text("暂无台账记录。")

    # One cadre, found by part of the name (the list narrows from the village's two cadres to one).
    form = page.get_by_test_id("ledger-form")
    choices = form.get_by_test_id("cadre-choices")
    expect(choices.get_by_role("checkbox")).to_have_count(2)
    form.get_by_placeholder("输入姓名中的字查找").fill(cadre_name[1:])
    expect(choices.get_by_role("checkbox")).to_have_count(1)
    choices.get_by_label(cadre_name).check()
    form.get_by_label("日期").fill(VISIT_DAY)
    form.get_by_label("类别").select_option(label="入户走访")
    form.get_by_role("textbox", name="情况说明").fill("入户走访脱贫监测户，核实务工收入")
    form.get_by_label("结果").fill("已登记")
    form.get_by_label("加减分").fill("1.5")
    form.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("ledger-saved")).to_have_text("已保存 1 条台账。")
    expect(entries.locator("tbody tr")).to_have_count(1)
    visit = entries.locator("tbody tr").first
    for text in (VISIT_DAY, "东岭村", cadre_name, "入户走访", "入户走访脱贫监测户", "已登记", "1.50", "township_x"):
        expect(visit).to_contain_text(text)

    # The whole village at its meeting: choose the village, tick everyone shown. The save swapped the form
    # in anew: wait until htmx has bound its village list (a person never acts within those milliseconds).
    page.wait_for_function(HTMX_BOUND, arg="#id_village")
    form = page.get_by_test_id("ledger-form")
    form.get_by_label("村（社区）").select_option(label="西河村")
    choices = form.get_by_test_id("cadre-choices")
    expect(choices.get_by_role("checkbox")).to_have_count(len(meeting_cadres))
    for cadre in meeting_cadres:
        expect(choices).to_contain_text(cadre.name)
    form.get_by_label("全选").check()
    for cadre in meeting_cadres:
        expect(choices.get_by_label(cadre.name)).to_be_checked()
    form.get_by_label("日期").fill(MEETING_DAY)
    form.get_by_label("类别").select_option(label="会议")
    form.get_by_role("textbox", name="情况说明").fill(MEETING)
    form.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("ledger-saved")).to_have_text(f"已保存 {len(meeting_cadres)} 条台账。")
    rows = entries.locator("tbody tr")
    expect(rows).to_have_count(1 + len(meeting_cadres))
    meeting_rows = rows.filter(has_text=MEETING)
    expect(meeting_rows).to_have_count(len(meeting_cadres))
    for cadre in meeting_cadres:
        row = meeting_rows.filter(has_text=cadre.name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(MEETING_DAY)
        expect(row).to_contain_text("西河村")
        expect(row).to_contain_text("会议")
    # The next entry starts from the meeting's village, date and category, with nobody ticked.
    expect(form.get_by_label("村（社区）")).to_have_value(str(meeting_cadres[0].village_id))
    expect(form.get_by_label("日期")).to_have_value(MEETING_DAY)
    expect(form.get_by_label("类别").locator("option:checked")).to_have_text("会议")
    expect(form.get_by_test_id("cadre-choices").get_by_role("checkbox", checked=True)).to_have_count(0)

    # The list is what was saved, after a reload too.
    page.reload()
    expect(page.get_by_test_id("ledger-entries").locator("tbody tr")).to_have_count(1 + len(meeting_cadres))
    saved = LedgerEntry.objects.order_by("date", "cadre__name")
    assert [(str(e.date), e.cadre.name, e.category.code) for e in saved] == [
        (VISIT_DAY, cadre_name, "household_visit"),
        *sorted((MEETING_DAY, c.name, "meeting") for c in meeting_cadres),
    ]
    assert len({e.batch for e in saved if e.category.code == "meeting"}) == 1


def test_officer_records_a_visit_and_a_village_meeting_and_sees_them_listed(
    page, officer_x, cadre_x, cadre_y, xihe_village_cadres
):
    record_a_visit_and_a_village_meeting(page, cadre_x.name, xihe_village_cadres)
    # Township Y's cadre is never offered, nor listed.
    expect(page.get_by_text(cadre_y.name)).to_have_count(0)


def test_officer_on_a_phone_records_a_visit_and_a_village_meeting(phone_page, officer_x, cadre_x, xihe_village_cadres):
    record_a_visit_and_a_village_meeting(phone_page, cadre_x.name, xihe_village_cadres)
    # The wide ledger table scrolls inside its own box; the page never scrolls sideways.
    assert page_width(phone_page) <= 390


@pytest.fixture
def two_more_villages(township_x, village_x, cadre_x):
    """南山村 and 西河村 of X镇 with two cadres each, besides 东岭村 (the first village, shown first)."""
    member = Post.objects.get(code="member")
    villages = {}
    for name, cadres in (("南山村", ("南一", "南二")), ("西河村", ("西一", "西二"))):
        village = VillageFactory(township=township_x, name=name, sort_order=5)
        villages[name] = (village, [CadreFactory(village=village, name=c, posts=[member]) for c in cadres])
    return villages


def switch_villages_and_searches_then_save(page, villages):
    """Issue 17 item 1: the cadre list follows every change of village and every search, and the save is for
    the last village's ticked cadres only."""
    login(page, "township_x")
    open_from_menu(page, "台账")
    form = page.get_by_test_id("ledger-form")
    village, search = form.get_by_label("村（社区）"), form.get_by_placeholder("输入姓名中的字查找")
    choices = form.locator("#cadre-choices")

    def shown(*names):
        # Past the search's 300 ms pause and any request still under way: the list answers the last change.
        page.wait_for_timeout(400)
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        expect(choices.get_by_role("checkbox", name="全选")).to_have_count(1)
        for name in names:
            expect(choices.get_by_label(name, exact=False)).to_have_count(1)
        expect(choices.get_by_role("checkbox")).to_have_count(len(names) + 1)  # + 全选

    # htmx has bound the form's elements (a change before that would send nothing).
    page.wait_for_function("() => window.htmx && document.readyState === 'complete'")
    village.select_option(label="南山村")  # village change 1
    shown("南一", "南二")
    village.select_option(label="西河村")  # village change 2: the one that used to be lost
    shown("西一", "西二")
    choices.get_by_label("西一").check()
    search.fill("二")  # search 1, within 西河村: the ticked 西一 stays
    shown("西一", "西二")
    village.select_option(label="南山村")  # village change 3: 西一's tick goes with its village
    shown("南二")
    choices.get_by_label("南二").check()
    search.fill("一")  # search 2
    shown("南二", "南一")
    choices.get_by_label("南一").check()
    search.fill("")  # search 3: the whole village, both ticked
    shown("南一", "南二")
    expect(choices.get_by_role("checkbox", checked=True)).to_have_count(2)
    form.get_by_label("日期").fill(MEETING_DAY)
    form.get_by_label("类别").select_option(label="会议")
    form.get_by_role("textbox", name="情况说明").fill(MEETING)
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("ledger-saved")).to_have_text("已保存 2 条台账。")

    nanshan = villages["南山村"][0]
    saved = LedgerEntry.objects.select_related("cadre").order_by("cadre__name")
    assert [(e.cadre.name, e.cadre.village_id) for e in saved] == [("南一", nanshan.pk), ("南二", nanshan.pk)]


@pytest.mark.parametrize("width", [1366, 390])
def test_bulk_entry_after_switching_villages_and_searches_three_times_saves_the_last_villages_cadres(
    open_page, officer_x, two_more_villages, width
):
    phone = {"is_mobile": True, "has_touch": True} if width < 576 else {}
    page = open_page(viewport={"width": width, "height": 900}, **phone)
    switch_villages_and_searches_then_save(page, two_more_villages)
