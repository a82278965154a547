"""Journey (issue 21): the county approver enrols an authenticator app at first sign-in, keeps the recovery
codes, then signs in again with the password and a code."""

import base64
import re

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .helpers import enter_code


def test_county_approver_enrols_then_signs_in_with_a_code(page, county_approver):
    page.goto("/accounts/login/")
    page.get_by_label("用户名", exact=True).fill("county_approver")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    # Enrolment: the QR code drawn by the app, and the key to type by hand; the phone's app shows a code.
    expect(page.get_by_role("heading", name="设置登录验证码")).to_be_visible()
    expect(page.get_by_test_id("enrol-qr")).to_be_visible()
    page.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=enrol-qr]'); return img.complete && img.naturalWidth > 0; }"
    )
    secret = page.get_by_test_id("enrol-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("验证码", exact=True).fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="确认").click()

    expect(page.get_by_role("heading", name="恢复码")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="我已保存恢复码，继续").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.context.clear_cookies()  # a new browser session

    # Next sign-in: the password, then the code page; nothing opens before the code.
    page.goto("/accounts/login/")
    page.get_by_label("用户名", exact=True).fill("county_approver")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/"))
    page.goto("/cadres/")
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/"))
    enter_code(page, TOTPDevice.objects.get(user=county_approver, confirmed=True))
    expect(page.get_by_test_id("current-user")).to_contain_text("county_approver")
