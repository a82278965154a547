import datetime
import functools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cadre_mgmt.accounts.models import ApiTokenUse
from cadre_mgmt.accounts.tokens import token_expired
from cadre_mgmt.audit.models import AuditRecord

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_is_issued_for_the_right_password_and_opens_the_api(api_client, officer_x, cadre_x):
    response = api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = api_client.get("/api/v1/cadres/")
    assert listing.status_code == 200
    assert [row["name"] for row in listing.json()["results"]] == [cadre_x.name]


def test_asking_twice_returns_the_same_token(api_client, officer_x):
    first = api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json").json()["token"]
    second = api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json").json()["token"]
    assert first == second


def test_token_sign_in_is_audited_like_the_page_sign_in(api_client, officer_x):
    api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json")
    assert AuditRecord.objects.filter(action="login", actor=officer_x).count() == 1
    officer_x.refresh_from_db()
    assert officer_x.last_login is not None


def test_wrong_password_is_a_chinese_json_error_and_audited(api_client, officer_x):
    response = api_client.post(TOKEN_URL, {"username": "township_x", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "用户名或密码不正确。", "errors": {"non_field_errors": ["用户名或密码不正确。"]}}
    assert AuditRecord.objects.filter(action="login_failed", summary__contains="township_x").exists()


def test_missing_fields_are_listed_per_field(api_client):
    response = api_client.post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "提交的数据有误，请检查各字段。"
    assert set(body["errors"]) == {"username", "password"}
    assert body["errors"]["username"] == ["该字段是必填项。"]


def test_five_failed_attempts_lock_out_even_with_the_right_password(api_client, officer_x):
    for _attempt in range(5):
        response = api_client.post(TOKEN_URL, {"username": "township_x", "password": "wrong"}, format="json")
    assert response.status_code == 429
    response = api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "锁定" in response.json()["detail"]
    assert "token" not in response.json()


def test_failed_api_attempts_lock_the_sign_in_page_too(api_client, client, officer_x):
    for _attempt in range(5):
        api_client.post(TOKEN_URL, {"username": "township_x", "password": "wrong"}, format="json")
    response = client.post(reverse("accounts:login"), {"username": "township_x", "password": PASSWORD})
    assert response.status_code != 302
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_clears_earlier_failures(api_client, officer_x):
    for _attempt in range(4):
        api_client.post(TOKEN_URL, {"username": "township_x", "password": "wrong"}, format="json")
    assert api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json").status_code == 200
    for _attempt in range(4):
        response = api_client.post(TOKEN_URL, {"username": "township_x", "password": "wrong"}, format="json")
    assert response.status_code == 400


def test_token_endpoint_is_throttled(api_client, officer_x, settings):
    for _attempt in range(10):
        assert api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json").status_code == 200
    response = api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["errors"] == {}
    assert "Retry-After" in response


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(api_client, officer_x):
    for attempt in range(10):
        api_client.post(
            TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}"
        )
    response = api_client.post(
        TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429


def test_an_account_that_must_change_its_password_gets_no_token(api_client, officer_x):
    officer_x.must_change_password = True
    officer_x.save()
    response = api_client.post(TOKEN_URL, {"username": "township_x", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "修改密码" in response.json()["detail"]


def test_an_existing_token_stops_working_when_the_password_must_be_changed(token_client_for, officer_x):
    client = token_client_for(officer_x)
    officer_x.must_change_password = True
    officer_x.save()
    response = client.get("/api/v1/cadres/")
    assert response.status_code == 403
    assert "修改密码" in response.json()["detail"]


def test_an_unknown_token_is_refused_with_401(api_client, cadre_x):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    response = api_client.get("/api/v1/cadres/")
    assert response.status_code == 401
    assert response.json() == {"detail": "认证令牌无效。", "errors": {}}


def test_an_inactive_users_token_is_refused(token_client_for, officer_x):
    client = token_client_for(officer_x)
    officer_x.is_active = False
    officer_x.save()
    assert client.get("/api/v1/cadres/").status_code == 401


def test_the_browser_session_works_too(client_for, officer_x, cadre_x):
    response = client_for(officer_x).get("/api/v1/cadres/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


# --- the token's lifetime (issue "Robustness", item 4) ---------------------------------------------


def _token_for(api_client, username="township_x", password=PASSWORD):
    response = api_client.post(TOKEN_URL, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def _with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_password_change_ends_the_api_token(api_client, client_for, officer_x):
    token = _token_for(api_client)
    assert _with_token(token).get("/api/v1/cadres/").status_code == 200
    new_password = "Xiang#Zhen2027ok"
    response = client_for(officer_x).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert _with_token(token).get("/api/v1/cadres/").status_code == 401
    # The new password gets a new token.
    assert _token_for(api_client, password=new_password) != token


def test_a_password_set_by_the_administrator_ends_the_api_token(api_client, officer_x, county_admin):
    token = _token_for(api_client)
    county_admin.is_staff = True
    county_admin.save()
    admin = Client()
    admin.force_login(county_admin)
    new_password = "Xiang#Zhen2027ok"
    response = admin.post(
        reverse("admin:auth_user_password_change", args=(officer_x.pk,)),
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert _with_token(token).get("/api/v1/cadres/").status_code == 401


def test_signing_out_everywhere_ends_the_api_token_and_every_session(api_client, officer_x):
    token = _token_for(api_client)
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert device.post(reverse("accounts:login"), {"username": "township_x", "password": PASSWORD}).status_code == 302
    response = laptop.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302
    assert _with_token(token).get("/api/v1/cadres/").status_code == 401
    for device in (laptop, phone):
        assert device.get(reverse("cadres:list")).url.startswith(reverse("accounts:login"))
    assert AuditRecord.objects.filter(action="logout", actor=officer_x, summary__contains="所有").exists()


def test_a_plain_sign_out_keeps_the_api_token(api_client, officer_x):
    token = _token_for(api_client)
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": "township_x", "password": PASSWORD})
    browser.post(reverse("accounts:logout"))
    assert _with_token(token).get("/api/v1/cadres/").status_code == 200


def _age(token, *, issued, last_used=None):
    """Make the token as old as if it had been issued ``issued`` ago and last used ``last_used`` ago."""
    now = timezone.now()
    Token.objects.filter(key=token).update(created=now - issued)
    ApiTokenUse.objects.filter(token_id=token).update(last_used=now - (last_used if last_used is not None else issued))


def test_a_token_unused_for_eight_hours_ends(api_client, officer_x, settings):
    assert settings.API_TOKEN_IDLE_MINUTES == 8 * 60
    token = _token_for(api_client)
    _age(token, issued=datetime.timedelta(hours=7, minutes=59))
    assert _with_token(token).get("/api/v1/cadres/").status_code == 200
    # That use moved the idle deadline: 8 hours after the last request, not after the issue.
    _age(token, issued=datetime.timedelta(hours=15), last_used=datetime.timedelta(hours=7, minutes=59))
    assert _with_token(token).get("/api/v1/cadres/").status_code == 200
    _age(token, issued=datetime.timedelta(hours=24), last_used=datetime.timedelta(hours=8))
    response = _with_token(token).get("/api/v1/cadres/")
    assert response.status_code == 401
    assert response.json() == {"detail": "接口令牌已过期，请重新获取。", "errors": {}}
    assert not Token.objects.filter(key=token).exists()
    # Asking again gives a new token.
    assert _token_for(APIClient()) != token


def test_a_token_ends_after_thirty_days_however_busy(api_client, officer_x, settings):
    assert settings.API_TOKEN_MAX_AGE_DAYS == 30
    token = _token_for(api_client)
    _age(token, issued=datetime.timedelta(days=29, hours=23), last_used=datetime.timedelta(minutes=5))
    assert _with_token(token).get("/api/v1/cadres/").status_code == 200
    _age(token, issued=datetime.timedelta(days=30), last_used=datetime.timedelta(minutes=5))
    assert _with_token(token).get("/api/v1/cadres/").status_code == 401


def test_asking_for_the_token_again_replaces_an_ended_one(api_client, officer_x):
    token = _token_for(api_client)
    _age(token, issued=datetime.timedelta(days=31), last_used=datetime.timedelta(minutes=5))
    assert _token_for(api_client) != token


def test_the_token_lifetime_is_configurable(api_client, officer_x, settings):
    settings.API_TOKEN_IDLE_MINUTES = 30
    token = _token_for(api_client)
    _age(token, issued=datetime.timedelta(minutes=31))
    assert _with_token(token).get("/api/v1/cadres/").status_code == 401


def _use_writes(queries):
    return [q for q in queries.captured_queries if "accounts_apitokenuse" in q["sql"] and q["sql"].startswith("UPDATE")]


def test_a_busy_token_writes_its_last_use_at_most_once_a_minute(api_client, officer_x):
    token = _token_for(api_client)
    client = _with_token(token)
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/cadres/")
    assert not _use_writes(queries)
    _age(token, issued=datetime.timedelta(minutes=2))
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/cadres/")
    assert _use_writes(queries)


def test_token_expiry_rule():
    now = timezone.now()
    idle, max_age = datetime.timedelta(hours=8), datetime.timedelta(days=30)
    rule = functools.partial(token_expired, now=now, idle=idle, max_age=max_age)
    assert not rule(created=now - datetime.timedelta(hours=7), last_used=None)
    assert rule(created=now - datetime.timedelta(hours=8), last_used=None)
    assert not rule(created=now - datetime.timedelta(days=29), last_used=now - datetime.timedelta(hours=1))
    assert rule(created=now - datetime.timedelta(days=30), last_used=now)
    assert rule(created=now - datetime.timedelta(days=2), last_used=now - datetime.timedelta(hours=9))
