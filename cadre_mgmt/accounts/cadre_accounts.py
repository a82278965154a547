"""Cadre accounts (DESIGN §12): issued by the township from the cadre file, disabled by it or by leaving post.

The user name is the cadre's phone number; the initial password is random, shown once to the officer who
issued it (for the printed slip) and never stored in clear; the cadre must change it at first sign-in.
The sign-in lockout (django-axes) and the password rules are everyone's.
"""

import re
import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, snapshot
from cadre_mgmt.cadres.models import Cadre

from .models import User
from .scoping import township_allowed_for_user
from .services import USER_AUDITED_FIELDS
from .tokens import revoke_api_tokens

PHONE = re.compile(r"^1\d{10}$")
# No look-alike characters on a printed slip (0/O, 1/l/I).
ALPHABET = {
    "lower": "abcdefghjkmnpqrstuvwxyz",
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "digit": "23456789",
    "symbol": "@#%+=",
}


def initial_password(length: int = 12) -> str:
    """A random password with every character class, so it passes the password rules."""
    chars = [secrets.choice(group) for group in ALPHABET.values()]
    pool = "".join(ALPHABET.values())
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _refuse_unless_keeper(user: Any, cadre: Cadre) -> None:
    if not (user.can_edit_cadres and township_allowed_for_user(user, cadre.township_id)):
        raise PermissionDenied


@transaction.atomic
def cadre_account_issue(*, user: Any, cadre: Cadre) -> tuple[User, str]:
    """Issue (or issue again, with a new initial password) the cadre's account; returns it and the password."""
    _refuse_unless_keeper(user, cadre)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if cadre.status != Cadre.Status.IN_POST:
        raise ValidationError(_("%(name)s has left post; no account can be issued.") % {"name": cadre.name})
    phone = (cadre.phone or "").strip()
    if not PHONE.match(phone):
        raise ValidationError(_("Record an 11-digit mobile number in the cadre file first: it is the user name."))
    account = User.objects.filter(cadre=cadre).first()
    if User.objects.filter(username=phone).exclude(cadre=cadre).exists():
        raise ValidationError(_("The phone number %(phone)s is already the user name of another account.") % {"phone": phone})
    created = account is None
    if created:
        account = User(username=phone, role=User.Role.CADRE, cadre=cadre, full_name=cadre.name)
    before = {} if created else snapshot(account, USER_AUDITED_FIELDS)
    account.username, account.full_name, account.is_active, account.must_change_password = phone, cadre.name, True, True
    account.full_clean(exclude=["password"])
    password = initial_password()
    password_validation.validate_password(password, account)
    account.set_password(password)
    account.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.CREATE if created else AuditRecord.Action.UPDATE,
        obj=account,
        summary=_("Cadre account issued") if created else _("Cadre account issued again with a new initial password"),
        changes={"before": before, "after": snapshot(account, USER_AUDITED_FIELDS)},
    )
    return account, password


@transaction.atomic
def cadre_account_disable(*, user: Any, cadre: Cadre, reason: str = "") -> User | None:
    """Disable the cadre's account (the township, or leaving post): it can no longer sign in or use a token."""
    if user is not None:
        _refuse_unless_keeper(user, cadre)
    account = User.objects.select_for_update().filter(cadre=cadre, is_active=True).first()
    if account is None:
        return None
    account.is_active = False
    account.save(update_fields=["is_active"])
    revoke_api_tokens(account)
    audit_record(
        actor=user,
        action=AuditRecord.Action.UPDATE,
        obj=account,
        summary=(_("Cadre account disabled") + (f": {reason}" if reason else ""))[:300],
        changes={"is_active": [True, False]},
    )
    return account
