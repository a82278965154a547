"""What the supervision services share: the role check, the audited create of a record with members."""

from django.core.exceptions import PermissionDenied

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, snapshot

# Fields of a petition that the audit log may hold: never the reporter.
PETITION_AUDITED = ("status", "assigned_to", "conclusion", "deadline", "overdue_since")


def _require_supervisor(user):
    if not user.is_supervisor:
        raise PermissionDenied


def _create_with_members(instance, relation, members, *, user, summary, fields):
    """``audited_create`` for a record with a many-to-many of members: the members' ids join its "after"."""
    instance.full_clean()
    instance.save()
    getattr(instance, relation).set(members)
    after = {**snapshot(instance, fields), relation: [member.pk for member in members]}
    audit_record(actor=user, action=AuditRecord.Action.CREATE, obj=instance, summary=summary, changes={"after": after})
    return instance
