"""Every write of the second factor: enrolment, a code at sign-in, a reset by the county administrator.

Devices are django-otp's (``otp_totp.TOTPDevice``, ``otp_static.StaticDevice`` with ten one-time recovery
codes). A verified session carries django-otp's own session key (``django_otp.login``); the middleware reads
only that key, so a signed-in request costs no extra query. A reset therefore also ends the user's sessions.
"""

import base64

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record

from ..models import User
from . import rules

APP_DEVICE = "authenticator"
RECOVERY_DEVICE = "recovery codes"


def required_for(user: User) -> bool:
    return rules.requires_second_factor(
        role=user.role, is_superuser=user.is_superuser, all_staff=getattr(settings, "SECOND_FACTOR_ALL_STAFF", False)
    )


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The device being enrolled: made on the first visit, kept (same secret, same QR code) until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP_DEVICE).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def is_locked(request: HttpRequest, user: User) -> bool:
    return not AxesProxyHandler.is_allowed(request, credentials={"username": user.get_username()})


def clear_failures(request: HttpRequest, user: User) -> None:
    """The code was right: as the password does for other roles, the user's failures are forgiven (the
    lockout handler, ``lockout.py``, kept them through the password step)."""
    request.second_factor_pending = False  # type: ignore[attr-defined]
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, {"username": user.get_username()})


def _code_failed(request: HttpRequest, user: User) -> None:
    """A wrong code counts toward django-axes' lockout exactly as a wrong password does."""
    audit_record(
        actor=None,
        action=AuditRecord.Action.LOGIN_FAILED,
        object_type="accounts.User",
        summary=_("Wrong second-factor code for “%(username)s”") % {"username": user.get_username()[:100]},
    )
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)


@transaction.atomic
def enrol_confirm(*, request: HttpRequest, user: User, code: str) -> list[str] | None:
    """The first code from the app confirms the device; returns the ten recovery codes (shown once), or
    None for a wrong code (counted)."""
    device = pending_device(user)
    if not device.verify_token(rules.normalise_code(code)):
        _code_failed(request, user)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(rules.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=token) for token in codes])
    otp_login(request, device)
    clear_failures(request, user)
    audit_record(actor=user, action=AuditRecord.Action.CREATE, obj=user, summary=_("Enrolled a second-factor device"))
    return codes


def device_for_code(user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts the code (the app's, or a recovery code, which is then used up), or None."""
    code = rules.normalise_code(code)
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(code):
                    return device
    return None


@transaction.atomic
def verify(*, request: HttpRequest, user: User, code: str) -> bool:
    """A code after the password: the session is verified, or the failure is counted (and may lock)."""
    device = None if is_locked(request, user) else device_for_code(user, code)
    if device is None:
        _code_failed(request, user)
        return False
    otp_login(request, device)
    clear_failures(request, user)
    used_recovery = isinstance(device, StaticDevice)
    audit_record(
        actor=user,
        action=AuditRecord.Action.LOGIN,
        obj=user,
        summary=_("Signed in with a recovery code") if used_recovery else _("Signed in with a second-factor code"),
    )
    return True


def api_refusal(*, request: HttpRequest, user: User, code: str) -> str | None:
    """The token endpoint: why a role that needs a second factor gets no token (None: the code is right)."""
    if not required_for(user):
        return None
    if not has_device(user):
        return _("Set up sign-in codes in the browser before using the API.")
    if not code:
        _code_failed(request, user)
        return _("This account needs its second-factor code: send it as “code”.")
    with transaction.atomic():
        device = None if is_locked(request, user) else device_for_code(user, code)
        if device is None:
            _code_failed(request, user)
            return _("The second-factor code is not correct.")
    clear_failures(request, user)
    return None


@transaction.atomic
def device_reset(*, actor: User, user: User) -> int:
    """The county administrator resets a user's second factor (a lost phone): every device goes, every session
    of the user ends, and the next sign-in asks for a new enrolment. Returns the number of devices removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    user.revoke_api_tokens()
    live = Session.objects.filter(expire_date__gt=timezone.now())
    ended = [row.session_key for row in live.iterator() if row.get_decoded().get(SESSION_KEY) == str(user.pk)]
    Session.objects.filter(session_key__in=ended).delete()
    audit_record(
        actor=actor,
        action=AuditRecord.Action.UPDATE,
        obj=user,
        summary=_("Reset the second factor of %(user)s") % {"user": user.get_username()},
        changes={"devices_removed": removed, "sessions_ended": len(ended)},
    )
    return removed


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it by hand (groups of four)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
