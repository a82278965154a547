"""A township officer on a phone (390×844): sign in, open the menu, read the cadre list and a file."""

from playwright.sync_api import expect

from .helpers import login, page_width


def test_officer_on_a_phone_signs_in_opens_the_menu_and_reads_a_cadre_file(phone_page, officer_x, cadre_x, cadre_y):
    page = phone_page
    login(page, "township_x")

    nav_link = page.locator("#main-nav").get_by_role("link", name="村干部", exact=True)
    expect(nav_link).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(nav_link).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    nav_link.click()

    expect(page.get_by_role("heading", name="村干部")).to_contain_text("共 1 人")
    expect(page.get_by_role("link", name="张建国", exact=True)).to_be_visible()
    expect(page.get_by_text("李秀英")).to_have_count(0)
    # The wide table scrolls inside its own box; the page itself never scrolls sideways.
    assert page_width(page) <= 390

    page.get_by_role("link", name="张建国", exact=True).click()
    expect(page.get_by_role("heading", name="张建国")).to_contain_text("X镇 · 东岭村")
    expect(page.get_by_test_id("id-number")).to_have_text(cadre_x.id_number_for(officer_x))
    assert page_width(page) <= 390
