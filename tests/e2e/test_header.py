"""The header of every role: one row from 1280 px (the navigation grouped into dropdowns), and on a phone
(390 px, the menu opened) no link or button squeezed into a column of single characters."""

import re

import pytest
from playwright.sync_api import expect

from cadre_mgmt.cadres.demo import demo_users
from tests.conftest import PASSWORD

from .conftest import PHONE

ROLE_FIXTURES = {
    "county_admin": "county_admin",
    "county_approver": "county_approver",
    "township_x": "officer_x",
    "township_y": "officer_y",
    "supervisor": "supervisor",
    "finance": "finance",
}
FULL_NAMES = {username: full_name for username, _role, _township, full_name in demo_users()}
# Every item of the header's row: the brand, each navigation entry, the account box.
ROW_ITEMS = ".app-navbar .navbar-brand, #main-nav > .navbar-nav > .nav-item, #main-nav > .app-account"
CONTROLS = ".app-navbar .navbar-brand, .app-navbar .nav-link, .app-navbar .btn, [data-testid=current-user]"


@pytest.fixture(params=list(ROLE_FIXTURES))
def person(request):
    """A person of each role, with the demo's full name (the header shows it: the longest text there)."""
    user = request.getfixturevalue(ROLE_FIXTURES[request.param])
    user.full_name = FULL_NAMES[user.username]
    user.is_staff = user.is_county_admin  # as seed_demo sets them
    user.save(update_fields=["full_name", "is_staff"])
    return user


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("用户名", exact=True).fill(user.username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_test_id("current-user")).to_contain_text(user.full_name)
    page.wait_for_load_state("load")


def header_rows(page):
    """(navbar height, single-row height, boxes of the row's items)."""
    navbar = page.locator(".app-navbar").bounding_box()
    boxes = [item.bounding_box() for item in page.locator(ROW_ITEMS).all()]
    padding = page.locator(".app-navbar").evaluate(
        "el => parseFloat(getComputedStyle(el).paddingTop) + parseFloat(getComputedStyle(el).paddingBottom)"
    )
    single_row = max(box["height"] for box in boxes) + padding
    return navbar["height"], single_row, boxes


@pytest.mark.parametrize("width", [1280, 1366, 1600])
def test_every_roles_header_is_one_row_from_1280_px(open_page, person, width):
    page = open_page(viewport={"width": width, "height": 800})
    sign_in(page, person)
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    height, single_row, boxes = header_rows(page)
    print(f"{person.username} @ {width}px: navbar {height:.1f}px, one row {single_row:.1f}px")
    assert height <= single_row + 1, f"{person.username} at {width}px: header {height}px high, one row is {single_row}px"
    # Every item side by side: each starts above where every other one ends.
    assert max(box["y"] for box in boxes) < min(box["y"] + box["height"] for box in boxes)
    # No control wraps inside itself: one line of text each.
    for control in page.locator(CONTROLS).all():
        if control.is_visible():
            line = control.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
            assert control.bounding_box()["height"] < 2 * line, control.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_every_dropdown_opens_and_its_links_stay_on_one_line(open_page, person):
    page = open_page()
    sign_in(page, person)
    toggles = page.locator("#main-nav [data-bs-toggle=dropdown]")
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        toggle.click()
        menu = page.locator("#main-nav .dropdown").nth(index).locator(".dropdown-menu")
        expect(menu).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        for link in menu.get_by_role("link").all():
            line = link.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
            assert link.bounding_box()["height"] < 2 * line, link.inner_text()
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()


def test_on_a_phone_no_header_element_is_narrower_than_two_characters(open_page, person):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in(page, person)
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#main-nav")).to_be_visible()
    # Open every dropdown as well (on a phone they unfold inside the menu).
    toggles = page.locator("#main-nav [data-bs-toggle=dropdown]")
    for index in range(toggles.count()):
        toggles.nth(index).click()
        expect(page.locator("#main-nav .dropdown").nth(index).locator(".dropdown-menu")).to_be_visible()
        checked = check_widths(page, CONTROLS + ", .app-navbar .dropdown-item")
        assert checked
    assert check_widths(page, CONTROLS)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def check_widths(page, selector):
    """Every visible element of the selector at least two characters wide and one line of text high
    (a wrapped word would stack its characters); returns how many were measured."""
    measured = 0
    for element in page.locator(selector).all():
        if not element.is_visible():
            continue
        box = element.bounding_box()
        font, line = element.evaluate(
            "el => [parseFloat(getComputedStyle(el).fontSize), parseFloat(getComputedStyle(el).lineHeight)]"
        )
        text = element.inner_text().strip()
        assert box["width"] >= 2 * font, f"{text!r} is {box['width']}px wide, font {font}px"
        if element.evaluate("el => el.matches('.nav-link, .btn, .dropdown-item, .navbar-brand')"):
            assert box["height"] < 2 * line + 16, f"{text!r} wraps: {box['height']}px high, line {line}px"
        measured += 1
    return measured
