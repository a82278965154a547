"""Reads of the ranks app: levels on a date, allowances, grading candidates, rosters, budget figures."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.selectors import annual_results
from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.lookups import ids_in

from . import rules
from .models import AllowanceSchedule, InitialGrading, InitialGradingRule, LadderStep, RankChange, Roster, RosterLine

ID_CHUNK = 5000


@dataclass(frozen=True)
class RankState:
    level: int
    since: datetime.date | None
    graded: bool


UNGRADED = RankState(level=rules.LOWEST_LEVEL, since=None, graded=False)


def latest_changes(queryset):
    """One row per cadre: the change in force (latest effective month, then latest recorded), in one query."""
    # No default ordering: the cadre's (township, village, name) order would join three tables for nothing.
    return (
        queryset.order_by()
        .annotate(row=Window(RowNumber(), partition_by=[F("cadre_id")], order_by=[F("effective_month").desc(), F("id").desc()]))
        .filter(row=1)
        .values_list("cadre_id", "to_level", "effective_month", "kind", "reason")
    )


def _chunks(ids, size=ID_CHUNK):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rank_states_on(*, cadre_ids, day) -> dict[int, RankState]:
    """The level of each cadre on ``day``; ungraded cadres are at 13. One query per 5,000 cadres."""
    states = {cadre_id: UNGRADED for cadre_id in cadre_ids}
    for chunk in _chunks(states):
        rows = latest_changes(RankChange.objects.filter(ids_in("cadre_id", chunk), effective_month__lte=day))
        for cadre_id, level, since, _kind, _reason in rows:
            states[cadre_id] = RankState(level=level, since=since, graded=True)
    return states


def cadre_level_on(*, cadre, day) -> int:
    return rank_states_on(cadre_ids=[cadre.pk], day=day)[cadre.pk].level


def allowance_schedule() -> rules.Schedule:
    return rules.Schedule(
        rows=tuple(AllowanceSchedule.objects.order_by("effective_from").values_list("effective_from", "amount_per_level"))
    )


def allowance_for(level, month) -> Decimal:
    """Monthly rank allowance of ``level`` in ``month`` under the schedule row in force that month."""
    row = (
        AllowanceSchedule.objects.filter(effective_from__lte=rules.first_of_month(month))
        .order_by("-effective_from")
        .values_list("amount_per_level", flat=True)
        .first()
    )
    return rules.allowance_amount(level, row if row is not None else Decimal(0))


def ladder_steps():
    return list(LadderStep.objects.order_by("-from_level"))


def grading_rule() -> InitialGradingRule:
    rule, _created = InitialGradingRule.objects.get_or_create(pk=1)
    return rule


def cadre_rank_history(*, cadre):
    return list(RankChange.objects.filter(cadre=cadre).select_related("approved_by").order_by("-effective_month", "-id"))


def rank_state_from_history(history, *, day) -> RankState:
    """The level on ``day`` from a cadre's whole history, newest first (as ``cadre_rank_history`` gives
    it): the same answer as ``rank_states_on`` without another query."""
    for change in history:
        if change.effective_month <= day:
            return RankState(level=change.to_level, since=change.effective_month, graded=True)
    return UNGRADED


def cadre_allowance_history(*, cadre, limit=24):
    return list(
        RosterLine.objects.filter(cadre=cadre)
        .select_related("roster")
        .order_by("-roster__month", "position")
        .values("roster__month", "roster__status", "kind", "level", "amount", "remarks")[:limit]
    )


# Initial grading -------------------------------------------------------------------------------


def _basically_competent_recently(cadre_ids, day):
    """Cadres graded 基本称职 (county-confirmed) in one of the last three years."""
    years = [day.year - 1, day.year - 2, day.year - 3]
    results = annual_results(cadre_ids=list(cadre_ids), years=years)
    return {
        cadre_id
        for cadre_id, by_year in results.items()
        if any(result.grade == "basically_competent" and result.final for result in by_year.values())
    }


def ungraded_cadres_for(*, user):
    """Cadres in post with no rank history and no open grading, in the user's scope."""
    has_history = RankChange.objects.filter(cadre_id=OuterRef("pk"))
    open_grading = InitialGrading.objects.filter(cadre_id=OuterRef("pk"), status__in=["submitted", "approved"])
    qs = Cadre.objects.filter(status=Cadre.Status.IN_POST).filter(~Exists(has_history), ~Exists(open_grading))
    return scope_for_user(qs.select_related("township", "village"), user, township_field="township")


@dataclass(frozen=True)
class ComputedLevel:
    level: int
    years_served: int
    lowered: bool


def computed_initial_levels(*, cadres, day=None) -> dict[int, ComputedLevel]:
    """The level each cadre would get from years of service (DESIGN §3 default rule)."""
    day = day or timezone.localdate()
    rule = grading_rule()
    cadres = list(cadres)
    lowered = _basically_competent_recently([c.pk for c in cadres], day) if rule.lower_for_basically_competent else set()
    result = {}
    for cadre in cadres:
        years = cadre.prior_service_years + rules.full_years(cadre.first_appointed_on, day)
        level = rules.initial_level(
            years_served=years,
            years_per_level=rule.years_per_level,
            highest_level=rule.highest_level,
            basically_competent_recently=cadre.pk in lowered,
            lower_for_basically_competent=rule.lower_for_basically_competent,
        )
        result[cadre.pk] = ComputedLevel(level=level, years_served=years, lowered=cadre.pk in lowered)
    return result


def gradings_for(*, user, status=InitialGrading.Status.SUBMITTED):
    qs = InitialGrading.objects.filter(status=status).select_related("cadre", "cadre__village", "township", "submitted_by")
    return scope_for_user(qs, user, township_field="township")


# Rosters ----------------------------------------------------------------------------------------


def roster_for_month(*, month):
    return Roster.objects.filter(month=rules.first_of_month(month)).first()


def recent_rosters(*, limit=24):
    return list(Roster.objects.order_by("-month")[:limit])


def roster_lines(*, roster, user, township=None):
    """A roster's lines the user may read, in roster order."""
    qs = scope_for_user(RosterLine.objects.filter(roster=roster), user, township_field="township")
    if township is not None:
        qs = qs.filter(township=township)
    return qs.order_by("position")


@dataclass(frozen=True)
class TownshipTotal:
    township_id: int
    township_name: str
    lines: int
    people: int
    total: Decimal


def roster_totals(*, roster, user):
    """(per township totals in roster order, grand total) over the lines the user may read; one query."""
    rows = (
        roster_lines(roster=roster, user=user)
        .order_by()
        .values("township_id", "township_name")
        .annotate(lines=Count("id"), people=Count("id", filter=Q(kind="regular")), total=Sum("amount"), first=Min("position"))
        .order_by("first")
    )
    totals = [
        TownshipTotal(row["township_id"], row["township_name"], row["lines"], row["people"], row["total"] or Decimal(0))
        for row in rows
    ]
    grand = TownshipTotal(
        0, "", sum(t.lines for t in totals), sum(t.people for t in totals), sum((t.total for t in totals), Decimal(0))
    )
    return totals, grand


@dataclass(frozen=True)
class RosterChange:
    cadre_id: int
    township_name: str
    village_name: str
    cadre_name: str
    kind: str  # "joined", "left", "level", "amount", "adjustment"
    before_level: int | None
    after_level: int | None
    before_amount: Decimal | None
    after_amount: Decimal | None
    reason: str


def roster_changes(*, roster, user):
    """What differs from the previous month's roster for the lines the user may read, with the reasons."""
    previous = Roster.objects.filter(month=rules.add_months(roster.month, -1)).first()
    fields = ("cadre_id", "kind", "township_name", "village_name", "cadre_name", "level", "amount", "remarks")
    current = list(roster_lines(roster=roster, user=user).values_list(*fields))
    before = {}
    if previous is not None:
        before = {
            row[0]: row
            for row in roster_lines(roster=previous, user=user).filter(kind=RosterLine.Kind.REGULAR).values_list(*fields)
        }
    now = {row[0]: row for row in current if row[1] == RosterLine.Kind.REGULAR}
    reasons = _change_reasons(cadre_ids=set(now) | set(before), month=roster.month)
    changes = []
    for cadre_id, row in now.items():
        old = before.get(cadre_id)
        if previous is not None and old is None:
            kind = "joined"
        elif old is not None and old[5] != row[5]:
            kind = "level"
        elif old is not None and old[6] != row[6]:
            kind = "amount"
        else:
            continue
        changes.append(
            RosterChange(
                cadre_id,
                row[2],
                row[3],
                row[4],
                kind,
                old[5] if old else None,
                row[5],
                old[6] if old else None,
                row[6],
                reasons.get(cadre_id, row[7]),
            )
        )
    left = set(before) - set(now)
    left_reasons = dict(Cadre.objects.filter(pk__in=left).values_list("pk", "left_reason")) if left else {}
    for cadre_id in left:
        old = before[cadre_id]
        changes.append(
            RosterChange(cadre_id, old[2], old[3], old[4], "left", old[5], None, old[6], None, left_reasons.get(cadre_id, ""))
        )
    for row in current:
        if row[1] != RosterLine.Kind.REGULAR:
            changes.append(RosterChange(row[0], row[2], row[3], row[4], "adjustment", None, row[5], None, row[6], row[7]))
    changes.sort(key=lambda c: (c.township_name, c.village_name, c.cadre_name, c.kind))
    return changes


def _change_reasons(*, cadre_ids, month):
    """The reason of the rank change that took effect this month, per cadre."""
    if not cadre_ids:
        return {}
    rows = RankChange.objects.filter(effective_month=month, cadre_id__in=list(cadre_ids)).order_by("id")
    return {
        cadre_id: f"{RankChange.Kind(kind).label}：{reason}"
        for cadre_id, kind, reason in rows.values_list("cadre_id", "kind", "reason")
    }


# Budget -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetFigures:
    next_month: datetime.date
    next_month_total: Decimal
    next_month_total_if_approved: Decimal
    pending_changes: int
    projection: list  # [(month, total)] for the next 12 months at current levels


def budget_figures(*, user, today=None, extra_pending=()) -> BudgetFigures:
    """Next month's allowance total (as is, and if every pending change is approved) and 12 months ahead.

    ``extra_pending``: more (cadre_id, to_level) pairs awaiting approval, e.g. from the promotion review.
    """
    today = today or timezone.localdate()
    next_month = rules.add_months(rules.first_of_month(today), 1)
    paid = Cadre.posts.through.objects.filter(cadre_id=OuterRef("pk"), post__is_paid=True)
    # No default ordering: it would join townships and villages into every one of these reads.
    cadres = scope_for_user(
        Cadre.objects.filter(status=Cadre.Status.IN_POST).filter(Exists(paid)), user, township_field="township"
    ).order_by()
    levels = {cadre_id: rules.LOWEST_LEVEL for cadre_id in cadres.values_list("pk", flat=True)}
    rows = latest_changes(RankChange.objects.filter(effective_month__lte=next_month, cadre_id__in=cadres.values("pk")))
    for cadre_id, level, _since, _kind, _reason in rows:
        levels[cadre_id] = level
    pending = dict(
        InitialGrading.objects.filter(status=InitialGrading.Status.SUBMITTED, cadre_id__in=cadres.values("pk"))
        .order_by()
        .values_list("cadre_id", "proposed_level")
    )
    for cadre_id, to_level in extra_pending:
        if cadre_id in levels:
            pending[cadre_id] = to_level
    schedule = allowance_schedule()
    count_by_level = defaultdict(int)
    for level in levels.values():
        count_by_level[level] += 1
    after = dict(levels)
    after.update(pending)
    count_after = defaultdict(int)
    for level in after.values():
        count_after[level] += 1

    def total(counts, month):
        return sum((schedule.allowance(level, month) * n for level, n in counts.items()), Decimal(0))

    projection = [(month, total(count_by_level, month)) for month in (rules.add_months(next_month, i) for i in range(12))]
    return BudgetFigures(
        next_month=next_month,
        next_month_total=total(count_by_level, next_month),
        next_month_total_if_approved=total(count_after, next_month),
        pending_changes=len(pending),
        projection=projection,
    )
