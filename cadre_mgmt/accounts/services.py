from typing import Any

from django.contrib.auth import SESSION_KEY, logout, password_validation, update_session_auth_hash
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, diff, snapshot

from .models import User
from .tokens import revoke_api_tokens

USER_AUDITED_FIELDS = (
    "username",
    "full_name",
    "email",
    "role",
    "township",
    "is_active",
    "is_staff",
    "is_superuser",
    "must_change_password",
)


def login_record(*, user: User | None, success: bool, username: str = "") -> None:
    """A sign-in (``user``) or a failed attempt (``user`` None, the name that was tried)."""
    actor = user if success else None
    audit_record(
        actor=actor,
        action=AuditRecord.Action.LOGIN if success else AuditRecord.Action.LOGIN_FAILED,
        object_type="accounts.User",
        object_id=str(actor.pk) if actor is not None else "",
        summary=(_("Signed in") if success else _("Failed sign-in as “%(username)s”") % {"username": username[:100]}),
    )


def logout_record(*, user: User) -> None:
    audit_record(
        actor=user, action=AuditRecord.Action.LOGOUT, object_type="accounts.User", object_id=str(user.pk), summary=_("Signed out")
    )


@transaction.atomic
def logout_everywhere(*, request: HttpRequest, user: User) -> int:
    """Sign the user out everywhere: every session (this browser's too, other browsers and phones) and every
    API token ends. Sessions are found by reading the live ones (a county has hundreds, not millions)."""
    revoke_api_tokens(user)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=ended).delete()
    audit_record(
        actor=user,
        action=AuditRecord.Action.LOGOUT,
        object_type="accounts.User",
        object_id=str(user.pk),
        summary=_("Signed out everywhere (%(sessions)s sessions, API tokens)") % {"sessions": len(ended)},
    )
    logout(request)
    return len(ended)


@transaction.atomic
def password_change(*, request: HttpRequest, user: User, new_password: str) -> None:
    """Set a new password; every other session of the user ends (their session hash no longer matches)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    update_session_auth_hash(request, user)
    audit_record(actor=user, action=AuditRecord.Action.UPDATE, obj=user, summary=_("Password changed"))


@transaction.atomic
def user_admin_save(*, actor: User, user: User, created: bool) -> User:
    """Save an account edited by the county administrator in the admin, with its audit record.

    An account the administrator creates must choose its own password at first sign-in: the
    administrator knows the initial one.
    """
    if created:
        user.must_change_password = True
        before: dict[str, Any] = {}
    else:
        before = snapshot(User.objects.get(pk=user.pk), USER_AUDITED_FIELDS)
    user.full_clean(exclude=["password"])
    user.save()
    after = snapshot(user, USER_AUDITED_FIELDS)
    if created:
        audit_record(
            actor=actor, action=AuditRecord.Action.CREATE, obj=user, summary=_("Account created"), changes={"after": after}
        )
    else:
        audit_record(
            actor=actor, action=AuditRecord.Action.UPDATE, obj=user, summary=_("Account updated"), changes=diff(before, after)
        )
    return user


@transaction.atomic
def user_admin_delete(*, actor: User, user: User) -> None:
    """Delete an account. Its audit records keep the user name; only the link to the account is cleared."""
    audit_record(
        actor=actor,
        action=AuditRecord.Action.DELETE,
        obj=user,
        summary=_("Account deleted"),
        changes={"before": snapshot(user, USER_AUDITED_FIELDS)},
    )
    user.delete()


@transaction.atomic
def user_admin_password_set(*, actor: User, user: User) -> None:
    """Record that an administrator set someone's password; that person must change it at next sign-in.

    The admin's own password form has already stored the new hash (which also ends the person's other
    sessions); this runs in the same transaction.
    """
    if user.pk != actor.pk:
        User.objects.filter(pk=user.pk).update(must_change_password=True)
    audit_record(actor=actor, action=AuditRecord.Action.UPDATE, obj=user, summary=_("Password set by an administrator"))


@transaction.atomic
def county_admin_create(*, username: str, password: str, full_name: str = "", email: str = "") -> User:
    """The first county administrator (``manage.py create_county_admin``): the county-administrator role, no
    township, staff and superuser (schedules and settings live in the admin), and a password to change at
    first sign-in — whoever ran the command knows the initial one. The password passes the password rules."""
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        role=User.Role.COUNTY_ADMIN,
        township=None,
        is_staff=True,
        is_superuser=True,
        must_change_password=True,
    )
    user.full_clean(exclude=["password"])
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=None,
        action=AuditRecord.Action.CREATE,
        obj=user,
        summary=_("County administrator created on the command line"),
        changes={"after": snapshot(user, USER_AUDITED_FIELDS)},
    )
    return user
