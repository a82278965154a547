"""Journey 6: a township officer registers a reserve, assigns a mentor, records training and an assessment,
records a branch meeting with its attendance in one screen, reads the attendance on the year-end page,
appoints the reserve, and finds the new cadre waiting for its initial grading."""

import datetime

from playwright.sync_api import expect

from cadre_mgmt.cadres.models import Post

from ..factories import CadreFactory, make_id_number
from .helpers import login, open_from_menu


def test_a_reserve_from_registration_to_appointment(page, officer_x, village_x):
    member = Post.objects.get(code="member")
    mentor = CadreFactory(village=village_x, name="张建国", posts=[member])
    CadreFactory(village=village_x, name="赵海燕", posts=[member])
    today = datetime.date.today().isoformat()
    number = make_id_number(datetime.date(1996, 8, 9))

    login(page, "township_x")
    open_from_menu(page, "后备干部")
    page.get_by_role("link", name="后备干部入库登记").click()
    page.get_by_label("村（社区）").select_option(label="X镇 · 东岭村")
    page.get_by_label("姓名").fill("陈思远")
    page.get_by_label("身份证号").fill(number)
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("学历").select_option(label="本科")
    page.get_by_label("来源").select_option(label="返乡大学生")
    page.get_by_label("入库日期").fill(today)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("后备干部已入库。")).to_be_visible()
    expect(page.get_by_test_id("reserve-status")).to_have_text("已入库")

    page.get_by_role("link", name="修改 / 指定培养联系人").click()
    page.get_by_label("培养联系人").select_option(label=f"东岭村 · {mentor.name}")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("reserve-mentor")).to_have_text(mentor.name)

    page.locator("form[action$='/cultivate/']").get_by_label("日期").fill(today)
    page.get_by_role("button", name="转为培养中").last.click()
    expect(page.get_by_test_id("reserve-status")).to_have_text("培养中")

    training = page.locator("form[action$='/training/']")
    training.get_by_label("类别").select_option(label="实践锻炼")
    training.get_by_label("培训课程").fill("跟班学习：村委会日常事务")
    training.get_by_label("主办单位").fill("东岭村")
    training.get_by_label("学时").fill("40")
    training.get_by_label("日期").fill(today)
    training.get_by_role("button", name="登记培训").click()
    expect(page.get_by_test_id("reserve-trainings")).to_contain_text("跟班学习：村委会日常事务")

    assessment = page.locator("form[action$='/assessment/']")
    assessment.get_by_label("考核等次").select_option(label="优秀")
    assessment.get_by_label("评语").fill("群众基础好")
    assessment.get_by_role("button", name="保存年度考察").click()
    expect(page.get_by_test_id("reserve-assessments")).to_contain_text("优秀")
    reserve_url = page.url

    # A branch meeting, its whole attendance ticked in one screen.
    open_from_menu(page, "三会一课")
    page.get_by_role("link", name="登记会议").click()
    page.get_by_label("村（社区）").select_option(label="X镇 · 东岭村")
    page.get_by_role("button", name="选定此村").click()
    page.get_by_label("举办日期").fill(today)
    page.get_by_label("类别").select_option(label="党课")
    page.get_by_label("主题").fill("书记讲党课：发挥党员先锋模范作用")
    page.get_by_label("全选").check()  # everyone shown, then one absent
    page.get_by_label("赵海燕").uncheck()
    expect(page.get_by_label(mentor.name)).to_be_checked()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("meeting-list")).to_contain_text("书记讲党课")
    expect(page.get_by_test_id("meeting-list")).not_to_contain_text("赵海燕")

    page.goto(f"/assessments/years/{datetime.date.today().year}/")
    grid = page.get_by_test_id("year-grid")
    expect(grid.locator("tr", has_text=mentor.name).get_by_test_id("branch-attendance")).to_contain_text("1/1")

    page.goto(reserve_url)
    page.get_by_role("link", name="任用到岗").click()
    page.get_by_label("村“两委”委员").check()
    page.get_by_label("任职日期").fill(today)
    page.get_by_role("button", name="任用").click()
    expect(page.get_by_text("已任用并建立干部档案，初始定级待乡镇提交。")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("陈思远")

    open_from_menu(page, "初始定级")
    expect(page.locator("main")).to_contain_text("陈思远")
