"""Journey 5: township staff stay inside their township, and never see county-only actions."""

import re

from playwright.sync_api import expect

from .helpers import login, nav_labels, open_from_menu

COUNTY_ONLY = re.compile(r"系统设置|审批")


def test_township_x_officer_typing_a_township_y_cadre_url_is_refused(page, browser_log, cadre_x, cadre_y, officer_x):
    login(page, "township_x")
    open_from_menu(page, "村干部")
    expect(page.get_by_role("link", name="张建国", exact=True)).to_be_visible()
    expect(page.get_by_text("李秀英")).to_have_count(0)

    for path in (f"/cadres/{cadre_y.pk}/", f"/cadres/{cadre_y.pk}/edit/"):
        browser_log.expect_http_error(path, 404)
        response = page.goto(path)
        assert response.status == 404
        expect(page.get_by_role("heading", name="未找到")).to_be_visible()
        expect(page.get_by_text("页面或记录不存在，或不在您的管理范围内。")).to_be_visible()
        expect(page.get_by_text("李秀英")).to_have_count(0)

    page.get_by_role("link", name="返回首页").click()
    open_from_menu(page, "村干部")
    page.get_by_role("link", name="张建国", exact=True).click()
    expect(page.get_by_role("heading", name="张建国")).to_be_visible()


def test_navigation_shows_county_only_entries_to_county_roles_only(open_page, officer_x, county_admin, county_approver):
    officer = open_page()
    login(officer, "township_x")
    labels = nav_labels(officer)
    assert "村干部" in labels
    assert not [label for label in labels if COUNTY_ONLY.search(label)], labels
    expect(officer.get_by_role("link", name="系统设置", include_hidden=True)).to_have_count(0)

    admin = open_page()
    login(admin, "county_admin")
    # 系统设置 sits in the 系统 dropdown: there, and one click away once it is open.
    assert "系统设置" in nav_labels(admin)
    open_from_menu(admin, "系统设置")
    expect(admin).to_have_url(re.compile(r"/admin/$"))

    approver = open_page()
    login(approver, "county_approver")
    assert "系统设置" not in nav_labels(approver)
