"""Issue 17 #11: `make run` serves the product's own Chinese error pages and says it is a demo."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cadre_mgmt import registry

ROOT = Path(__file__).resolve().parent.parent
DEMO_SETTINGS = "cadre_mgmt.cadres.demo_settings"
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DEBUG, s.DEMO, s.WHITENOISE_USE_FINDERS, getattr(s, 'SESSION_COOKIE_SECURE', False), s.ALLOWED_HOSTS]))"
)


def demo_settings(**env):
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": DEMO_SETTINGS, "DEBUG": "False", **env}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_demo_settings_switch_debug_pages_off_and_keep_http_sign_in():
    debug, demo, finders, secure_cookie, hosts = demo_settings(DEBUG_PAGES="")
    assert (debug, demo, finders, secure_cookie) == (False, True, True, False)
    assert "127.0.0.1" in hosts and "localhost" in hosts


def test_a_developer_can_turn_the_debug_pages_on():
    assert demo_settings(DEBUG_PAGES="1")[0] is True


def test_make_run_serves_the_demo_settings_and_prints_the_banner():
    plan = subprocess.run(["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    serve = [line for line in plan.splitlines() if "runserver" in line]
    assert serve and all(f"DJANGO_SETTINGS_MODULE={DEMO_SETTINGS}" in line for line in serve)
    assert "manage.py seed_demo" in plan and "manage.py demo_banner" in plan
    assert "DEBUG=True" not in plan


def test_the_banner_says_it_is_a_demo_and_which_password_the_accounts_have(settings):
    settings.DEMO_PASSWORD = "Demo@County2026"
    out = io.StringIO()
    call_command("demo_banner", url="http://127.0.0.1:8000/", stdout=out)
    text = out.getvalue()
    assert "演示" in text and "虚构" in text
    assert "所有演示账号的密码都是：Demo@County2026" in text
    assert "county_admin" in text and "township_x" in text and "http://127.0.0.1:8000/" in text


@pytest.mark.django_db
def test_seed_demo_still_refuses_a_production_database_but_accepts_the_demo(settings, monkeypatch):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="拒绝向生产数据库写入演示数据"):
        call_command("seed_demo", stdout=io.StringIO())
    settings.DEMO = True
    monkeypatch.setattr(registry, "demo_seeders", [])
    monkeypatch.setattr("cadre_mgmt.cadres.management.commands.seed_demo.demo_users", lambda: [])
    call_command("seed_demo", stdout=io.StringIO())  # no refusal


@pytest.mark.django_db
def test_with_debug_off_another_townships_cadre_and_a_wrong_address_show_the_chinese_404(
    settings, client_for, officer_x, village_y
):
    from .factories import CadreFactory

    settings.DEBUG = False
    client = client_for(officer_x)
    other = CadreFactory(village=village_y)
    for url in (reverse("cadres:detail", kwargs={"pk": other.pk}), "/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "未找到" in response.text and "不在您的管理范围" in response.text
        assert "URLconf" not in response.text and "Page not found" not in response.text
