"""Writes of the daily ledger: entries of an open quarter, one per cadre (a bulk entry shares a batch id).

A ledger entry dated in a closed quarter is refused here (not only hidden in the pages).
"""

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.services import audited_create, audited_delete, audited_update
from cadre_mgmt.cadres.models import Cadre, Village

from .. import rules, selectors
from ..attachments import store_attachment
from ..models import LedgerCategory, LedgerEntry
from .common import require_township

LEDGER_FIELDS = ("cadre", "category", "date", "description", "outcome", "score_change", "leave_days", "attachment_name")


def _check_ledger_values(
    *, township_id: int, category: LedgerCategory, date: datetime.date, leave_days: int | None, score_change: Decimal | None
) -> None:
    errors = {}
    if date > timezone.localdate():
        errors["date"] = _("The date is in the future.")
    elif selectors.date_is_locked(township_id=township_id, day=date):
        year, quarter = rules.quarter_of(date)
        errors["date"] = _("Quarter %(quarter)s of %(year)s is closed; its ledger is locked.") % {
            "quarter": quarter,
            "year": year,
        }
    if category.kind == LedgerCategory.Kind.LEAVE and not leave_days:
        errors["leave_days"] = _("Give the number of days of leave.")
    if category.kind != LedgerCategory.Kind.LEAVE and leave_days:
        errors["leave_days"] = _("Days of leave belong only to a leave entry.")
    if score_change is not None and not (Decimal("-100") <= score_change <= Decimal("100")):
        errors["score_change"] = _("The score change must be between -100 and 100.")
    if errors:
        raise ValidationError(errors)


def _store_attachment(attachment: UploadedFile | None, day: datetime.date) -> tuple[str, str]:
    """Save the upload once (also for a bulk entry) and return (stored name, original name)."""
    if attachment is None:
        return "", ""
    storage = LedgerEntry._meta.get_field("attachment").storage
    return store_attachment(attachment, storage=storage, folder=f"ledger/{day:%Y/%m}")


def check_appointed(cadre: Cadre, date: datetime.date) -> None:
    """A ledger entry is never dated before the cadre's first appointment."""
    if date < cadre.first_appointed_on:
        message = _("The date is before %(name)s was first appointed (%(day)s).")
        raise ValidationError({"date": message % {"name": cadre.name, "day": cadre.first_appointed_on.isoformat()}})


def _check_cadres(cadres: list[Cadre], *, date: datetime.date, village: Village | None) -> None:
    """Every cadre in post on ``date`` (not before the first appointment, not after leaving) and, when the
    entry names a village, of that village (a bulk entry is for one village's cadres)."""
    if village is not None:
        strangers = [cadre.name for cadre in cadres if cadre.village_id != village.pk]
        if strangers:
            message = _("%(names)s are not cadres of %(village)s; choose only the cadres of the chosen village.")
            raise ValidationError({"cadres": message % {"names": "、".join(strangers), "village": village.name}})
    for cadre in cadres:
        check_appointed(cadre, date)
        if cadre.status != Cadre.Status.IN_POST and (cadre.left_on is None or date > cadre.left_on):
            raise ValidationError({"cadres": _("%(name)s was not in post on that date.") % {"name": cadre.name}})


@transaction.atomic
def ledger_entry_create(
    *,
    user: User,
    cadres: Iterable[Cadre],
    category: LedgerCategory,
    date: datetime.date,
    description: str,
    outcome: str = "",
    score_change: Decimal | None = None,
    leave_days: int | None = None,
    attachment: UploadedFile | None = None,
    village: Village | None = None,
) -> list[LedgerEntry]:
    """One entry per cadre (several cadres = a bulk entry sharing a batch id and the attachment). With
    ``village`` (the village chosen on the form) every cadre must be of it; nothing is saved otherwise."""
    cadres = list(cadres)
    if not cadres:
        raise ValidationError({"cadres": _("Choose at least one cadre.")})
    for cadre in cadres:
        require_township(user, cadre.township_id)
    _check_cadres(cadres, date=date, village=village)
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    for township_id in {cadre.township_id for cadre in cadres}:
        _check_ledger_values(
            township_id=township_id, category=category, date=date, leave_days=leave_days, score_change=score_change
        )
    stored, original = _store_attachment(attachment, date)
    batch = uuid.uuid4() if len(cadres) > 1 else None
    entries = []
    for cadre in cadres:
        entry = LedgerEntry(
            township_id=cadre.township_id,
            cadre=cadre,
            category=category,
            date=date,
            description=description.strip(),
            outcome=(outcome or "").strip(),
            score_change=score_change,
            leave_days=leave_days or None,
            attachment=stored,
            attachment_name=original,
            batch=batch,
            recorded_by=user,
        )
        audited_create(
            entry,
            actor=user,
            summary=_("Ledger entry recorded"),
            fields=LEDGER_FIELDS,
            extra={"batch": str(batch or "")},
        )
        entries.append(entry)
    return entries


def _editable_entry(user: User, entry: LedgerEntry) -> LedgerEntry:
    entry = LedgerEntry.objects.select_for_update().select_related("category", "cadre").get(pk=entry.pk)
    require_township(user, entry.township_id)
    if selectors.date_is_locked(township_id=entry.township_id, day=entry.date):
        raise ValidationError(_("The quarter of this entry is closed; the entry is locked."))
    return entry


@transaction.atomic
def ledger_entry_update(
    *,
    user: User,
    entry: LedgerEntry,
    category: LedgerCategory,
    date: datetime.date,
    description: str,
    outcome: str = "",
    score_change: Decimal | None = None,
    leave_days: int | None = None,
    attachment: UploadedFile | None = None,
) -> dict:
    """Change an entry of an open quarter (also to a date in another open quarter). Returns the changes."""
    entry = _editable_entry(user, entry)
    check_appointed(entry.cadre, date)
    _check_ledger_values(
        township_id=entry.township_id, category=category, date=date, leave_days=leave_days, score_change=score_change
    )
    values = {
        "category": category,
        "date": date,
        "description": description.strip(),
        "outcome": (outcome or "").strip(),
        "score_change": score_change,
        "leave_days": leave_days or None,
        "updated_at": timezone.now(),
    }
    if attachment is not None:
        values["attachment"], values["attachment_name"] = _store_attachment(attachment, date)
    return audited_update(entry, actor=user, values=values, summary=_("Ledger entry changed"), fields=LEDGER_FIELDS)


@transaction.atomic
def ledger_entry_delete(*, user: User, entry: LedgerEntry) -> None:
    entry = _editable_entry(user, entry)
    audited_delete(entry, actor=user, summary=_("Ledger entry deleted"), fields=LEDGER_FIELDS)
