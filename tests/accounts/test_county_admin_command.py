"""The first county administrator from the command line (issue "Robustness", item 9)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

INITIAL = "Chu#Shi2026mima"


def _signs_in_and_must_change_the_password(username):
    browser = Client()
    response = browser.post("/accounts/login/", {"username": username, "password": INITIAL})
    assert response.status_code == 302
    assert browser.get("/cadres/").url == "/accounts/password/"


def test_create_county_admin_reads_the_password_from_a_file(tmp_path):
    secret = tmp_path / "password"
    secret.write_text(INITIAL + "\n")
    out = io.StringIO()
    call_command("create_county_admin", "zhang", "--full-name", "张主任", "--password-file", str(secret), stdout=out)
    user = User.objects.get(username="zhang")
    assert (user.role, user.township, user.full_name) == (User.Role.COUNTY_ADMIN, None, "张主任")
    assert user.is_staff and user.is_superuser and user.must_change_password
    assert user.check_password(INITIAL)
    assert "首次登录" in out.getvalue()
    assert AuditRecord.objects.filter(action="create", object_id=str(user.pk)).exists()
    _signs_in_and_must_change_the_password("zhang")


def test_create_county_admin_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("COUNTY_ADMIN_PASSWORD", INITIAL)
    call_command("create_county_admin", "wang", stdout=io.StringIO())
    assert User.objects.get(username="wang").is_county_admin


def test_create_county_admin_prompts_for_the_password_twice(monkeypatch):
    monkeypatch.delenv("COUNTY_ADMIN_PASSWORD", raising=False)
    answers = iter([INITIAL, INITIAL])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_county_admin", "li", stdout=io.StringIO())
    assert User.objects.get(username="li").check_password(INITIAL)


def test_create_county_admin_refuses_a_weak_password_in_chinese(monkeypatch):
    monkeypatch.setenv("COUNTY_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="密码"):
        call_command("create_county_admin", "zhao", stdout=io.StringIO())
    assert not User.objects.filter(username="zhao").exists()


def test_create_county_admin_refuses_an_existing_username(monkeypatch, county_admin):
    monkeypatch.setenv("COUNTY_ADMIN_PASSWORD", INITIAL)
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_county_admin", "county_admin", stdout=io.StringIO())


def test_createsuperuser_makes_a_county_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", INITIAL)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org", stdout=io.StringIO())
    user = User.objects.get(username="root")
    assert (user.role, user.township, user.is_superuser) == (User.Role.COUNTY_ADMIN, None, True)
    assert user.must_change_password
    _signs_in_and_must_change_the_password("root")
