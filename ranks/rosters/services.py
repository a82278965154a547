"""Allowance rosters (DESIGN §8): generating a month's lines, adjustment lines for locked months, locking.

A locked roster is what was paid and never changes; a rank change that reaches into a locked month
becomes a back-payment or recovery line of the next roster."""

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.bulkinsert import insert_rows
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.cadres.selectors import cadres_in_post_during, cadres_in_rank_system

from ..ladder import rules
from ..ladder import selectors as ladder_selectors
from ..models import RankChange, Roster, RosterLine
from .columns import STORED_COLUMNS


def _eligible_cadres(month: datetime.date) -> QuerySet[Cadre]:
    """Cadres on the roster of ``month``: in post during it and holding a post in the rank system (DESIGN §2)."""
    return cadres_in_rank_system(cadres_in_post_during(month=month), month=month)


CADRE_FIELDS = (
    "pk",
    "township_id",
    "township__name",
    "township__sort_order",
    "village__name",
    "village__sort_order",
    "name",
    "id_number_masked",
)


def _posts_text(cadre_queryset: QuerySet[Cadre]) -> dict[int, str]:
    posts = defaultdict(list)
    rows = (
        Cadre.posts.through.objects.filter(cadre_id__in=cadre_queryset.values("pk"))
        .order_by("post__sort_order", "post__name")
        .values_list("cadre_id", "post__name")
    )
    for cadre_id, name in rows:
        posts[cadre_id].append(name)
    return {cadre_id: "、".join(names)[:200] for cadre_id, names in posts.items()}


def _adjustments(*, month: datetime.date, schedule: rules.Schedule) -> tuple[dict[int, dict], dict[int, str]]:
    """Adjustment lines owed for months already locked: {cadre_id: {month: delta}} and the reasons.

    A cadre is looked at when one of its rank changes was recorded after the roster of a month it
    reaches into had been generated. For those cadres, each locked month is recomputed from today's
    history and schedule and compared with what was paid (regular line plus earlier adjustments).
    """
    locked = sorted(
        Roster.objects.filter(month__lt=month, status=Roster.Status.LOCKED).values_list("month", "generated_at", "id")
    )
    if not locked:
        return {}, {}
    # For each locked month: the earliest generation time among it and every later locked month.
    suffix_min: list[tuple[datetime.date, Any]] = []
    earliest: Any = None
    for locked_month, generated_at, _id in reversed(locked):
        earliest = generated_at if earliest is None else min(earliest, generated_at)
        suffix_min.append((locked_month, earliest))
    suffix_min.reverse()
    late_rows = RankChange.objects.filter(
        created_at__gt=min(row[1] for row in locked if row[1] is not None), effective_month__lt=month
    )
    candidates = set()
    for cadre_id, effective, created_at in late_rows.values_list("cadre_id", "effective_month", "created_at"):
        reach = next((gen for locked_month, gen in suffix_min if locked_month >= effective), None)
        if reach is not None and created_at > reach:
            candidates.add(cadre_id)
    if not candidates:
        return {}, {}
    locked_ids = {row[2]: row[0] for row in locked}
    history = defaultdict(list)
    reasons = {}
    paid: defaultdict[int, defaultdict[datetime.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    regular_months = defaultdict(set)
    for chunk in ladder_selectors._chunks(candidates):
        changes = RankChange.objects.filter(cadre_id__in=chunk, effective_month__lt=month).order_by("effective_month", "id")
        for cadre_id, effective, change_id, to_level, kind, reason in changes.values_list(
            "cadre_id", "effective_month", "id", "to_level", "kind", "reason"
        ):
            history[cadre_id].append((effective, change_id, to_level))
            reasons[cadre_id] = f"{RankChange.Kind(kind).label}：{reason}"
        lines = RosterLine.objects.filter(cadre_id__in=chunk, roster__month__lt=month).values_list(
            "cadre_id", "roster_id", "kind", "amount", "months_detail"
        )
        for cadre_id, roster_id, kind, amount, detail in lines:
            if kind == RosterLine.Kind.REGULAR:
                if roster_id in locked_ids:
                    paid[cadre_id][locked_ids[roster_id]] += amount
                    regular_months[cadre_id].add(locked_ids[roster_id])
            else:
                for key, value in detail.items():
                    paid[cadre_id][rules.parse_month(key)] += Decimal(value)
    owed = {}
    for cadre_id in candidates:
        months = regular_months[cadre_id]
        due = {m: schedule.allowance(rules.level_on(history[cadre_id], m)[0], m) for m in months}
        deltas = rules.adjustment_by_month(due=due, paid={m: paid[cadre_id][m] for m in months})
        if deltas:
            owed[cadre_id] = deltas
    return owed, reasons


def _insert_lines(rows: list[tuple]) -> None:
    """Insert roster lines given as plain tuples (``columns.STORED_COLUMNS``; dates, Decimals, None): model
    instances and bulk_create would cost most of the time of a 100,000-line roster."""
    insert_rows(RosterLine, STORED_COLUMNS, rows)


def _line_sort_key(cadre_row: tuple, kind_order: int) -> tuple:
    return (cadre_row[3], cadre_row[2], cadre_row[5], cadre_row[4], cadre_row[6], cadre_row[0], kind_order)


@transaction.atomic
def roster_generate(*, month: datetime.date, user: Any = None) -> Roster:
    """Fix the roster of ``month``: each in-post cadre's level and allowance, plus adjustment lines
    for locked months. Regenerating a draft gives the same lines; a locked roster is refused.
    Two generations of the same month at once produce one roster (unique month + row lock)."""
    if user is not None and not user.is_county_approver:
        raise PermissionDenied
    month = rules.first_of_month(month)
    roster, _created = Roster.objects.get_or_create(month=month)
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.is_locked:
        raise ValidationError(_("The roster of %(month)s is locked and cannot change.") % {"month": rules.month_key(month)})

    RosterLine.objects.filter(roster=roster).delete()
    eligible = _eligible_cadres(month)
    cadre_rows = {row[0]: row for row in eligible.values_list(*CADRE_FIELDS)}
    posts = _posts_text(eligible)
    states = {
        cadre_id: (level, since, kind, reason)
        for cadre_id, level, since, kind, reason in ladder_selectors.latest_changes(
            RankChange.objects.filter(effective_month__lte=month)
        )
    }
    schedule = ladder_selectors.allowance_schedule()
    owed, owed_reasons = _adjustments(month=month, schedule=schedule)
    missing = set(owed) - set(cadre_rows)
    if missing:
        cadre_rows.update({row[0]: row for row in Cadre.objects.filter(pk__in=missing).values_list(*CADRE_FIELDS)})
        posts.update(_posts_text(Cadre.objects.filter(pk__in=missing)))

    allowance_by_level = {level: schedule.allowance(level, month) for level in range(rules.HIGHEST_LEVEL, rules.LOWEST_LEVEL + 1)}
    entries: list[tuple] = []
    for cadre_id, row in cadre_rows.items():
        level, since, kind, reason = states.get(cadre_id, (rules.LOWEST_LEVEL, None, None, ""))
        if cadre_id not in missing:
            remarks = f"{RankChange.Kind(kind).label}：{reason}" if since == month and kind else ""
            entries.append(
                (
                    _line_sort_key(row, 0),
                    row,
                    RosterLine.Kind.REGULAR,
                    level,
                    allowance_by_level[level],
                    since,
                    remarks,
                    {},
                )
            )
        if cadre_id in owed:
            deltas = owed[cadre_id]
            total = sum(deltas.values(), Decimal(0))
            kind_of_line = RosterLine.Kind.BACK_PAY if total >= 0 else RosterLine.Kind.RECOVERY
            first, last = min(deltas), max(deltas)
            label = _("Back payment") if total >= 0 else _("Recovery")
            remarks = f"{label} {rules.month_key(first)}—{rules.month_key(last)}：{owed_reasons.get(cadre_id, '')}"
            entries.append(
                (
                    _line_sort_key(row, 1),
                    row,
                    kind_of_line,
                    level,
                    total,
                    since,
                    remarks[:300],
                    {rules.month_key(m): str(v) for m, v in deltas.items()},
                )
            )
    entries.sort(key=lambda entry: entry[0])

    lines = []
    total_amount = Decimal(0)
    for position, (_key, row, kind, level, amount, since, remarks, detail) in enumerate(entries, start=1):
        covers = sorted(detail) if detail else []
        lines.append(
            (
                roster.pk,
                position,
                kind,
                row[0],
                row[1],
                row[2],
                row[4],
                row[6],
                row[7],
                posts.get(row[0], ""),
                level,
                amount,
                since,
                rules.parse_month(covers[0]) if covers else None,
                rules.parse_month(covers[-1]) if covers else None,
                json.dumps(detail, sort_keys=True) if detail else "{}",
                remarks,
            )
        )
        total_amount += amount
    _insert_lines(lines)

    roster.generated_at = timezone.now()
    roster.generated_by = user
    roster.line_count = len(lines)
    roster.total_amount = total_amount
    roster.full_clean()
    roster.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.OTHER,
        obj=roster,
        summary=_("Roster generated: %(lines)s lines, total %(total)s") % {"lines": len(lines), "total": total_amount},
    )
    return roster


@transaction.atomic
def roster_lock(*, roster: Roster, user: Any) -> Roster:
    """Lock a draft roster (county approver). From then on it is what was paid and never changes."""
    require(user.is_county_approver)
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.is_locked:
        raise ValidationError(_("The roster of %(month)s is already locked.") % {"month": rules.month_key(roster.month)})
    if roster.generated_at is None:
        raise ValidationError(_("Generate the roster before locking it."))
    roster.status = Roster.Status.LOCKED
    roster.locked_at = timezone.now()
    roster.locked_by = user
    roster.full_clean()
    roster.save(update_fields=["status", "locked_at", "locked_by"])
    audit_record(
        actor=user,
        action=AuditRecord.Action.DECIDE,
        obj=roster,
        summary=_("Roster locked: %(lines)s lines, total %(total)s") % {"lines": roster.line_count, "total": roster.total_amount},
    )
    return roster


def generate_current_roster(*, today: datetime.date | None = None) -> Roster:
    """The monthly job: generate this month's roster unless it is already locked (safe to run twice)."""
    month = rules.first_of_month(today or timezone.localdate())
    existing = Roster.objects.filter(month=month).first()
    if existing is not None and existing.is_locked:
        return existing
    return roster_generate(month=month)
