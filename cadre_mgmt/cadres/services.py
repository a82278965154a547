"""Writes to cadre files. Every function runs in one transaction and writes its audit record."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.cadre_accounts import cadre_account_disable
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_update, diff, snapshot

from . import idnumbers
from .models import Cadre, Post, Village
from .rules import cadre_fact_problems

AUDITED_FIELDS = (
    "township",
    "village",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number_hash",
    "phone",
    "political_status",
    "education",
    "first_appointed_on",
    "prior_service_years",
    "status",
    "left_on",
    "left_reason",
)


def _check_id_unique(id_hash: str, *, exclude_pk: int | None = None) -> None:
    clash = Cadre.objects.filter(id_number_hash=id_hash)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"id_number": _("A cadre with this resident ID number already exists.")})


def _check_plausible(cadre: Cadre) -> None:
    problems = cadre_fact_problems(
        birth_date=cadre.birth_date,
        first_appointed_on=cadre.first_appointed_on,
        prior_service_years=cadre.prior_service_years or 0,
        today=timezone.localdate(),
    )
    if problems:
        raise ValidationError(problems)


def _audit_snapshot(cadre: Cadre) -> dict[str, Any]:
    data = snapshot(cadre, AUDITED_FIELDS)
    data["posts"] = sorted(post.code for post in cadre.posts.all()) if cadre.pk else []
    return data


@transaction.atomic
def cadre_create(*, user: Any, village: Village, id_number: str, posts: Iterable[Post], **fields: Any) -> Cadre:
    if not township_allowed_for_user(user, village.township_id):
        raise PermissionDenied
    facts = idnumbers.parse_id_number(id_number)
    cadre = Cadre(township_id=village.township_id, village=village, **fields)
    cadre.assign_id_number(facts)
    _check_id_unique(cadre.id_number_hash)
    cadre.full_clean(exclude=["posts"])
    _check_plausible(cadre)
    cadre.save()
    cadre.posts.set(posts)
    audit_record(
        actor=user,
        action=AuditRecord.Action.CREATE,
        obj=cadre,
        summary=_("Cadre file created"),
        changes={"after": _audit_snapshot(cadre)},
    )
    return cadre


@transaction.atomic
def cadre_update(
    *,
    user: Any,
    cadre: Cadre,
    village: Village | None = None,
    id_number: str | None = None,
    posts: Iterable[Post] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Update a cadre file. Returns the changes (empty when nothing differed: then nothing is written)."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if not township_allowed_for_user(user, cadre.township_id):
        raise PermissionDenied
    before = _audit_snapshot(cadre)
    if village is not None and village.pk != cadre.village_id:
        if not township_allowed_for_user(user, village.township_id):
            raise PermissionDenied
        cadre.village = village
        cadre.township_id = village.township_id
    if id_number:
        facts = idnumbers.parse_id_number(id_number)
        if idnumbers.hash_id_number(facts.number) != cadre.id_number_hash:
            cadre.assign_id_number(facts)
            _check_id_unique(cadre.id_number_hash, exclude_pk=cadre.pk)
    for name, value in fields.items():
        setattr(cadre, name, value)
    cadre.full_clean(exclude=["posts"])
    _check_plausible(cadre)
    new_codes = sorted(post.code for post in posts) if posts is not None else before["posts"]
    after = snapshot(cadre, AUDITED_FIELDS)
    after["posts"] = new_codes
    changes = diff(before, after)
    if not changes:
        return {}
    cadre.save()
    if posts is not None and new_codes != before["posts"]:
        cadre.posts.set(posts)
    audit_record(actor=user, action=AuditRecord.Action.UPDATE, obj=cadre, summary=_("Cadre file updated"), changes=changes)
    return changes


@transaction.atomic
def cadre_mark_left(*, user: Any, cadre: Cadre, left_on: datetime.date, reason: str) -> Cadre:
    """Record that a cadre has left post. The allowance stops from the month after ``left_on``."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if not township_allowed_for_user(user, cadre.township_id):
        raise PermissionDenied
    if cadre.status == Cadre.Status.LEFT:
        raise ValidationError(_("This cadre has already left post."))
    if not reason or not reason.strip():
        raise ValidationError({"left_reason": _("Give the reason for leaving.")})
    if left_on < cadre.first_appointed_on:
        raise ValidationError({"left_on": _("The date of leaving cannot be before the first appointment.")})
    audited_update(
        cadre,
        actor=user,
        values={"status": Cadre.Status.LEFT, "left_on": left_on, "left_reason": reason.strip(), "updated_at": timezone.now()},
        summary=_("Cadre left post"),
        fields=("status", "left_on", "left_reason"),
    )
    cadre_account_disable(user=user, cadre=cadre, reason=_("left post"))  # DESIGN §12: leaving post ends the account
    return cadre
