"""Steps a person takes, shared by the journeys. Selectors are what the user reads (labels, button text)."""

import io
import re

from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def login(page: Page, username, password=PASSWORD):
    """Sign in through the login page, as a person would, and land on the home page. A role that needs a
    second factor is enrolled beforehand (the demo's secret) and types the code its app would show."""
    from cadre_mgmt.accounts.models import User
    from cadre_mgmt.accounts.second_factor.services import required_for
    from tests.second_factor import device_of

    user = User.objects.get(username=username)
    device = device_of(user) if required_for(user) else None
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    if device is not None:
        enter_code(page, device)
    expect(page.get_by_test_id("current-user")).to_contain_text(username)


def enter_code(page: Page, device):
    """The code page after the password: type what the authenticator app shows now."""
    from tests.second_factor import current_code

    expect(page.get_by_role("heading", name="登录验证码")).to_be_visible()
    device.refresh_from_db()
    page.get_by_label("验证码", exact=True).fill(current_code(device))
    page.get_by_role("button", name="继续").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/second-factor/"))


def open_menu_if_collapsed(page: Page):
    """On a phone the navigation hides behind the toggler; open it when it is there."""
    # Before the stylesheet applies, the toggler shows even on a desktop: decide once the page has loaded.
    page.wait_for_load_state("load")
    toggler = page.get_by_role("button", name="菜单")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#main-nav")).to_be_visible()


def open_from_menu(page: Page, label):
    """Click a navigation entry by its label (opening the menu first on a phone, and the dropdown that
    holds the entry); the journey never relies on which page the home page happens to be."""
    open_menu_if_collapsed(page)
    link = page.locator("#main-nav").get_by_role("link", name=label, exact=True)
    # A closed dropdown's entries are hidden, so outside the accessibility tree: look for them there too.
    hidden_entry = page.get_by_role("link", name=label, exact=True, include_hidden=True)
    dropdown = page.locator("#main-nav .dropdown").filter(has=hidden_entry)
    if dropdown.count() and not link.is_visible():
        dropdown.locator("[data-bs-toggle=dropdown]").click()
        expect(link).to_be_visible()
    link.click()


def nav_labels(page: Page):
    """Every entry of the navigation, the ones inside dropdowns too, by label."""
    return [text.strip() for text in page.locator("#main-nav").locator(".nav-link, .dropdown-item").all_text_contents()]


def nav_groups(page: Page):
    """The dropdowns' names, as the header shows them."""
    return [text.strip() for text in page.locator("#main-nav [data-bs-toggle=dropdown]").all_inner_texts()]


def download(page: Page, link_text):
    """Click a download link; return the file's bytes."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_text).click()
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def workbook_from_template(template: bytes, rows):
    """Fill the downloaded template's first sheet with rows, as an officer would in Excel."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook(headers, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_upload(name, content):
    """A file for Playwright's set_input_files, without touching the disk."""
    return {"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": content}


def page_width(page: Page) -> int:
    """The page's width in CSS pixels once its stylesheets apply: the DOM can be read before they load, and an
    unstyled wide table (no scrolling box yet) is wider than the phone."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")
