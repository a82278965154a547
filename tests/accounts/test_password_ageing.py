"""Password ageing (issue 21): off by default; with PASSWORD_MAX_AGE_DAYS a password older than that is
changed at sign-in."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cadre_mgmt.accounts.models import PasswordHistory
from cadre_mgmt.audit.models import AuditRecord
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Lao#Hua2027mima"


def _age(user, days):
    PasswordHistory.objects.filter(user=user).update(set_at=timezone.now() - datetime.timedelta(days=days))


def _signed_in():
    browser = Client()
    assert browser.post("/accounts/login/", {"username": "township_x", "password": PASSWORD}).status_code == 302
    return browser


def test_off_by_default_an_old_password_still_signs_in(officer_x):
    _age(officer_x, 1000)
    assert _signed_in().get("/cadres/").status_code == 200


def test_an_aged_password_must_be_changed_at_sign_in(officer_x, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _age(officer_x, 91)
    browser = _signed_in()
    assert browser.get("/cadres/")["Location"] == "/accounts/password/"
    assert AuditRecord.objects.filter(actor=officer_x, summary__contains="90").exists()
    changed = browser.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert changed.status_code == 302
    assert browser.get("/cadres/").status_code == 200
    officer_x.refresh_from_db()
    assert not officer_x.must_change_password


def test_a_recent_password_is_not_asked_again(officer_x, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _age(officer_x, 89)
    assert _signed_in().get("/cadres/").status_code == 200
