"""Reads of supervision data: the facts the promotion review and assessments rely on, and the pages' lists."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import CharField, Count, DateField, F, IntegerField, Model, OuterRef, Q, QuerySet, Value
from django.utils.functional import Promise

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user, township_allowed_for_user
from cadre_mgmt.cadres.models import Cadre, Township, Village
from cadre_mgmt.lookups import ids_in

from . import rules
from .models import (
    AffairsDisclosure,
    DisclosureFlag,
    Dismissal,
    Inspection,
    Investigation,
    Petition,
    RectificationItem,
    Sanction,
    SupervisionSettings,
    VetoEvent,
    WarningEducationSession,
)

# --- Facts for other areas (contracts.md) -----------------------------------------------------


@dataclass(frozen=True)
class SanctionFact:
    id: int
    kind: str  # "party", "government", "admonition", "org_measure"
    severity: str  # Sanction.Severity value
    decided_on: datetime.date
    effective_until: datetime.date | None
    description: str


@dataclass(frozen=True)
class InvestigationFact:
    id: int
    opened_on: datetime.date
    description: str


@dataclass(frozen=True)
class VetoFact:
    id: int
    occurred_on: datetime.date
    reason: str


@dataclass
class SupervisionFacts:
    active_sanctions: list[SanctionFact] = field(default_factory=list)
    sanctions_in_year: list[SanctionFact] = field(default_factory=list)
    open_investigations: list[InvestigationFact] = field(default_factory=list)
    vetoes_in_year: list[VetoFact] = field(default_factory=list)
    suspended: bool = False


def cadre_ids_with_veto(*, year: int, cadre_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of cadres with a (not revoked) one-vote veto charged to ``year``; one query."""
    vetoes = VetoEvent.objects.filter(year=year, revoked_at__isnull=True)
    if cadre_ids is not None:
        vetoes = vetoes.filter(cadre_id__in=list(cadre_ids))
    return set(vetoes.values_list("cadre_id", flat=True).distinct())


def review_facts(*, cadre_ids: Iterable[int], year: int, on: datetime.date) -> dict[int, SupervisionFacts]:
    """Supervision facts of each cadre for the promotion review; three queries whatever the number of cadres.

    - ``active_sanctions``: sanctions whose effect period contains ``on`` (disqualifier 2);
    - ``sanctions_in_year``: sanctions decided in ``year`` (demotion triggers);
    - ``open_investigations``: investigations opened by ``on`` and not concluded by then (disqualifier 3);
    - ``vetoes_in_year``: vetoes charged to ``year``, not revoked (disqualifier 4, demotion);
    - ``suspended``: an open investigation suspends the cadre (disqualifier 7).
    Every requested cadre is in the result, with empty facts if nothing applies.
    """
    cadre_ids = list(cadre_ids)
    facts = {cadre_id: SupervisionFacts() for cadre_id in cadre_ids}
    if not cadre_ids:
        return facts
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    sanctions = Sanction.objects.filter(ids_in("cadre_id", cadre_ids), decided_on__lte=max(on, year_end)).filter(
        Q(decided_on__gte=year_start) | Q(effective_until__isnull=True) | Q(effective_until__gte=on)
    )
    for sanction in sanctions.order_by("decided_on", "id"):
        fact = SanctionFact(
            id=sanction.id,
            kind=rules.SANCTION_KINDS[sanction.severity],
            severity=sanction.severity,
            decided_on=sanction.decided_on,
            effective_until=sanction.effective_until,
            description=sanction.description,
        )
        if rules.sanction_active_on(decided_on=sanction.decided_on, effective_until=sanction.effective_until, day=on):
            facts[sanction.cadre_id].active_sanctions.append(fact)
        if sanction.decided_on.year == year:
            facts[sanction.cadre_id].sanctions_in_year.append(fact)
    investigations = Investigation.objects.filter(ids_in("cadre_id", cadre_ids), opened_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )
    for investigation in investigations.order_by("opened_on", "id"):
        cadre_facts = facts[investigation.cadre_id]
        cadre_facts.open_investigations.append(
            InvestigationFact(id=investigation.id, opened_on=investigation.opened_on, description=investigation.description)
        )
        cadre_facts.suspended = cadre_facts.suspended or investigation.suspended
    vetoes = VetoEvent.objects.filter(ids_in("cadre_id", cadre_ids), year=year, revoked_at__isnull=True)
    vetoes = vetoes.order_by("occurred_on", "id")
    for veto in vetoes:
        facts[veto.cadre_id].vetoes_in_year.append(VetoFact(id=veto.id, occurred_on=veto.occurred_on, reason=veto.reason))
    return facts


# --- Settings -----------------------------------------------------------------------------------


def supervision_settings() -> SupervisionSettings:
    """The county's settings row; the defaults until the administrator saves one."""
    return SupervisionSettings.objects.filter(pk=1).first() or SupervisionSettings(pk=1)


# --- Who may do what -----------------------------------------------------------------------------


def can_read_supervision(user: User) -> bool:
    """Supervisors, county roles and township staff (their township only); not finance."""
    return user.is_authenticated and (user.is_supervisor or user.is_county_approver or user.is_township_staff)


def can_read_investigations(user: User) -> bool:
    """Open cases are confidential: supervisors and the county only, not township staff."""
    return user.is_authenticated and (user.is_supervisor or user.is_county_approver)


def can_record_supervision(user: User) -> bool:
    """Petitions, inspections, warning education, sanctions, investigations and vetoes are the supervisors'."""
    return user.is_authenticated and user.is_supervisor


def can_record_local(user: User) -> bool:
    """Affairs disclosures and dismissals: township staff (their township) and the county administrator."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_admin)


def can_update_rectification(user: User, item: RectificationItem) -> bool:
    """Supervisors follow every item; the township reports progress on its own items."""
    return can_record_supervision(user) or township_allowed_for_user(user, item.inspection.township_id)


def page_permissions(user: User) -> dict[str, bool]:
    """The predicates every supervision page's template shows or hides by (the tabs, the reporter note)."""
    return {"can_read_investigations": can_read_investigations(user), "can_see_reporters": can_record_supervision(user)}


def petition_step_choices(*, user: User, petition: Petition) -> list[tuple[str, str | Promise]]:
    """The statuses this user may move the petition to next: a supervisor, one step along; nobody else."""
    if not can_record_supervision(user):
        return []
    return [(status, Petition.Status(status).label) for status in rules.petition_next_statuses(petition.status)]


_Sanctions = TypeVar("_Sanctions", bound=Iterable[Sanction])


def sanctions_active_now(sanctions: _Sanctions, *, today: datetime.date) -> _Sanctions:
    """Mark each sanction of a page with ``active_now``: is it in effect on ``today``?"""
    for sanction in sanctions:
        active_now = rules.sanction_active_on(decided_on=sanction.decided_on, effective_until=sanction.effective_until, day=today)
        setattr(sanction, "active_now", active_now)  # noqa: B010 - an attribute for the template
    return sanctions


def rectification_items(*, inspection: Inspection, user: User, today: datetime.date) -> list[RectificationItem]:
    """The inspection's items, each with ``is_late`` and the ``next_statuses`` this user may move it to."""
    items = list(inspection.items.select_related("village", "updated_by"))
    for item in items:
        # Attributes for the template.
        setattr(item, "is_late", item.status != item.Status.DONE and item.deadline < today)  # noqa: B010
        steps = rules.RECTIFICATION_TRANSITIONS[item.status] if can_update_rectification(user, item) else ()
        setattr(item, "next_statuses", [(step, item.Status(step).label) for step in steps])  # noqa: B010
    return items


# --- Page lists (all scoped) --------------------------------------------------------------------


def petitions_for_user(*, user: User) -> QuerySet[Petition]:
    if not can_read_supervision(user):
        return Petition.objects.none()
    return scope_for_user(Petition.objects.select_related("township", "village", "cadre"), user, township_field="township")


def petition_search(
    *, user: User, status: str = "", township: Township | None = None, overdue: bool = False, q: str | None = ""
) -> QuerySet[Petition]:
    qs = petitions_for_user(user=user)
    if status:
        qs = qs.filter(status=status)
    if township is not None:
        qs = qs.filter(township=township)
    if overdue:
        qs = qs.filter(status__in=Petition.OPEN_STATUSES, overdue_since__isnull=False)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(summary__contains=q) | Q(cadre__name__contains=q) | Q(village__name__contains=q))
    return qs


def overdue_petitions(*, user: User) -> QuerySet[Petition]:
    """The open cases the daily job flagged as past their deadline, oldest deadline first."""
    return (
        petitions_for_user(user=user).filter(status__in=Petition.OPEN_STATUSES, overdue_since__isnull=False).order_by("deadline")
    )


def inspections_for_user(*, user: User) -> QuerySet[Inspection]:
    if not can_read_supervision(user):
        return Inspection.objects.none()
    open_items = Count("items", filter=~Q(items__status=RectificationItem.Status.DONE), distinct=True)
    return (
        scope_for_user(Inspection.objects.select_related("township"), user, township_field="township")
        .prefetch_related("villages")
        .annotate(open_items=open_items, item_count=Count("items", distinct=True))
        .order_by("-inspected_on", "-id")
    )


def sessions_for_user(*, user: User) -> QuerySet[WarningEducationSession]:
    if not can_read_supervision(user):
        return WarningEducationSession.objects.none()
    return (
        scope_for_user(WarningEducationSession.objects.select_related("township"), user, township_field="township")
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "-id")
    )


def sanctions_for_user(*, user: User) -> QuerySet[Sanction]:
    if not can_read_supervision(user):
        return Sanction.objects.none()
    return scope_for_user(
        Sanction.objects.select_related("cadre", "cadre__township", "cadre__village"), user, township_field="cadre__township"
    )


def investigations_for_user(*, user: User) -> QuerySet[Investigation]:
    if not can_read_investigations(user):
        return Investigation.objects.none()
    return Investigation.objects.select_related("cadre", "cadre__township", "cadre__village")


def vetoes_for_user(*, user: User) -> QuerySet[VetoEvent]:
    if not can_read_supervision(user):
        return VetoEvent.objects.none()
    return scope_for_user(
        VetoEvent.objects.select_related("cadre", "cadre__township", "cadre__village", "revoked_by"),
        user,
        township_field="cadre__township",
    )


def dismissals_for_user(*, user: User) -> QuerySet[Dismissal]:
    if not can_read_supervision(user):
        return Dismissal.objects.none()
    return scope_for_user(
        Dismissal.objects.select_related("cadre", "cadre__township", "cadre__village", "decided_by"),
        user,
        township_field="cadre__township",
    )


@dataclass(frozen=True)
class DisclosureRow:
    village: Village
    cells: list[dict[str, Any]]  # one per category: {"category", "label", "disclosure", "problem", "due_on"}


def disclosure_grid(
    *, user: User, villages: Iterable[Village], period_start: datetime.date, today: datetime.date
) -> list[DisclosureRow]:
    """For one period, each village's disclosure per category and its problem (missing/late) on ``today``."""
    conf = supervision_settings()
    due_on = rules.disclosure_due_on(period_start, conf.disclosure_period_months, conf.disclosure_due_days)
    villages = list(villages)
    published = {
        (d.village_id, d.category): d
        for d in AffairsDisclosure.objects.filter(village__in=villages, period_start=period_start).select_related("recorded_by")
    }
    rows = []
    for village in villages:
        cells = []
        for category, label in AffairsDisclosure.Category.choices:
            disclosure = published.get((village.pk, category))
            problem = rules.disclosure_problem(
                published_on=disclosure.published_on if disclosure else None, due_on=due_on, day=today
            )
            cells.append({"category": category, "label": label, "disclosure": disclosure, "problem": problem, "due_on": due_on})
        rows.append(DisclosureRow(village=village, cells=cells))
    return rows


def disclosure_flags_for_user(*, user: User) -> QuerySet[DisclosureFlag]:
    if not can_read_supervision(user):
        return DisclosureFlag.objects.none()
    return scope_for_user(
        DisclosureFlag.objects.select_related("village", "village__township"), user, township_field="village__township"
    )


# record, record_id, record_day, record_until, record_text, record_year, record_kind
_CadreRecord = tuple[str, int, datetime.date, datetime.date | None, str, int | None, str | None]


def _cadre_records(
    queryset: QuerySet[Any],
    record: str,
    *,
    day: str,
    text: str,
    until: str | None = None,
    year: str | None = None,
    kind: str | None = None,
) -> QuerySet[Any, _CadreRecord]:
    """One part of the cadre panel's UNION: the same seven columns from each record table."""
    return (
        queryset.order_by()
        .annotate(
            record=Value(record, output_field=CharField()),
            record_id=F("pk"),
            record_day=F(day),
            record_until=F(until) if until else Value(None, output_field=DateField()),
            record_text=F(text),
            record_year=F(year) if year else Value(None, output_field=IntegerField()),
            record_kind=F(kind) if kind else Value(None, output_field=CharField()),
        )
        .values_list("record", "record_id", "record_day", "record_until", "record_text", "record_year", "record_kind")
    )


_M = TypeVar("_M", bound=Model)


def _partial(model: type[_M], using: str, **values: Any) -> _M:
    """A model instance with only these fields loaded, as ``.only()`` gives (the others load on access)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(using, names, [values[name] for name in names])


def cadre_supervision_summary(
    *, cadre: Cadre, user: User, on: datetime.date, petition_count: int | None = None
) -> dict[str, Any] | None:
    """The cadre file's supervision panel; None for users who may not read supervision.

    The sanctions in effect, the vetoes and (for those who may read them) the open investigations are
    read in one UNION ALL statement; the number of petitions costs a second query unless the caller
    counted it already (the cadre file does, in the query that loads the cadre).
    """
    if not can_read_supervision(user):
        return None
    parts = [
        _cadre_records(
            Sanction.objects.filter(cadre=cadre, decided_on__lte=on).filter(
                Q(effective_until__isnull=True) | Q(effective_until__gte=on)
            ),
            "sanction",
            day="decided_on",
            until="effective_until",
            text="description",
        ),
        _cadre_records(
            VetoEvent.objects.filter(cadre=cadre, revoked_at__isnull=True),
            "veto",
            day="occurred_on",
            text="reason",
            year="year",
            kind="kind",
        ),
    ]
    if can_read_investigations(user):
        parts.append(
            _cadre_records(
                Investigation.objects.filter(cadre=cadre, opened_on__lte=on).filter(
                    Q(closed_on__isnull=True) | Q(closed_on__gt=on)
                ),
                "investigation",
                day="opened_on",
                text="description",
            )
        )
    records = parts[0].union(*parts[1:], all=True)
    using = records.db
    sanctions: list[Sanction] = []
    vetoes: list[VetoEvent] = []
    investigations: list[Investigation] = []
    for record, pk, day, until, text, year, kind in records:
        if record == "sanction":
            sanctions.append(_partial(Sanction, using, id=pk, decided_on=day, effective_until=until, description=text))
        elif record == "veto":
            vetoes.append(_partial(VetoEvent, using, id=pk, year=year, occurred_on=day, kind=kind, reason=text))
        else:
            investigations.append(_partial(Investigation, using, id=pk, opened_on=day, description=text))
    sanctions.sort(key=lambda sanction: (sanction.decided_on, sanction.pk))
    vetoes.sort(key=lambda veto: (veto.year, veto.pk), reverse=True)
    investigations.sort(key=lambda case: (case.opened_on, case.pk), reverse=True)  # Investigation.Meta.ordering
    return {
        "show_investigations": can_read_investigations(user),
        "active_sanctions": sanctions,
        "vetoes": vetoes,
        "open_investigations": investigations,
        "petition_count": petition_count if petition_count is not None else Petition.objects.filter(cadre=cadre).count(),
    }


def vetoes_charged(*, cadre: Cadre | OuterRef, year: int | OuterRef) -> QuerySet[VetoEvent]:
    """The cadre's vetoes charged to ``year`` and not revoked, as ``cadre_ids_with_veto`` counts them; both
    arguments may be ``OuterRef`` (the assessments section of the cadre file reads it as a subquery)."""
    # The plugin checks a lookup's value against the field's type and knows no OuterRef (Django takes any expression).
    return VetoEvent.objects.filter(cadre=cadre, year=year, revoked_at__isnull=True)  # type: ignore[misc]
