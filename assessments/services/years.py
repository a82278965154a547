"""Writes of a township's assessment year: its weights, the year-end review scores, finalizing the grades
(the excellent cap), and the county's confirming or returning them.

A finalized year's settings and review scores are refused here (not only hidden in the pages).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update, diff, snapshot
from cadre_mgmt.cadres.models import Township

from .. import rules, selectors
from ..models import AnnualReview, AssessmentPolicy, TownshipQuarter, TownshipYear
from .common import require_township

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


def _open_year(*, user: User | None, township: Township, year: int, policy: AssessmentPolicy | None = None) -> TownshipYear:
    # user None: a scheduled job (the villagers' evaluation closing on its date), audited as the system.
    if user is not None:
        require_township(user, township.pk)
    ty = TownshipYear.objects.select_for_update().filter(township=township, year=year).first()
    if ty is None:
        ty = TownshipYear(township=township, year=year, **selectors.default_year_values(policy or selectors.current_policy()))
        audited_create(ty, actor=user, summary=_("Assessment year opened"), fields=YEAR_FIELDS)
    if not ty.is_open:
        raise ValidationError(_("The %(year)s assessment is finalized; it can no longer be changed.") % {"year": year})
    return ty


def open_year_for(*, user: User | None, township: Township, year: int) -> TownshipYear | None:
    """The township's year, opened if need be, for a write that comes from elsewhere (the villagers'
    evaluation); None once the year is finalized (its scores no longer change)."""
    try:
        return _open_year(user=user, township=township, year=year)
    except ValidationError:
        return None


def _verbose_name(name: str) -> str:
    return str(getattr(TownshipYear._meta.get_field(name), "verbose_name", name))


@transaction.atomic
def township_year_settings_save(*, user: User, township: Township, year: int, **values: Decimal) -> dict:
    """The township's weights and shares for the year, each within the county's tolerance, each group adding to 100."""
    policy = selectors.current_policy()
    ty = _open_year(user=user, township=township, year=year, policy=policy)
    defaults = selectors.default_year_values(policy)
    # Field name → its messages; "__all__" (a group not adding up to 100) may collect one per group.
    errors: dict[str, list[str]] = {}
    for group in (YEAR_FIELDS[:3], YEAR_FIELDS[3:]):
        chosen = {name: values[name] for name in group}
        for name, problem in rules.weight_problems(chosen, {n: defaults[n] for n in group}, policy.weight_tolerance):
            if problem == "sum":
                errors.setdefault("__all__", []).append(
                    _("%(fields)s must add up to 100.") % {"fields": "、".join(_verbose_name(n) for n in group)}
                )
            else:
                errors[name] = [
                    _("Must be between %(low)s and %(high)s (county default %(default)s ± %(tolerance)s).")
                    % {
                        "low": max(defaults[name] - policy.weight_tolerance, Decimal("0")),
                        "high": min(defaults[name] + policy.weight_tolerance, Decimal("100")),
                        "default": defaults[name],
                        "tolerance": policy.weight_tolerance,
                    }
                ]
    if errors:
        raise ValidationError(errors)
    return audited_update(
        ty, actor=user, values={name: values[name] for name in YEAR_FIELDS}, summary=_("Assessment weights saved")
    )


@transaction.atomic
def annual_reviews_save(
    *, user: User, township: Township, year: int, scores: Mapping[int, tuple[Decimal | None, Decimal | None, Decimal | None]]
) -> int:
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
    changes: dict[str, dict] = {}
    new: list[AnnualReview] = []
    changed: list[AnnualReview] = []
    for cadre_id, given in scores.items():
        rounded = tuple(rules.round2(v) if v is not None else None for v in given)
        review = current.get(cadre_id)
        if review is None:
            if all(v is None for v in rounded):
                continue
            review = AnnualReview(township_year=ty, cadre_id=cadre_id, year=year)
        before = snapshot(review, REVIEW_FIELDS) if review.pk else {}
        review.political_score, review.business_score, review.mass_score = rounded
        change = diff(before, snapshot(review, REVIEW_FIELDS))
        if not change:
            continue
        if "mass_score" in change:
            review.mass_source = ""
        review.updated_at = timezone.now()
        review.full_clean(exclude=["township_year", "cadre"], validate_unique=False, validate_constraints=False)
        (changed if review.pk else new).append(review)
        changes[str(cadre_id)] = change
    AnnualReview.objects.bulk_create(new)
    AnnualReview.objects.bulk_update(changed, [*REVIEW_FIELDS, "mass_source", "updated_at"])
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
    def tied_rows(self) -> list[Any]:
        if self.outcome is None:
            return []
        return [row for row in self.rows if row.cadre.pk in self.outcome.tied]


def annual_finalize_preview(*, township: Township, year: int) -> FinalizePreview:
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
    # An excellent grade always has a score.
    candidates = {
        row.cadre.pk: row.breakdown.score
        for row in rows
        if row.breakdown.grade == rules.EXCELLENT and row.breakdown.score is not None
    }
    outcome = rules.apply_excellent_cap(candidates, places)
    return FinalizePreview(township_year=ty, rows=rows, places=places, problems=problems, outcome=outcome)


@transaction.atomic
def annual_finalize(*, user: User, township: Township, year: int, tie_choice: Iterable[int] | None = None) -> FinalizePreview:
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
def annual_confirm(*, user: User, township_year: TownshipYear) -> TownshipYear:
    """The county confirms a township's finalized grades: from now on they are final for the promotion review."""
    if not user.is_county_approver:
        raise PermissionDenied
    ty = TownshipYear.objects.select_for_update().get(pk=township_year.pk)
    if ty.status != TownshipYear.Status.FINALIZED:
        raise ValidationError(_("Only grades finalized by the township can be confirmed."))
    audited_update(
        ty,
        actor=user,
        values={"status": TownshipYear.Status.CONFIRMED, "confirmed_by": user, "confirmed_at": timezone.now()},
        summary=_("Annual grades confirmed by the county"),
        fields=("status",),
        action=AuditRecord.Action.DECIDE,
    )
    return ty


@transaction.atomic
def annual_return(*, user: User, township_year: TownshipYear, reason: str) -> TownshipYear:
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
