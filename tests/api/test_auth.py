import pytest
from django.urls import reverse

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
