"""Password rules when a person chooses a password (issue "Robustness", item 12): no reuse of the last 5,
not the published demo password, and every message in Chinese — on the password page and in the admin."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cadre_mgmt.accounts.models import PasswordHistory, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/"
NEW = ["Xiang#Zhen2027a", "Xiang#Zhen2027b", "Xiang#Zhen2027c", "Xiang#Zhen2027d", "Xiang#Zhen2027e"]
LATIN_SENTENCE = re.compile(r"\b(?:password|characters|common|numeric|similar|disabled)\b", re.I)


def _change(browser, old, new):
    return browser.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def _signed_in(username="township_x", password=PASSWORD):
    browser = Client()
    assert browser.post("/accounts/login/", {"username": username, "password": password}).status_code == 302
    return browser


def _errors(response):
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


def test_the_current_password_cannot_be_chosen_again(officer_x):
    response = _change(_signed_in(), PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "最近 5 次" in _errors(response)


def test_none_of_the_last_five_passwords_can_be_chosen_again(officer_x):
    browser = _signed_in()
    current = PASSWORD
    for new in NEW[:4]:
        assert _change(browser, current, new).status_code == 302
        current = new
    # PASSWORD and NEW[0..3] are the last five: each is refused.
    for old in [PASSWORD, *NEW[:3]]:
        response = _change(browser, current, old)
        assert response.status_code == 200, old
        assert "最近 5 次" in _errors(response)
    assert _change(browser, current, NEW[4]).status_code == 302
    # PASSWORD is now the sixth back: it may be chosen again.
    assert _change(browser, NEW[4], PASSWORD).status_code == 302
    assert PasswordHistory.objects.filter(user=officer_x).count() == 5


def test_the_demo_password_cannot_be_chosen_on_the_password_page(officer_x):
    for published in [settings.DEMO_PASSWORD, "Demo@County2026", "demo@county2026"]:
        response = _change(_signed_in(), PASSWORD, published)
        assert response.status_code == 200
        assert "演示密码" in _errors(response)


def test_the_demo_password_cannot_be_chosen_when_it_is_set_differently(officer_x, settings):
    settings.DEMO_PASSWORD = "Another#Demo2027"
    for published in ["Another#Demo2027", "Demo@County2026"]:
        with pytest.raises(ValidationError, match="演示密码"):
            password_validation.validate_password(published, officer_x)


def test_the_demo_accounts_are_still_made_with_the_demo_password(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.get(username="township_x").check_password(settings.DEMO_PASSWORD)


@pytest.fixture
def admin_client(county_admin):
    county_admin.is_staff = True
    county_admin.save()
    client = Client()
    client.force_login(county_admin)
    return client


def _admin_set(admin_client, user, password, confirmation=None):
    return admin_client.post(
        reverse("admin:auth_user_password_change", args=(user.pk,)),
        {"password1": password, "password2": confirmation or password, "usable_password": "true"},
    )


def test_the_administrator_cannot_set_the_demo_password_or_the_current_one(admin_client, officer_x):
    for password, message in [(settings.DEMO_PASSWORD, "演示密码"), (PASSWORD, "最近 5 次")]:
        response = _admin_set(admin_client, officer_x, password)
        assert response.status_code == 200
        assert message in response.text
    officer_x.refresh_from_db()
    assert officer_x.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "confirmation", "message"),
    [
        ("Short#1a", None, "密码太短：至少需要 10 个字符"),
        ("password123", None, "这个密码太常见了"),
        ("1234567890123", None, "密码不能全是数字"),
        ("township_x#2026", None, "过于相似"),
        ("alllowercaseletters", None, "至少包含"),
        ("Xiang#Zhen2027a", "Xiang#Zhen2027b", "不一致"),
    ],
)
def test_the_admin_password_form_speaks_chinese(admin_client, officer_x, password, confirmation, message):
    response = _admin_set(admin_client, officer_x, password, confirmation)
    assert response.status_code == 200
    errors = " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)
    assert message in errors
    assert not LATIN_SENTENCE.search(errors), errors


def _visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_admin_password_pages_have_no_english_sentence(admin_client, officer_x):
    page = _visible_text(admin_client.get(reverse("admin:auth_user_password_change", args=(officer_x.pk,))).text)
    assert "If disabled" not in page
    assert "该用户当前的密码将失效" in page
    assert "至少需要 10 个字符" in page  # the rules, as help text
    add = _visible_text(admin_client.get(reverse("admin:accounts_user_add")).text)
    assert "After you" not in add
    assert "保存后即可填写姓名、角色和所属乡镇" in add
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_one",
            "role": "county_admin",
            "password1": "password",
            "password2": "password",
            "usable_password": "true",
        },
    )
    errors = " ".join(str(e) for errors in response.context["adminform"].form.errors.values() for e in errors)
    assert errors and not LATIN_SENTENCE.search(errors), errors


def test_every_rule_has_a_chinese_help_text():
    for text in password_validation.password_validators_help_texts():
        assert re.search(r"[\u4e00-\u9fff]", text) and not LATIN_SENTENCE.search(text), text


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(officer_x, settings):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=officer_x)
    entries = PasswordHistory.objects.filter(user=officer_x).count()
    # The preferred hasher changes: the next sign-in re-hashes the same password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    _signed_in()
    officer_x.refresh_from_db()
    assert officer_x.password.startswith("pbkdf2_")
    assert PasswordHistory.objects.filter(user=officer_x).count() == entries
    assert Token.objects.filter(user=officer_x).exists()
