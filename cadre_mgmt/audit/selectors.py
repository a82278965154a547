"""Reads of the audit log (county administrator only; the log is not township-scoped).

Records keep what was written (a model label such as ``ranks.Proposal``, the login name); the pages and
the export show them in words: the model's Chinese name and the person's full name, looked up here.
"""

import contextlib
import datetime
import ipaddress
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditRecord, AuditVerification


def audited_object_types() -> list[tuple[str, str]]:
    """(label, Chinese name) of this project's models, for the object-type filter; no query."""
    base = Path(settings.BASE_DIR)
    choices = []
    for model in apps.get_models():
        path = Path(model._meta.app_config.path)
        if path.is_relative_to(base) and ".venv" not in path.parts:
            choices.append((model._meta.label, object_type_name(model._meta.label)))
    return sorted(choices, key=lambda choice: choice[1])


def object_type_name(label: str) -> str:
    """``ranks.Proposal`` → the model's verbose name (晋升评审建议…); a label no longer known stays as it is."""
    if not label:
        return ""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name)


def actor_names(record: AuditRecord) -> tuple[str, str]:
    """(the person's name, their login) of a record; the login is "" where it adds nothing."""
    actor = record.actor
    if actor is None:
        return (_("System") if record.actor_name in {"", "system"} else record.actor_name), ""
    name = getattr(actor, "full_name", "") or actor.get_full_name() or actor.get_username()
    login = actor.get_username()
    return name, ("" if login == name else login)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def audit_search(
    *,
    actor: Any = None,
    action: str = "",
    object_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    q: str = "",
) -> QuerySet[AuditRecord]:
    """Audit records matching the filters, newest first. Dates are local (Asia/Shanghai) calendar days."""
    qs = AuditRecord.objects.select_related("actor")
    if actor is not None:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    q = (q or "").strip()
    if q:
        text = Q(summary__icontains=q) | Q(object_repr__icontains=q) | Q(actor_name__icontains=q) | Q(object_id=q)
        text |= Q(actor__full_name__icontains=q)
        with contextlib.suppress(ValueError):
            text |= Q(ip_address=str(ipaddress.ip_address(q)))
        qs = qs.filter(text)
    return qs


def _field_label(object_type: str, name: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def change_rows(record: AuditRecord) -> list[tuple[str, Any, Any]]:
    """The record's changes as (field label, before, after) rows, whatever shape the service wrote."""
    changes = record.changes or {}
    rows = []
    if set(changes) <= {"before", "after"} and all(isinstance(value, dict) for value in changes.values()):
        before, after = changes.get("before", {}), changes.get("after", {})
        for name in [*before, *(key for key in after if key not in before)]:
            rows.append((name, before.get(name, ""), after.get(name, "")))
    else:
        for name, value in changes.items():
            if isinstance(value, list) and len(value) == 2:
                rows.append((name, value[0], value[1]))
            else:
                rows.append((name, "", value))
    return [(_field_label(record.object_type, name), before, after) for name, before, after in rows]


def latest_chain_check() -> AuditVerification | None:
    """The last run of the hash-chain check (the nightly job or ``verify_audit``), for the audit page."""
    return AuditVerification.objects.order_by("-ran_at", "-pk").first()
