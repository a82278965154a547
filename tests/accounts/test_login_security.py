"""Sign-in controls: lockout, idle timeout, logout everywhere, forced password change, audited account admin."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.sessions import SessionStore
from cadre_mgmt.audit.models import AuditRecord
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _attempt(username, password, address):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def _fail(times, *, username, address):
    # The failure that reaches the limit is itself answered with the lockout page.
    for _ in range(times):
        assert _attempt(username, "wrong-password", address).status_code in {200, 429}


def test_five_failures_lock_the_username_from_every_address(officer_x):
    for n in range(5):
        _fail(1, username="township_x", address=f"10.0.0.{n + 1}")
    response = _attempt("township_x", PASSWORD, "10.9.9.9")
    assert response.status_code == 429
    assert "账号已锁定" in response.text
    assert "15" in response.text


def test_four_failures_do_not_lock(officer_x):
    _fail(4, username="township_x", address="10.0.0.1")
    assert _attempt("township_x", PASSWORD, "10.0.0.1").status_code == 302


def test_five_failures_lock_the_address_for_every_username(officer_x, officer_y):
    for n in range(5):
        _fail(1, username=f"guess{n}", address="10.0.0.7")
    assert _attempt("township_y", PASSWORD, "10.0.0.7").status_code == 429
    # The same account signs in from another address: the lock was on the address.
    assert _attempt("township_y", PASSWORD, "10.0.0.8").status_code == 302


def test_lock_lifts_after_the_cooloff(officer_x, settings):
    _fail(5, username="township_x", address="10.0.0.1")
    assert _attempt("township_x", PASSWORD, "10.0.0.1").status_code == 429
    # 16 minutes pass: the failures fall out of the 15-minute window.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=settings.AXES_COOLOFF_TIME * 60 + 1))
    assert _attempt("township_x", PASSWORD, "10.0.0.1").status_code == 302


def test_administrator_unlock_lifts_the_lock(officer_x):
    _fail(5, username="township_x", address="10.0.0.1")
    axes_reset(username="township_x")
    axes_reset(ip="10.0.0.1")
    assert _attempt("township_x", PASSWORD, "10.0.0.1").status_code == 302


def test_lockout_counts_the_address_the_trusted_proxy_reports(officer_x, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    proxy = "192.168.1.1"
    for n in range(5):
        Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, 10.1.0.{n}").post(
            LOGIN, {"username": f"guess{n}", "password": "x"}
        )
    # Five different users behind the same proxy: nobody else is locked out.
    response = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.1.0.99").post(
        LOGIN, {"username": "township_x", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert AuditRecord.objects.filter(action="login", ip_address="10.1.0.99").exists()


def test_forged_forwarded_address_is_not_stored(officer_x, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    response = Client(REMOTE_ADDR="192.168.1.1", HTTP_X_FORWARDED_FOR="not-an-address").post(
        LOGIN, {"username": "township_x", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert AuditRecord.objects.get(action="login").ip_address == "192.168.1.1"


# --- idle timeout -----------------------------------------------------------------------------


def _session_of(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_idle_session_is_signed_out(client, officer_x, settings):
    client.post(LOGIN, {"username": "township_x", "password": PASSWORD})
    assert client.get(reverse("cadres:list")).status_code == 200
    # The last request was longer ago than the idle limit.
    session = _session_of(client)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save()
    response = client.get(reverse("cadres:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_each_request_pushes_the_idle_deadline_forward(client, officer_x, settings):
    client.post(LOGIN, {"username": "township_x", "password": PASSWORD})
    session = _session_of(client)
    soon = timezone.now() + datetime.timedelta(minutes=1)
    session.expire_date = soon
    session.save()
    assert client.get(reverse("cadres:list")).status_code == 200
    assert _session_of(client).expire_date >= soon + datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 2)


def _writes(queries):
    """Every statement but reads: the session UPDATE and any transaction or savepoint around it."""
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(("SELECT", "DECLARE"))]


def test_a_request_within_a_minute_of_the_last_push_writes_nothing(client, officer_x, settings):
    client.post(LOGIN, {"username": "township_x", "password": PASSWORD})
    deadline = _session_of(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cadres:list")).status_code == 200
    assert _writes(queries.captured_queries) == []
    assert _session_of(client).expire_date == deadline


def test_the_deadline_moves_once_the_last_push_is_a_minute_old(client, officer_x, settings):
    client.post(LOGIN, {"username": "township_x", "password": PASSWORD})
    session = _session_of(client)
    age = datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    stale = timezone.now() + age - datetime.timedelta(seconds=settings.SESSION_IDLE_REFRESH_SECONDS + 5)
    session.expire_date = stale
    session.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cadres:list")).status_code == 200
    assert len(_writes(queries.captured_queries)) == 1  # one UPDATE, no transaction around it
    assert _session_of(client).expire_date >= stale + datetime.timedelta(seconds=settings.SESSION_IDLE_REFRESH_SECONDS)


def test_a_short_idle_limit_still_moves_with_every_request(client, officer_x, settings):
    settings.SESSION_COOKIE_AGE = 60  # SESSION_IDLE_MINUTES=1: the deadline may lag by 6 seconds at most
    client.post(LOGIN, {"username": "township_x", "password": PASSWORD})
    session = _session_of(client)
    lagging = timezone.now() + datetime.timedelta(seconds=50)
    session.expire_date = lagging
    session.save()
    assert client.get(reverse("cadres:list")).status_code == 200
    assert _session_of(client).expire_date >= lagging + datetime.timedelta(seconds=5)


def test_a_changed_session_is_written_at_once(officer_x):
    store = SessionStore()
    store["seen"] = 1
    store.create()
    loaded = SessionStore(store.session_key)
    assert loaded["seen"] == 1
    loaded["seen"] = 2
    loaded.save()
    assert SessionStore(store.session_key)["seen"] == 2


def test_saving_a_session_deleted_meanwhile_is_an_update_error(officer_x):
    store = SessionStore()
    store["seen"] = 1
    store.create()
    loaded = SessionStore(store.session_key)
    loaded["seen"] = 2
    Session.objects.filter(session_key=store.session_key).delete()
    with pytest.raises(UpdateError):
        loaded.save()


def test_idle_limit_is_thirty_minutes_by_default_and_configurable():
    code = (
        "from cadre_mgmt import settings as s; print(s.SESSION_IDLE_MINUTES, s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)"
    )
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "SESSION_IDLE_MINUTES"}
    default = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    assert default.stdout.split() == ["30", "1800", "True"]
    env["SESSION_IDLE_MINUTES"] = "10"
    custom = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    assert custom.stdout.split() == ["10", "600", "True"]


# --- logout everywhere ------------------------------------------------------------------------


def test_password_change_signs_out_every_other_session(officer_x):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert device.post(LOGIN, {"username": "township_x", "password": PASSWORD}).status_code == 302
    new_password = "Xiang#Zhen2027ok"
    response = laptop.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    # The device that changed the password stays signed in; the other one is out.
    assert laptop.get(reverse("cadres:list")).status_code == 200
    response = phone.get(reverse("cadres:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert AuditRecord.objects.filter(action="update", object_id=str(officer_x.pk), summary="修改密码").exists()


def test_signing_in_as_someone_else_ends_the_first_session(officer_x, officer_y):
    browser = Client()
    assert browser.post(LOGIN, {"username": "township_x", "password": PASSWORD}).status_code == 302
    first_key = browser.session.session_key
    response = browser.post(LOGIN, {"username": "township_y", "password": PASSWORD})
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(officer_y.pk)
    # The first session is gone from the store (flushed), not merely relabelled.
    assert browser.session.session_key != first_key
    assert not Session.objects.filter(session_key=first_key).exists()
    assert AuditRecord.objects.filter(action="logout", actor=officer_x).count() == 1
    assert AuditRecord.objects.filter(action="login", actor=officer_y).count() == 1


def test_a_signed_in_user_who_opens_the_sign_in_page_is_sent_home(client_for, officer_x):
    response = client_for(officer_x).get(LOGIN)
    assert response.status_code == 302


def test_signing_in_again_as_the_same_person_keeps_them_signed_in(officer_x):
    browser = Client()
    browser.post(LOGIN, {"username": "township_x", "password": PASSWORD})
    assert browser.post(LOGIN, {"username": "township_x", "password": PASSWORD}).status_code == 302
    assert browser.session["_auth_user_id"] == str(officer_x.pk)
    assert not AuditRecord.objects.filter(action="logout").exists()


# --- accounts created and changed by the county administrator ---------------------------------


@pytest.fixture
def admin_client(county_admin):
    county_admin.is_staff = True
    county_admin.save()
    client = Client()
    client.force_login(county_admin)
    return client


def test_account_created_in_the_admin_must_change_password_at_first_sign_in(admin_client, township_x, county_admin):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_officer",
            "full_name": "王新",
            "role": User.Role.TOWNSHIP_STAFF,
            "township": township_x.pk,
            "password1": "Initial#Pass2026",
            "password2": "Initial#Pass2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="new_officer")
    assert created.must_change_password
    record = AuditRecord.objects.get(action="create", object_type="accounts.User", object_id=str(created.pk))
    assert record.actor == county_admin
    assert record.changes["after"]["role"] == "township_staff"

    newcomer = Client()
    newcomer.post(LOGIN, {"username": "new_officer", "password": "Initial#Pass2026"})
    response = newcomer.get(reverse("cadres:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")


def test_admin_add_form_refuses_a_weak_password(admin_client, township_x):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "weak_officer",
            "role": User.Role.TOWNSHIP_STAFF,
            "township": township_x.pk,
            "password1": "weak_officer1",
            "password2": "weak_officer1",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="weak_officer").exists()


def test_account_changes_in_the_admin_are_audited_with_before_and_after(admin_client, officer_x):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[officer_x.pk]),
        {
            "username": "township_x",
            "full_name": "X镇 组织委员",
            "email": "",
            "role": User.Role.TOWNSHIP_STAFF,
            "township": officer_x.township_id,
            "is_active": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = AuditRecord.objects.get(action="update", object_type="accounts.User", object_id=str(officer_x.pk))
    assert record.changes["is_active"] == [True, False]
    assert record.changes["full_name"] == ["", "X镇 组织委员"]


def test_county_administrator_cannot_make_a_superuser(admin_client, officer_x):
    admin_client.post(
        reverse("admin:accounts_user_change", args=[officer_x.pk]),
        {
            "username": "township_x",
            "role": User.Role.TOWNSHIP_STAFF,
            "township": officer_x.township_id,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    officer_x.refresh_from_db()
    assert not officer_x.is_superuser


def test_account_deletion_in_the_admin_is_audited_and_history_keeps_the_name(admin_client, officer_x):
    officer_x_pk = officer_x.pk
    AuditRecord.objects.create(actor=officer_x, actor_name="township_x", action="login")
    response = admin_client.post(reverse("admin:accounts_user_delete", args=[officer_x_pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=officer_x_pk).exists()
    assert AuditRecord.objects.filter(action="delete", object_id=str(officer_x_pk)).exists()
    assert AuditRecord.objects.get(action="login").actor_name == "township_x"


def test_password_set_by_the_administrator_is_audited_and_must_be_changed(admin_client, officer_x, county_admin):
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[officer_x.pk]),
        {"password1": "Reset#Pass20261", "password2": "Reset#Pass20261", "usable_password": "true"},
    )
    assert response.status_code == 302
    officer_x.refresh_from_db()
    assert officer_x.check_password("Reset#Pass20261")
    assert officer_x.must_change_password
    assert AuditRecord.objects.filter(action="update", object_id=str(officer_x.pk), actor=county_admin).exists()


@pytest.mark.parametrize("role", [User.Role.COUNTY_APPROVER, User.Role.SUPERVISOR, User.Role.FINANCE])
def test_other_staff_roles_cannot_manage_accounts(role):
    user = UserFactory(username=f"staff_{role}", role=role, is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403


def test_the_signed_in_user_comes_with_their_township(officer_x, django_assert_num_queries):
    from cadre_mgmt.accounts.backends import ModelBackend

    with django_assert_num_queries(1):
        user = ModelBackend().get_user(officer_x.pk)
        assert user.township.name == officer_x.township.name
    officer_x.is_active = False
    officer_x.save()
    assert ModelBackend().get_user(officer_x.pk) is None
