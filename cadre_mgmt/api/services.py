"""Writes of the API's own: issuing a machine client's token (revoked by deleting it in 系统设置; it also ends
by itself, see cadre_mgmt/accounts/tokens.py)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from cadre_mgmt.accounts import tokens
from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.services import login_record
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """The user's token (one per user; the same one until it ends or is revoked). Audited as a sign-in.

    An ended token is replaced by a new one; asking for the token counts as using it."""
    now = timezone.now()
    token = Token.objects.select_related("use").filter(user=user).first()
    if token is not None and tokens.is_expired(token, now):
        token.delete()
        token = None
    created = token is None
    if token is None:
        token = Token.objects.create(user=user)
    tokens.record_use(token, now, force=True)
    login_record(user=user, success=True)
    if created:
        audit_record(actor=user, action=AuditRecord.Action.CREATE, obj=user, summary=_("API token issued"))
    return token
