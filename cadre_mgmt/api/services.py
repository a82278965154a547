"""Writes of the API's own: issuing a machine client's token (revoked by deleting it in 系统设置)."""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from cadre_mgmt.accounts.services import login_record
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record


@transaction.atomic
def api_token_issue(*, user):
    """The user's token (one per user; the same one until it is revoked). Audited as a sign-in."""
    token, created = Token.objects.get_or_create(user=user)
    login_record(user=user, success=True)
    if created:
        audit_record(actor=user, action=AuditRecord.Action.CREATE, obj=user, summary=_("API token issued"))
    return token
