from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.utils.translation import gettext as _

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record


def login_record(*, user, success, username=""):
    audit_record(
        actor=user if success else None,
        action=AuditRecord.Action.LOGIN if success else AuditRecord.Action.LOGIN_FAILED,
        object_type="accounts.User",
        object_id=str(user.pk) if success else "",
        summary=(_("Signed in") if success else _("Failed sign-in as “%(username)s”") % {"username": username[:100]}),
    )


def logout_record(*, user):
    audit_record(
        actor=user, action=AuditRecord.Action.LOGOUT, object_type="accounts.User", object_id=str(user.pk), summary=_("Signed out")
    )


@transaction.atomic
def password_change(*, request, user, new_password):
    """Set a new password; every other session of the user ends (their session hash no longer matches)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    update_session_auth_hash(request, user)
    audit_record(actor=user, action=AuditRecord.Action.UPDATE, obj=user, summary=_("Password changed"))
