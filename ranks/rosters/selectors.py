"""Reads of the rosters: a month's roster, its lines and totals in the user's scope, its changes."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.cadres.models import Cadre, Township
from cadre_mgmt.cadres.selectors import cadres_in_post_during, rank_system_exclusions, townships_for_user

from ..ladder import rules
from ..models import RankChange, Roster, RosterExport, RosterLine


def roster_for_month(*, month: datetime.date) -> Roster | None:
    return Roster.objects.filter(month=rules.first_of_month(month)).first()


def rosters_for_user(*, user: Any) -> QuerySet[Roster]:
    """Every month's roster, latest first: the months are no township's data (the lines are)."""
    return Roster.objects.order_by("-month")


def recent_rosters(*, limit: int = 24) -> list[Roster]:
    return list(rosters_for_user(user=None)[:limit])


def roster_lines(*, roster: Roster, user: Any, township: Township | None = None) -> QuerySet[RosterLine]:
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


def roster_totals(*, roster: Roster, user: Any) -> tuple[list[TownshipTotal], Any]:
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


def roster_changes(*, roster: Roster, user: Any) -> list[Any]:
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


def _change_reasons(*, cadre_ids: Iterable[int], month: datetime.date) -> dict[Any, str]:
    """The reason of the rank change that took effect this month, per cadre."""
    if not cadre_ids:
        return {}
    rows = RankChange.objects.filter(effective_month=month, cadre_id__in=list(cadre_ids)).order_by("id")
    return {
        cadre_id: f"{RankChange.Kind(kind).label}：{reason}"
        for cadre_id, kind, reason in rows.values_list("cadre_id", "kind", "reason")
    }


LINES_PER_PAGE = 100


def can_manage_rosters(user: Any) -> bool:
    """Generating and locking rosters: the county's approvers."""
    return user.is_authenticated and user.is_county_approver


def latest_roster_month() -> datetime.date | None:
    return Roster.objects.order_by("-month").values_list("month", flat=True).first()


def roster_township(*, user: Any, raw: str) -> tuple[QuerySet[Township] | None, Township | None]:
    """The county users' township filter (?township=id among the townships they may read); None for all."""
    townships = townships_for_user(user=user) if user.sees_all_townships else None
    township = townships.filter(pk=raw).first() if townships is not None and raw.isdigit() else None
    return townships, township


def roster_page(*, roster: Roster, user: Any, township: Township | None = None, page: str | None = None) -> dict:
    """The roster page's figures: per-township totals, the grand total and one page of lines.

    The totals already counted the lines: the paginator gets that count, not a second COUNT over a
    100,000-line month.
    """
    totals, grand = roster_totals(roster=roster, user=user)
    paginator = Paginator(roster_lines(roster=roster, user=user, township=township), LINES_PER_PAGE)
    paginator.count = next((t.lines for t in totals if t.township_id == township.pk), 0) if township else grand.lines
    return {
        "totals": totals,
        "grand": grand,
        "page": paginator.get_page(page),
        "query": f"month={roster.month:%Y-%m}" + (f"&township={township.pk}" if township else ""),
        "exports": RosterExport.objects.filter(roster=roster, requested_by=user)[:3],
        "not_on_roster": not_on_roster(roster=roster, user=user, township=township),
    }


@dataclass(frozen=True)
class NotOnRoster:
    cadre: Cadre
    reason: str


def not_on_roster(*, roster: Roster, user: Any, township: Township | None = None) -> list[NotOnRoster]:
    """The cadres in post during the roster's month (in the user's scope) who have no monthly line on it,
    each with the reason (DESIGN §2: never a cadre silently left off the roster)."""
    on_roster = RosterLine.objects.filter(roster=roster, kind=RosterLine.Kind.REGULAR).values("cadre_id")
    cadres = (
        scope_for_user(cadres_in_post_during(month=roster.month).exclude(pk__in=on_roster), user, township_field="township")
        .select_related("township", "village")
        .prefetch_related("posts")
    )
    if township is not None:
        cadres = cadres.filter(township=township)
    cadres = list(cadres)
    reasons = rank_system_exclusions(cadres, month=roster.month)
    late = _("In post and in the rank system, but recorded after this roster was generated: regenerate the draft.")
    return [NotOnRoster(cadre, reasons[cadre.pk] or late) for cadre in cadres]


def export_for_user(*, user: Any, pk: int) -> RosterExport:
    """Only the person who asked for an export sees it (it carries their scope)."""
    return get_object_or_404(RosterExport.objects.select_related("roster"), pk=pk, requested_by=user)
