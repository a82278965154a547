"""The second factor (issue 21, 等保 level 3 identity): county roles enrol, then sign in with a code."""

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from cadre_mgmt.accounts.second_factor import services
from cadre_mgmt.audit.models import AuditRecord
from tests.conftest import PASSWORD
from tests.second_factor import current_code, device_of

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ENROL = "/accounts/second-factor/enrol/"
VERIFY = "/accounts/second-factor/"
TOKEN = "/api/v1/auth/token/"


def _password(username, address="10.0.0.1"):
    browser = Client(REMOTE_ADDR=address)
    assert browser.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    return browser


def _code(device):
    device.refresh_from_db()
    return current_code(device)


def _wrong(device):
    return f"{(int(_code(device)) + 1) % 1_000_000:06d}"


PAGES = ["/", "/cadres/", "/audit/", "/ranks/dashboard/", "/accounts/password/"]


def test_an_approver_without_a_device_reaches_only_enrolment(county_approver):
    browser = _password("county_approver")
    for path in PAGES:
        response = browser.get(path)
        assert response.status_code == 302 and response["Location"] == ENROL, path
    assert browser.get(VERIFY)["Location"] == ENROL
    assert browser.get("/api/v1/cadres/").status_code == 403
    page = browser.get(ENROL)
    assert page.status_code == 200 and "扫描" in page.text
    svg = browser.get("/accounts/second-factor/enrol/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")


def test_enrolment_confirms_the_device_and_shows_ten_recovery_codes_once(county_approver):
    browser = _password("county_approver")
    browser.get(ENROL)
    pending = TOTPDevice.objects.get(user=county_approver, confirmed=False)
    assert services.base32_secret(pending) in browser.get(ENROL).text
    refused = browser.post(ENROL, {"code": _wrong(pending)})
    assert refused.status_code == 200 and "不正确" in refused.text
    assert browser.get("/cadres/")["Location"] == ENROL
    shown = browser.post(ENROL, {"code": _code(pending)})
    assert shown.status_code == 200
    codes = shown.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in shown.text for code in codes)
    assert browser.get("/cadres/").status_code == 200
    # Shown once: the enrolment page now sends the user on, and the QR code is gone.
    assert browser.get(ENROL).status_code == 302
    assert browser.get("/accounts/second-factor/enrol/qr.svg").status_code == 404
    assert AuditRecord.objects.filter(actor=county_approver, summary__contains="设备").exists()


def test_with_a_device_no_page_opens_without_the_code(county_approver):
    device = device_of(county_approver)
    browser = _password("county_approver")
    for path in PAGES:
        assert browser.get(path)["Location"] == VERIFY, path
    assert browser.post(VERIFY, {"code": _code(device)})["Location"] == "/"
    assert browser.get("/cadres/").status_code == 200
    assert AuditRecord.objects.filter(actor=county_approver, action="login", summary__contains="验证码").exists()


def test_five_wrong_codes_lock_as_wrong_passwords_do(county_approver):
    device = device_of(county_approver)
    for attempt in range(5):
        browser = _password("county_approver", address=f"10.0.1.{attempt}")
        response = browser.post(VERIFY, {"code": _wrong(device)})
        assert response.status_code in {200, 429}
    assert response.status_code == 429 and "账号已锁定" in response.text
    # Signed out, and the right password no longer opens anything: the username is locked.
    assert browser.get("/cadres/")["Location"].startswith(LOGIN)
    assert Client(REMOTE_ADDR="10.9.9.9").post(LOGIN, {"username": "county_approver", "password": PASSWORD}).status_code == 429
    assert AccessAttempt.objects.filter(username="county_approver").exists()


def test_four_wrong_codes_then_the_right_one_signs_in(county_approver):
    device = device_of(county_approver)
    browser = _password("county_approver")
    for _n in range(4):
        assert browser.post(VERIFY, {"code": _wrong(device)}).status_code == 200
    assert browser.post(VERIFY, {"code": _code(device)}).status_code == 302
    assert browser.get("/cadres/").status_code == 200


def test_a_recovery_code_works_once(county_approver):
    device_of(county_approver)
    browser = _password("county_approver")
    browser.get(ENROL)
    TOTPDevice.objects.filter(user=county_approver).delete()
    browser.get(ENROL)
    pending = TOTPDevice.objects.get(user=county_approver, confirmed=False)
    code = browser.post(ENROL, {"code": _code(pending)}).context["codes"][0]
    again = _password("county_approver", address="10.0.0.2")
    assert again.post(VERIFY, {"code": code.upper()})["Location"] == "/"
    assert AuditRecord.objects.filter(actor=county_approver, summary__contains="恢复码").exists()
    assert not StaticToken.objects.filter(token=code).exists()
    third = _password("county_approver", address="10.0.0.3")
    assert third.post(VERIFY, {"code": code}).status_code == 200
    assert third.get("/cadres/")["Location"] == VERIFY


def test_the_token_endpoint_needs_the_code(county_approver):
    device = device_of(county_approver)
    api = APIClient()
    assert api.post(TOKEN, {"username": "county_approver", "password": PASSWORD}, format="json").status_code in {401, 403}
    wrong = api.post(TOKEN, {"username": "county_approver", "password": PASSWORD, "code": _wrong(device)}, format="json")
    assert wrong.status_code in {401, 403} and "不正确" in wrong.json()["detail"]
    right = api.post(TOKEN, {"username": "county_approver", "password": PASSWORD, "code": _code(device)}, format="json")
    assert right.status_code == 200 and right.json()["token"]
    assert AccessAttempt.objects.filter(username="county_approver").count() == 0  # a success clears the failures


def test_wrong_codes_at_the_token_endpoint_lock_too(county_approver):
    device = device_of(county_approver)
    api = APIClient()
    for _n in range(5):
        api.post(TOKEN, {"username": "county_approver", "password": PASSWORD, "code": _wrong(device)}, format="json")
    locked = api.post(TOKEN, {"username": "county_approver", "password": PASSWORD, "code": _code(device)}, format="json")
    assert locked.status_code == 429


def test_the_token_endpoint_refuses_a_county_role_without_a_device(county_approver):
    response = APIClient().post(TOKEN, {"username": "county_approver", "password": PASSWORD}, format="json")
    assert response.status_code in {401, 403} and "浏览器" in response.json()["detail"]


def test_a_reset_forces_a_new_enrolment_and_ends_the_sessions(county_admin, county_approver):
    device = device_of(county_approver)
    browser = _password("county_approver")
    browser.post(VERIFY, {"code": _code(device)})
    assert browser.get("/cadres/").status_code == 200
    assert services.device_reset(actor=county_admin, user=county_approver) == 1
    assert browser.get("/cadres/")["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=browser.cookies["sessionid"].value).exists()
    assert _password("county_approver", address="10.0.0.2").get("/cadres/")["Location"] == ENROL
    record = AuditRecord.objects.get(actor=county_admin, summary__contains="county_approver")
    assert record.action == "update" and record.changes["sessions_ended"] == 1


def test_the_admin_action_resets_a_device(county_admin, county_approver, client_for):
    county_admin.is_staff = True
    county_admin.save()
    device_of(county_approver)
    admin = client_for(county_admin)
    response = admin.post(
        "/admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [county_approver.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=county_approver).exists()
    assert AuditRecord.objects.filter(actor=county_admin, summary__contains="county_approver").exists()


def test_township_staff_need_no_code_unless_the_setting_is_on(officer_x, settings):
    assert _password("township_x").get("/cadres/").status_code == 200
    settings.SECOND_FACTOR_ALL_STAFF = True
    assert _password("township_x", address="10.0.0.2").get("/cadres/")["Location"] == ENROL


def test_supervisors_and_administrators_need_it_finance_does_not(supervisor, county_admin, finance):
    assert _password("supervisor").get("/cadres/")["Location"] == ENROL
    assert _password("county_admin").get("/cadres/")["Location"] == ENROL
    assert _password("finance").get("/cadres/").status_code == 200


def test_signed_out_visitors_are_not_touched(client):
    assert client.get(LOGIN).status_code == 200
    assert client.get("/cadres/")["Location"].startswith(LOGIN)


def test_a_code_is_refused_twice(county_approver):
    """django-otp refuses a code already used (a replay), the next time step's code works."""
    device = device_of(county_approver)
    code = TOTP(device.bin_key).token()
    first = _password("county_approver")
    assert first.post(VERIFY, {"code": f"{code:06d}"}).status_code == 302
    second = _password("county_approver", address="10.0.0.2")
    assert second.post(VERIFY, {"code": f"{code:06d}"}).status_code == 200


def test_a_new_account_changes_its_password_before_enrolling(county_approver):
    county_approver.must_change_password = True
    county_approver.save()
    browser = _password("county_approver")
    assert browser.get("/cadres/")["Location"] == "/accounts/password/"
    assert browser.get("/accounts/password/").status_code == 200
