"""Writes of a township's quarters: opening one with its task areas, the areas and weights, the scores, closing.

A closed quarter's areas and scores are refused here (not only hidden in the pages).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.cadres.models import Township

from .. import rules, selectors
from ..models import QuarterArea, QuarterScore, TownshipQuarter
from .common import require_township


def _open_quarter(*, user: User, township: Township, year: int, quarter: int) -> TownshipQuarter:
    """The township's quarter, created with the proposed areas on the first write."""
    require_township(user, township.pk)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("A quarter is 1 to 4."))
    tq = TownshipQuarter.objects.select_for_update().filter(township=township, year=year, quarter=quarter).first()
    if tq is None:
        tq = TownshipQuarter(township=township, year=year, quarter=quarter)
        tq.full_clean()
        tq.save()
        for order, (name, weight) in enumerate(selectors.proposed_areas(township=township, year=year, quarter=quarter)):
            QuarterArea.objects.create(township_quarter=tq, name=name, weight=weight, sort_order=order)
        audit_record(
            actor=user,
            action=AuditRecord.Action.CREATE,
            obj=tq,
            summary=_("Quarter opened for scoring"),
            changes={"areas": [(a.name, a.weight) for a in tq.areas.all()]},
        )
    if tq.is_closed:
        raise ValidationError(_("This quarter is closed; its scores are locked."))
    return tq


@transaction.atomic
def quarter_open(*, user: User, township: Township, year: int, quarter: int) -> TownshipQuarter:
    return _open_quarter(user=user, township=township, year=year, quarter=quarter)


@transaction.atomic
def quarter_areas_save(
    *, user: User, township: Township, year: int, quarter: int, areas: list[dict[str, Any]]
) -> TownshipQuarter:
    """``areas``: list of dicts {id or None, name, weight, delete}. The kept weights must add up to 100;
    deleting an area deletes its scores."""
    tq = _open_quarter(user=user, township=township, year=year, quarter=quarter)
    existing = {a.pk: a for a in tq.areas.all()}
    # An id that is not one of this quarter's areas (a stale form, another quarter's id) would make every
    # area "not kept" and delete them with their scores: refuse the whole list instead.
    given = [a.get("id") for a in areas if a.get("id") is not None]
    if any(pk not in existing for pk in given) or len(set(given)) != len(given):
        raise ValidationError(
            _("The task areas of this quarter have changed since the form was opened; reload the page and try again.")
        )
    kept = [a for a in areas if not a.get("delete")]
    names = [a["name"].strip() for a in kept]
    if not kept:
        raise ValidationError(_("A quarter needs at least one task area."))
    if len(set(names)) != len(names):
        raise ValidationError(_("Two task areas have the same name."))
    if sum((a["weight"] for a in kept), Decimal("0")) != Decimal("100"):
        raise ValidationError(_("The weights of the task areas must add up to 100."))
    for item in kept:
        if item["weight"] <= 0:
            raise ValidationError(_("A weight must be more than 0."))
        QuarterArea(township_quarter=tq, name=item["name"].strip(), weight=item["weight"]).full_clean(
            validate_unique=False, validate_constraints=False
        )
    before = [(a.name, a.weight) for a in existing.values()]
    # ``areas`` is the whole list: an existing area not kept is deleted with its scores.
    kept_ids = {item.get("id") for item in kept}
    for pk in [pk for pk in existing if pk not in kept_ids]:
        existing.pop(pk).delete()
    # Rename in two steps so that swapping two names does not trip the unique constraint.
    for item in kept:
        area = existing.get(item.get("id") or 0)
        if area is not None:
            QuarterArea.objects.filter(pk=area.pk).update(name=f"~{area.pk}")
    for order, item in enumerate(kept):
        area = existing.get(item.get("id") or 0)
        if area is None:
            QuarterArea.objects.create(township_quarter=tq, name=item["name"].strip(), weight=item["weight"], sort_order=order)
        else:
            QuarterArea.objects.filter(pk=area.pk).update(name=item["name"].strip(), weight=item["weight"], sort_order=order)
    after = [(a.name, a.weight) for a in tq.areas.all()]
    audit_record(
        actor=user,
        action=AuditRecord.Action.UPDATE,
        obj=tq,
        summary=_("Quarterly task areas and weights saved"),
        changes={"areas": [before, after]},
    )
    return tq


@transaction.atomic
def quarter_scores_save(
    *, user: User, township: Township, year: int, quarter: int, scores: Mapping[tuple[int, int], Decimal | None]
) -> int:
    """``scores``: {(cadre id, area id): Decimal or None}; None removes a score. Returns how many changed.

    Every cadre must be one of the township's cadres in post at the end of the quarter and every area one
    of the quarter's; nothing is written if any value is wrong.
    """
    tq = _open_quarter(user=user, township=township, year=year, quarter=quarter)
    _first, last = rules.quarter_bounds(year, quarter)
    allowed_cadres = set(selectors.assessed_cadres(township=township, on=last).values_list("pk", flat=True))
    areas = {a.pk: a for a in tq.areas.all()}
    for (cadre_id, area_id), value in scores.items():
        if cadre_id not in allowed_cadres:
            raise PermissionDenied
        if area_id not in areas:
            raise ValidationError(_("Unknown task area."))
        if value is not None and not (Decimal("0") <= value <= Decimal("100")):
            raise ValidationError(_("A score must be between 0 and 100."))
    current = {
        (s.cadre_id, s.area_id): s
        for s in QuarterScore.objects.filter(area__in=list(areas), cadre_id__in={c for c, _a in scores})
    }
    changes, new, changed, removed = {}, [], [], []
    for key, value in scores.items():
        found = current.get(key)
        old = found.score if found else None
        if value is not None:
            value = rules.round2(value)
        if old == value:
            continue
        if value is None:
            assert found is not None  # old != value: there is a score to remove
            removed.append(found.pk)
        elif found is None:
            new.append(QuarterScore(cadre_id=key[0], area=areas[key[1]], score=value, updated_at=timezone.now()))
        else:
            found.score, found.updated_at = value, timezone.now()
            changed.append(found)
        changes[f"{key[0]}:{areas[key[1]].name}"] = [old, value]
    # A grid is hundreds of cells: field validation per cell (the references were checked above), then bulk writes.
    for score in [*new, *changed]:
        score.full_clean(exclude=["area", "cadre"], validate_unique=False, validate_constraints=False)
    QuarterScore.objects.filter(pk__in=removed).delete()
    QuarterScore.objects.bulk_create(new)
    QuarterScore.objects.bulk_update(changed, ["score", "updated_at"])
    if changes:
        audit_record(
            actor=user,
            action=AuditRecord.Action.UPDATE,
            obj=tq,
            summary=_("Quarterly scores saved (%(count)s changed)") % {"count": len(changes)},
            changes=changes,
        )
    return len(changes)


@transaction.atomic
def quarter_close(*, user: User, township: Township, year: int, quarter: int) -> TownshipQuarter:
    """Close the quarter: every cadre in post at its end must be scored on every area. Then its scores
    and the ledger entries dated in it are locked."""
    tq = _open_quarter(user=user, township=township, year=year, quarter=quarter)
    _first, last = rules.quarter_bounds(year, quarter)
    if last >= timezone.localdate():
        raise ValidationError(_("A quarter can be closed only after it has ended."))
    _areas, rows = selectors.quarter_grid(township=township, year=year, quarter=quarter, township_quarter=tq)
    missing = [row.cadre.name for row in rows if row.missing]
    if missing:
        raise ValidationError(
            _("Scores are missing for %(count)s cadres: %(names)s.") % {"count": len(missing), "names": "、".join(missing[:20])}
        )
    tq.status, tq.closed_by, tq.closed_at = TownshipQuarter.Status.CLOSED, user, timezone.now()
    tq.full_clean()
    tq.save(update_fields=["status", "closed_by", "closed_at"])
    audit_record(
        actor=user,
        action=AuditRecord.Action.DECIDE,
        obj=tq,
        summary=_("Quarter closed"),
        changes={"status": ["open", "closed"], "cadres": len(rows)},
    )
    return tq
