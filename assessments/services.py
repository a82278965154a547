"""Writes of the ledger, quarters and years. Each runs in one transaction and writes its audit record.

Locks: a ledger entry dated in a closed quarter, a closed quarter's areas and scores, and a
finalized year's settings and review scores are refused here (not only hidden in the pages).
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, diff, snapshot
from cadre_mgmt.cadres.models import Cadre

from . import rules, selectors
from .attachments import check_attachment
from .models import AnnualReview, LedgerCategory, LedgerEntry, QuarterArea, QuarterScore, TownshipQuarter, TownshipYear

LEDGER_FIELDS = ("cadre", "category", "date", "description", "outcome", "score_change", "leave_days", "attachment_name")
YEAR_FIELDS = ("political_weight", "business_weight", "mass_weight", "ledger_share", "quarters_share", "review_share")
REVIEW_FIELDS = ("political_score", "business_score", "mass_score")
FINAL_FIELDS = (
    "ledger_component",
    "quarters_component",
    "review_component",
    "score",
    "grade",
    "vetoed",
    "capped",
    "updated_at",
)


def _require_township(user, township_id):
    if not township_allowed_for_user(user, township_id):
        raise PermissionDenied


# ---------------------------------------------------------------- ledger


def _check_ledger_values(*, township_id, category, date, leave_days, score_change):
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


def _store_attachment(attachment, day):
    """Save the upload once (also for a bulk entry) and return (stored name, original name)."""
    if attachment is None:
        return "", ""
    extension = check_attachment(attachment)
    # A random stored name: the uploaded name is kept only as the download name.
    storage = LedgerEntry._meta.get_field("attachment").storage
    stored = storage.save(f"ledger/{day:%Y/%m}/{uuid.uuid4().hex}.{extension}", attachment)
    return stored, attachment.name[-120:]


@transaction.atomic
def ledger_entry_create(
    *, user, cadres, category, date, description, outcome="", score_change=None, leave_days=None, attachment=None
) -> list[LedgerEntry]:
    """One entry per cadre (several cadres = a bulk entry sharing a batch id and the attachment)."""
    cadres = list(cadres)
    if not cadres:
        raise ValidationError({"cadres": _("Choose at least one cadre.")})
    for cadre in cadres:
        _require_township(user, cadre.township_id)
        if cadre.status != Cadre.Status.IN_POST and (cadre.left_on is None or date > cadre.left_on):
            raise ValidationError({"cadres": _("%(name)s was not in post on that date.") % {"name": cadre.name}})
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
        # References were checked above (scope, category in use); the field validators cover the same
        # ranges as the check constraints, which the database enforces anyway.
        entry.full_clean(exclude=["township", "cadre", "category", "recorded_by"], validate_constraints=False)
        entry.save()
        audit_record(
            actor=user,
            action=AuditRecord.Action.CREATE,
            obj=entry,
            summary=_("Ledger entry recorded"),
            changes={"after": snapshot(entry, LEDGER_FIELDS), "batch": str(batch or "")},
        )
        entries.append(entry)
    return entries


def _editable_entry(user, entry):
    entry = LedgerEntry.objects.select_for_update().select_related("category").get(pk=entry.pk)
    _require_township(user, entry.township_id)
    if selectors.date_is_locked(township_id=entry.township_id, day=entry.date):
        raise ValidationError(_("The quarter of this entry is closed; the entry is locked."))
    return entry


@transaction.atomic
def ledger_entry_update(
    *, user, entry, category, date, description, outcome="", score_change=None, leave_days=None, attachment=None
) -> dict:
    """Change an entry of an open quarter (also to a date in another open quarter). Returns the changes."""
    entry = _editable_entry(user, entry)
    before = snapshot(entry, LEDGER_FIELDS)
    _check_ledger_values(
        township_id=entry.township_id, category=category, date=date, leave_days=leave_days, score_change=score_change
    )
    entry.category, entry.date = category, date
    entry.description, entry.outcome = description.strip(), (outcome or "").strip()
    entry.score_change, entry.leave_days = score_change, leave_days or None
    if attachment is not None:
        entry.attachment, entry.attachment_name = _store_attachment(attachment, date)
    entry.full_clean()
    changes = diff(before, snapshot(entry, LEDGER_FIELDS))
    if changes:
        entry.save()
        audit_record(actor=user, action=AuditRecord.Action.UPDATE, obj=entry, summary=_("Ledger entry changed"), changes=changes)
    return changes


@transaction.atomic
def ledger_entry_delete(*, user, entry):
    entry = _editable_entry(user, entry)
    before = snapshot(entry, LEDGER_FIELDS)
    audit_record(
        actor=user, action=AuditRecord.Action.DELETE, obj=entry, summary=_("Ledger entry deleted"), changes={"before": before}
    )
    entry.delete()


# ---------------------------------------------------------------- quarters


def _open_quarter(*, user, township, year, quarter) -> TownshipQuarter:
    """The township's quarter, created with the proposed areas on the first write."""
    _require_township(user, township.pk)
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
def quarter_open(*, user, township, year, quarter) -> TownshipQuarter:
    return _open_quarter(user=user, township=township, year=year, quarter=quarter)


@transaction.atomic
def quarter_areas_save(*, user, township, year, quarter, areas) -> TownshipQuarter:
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
        area = existing.get(item.get("id"))
        if area is not None:
            QuarterArea.objects.filter(pk=area.pk).update(name=f"~{area.pk}")
    for order, item in enumerate(kept):
        area = existing.get(item.get("id"))
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
def quarter_scores_save(*, user, township, year, quarter, scores) -> int:
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
def quarter_close(*, user, township, year, quarter) -> TownshipQuarter:
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


# ---------------------------------------------------------------- years


def _open_year(*, user, township, year, policy=None) -> TownshipYear:
    _require_township(user, township.pk)
    ty = TownshipYear.objects.select_for_update().filter(township=township, year=year).first()
    if ty is None:
        ty = TownshipYear(township=township, year=year, **selectors.default_year_values(policy or selectors.current_policy()))
        ty.full_clean()
        ty.save()
        audit_record(
            actor=user,
            action=AuditRecord.Action.CREATE,
            obj=ty,
            summary=_("Assessment year opened"),
            changes={"after": snapshot(ty, YEAR_FIELDS)},
        )
    if not ty.is_open:
        raise ValidationError(_("The %(year)s assessment is finalized; it can no longer be changed.") % {"year": year})
    return ty


@transaction.atomic
def township_year_settings_save(*, user, township, year, **values) -> dict:
    """The township's weights and shares for the year, each within the county's tolerance, each group adding to 100."""
    policy = selectors.current_policy()
    ty = _open_year(user=user, township=township, year=year, policy=policy)
    defaults = selectors.default_year_values(policy)
    errors = {}
    for group in (YEAR_FIELDS[:3], YEAR_FIELDS[3:]):
        chosen = {name: values[name] for name in group}
        for name, problem in rules.weight_problems(chosen, {n: defaults[n] for n in group}, policy.weight_tolerance):
            if problem == "sum":
                errors.setdefault("__all__", []).append(
                    _("%(fields)s must add up to 100.")
                    % {"fields": "、".join(str(TownshipYear._meta.get_field(n).verbose_name) for n in group)}
                )
            else:
                errors[name] = _("Must be between %(low)s and %(high)s (county default %(default)s ± %(tolerance)s).") % {
                    "low": max(defaults[name] - policy.weight_tolerance, Decimal("0")),
                    "high": min(defaults[name] + policy.weight_tolerance, Decimal("100")),
                    "default": defaults[name],
                    "tolerance": policy.weight_tolerance,
                }
    if errors:
        raise ValidationError(errors)
    before = snapshot(ty, YEAR_FIELDS)
    for name in YEAR_FIELDS:
        setattr(ty, name, values[name])
    ty.full_clean()
    changes = diff(before, snapshot(ty, YEAR_FIELDS))
    if changes:
        ty.save(update_fields=list(YEAR_FIELDS))
        audit_record(actor=user, action=AuditRecord.Action.UPDATE, obj=ty, summary=_("Assessment weights saved"), changes=changes)
    return changes


@transaction.atomic
def annual_reviews_save(*, user, township, year, scores) -> int:
    """``scores``: {cadre id: (political, business, mass)} with Decimal or None each. Returns how many changed."""
    ty = _open_year(user=user, township=township, year=year)
    allowed = set(selectors.assessed_cadres(township=township, on=datetime.date(year, 12, 31)).values_list("pk", flat=True))
    for cadre_id, values in scores.items():
        if cadre_id not in allowed:
            raise PermissionDenied
        for value in values:
            if value is not None and not (Decimal("0") <= value <= Decimal("100")):
                raise ValidationError(_("A score must be between 0 and 100."))
    current = {r.cadre_id: r for r in AnnualReview.objects.filter(township_year=ty, cadre_id__in=list(scores))}
    changes, new, changed = {}, [], []
    for cadre_id, values in scores.items():
        values = tuple(rules.round2(v) if v is not None else None for v in values)
        review = current.get(cadre_id)
        if review is None:
            if all(v is None for v in values):
                continue
            review = AnnualReview(township_year=ty, cadre_id=cadre_id, year=year)
        before = snapshot(review, REVIEW_FIELDS) if review.pk else {}
        review.political_score, review.business_score, review.mass_score = values
        change = diff(before, snapshot(review, REVIEW_FIELDS))
        if not change:
            continue
        review.updated_at = timezone.now()
        review.full_clean(exclude=["township_year", "cadre"], validate_unique=False, validate_constraints=False)
        (changed if review.pk else new).append(review)
        changes[str(cadre_id)] = change
    AnnualReview.objects.bulk_create(new)
    AnnualReview.objects.bulk_update(changed, [*REVIEW_FIELDS, "updated_at"])
    if changes:
        audit_record(
            actor=user,
            action=AuditRecord.Action.UPDATE,
            obj=ty,
            summary=_("Year-end review scores saved (%(count)s cadres)") % {"count": len(changes)},
            changes=changes,
        )
    return len(changes)


@dataclass
class FinalizePreview:
    township_year: TownshipYear
    rows: list
    places: int
    problems: list = field(default_factory=list)
    outcome: rules.CapOutcome | None = None

    @property
    def tied_rows(self):
        if self.outcome is None:
            return []
        return [row for row in self.rows if row.cadre.pk in self.outcome.tied]


def annual_finalize_preview(*, township, year) -> FinalizePreview:
    """What finalizing would do: problems that block it, the excellent places and any tie to decide. Writes nothing."""
    policy = selectors.current_policy()
    ty, rows = selectors.year_sheet(township=township, year=year, policy=policy)
    problems = []
    closed = {tq.quarter for tq in TownshipQuarter.objects.filter(township=township, year=year, status="closed")}
    open_quarters = [str(q) for q in range(1, 5) if q not in closed]
    if open_quarters:
        problems.append(_("Quarters not yet closed: %(quarters)s.") % {"quarters": "、".join(open_quarters)})
    missing = [row.cadre.name for row in rows if row.missing_review]
    if missing:
        problems.append(
            _("Year-end review scores are missing for %(count)s cadres: %(names)s.")
            % {"count": len(missing), "names": "、".join(missing[:20])}
        )
    if not rows:
        problems.append(_("No cadre of this township is assessed for this year."))
    places = rules.excellent_places(assessed=len(rows), cap_percent=policy.excellent_cap_percent)
    candidates = {row.cadre.pk: row.breakdown.score for row in rows if row.breakdown.grade == rules.EXCELLENT}
    outcome = rules.apply_excellent_cap(candidates, places)
    return FinalizePreview(township_year=ty, rows=rows, places=places, problems=problems, outcome=outcome)


@transaction.atomic
def annual_finalize(*, user, township, year, tie_choice=None) -> FinalizePreview:
    """Fix the year's grades: computed scores, the veto rule, the excellent cap. A tie across the last
    excellent place raises ``rules.TieUnresolved`` until ``tie_choice`` names who takes the places."""
    ty = _open_year(user=user, township=township, year=year)
    preview = annual_finalize_preview(township=township, year=year)
    if preview.problems:
        raise ValidationError(preview.problems)
    grades = {row.cadre.pk: row.breakdown.grade for row in preview.rows}
    scores = {row.cadre.pk: row.breakdown.score for row in preview.rows}
    final, held_back = rules.final_grades(grades, scores, places=preview.places, tie_choice=tie_choice)
    reviews = {r.cadre_id: r for r in AnnualReview.objects.select_for_update().filter(township_year=ty)}
    for row in preview.rows:
        review = reviews[row.cadre.pk]
        b = row.breakdown
        review.ledger_component, review.quarters_component, review.review_component = b.ledger, b.quarters, b.review
        review.score, review.grade, review.vetoed = b.score, final[row.cadre.pk], b.vetoed
        review.capped = row.cadre.pk in held_back
        review.updated_at = timezone.now()
        review.full_clean(exclude=["township_year", "cadre"], validate_unique=False, validate_constraints=False)
        row.final_grade, row.capped = review.grade, review.capped
    AnnualReview.objects.bulk_update(list(reviews.values()), FINAL_FIELDS)
    ty.status, ty.excellent_cap = TownshipYear.Status.FINALIZED, preview.places
    ty.finalized_by, ty.finalized_at = user, timezone.now()
    ty.full_clean()
    ty.save()
    counts = {grade: sum(1 for g in final.values() if g == grade) for grade in rules.GRADES}
    audit_record(
        actor=user,
        action=AuditRecord.Action.DECIDE,
        obj=ty,
        summary=_("Annual grades finalized by the township"),
        changes={
            "grades": counts,
            "excellent_places": preview.places,
            "held_back_by_cap": sorted(held_back),
            "tie_choice": sorted(tie_choice or []),
        },
    )
    preview.township_year = ty
    return preview


@transaction.atomic
def annual_confirm(*, user, township_year) -> TownshipYear:
    """The county confirms a township's finalized grades: from now on they are final for the promotion review."""
    if not user.is_county_approver:
        raise PermissionDenied
    ty = TownshipYear.objects.select_for_update().get(pk=township_year.pk)
    if ty.status != TownshipYear.Status.FINALIZED:
        raise ValidationError(_("Only grades finalized by the township can be confirmed."))
    ty.status, ty.confirmed_by, ty.confirmed_at = TownshipYear.Status.CONFIRMED, user, timezone.now()
    ty.full_clean()
    ty.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=user,
        action=AuditRecord.Action.DECIDE,
        obj=ty,
        summary=_("Annual grades confirmed by the county"),
        changes={"status": ["finalized", "confirmed"]},
    )
    return ty


@transaction.atomic
def annual_return(*, user, township_year, reason) -> TownshipYear:
    """The county returns finalized (not yet confirmed) grades to the township, which reopens the year."""
    if not user.is_county_approver:
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for returning the grades.")})
    ty = TownshipYear.objects.select_for_update().get(pk=township_year.pk)
    if ty.status != TownshipYear.Status.FINALIZED:
        raise ValidationError(_("Only grades finalized by the township and not yet confirmed can be returned."))
    ty.reviews.update(
        ledger_component=None, quarters_component=None, review_component=None, score=None, grade="", vetoed=False, capped=False
    )
    ty.status, ty.excellent_cap, ty.finalized_by, ty.finalized_at = TownshipYear.Status.OPEN, None, None, None
    ty.full_clean()
    ty.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.DECIDE,
        obj=ty,
        summary=_("Annual grades returned to the township"),
        changes={"status": ["finalized", "open"], "reason": reason.strip()},
    )
    return ty
