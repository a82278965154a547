"""The daily ledger: the entries a user may read, the locks of closed quarters, the ledger sum and the
attendance facts the promotion review reads."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.cadres.models import Cadre, Township, Village
from cadre_mgmt.lookups import ids_in

from .. import rules
from ..models import LedgerCategory, LedgerEntry, TownshipQuarter

LEDGER_PAGE_SIZE = 30
CADRE_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class AttendanceFacts:
    leave_days: int
    absent_without_leave: bool


def active_categories(*, user: User | None = None) -> QuerySet[LedgerCategory]:
    """Ledger categories in use (the same for every user)."""
    return LedgerCategory.objects.filter(is_active=True)


def cadre_choices(*, user: User, township: Township, q: str = "", village: Village | None = None) -> list[Cadre]:
    """Cadres in post the user may record for: a whole village, or by part of the name (within the village
    when one is given, else over the township).

    Bounded by the township (index cadre_township_status_idx) and CADRE_SEARCH_LIMIT when searching.
    """
    qs = scope_for_user(Cadre.objects.select_related("village"), user).filter(township=township, status=Cadre.Status.IN_POST)
    if village is not None:
        qs = qs.filter(village=village)
    q = (q or "").strip()
    if q:
        return list(qs.filter(name__contains=q).order_by("name", "id")[:CADRE_SEARCH_LIMIT])
    if village is not None:
        return list(qs.order_by("name", "id"))
    return []


def closed_quarters(*, township_ids: Iterable[int]) -> set[tuple[int, int, int]]:
    """(township id, year, quarter) of every closed quarter; one query."""
    return set(
        TownshipQuarter.objects.filter(township_id__in=list(township_ids), status=TownshipQuarter.Status.CLOSED).values_list(
            "township_id", "year", "quarter"
        )
    )


def date_is_locked(*, township_id: int, day: datetime.date, closed: set[tuple[int, int, int]] | None = None) -> bool:
    year, quarter = rules.quarter_of(day)
    if closed is not None:
        return (township_id, year, quarter) in closed
    return TownshipQuarter.objects.filter(
        township_id=township_id, year=year, quarter=quarter, status=TownshipQuarter.Status.CLOSED
    ).exists()


def ledger_filtered(
    *,
    user: User,
    township: Township,
    village: Village | None = None,
    name: str = "",
    category: LedgerCategory | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[LedgerEntry]:
    """The township's entries the user may read, narrowed by the ledger page's filters, latest first."""
    qs = scope_for_user(LedgerEntry.objects.all(), user).filter(township=township)
    if village is not None:
        qs = qs.filter(cadre__village=village)
    if name.strip():
        qs = qs.filter(cadre__name__contains=name.strip())
    if category is not None:
        qs = qs.filter(category=category)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    return qs.select_related("cadre", "cadre__village", "category", "recorded_by", "township").order_by("-date", "-id")


def ledger_page(
    *,
    user: User,
    township: Township,
    before: tuple[datetime.date, int] | None = None,
    cadre: Cadre | None = None,
    limit: int = LEDGER_PAGE_SIZE,
    filters: dict[str, Any] | None = None,
) -> tuple[list[LedgerEntry], tuple[datetime.date, int] | None]:
    """The latest ledger entries of a township (keyset paging on (date, id): no COUNT over millions of rows),
    narrowed by ``filters`` (see ``ledger_filtered``).

    ``before`` = (date, id) of the last entry of the previous page. Returns (entries, next cursor or None).
    """
    qs = ledger_filtered(user=user, township=township, **(filters or {}))
    if cadre is not None:
        qs = qs.filter(cadre=cadre)
    if before is not None:
        day, pk = before
        qs = qs.filter(Q(date__lt=day) | Q(date=day, id__lt=pk))
    rows = list(qs[: limit + 1])
    entries, more = rows[:limit], len(rows) > limit
    closed = closed_quarters(township_ids=[township.pk])
    for entry in entries:
        entry.locked = date_is_locked(township_id=entry.township_id, day=entry.date, closed=closed)  # type: ignore[attr-defined]  # for the page
    next_cursor = (entries[-1].date, entries[-1].pk) if more and entries else None
    return entries, next_cursor


def ledger_entries_for_user(*, user: User) -> QuerySet[LedgerEntry]:
    """Ledger entries the user may read, latest first (the API's list and detail)."""
    return scope_for_user(LedgerEntry.objects.select_related("cadre", "category", "township", "recorded_by"), user).order_by(
        "-date", "-id"
    )


# ---------------------------------------------------------------- the ledger sum


def score_change_totals(entries: QuerySet[LedgerEntry], *group: str) -> Any:
    """The ledger sum, in one place: the total of the score changes of ``entries`` per ``group``
    (entries without a score change add nothing). Also usable as a subquery (``.values("total")``)."""
    return entries.filter(score_change__isnull=False).order_by().values(*group).annotate(total=Sum("score_change"))


def ledger_sums(*, cadre_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], Decimal]:
    """(cadre id, year) → sum of the score changes of the ledger entries dated in that year; one query."""
    years = sorted(years)
    entries = LedgerEntry.objects.filter(
        cadre_id__in=list(cadre_ids), date__gte=datetime.date(years[0], 1, 1), date__lte=datetime.date(years[-1], 12, 31)
    )
    rows = score_change_totals(entries, "cadre_id", "date__year")
    return {(row["cadre_id"], row["date__year"]): row["total"] for row in rows if row["date__year"] in years}


def ledger_changes(*, cadre_ids: Iterable[int], first: datetime.date, last: datetime.date) -> dict[int, Decimal]:
    """cadre id → sum of the score changes of the ledger entries dated from ``first`` to ``last``; one query."""
    entries = LedgerEntry.objects.filter(cadre_id__in=list(cadre_ids), date__gte=first, date__lte=last)
    return {row["cadre_id"]: row["total"] for row in score_change_totals(entries, "cadre_id")}


def attendance_facts(*, cadre_ids: Iterable[int], year: int) -> dict[int, AttendanceFacts]:
    """cadre id → leave days and absence without leave in ``year``, from the ledger. One query; every
    requested cadre is in the result (no entries → 0 days, not absent)."""
    cadre_ids = list(cadre_ids)
    rows = (
        LedgerEntry.objects.filter(
            ids_in("cadre_id", cadre_ids),
            date__gte=datetime.date(year, 1, 1),
            date__lte=datetime.date(year, 12, 31),
            category__kind__in=[LedgerCategory.Kind.LEAVE, LedgerCategory.Kind.ABSENCE],
        )
        .values("cadre_id", "category__kind")
        .annotate(days=Sum("leave_days"))
    )
    leave: defaultdict[int, int] = defaultdict(int)
    absent: set[int] = set()
    for row in rows:
        if row["category__kind"] == LedgerCategory.Kind.LEAVE:
            leave[row["cadre_id"]] += row["days"] or 0
        else:
            absent.add(row["cadre_id"])
    return {cid: AttendanceFacts(leave_days=leave[cid], absent_without_leave=cid in absent) for cid in cadre_ids}
