"""Web hardening: CSRF, CSP, secure cookies and HSTS in production, error pages, upload limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cadre_mgmt.cadres.models import Cadre
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_post_without_csrf_token_is_refused_with_a_chinese_page(officer_x, village_x):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_x)
    response = client.post(reverse("cadres:create"), {"village": village_x.pk, "name": "无令牌"})
    assert response.status_code == 403
    assert "表单已过期" in response.text
    assert not Cadre.objects.filter(name="无令牌").exists()


def test_sign_in_without_csrf_token_is_refused(officer_x):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "township_x", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_post_with_csrf_token_is_accepted(officer_x):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("accounts:login"), {"username": "township_x", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_content_security_policy_forbids_inline_script_and_other_hosts(client_for, officer_x):
    response = client_for(officer_x).get(reverse("cadres:list"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy


def test_pages_cannot_be_framed_or_sniffed(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def _production_settings(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "DATABASE_URL"))}
    env.update(
        {
            "DEBUG": "False",
            "SECRET_KEY": "k" * 20 + "Q7#x9!mZ2$vB8@nL4^pR6&tY1*wE3(uI5)oA0",
            "ALLOWED_HOSTS": "cadres.example.org",
            "ID_NUMBER_KEY": "0123456789abcdef0123456789abcdef",
            **extra,
        }
    )
    code = (
        "from cadre_mgmt import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_production_settings_make_cookies_secure_and_turn_on_hsts():
    assert _production_settings() == ["True", "True", "True", "True", "31536000", "True", "False"]


def test_with_production_settings_responses_carry_hsts_and_secure_cookies(client, settings, officer_x):
    # The values the DEBUG=False branch of settings.py sets (checked in the subprocess test above).
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    plain = client.get(reverse("accounts:login"))
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.cookies["csrftoken"]["secure"]
    client.post(reverse("accounts:login"), {"username": "township_x", "password": PASSWORD}, secure=True)
    assert client.cookies["sessionid"]["secure"]
    assert client.cookies["sessionid"]["httponly"]


@pytest.mark.urls("tests.security.urls_faulty")
def test_a_crash_shows_the_chinese_error_page_without_any_detail(client_for, officer_x):
    client = client_for(officer_x)
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "系统出现错误" in response.text
    assert "Traceback" not in response.text
    assert "secret internal detail" not in response.text
    assert "RuntimeError" not in response.text


def test_unknown_page_shows_the_chinese_404(client_for, officer_x):
    response = client_for(officer_x).get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.text
    assert "Page not found" not in response.text


def test_another_townships_record_is_the_same_chinese_404(client_for, officer_x, cadre_y):
    response = client_for(officer_x).get(reverse("cadres:detail", args=[cadre_y.pk]))
    assert response.status_code == 404
    assert "未找到" in response.text
    assert cadre_y.name not in response.text


def test_refused_page_shows_the_chinese_403(client_for, finance):
    response = client_for(finance).get(reverse("cadres:create"))
    assert response.status_code == 403
    assert "您没有此项权限" in response.text


def test_upload_larger_than_the_limit_is_refused_with_a_message(client_for, county_admin, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("cadres.xlsx", b"0" * (1024 * 1024 + 1))
    response = client_for(county_admin).post(reverse("cadres:import"), {"file": big})
    assert response.status_code == 200
    assert "文件超过 1 MB" in response.text
    assert Cadre.objects.count() == 0


@pytest.mark.parametrize("name", ["cadres.csv", "cadres.xls", "cadres.xlsx.exe", "cadres"])
def test_upload_of_another_file_type_is_refused_with_a_message(client_for, county_admin, name):
    response = client_for(county_admin).post(reverse("cadres:import"), {"file": SimpleUploadedFile(name, b"a,b\n1,2\n")})
    assert response.status_code == 200
    assert "请上传按模板填写的 .xlsx 文件" in response.text
