import pytest
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "登录" in response.text
    assert 'lang="zh-Hans"' in response.text


def test_login_and_logout_are_audited(client, officer_x):
    response = client.post(reverse("accounts:login"), {"username": "township_x", "password": "Test@Password2026"})
    assert response.status_code == 302
    assert AuditRecord.objects.filter(action="login", actor=officer_x).exists()
    client.post(reverse("accounts:logout"))
    assert AuditRecord.objects.filter(action="logout", actor=officer_x).exists()


def test_failed_login_is_audited(client, officer_x):
    response = client.post(reverse("accounts:login"), {"username": "township_x", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.text
    assert AuditRecord.objects.filter(action="login_failed", summary__contains="township_x").exists()


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("cadres:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_admin_created_account_must_change_password_first(client_for, officer_x):
    officer_x.must_change_password = True
    officer_x.save()
    client = client_for(officer_x)
    response = client.get(reverse("cadres:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Test@Password2026", "new_password1": "Xiang#Zhen2027ok", "new_password2": "Xiang#Zhen2027ok"},
    )
    assert response.status_code == 302
    officer_x.refresh_from_db()
    assert not officer_x.must_change_password
    assert client.get(reverse("cadres:list")).status_code == 200


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "township_x2026A"])
def test_weak_passwords_are_refused(client_for, officer_x, password):
    response = client_for(officer_x).post(
        reverse("accounts:password_change"),
        {"old_password": "Test@Password2026", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    officer_x.refresh_from_db()
    assert officer_x.check_password("Test@Password2026")


def test_township_staff_must_have_a_township(db):
    from django.db import IntegrityError

    from cadre_mgmt.accounts.models import User

    with pytest.raises(IntegrityError):
        User.objects.create(username="orphan", role=User.Role.TOWNSHIP_STAFF)


def test_navigation_hides_county_settings_from_township_staff(client_for, officer_x, county_admin):
    assert reverse("admin:index") not in client_for(officer_x).get(reverse("cadres:list")).text
