"""The one audit-record helper every service calls for every write."""

import datetime
import decimal
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from . import chain
from .middleware import current_ip
from .models import AuditChainHead, AuditRecord, AuditVerification

M = TypeVar("M", bound=Model)


def _text(value: Any) -> str:
    # Whatever a user typed ends up here (a failed sign-in's username, a name): PostgreSQL refuses NUL.
    return str(value).replace("\x00", "\ufffd")


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {_text(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of ``instance`` as JSON-safe data, for the before/after of an update."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Only what changed: {field: [before, after]}."""
    return {
        key: [before.get(key), after.get(key)] for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    summary: str = "",
    changes: Any = None,
    object_type: str = "",
    object_id: str = "",
    ip_address: str | None = None,
) -> AuditRecord:
    """Write one audit record. Call it inside the service's transaction so both land or neither."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = _text(obj)[:200]
    else:
        object_repr = ""
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    record = AuditRecord(
        actor=actor_obj,
        actor_name=_text(actor.get_username() if actor_obj else "system")[:150],
        ip_address=ip_address or current_ip(),
        action=action,
        object_type=_text(object_type),
        object_id=_text(object_id),
        object_repr=object_repr,
        summary=_text(summary)[:300],
        changes=_plain(changes or {}),
    )
    return chain.append([record])[0]


def audited_update(
    instance: Model,
    *,
    actor: Any,
    values: Mapping[str, Any],
    summary: str,
    fields: Iterable[str] | None = None,
    action: str = AuditRecord.Action.UPDATE,
    save: bool = True,
    clean: Callable[[], None] | None = None,
    always: bool = False,
) -> dict[str, list[Any]]:
    """The tail every updating service shares: set ``values`` on ``instance``, ``full_clean()``, and when
    anything changed save it and write the audit record of the difference. Returns {field: [before, after]}.

    ``fields`` are the fields compared (default: the keys of ``values``); call inside the service's
    transaction so the row and its audit record land together or not at all. ``clean`` replaces
    ``full_clean()`` where a service validates less on purpose (e.g. ``lambda: obj.clean_fields(...)``);
    ``always`` saves and records even when nothing changed (a decision is an event, not a difference).
    """
    fields = tuple(fields or values)
    before = snapshot(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    (clean or instance.full_clean)()
    changes = diff(before, snapshot(instance, fields))
    if changes or always:
        if save:
            concrete = {f.attname for f in instance._meta.concrete_fields} | {f.name for f in instance._meta.concrete_fields}
            update_fields = [name for name in values if name in concrete]
            instance.save(update_fields=update_fields or None)
        audit_record(actor=actor, action=action, obj=instance, summary=summary, changes=changes)
    return changes


def audited_create(
    instance: M,
    *,
    actor: Any,
    summary: str,
    fields: Iterable[str],
    extra: Mapping[str, Any] | None = None,
    action: str = AuditRecord.Action.CREATE,
) -> M:
    """Validate and save a new row and write its audit record with the values it was created with
    (``action``: CREATE, or DECIDE where the new row is a decision such as a rank change)."""
    instance.full_clean()
    instance.save()
    changes = {"after": snapshot(instance, fields), **(extra or {})}
    audit_record(actor=actor, action=action, obj=instance, summary=summary, changes=changes)
    return instance


def audited_delete(instance: Model, *, actor: Any, summary: str, fields: Iterable[str]) -> None:
    """Write the audit record with the values the row had, then delete it."""
    audit_record(
        actor=actor,
        action=AuditRecord.Action.DELETE,
        obj=instance,
        summary=summary,
        changes={"before": snapshot(instance, fields)},
    )
    instance.delete()


# Audit records are kept at least six calendar months; the longest six months (July to December)
# span 184 days. The database refuses to delete anything younger than 180 days (migration 0002).
AUDIT_MIN_KEEP_DAYS = 184


def audit_prune(*, keep_days: int = AUDIT_MIN_KEEP_DAYS) -> int:
    """Delete audit records older than ``keep_days`` days; returns how many. Refuses to go below the floor."""
    if keep_days < AUDIT_MIN_KEEP_DAYS:
        raise ValidationError(
            _("Audit records must be kept at least %(days)s days (six months).") % {"days": AUDIT_MIN_KEEP_DAYS}
        )
    # Whole days go (the start of the local day keep_days ago): a kept day's chains stay complete, so the
    # chain verifies from the first kept record (cadre_mgmt/audit/chain.py).
    first_kept_day = timezone.localdate() - datetime.timedelta(days=keep_days)
    cutoff = timezone.make_aware(datetime.datetime.combine(first_kept_day, datetime.time.min))
    with transaction.atomic():
        deleted, _per_model = AuditRecord.objects.filter(at__lt=cutoff).delete()
        AuditChainHead.objects.filter(day__lt=first_kept_day).delete()
        if deleted:
            audit_record(
                actor=None,
                action=AuditRecord.Action.DELETE,
                object_type=AuditRecord._meta.label,
                summary=_("Pruned %(count)s audit records older than %(days)s days") % {"count": deleted, "days": keep_days},
                changes={"deleted": deleted, "older_than": cutoff},
            )
    return deleted


def audit_verify(*, since: datetime.date | None = None) -> AuditVerification:
    """Check the hash chain (the daily job, ``verify_audit``); the result is kept for the audit page."""
    verdict = chain.verify(since)
    return AuditVerification.objects.create(
        since=since, ok=verdict.ok, checked=verdict.checked, first_broken=verdict.first_broken, message=verdict.message[:300]
    )
