"""What the supervision services share: the role check, the audited create of a record with members."""

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, snapshot

# Fields of a petition that the audit log may hold: never the reporter.
PETITION_AUDITED = ("status", "assigned_to", "conclusion", "deadline", "overdue_since")

_M = TypeVar("_M", bound=Model)


def _require_supervisor(user: User) -> None:
    if not user.is_supervisor:
        raise PermissionDenied


def _create_with_members(
    instance: _M, relation: str, members: Iterable[Model], *, user: User, summary: str, fields: Sequence[str]
) -> _M:
    """``audited_create`` for a record with a many-to-many of members: the members' ids join its "after"."""
    instance.full_clean()
    instance.save()
    getattr(instance, relation).set(members)
    after = {**snapshot(instance, fields), relation: [member.pk for member in members]}
    audit_record(actor=user, action=AuditRecord.Action.CREATE, obj=instance, summary=summary, changes={"after": after})
    return instance
