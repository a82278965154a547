"""Cadre accounts (DESIGN §12): issued by the township from the cadre file, forced password change,
disabled by the township or by leaving post; a cadre reaches only their own pages (default deny)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cadre_mgmt.accounts import cadre_accounts
from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user, writable_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres import services as cadre_services
from cadre_mgmt.cadres.models import Cadre

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_township_issues_an_account_with_the_phone_as_user_name_and_a_one_time_password(client_for, officer_x, cadre_x):
    Cadre.objects.filter(pk=cadre_x.pk).update(phone="13812345678")
    response = client_for(officer_x).post(reverse("ranks:cadre_account_issue", args=[cadre_x.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = response.context["password"]
    account = User.objects.get(cadre=cadre_x)
    assert (account.username, account.role, account.township_id, account.must_change_password) == (
        "13812345678",
        "cadre",
        None,
        True,
    )
    assert account.check_password(password) and password not in account.password
    assert password.encode() in response.content
    record = AuditRecord.objects.filter(object_type="accounts.User", object_id=str(account.pk)).latest("pk")
    assert record.summary == "已为村干部开通账号" and password not in str(record.changes)


def test_issuing_needs_a_mobile_number_and_the_own_township(officer_x, officer_y, cadre_x):
    with pytest.raises(ValidationError, match="手机号"):
        cadre_accounts.cadre_account_issue(user=officer_x, cadre=cadre_x)
    Cadre.objects.filter(pk=cadre_x.pk).update(phone="13812345678")
    cadre_x.refresh_from_db()
    with pytest.raises(PermissionDenied):
        cadre_accounts.cadre_account_issue(user=officer_y, cadre=cadre_x)
    assert not User.objects.filter(cadre=cadre_x).exists()


def test_first_sign_in_forces_the_password_change(client, officer_x, cadre_x):
    Cadre.objects.filter(pk=cadre_x.pk).update(phone="13812345678")
    cadre_x.refresh_from_db()
    _account, password = cadre_accounts.cadre_account_issue(user=officer_x, cadre=cadre_x)
    response = client.post(reverse("accounts:login"), {"username": "13812345678", "password": password})
    assert response.status_code == 302
    assert client.get(reverse("me:file")).url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Cun#Gan8Bu2027", "new_password2": "Cun#Gan8Bu2027"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("me:file")
    assert client.get(reverse("me:file")).status_code == 200


def test_the_township_disables_the_account_and_leaving_post_disables_it(client_for, officer_x, cadre_x, cadre_account_x):
    response = client_for(officer_x).post(reverse("ranks:cadre_account_disable", args=[cadre_x.pk]))
    assert response.status_code == 302
    cadre_account_x.refresh_from_db()
    assert not cadre_account_x.is_active
    cadre_account_x.is_active = True
    cadre_account_x.save(update_fields=["is_active"])
    cadre_services.cadre_mark_left(user=officer_x, cadre=cadre_x, left_on=datetime.date(2026, 6, 30), reason="辞职")
    cadre_account_x.refresh_from_db()
    assert not cadre_account_x.is_active
    with pytest.raises(ValidationError, match="已离任"):
        cadre_accounts.cadre_account_issue(user=officer_x, cadre=Cadre.objects.get(pk=cadre_x.pk))


def test_a_cadre_account_has_no_township_scope_and_cannot_have_one(cadre_account_x, township_x, cadre_x):
    assert not scope_for_user(Cadre.objects.all(), cadre_account_x).exists()
    assert not writable_for_user(Cadre.objects.all(), cadre_account_x).exists()
    assert not cadre_account_x.sees_all_townships and not cadre_account_x.can_edit_cadres
    assert not (cadre_account_x.is_township_staff or cadre_account_x.is_county_approver or cadre_account_x.is_supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cadre_account_x.pk).update(township=township_x)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=User.Role.CADRE)  # a cadre account names its cadre
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", role=User.Role.COUNTY_ADMIN, cadre=cadre_x)


def test_a_cadre_signs_in_with_the_common_rules_and_lockout(client, cadre_account_x, settings):
    cadre_account_x.set_password(PASSWORD)
    cadre_account_x.save()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": cadre_account_x.username, "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": cadre_account_x.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session  # locked out like everyone after the failures
