"""Writes of the ranks app. Each runs in one transaction, validates, and writes its audit record.

Rank history and locked rosters are append-only: there is no service that edits or deletes them;
a mistaken rank change is reversed by ``rank_change_reverse`` (a new correction record), and a
change that reaches into a locked month becomes an adjustment line of the next roster.
"""

import json
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, diff, snapshot
from cadre_mgmt.bulkinsert import insert_rows
from cadre_mgmt.cadres.models import Cadre

from . import rules, selectors
from .models import (
    AllowanceSchedule,
    InitialGrading,
    InitialGradingRule,
    LadderStep,
    RankChange,
    Roster,
    RosterExport,
    RosterLine,
)


def _require_county_admin(user):
    if not user.is_county_admin:
        raise PermissionDenied


def _require_county_approver(user):
    if not user.is_county_approver:
        raise PermissionDenied


def _month_key(month):
    return f"{month:%Y-%m}"


# Settings ---------------------------------------------------------------------------------------

LADDER_FIELDS = ("years_required", "requires_excellent_year", "required_commendation_level")


@transaction.atomic
def ladder_step_update(*, user, step, years_required, requires_excellent_year, required_commendation_level):
    """Change one step of the ladder (county administrator). Returns the changes, empty if none."""
    _require_county_admin(user)
    step = LadderStep.objects.select_for_update().get(pk=step.pk)
    before = snapshot(step, LADDER_FIELDS)
    step.years_required = years_required
    step.requires_excellent_year = requires_excellent_year
    step.required_commendation_level = required_commendation_level or None
    step.full_clean()
    changes = diff(before, snapshot(step, LADDER_FIELDS))
    if changes:
        step.save(update_fields=list(LADDER_FIELDS))
        audit_record(actor=user, action=AuditRecord.Action.UPDATE, obj=step, summary=_("Ladder step changed"), changes=changes)
    return changes


GRADING_RULE_FIELDS = ("years_per_level", "highest_level", "lower_for_basically_competent")


@transaction.atomic
def grading_rule_update(*, user, years_per_level, highest_level, lower_for_basically_competent):
    _require_county_admin(user)
    rule, _created = InitialGradingRule.objects.select_for_update().get_or_create(pk=1)
    before = snapshot(rule, GRADING_RULE_FIELDS)
    rule.years_per_level = years_per_level
    rule.highest_level = highest_level
    rule.lower_for_basically_competent = lower_for_basically_competent
    rule.full_clean()
    changes = diff(before, snapshot(rule, GRADING_RULE_FIELDS))
    if changes:
        rule.save()
        audit_record(
            actor=user, action=AuditRecord.Action.UPDATE, obj=rule, summary=_("Initial grading rule changed"), changes=changes
        )
    return changes


@transaction.atomic
def allowance_schedule_set(*, user, effective_from, amount_per_level, note=""):
    """Set the yuan per level from month ``effective_from`` onward. Months before it never change;
    a month whose roster is locked cannot be changed (what was paid stays as it was)."""
    _require_county_admin(user)
    month = rules.first_of_month(effective_from)
    if Roster.objects.filter(month__gte=month, status=Roster.Status.LOCKED).exists():
        raise ValidationError(
            {
                "effective_from": _("The roster of %(month)s or a later month is already locked; choose a later month.")
                % {"month": _month_key(month)}
            }
        )
    row = AllowanceSchedule.objects.select_for_update().filter(effective_from=month).first()
    before = snapshot(row, ("amount_per_level", "note")) if row else {}
    if row is None:
        row = AllowanceSchedule(effective_from=month, created_by=user)
    row.amount_per_level = Decimal(amount_per_level)
    row.note = note.strip()
    row.full_clean()
    row.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE,
        obj=row,
        summary=_("Allowance schedule set from %(month)s") % {"month": _month_key(month)},
        changes=diff(before, snapshot(row, ("amount_per_level", "note"))),
    )
    return row


# Rank history -----------------------------------------------------------------------------------


def _check_kind(kind, from_level, to_level, has_history):
    if kind == RankChange.Kind.INITIAL_GRADING:
        if has_history:
            raise ValidationError(_("This cadre already has a level; an initial grading is for cadres without one."))
        return
    if not has_history:
        raise ValidationError(_("This cadre has no level yet; record an initial grading first."))
    if kind == RankChange.Kind.PROMOTION and to_level != from_level - 1:
        raise ValidationError(
            _("A promotion goes up exactly one level (from %(from)s to %(to)s).") % {"from": from_level, "to": from_level - 1}
        )
    if kind == RankChange.Kind.OUT_OF_TURN and not from_level - 2 <= to_level <= from_level - 1:
        raise ValidationError(_("An out-of-turn promotion goes up one or two levels."))
    if kind == RankChange.Kind.DEMOTION and to_level <= from_level:
        raise ValidationError(_("A demotion must go down at least one level."))
    if kind == RankChange.Kind.CORRECTION and to_level == from_level:
        raise ValidationError(_("A correction must change the level."))


@transaction.atomic
def rank_change_record(*, cadre, kind, to_level, approved_by, approved_at, reason, source="", effective_month=None):
    """Append one approved rank change; it takes effect on the first day of the month after ``approved_at``
    (Asia/Shanghai). Only a correction may name an earlier ``effective_month`` (to reverse a mistake from then).
    Callers such as the promotion review call this inside their own transaction."""
    if not approved_by.is_county_approver:
        raise PermissionDenied
    if kind not in RankChange.Kind.values:
        raise ValidationError(_("Unknown kind of rank change."))
    if not isinstance(to_level, int) or not rules.HIGHEST_LEVEL <= to_level <= rules.LOWEST_LEVEL:
        raise ValidationError({"to_level": _("The level must be between 1 and 13.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the rank change.")})
    if timezone.is_naive(approved_at):
        raise ValidationError({"approved_at": _("The approval time must carry a time zone.")})
    approval_day = timezone.localdate(approved_at)
    if effective_month is None:
        effective_month = rules.effective_month_after(approval_day)
    elif kind != RankChange.Kind.CORRECTION:
        raise ValidationError({"effective_month": _("Only a correction may take effect from another month.")})
    else:
        effective_month = rules.first_of_month(effective_month)
        if effective_month > rules.effective_month_after(approval_day):
            raise ValidationError(
                {"effective_month": _("A correction cannot take effect later than the month after its approval.")}
            )
    # One writer per cadre at a time: the level before the change is read under the lock.
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    history = list(RankChange.objects.filter(cadre=cadre).values_list("effective_month", "id", "to_level"))
    from_level, _since = rules.level_on(history, effective_month)
    _check_kind(kind, from_level, to_level, bool(history))
    change = RankChange(
        cadre=cadre,
        kind=kind,
        from_level=None if kind == RankChange.Kind.INITIAL_GRADING else from_level,
        to_level=to_level,
        approved_by=approved_by,
        approved_at=approved_at,
        effective_month=effective_month,
        reason=reason.strip(),
        source=(source or "").strip(),
    )
    change.full_clean()
    change.save()
    audit_record(
        actor=approved_by,
        action=AuditRecord.Action.DECIDE,
        obj=change,
        summary=_("Rank change recorded: %(kind)s to level %(level)s from %(month)s")
        % {"kind": change.get_kind_display(), "level": to_level, "month": _month_key(effective_month)},
        changes={"after": snapshot(change, ("cadre", "kind", "from_level", "to_level", "effective_month", "reason", "source"))},
    )
    return change


def rank_change_reverse(*, change, approved_by, reason, approved_at=None):
    """Reverse a mistaken record with a correction from the same effective month; the record itself stays."""
    return rank_change_record(
        cadre=change.cadre,
        kind=RankChange.Kind.CORRECTION,
        to_level=change.from_level if change.from_level is not None else rules.LOWEST_LEVEL,
        approved_by=approved_by,
        approved_at=approved_at or timezone.now(),
        reason=reason,
        source=_("Reverses record #%(id)s") % {"id": change.pk},
        effective_month=change.effective_month,
    )


# Initial grading --------------------------------------------------------------------------------


def _check_gradable(user, cadre):
    if not township_allowed_for_user(user, cadre.township_id):
        raise PermissionDenied
    if cadre.status != Cadre.Status.IN_POST:
        raise ValidationError(_("%(name)s is not in post.") % {"name": cadre.name})
    if RankChange.objects.filter(cadre=cadre).exists():
        raise ValidationError(_("%(name)s already has a level.") % {"name": cadre.name})
    if InitialGrading.objects.filter(cadre=cadre, status__in=["submitted", "approved"]).exists():
        raise ValidationError(_("The initial grading of %(name)s has already been submitted.") % {"name": cadre.name})


@transaction.atomic
def initial_grading_submit(*, user, cadre, proposed_level=None, reason=""):
    """The township submits a cadre's initial level: the computed one, or another with a reason."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    _check_gradable(user, cadre)
    computed = selectors.computed_initial_levels(cadres=[cadre])[cadre.pk]
    proposed_level = computed.level if proposed_level is None else proposed_level
    reason = (reason or "").strip()
    if proposed_level != computed.level and not reason:
        raise ValidationError({"reason": _("Give the reason for a level other than the computed one.")})
    grading = InitialGrading(
        cadre=cadre,
        township_id=cadre.township_id,
        computed_level=computed.level,
        proposed_level=proposed_level,
        years_served=computed.years_served,
        reason=reason,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    grading.full_clean()
    grading.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.CREATE,
        obj=grading,
        summary=_("Initial grading submitted: level %(level)s") % {"level": proposed_level},
        changes={"after": snapshot(grading, ("cadre", "computed_level", "proposed_level", "years_served", "reason"))},
    )
    return grading


@transaction.atomic
def initial_gradings_submit(*, user, cadres):
    """Submit the computed level for several cadres at once."""
    return [initial_grading_submit(user=user, cadre=cadre) for cadre in cadres]


def _decide(grading, approver, status, comment):
    grading = InitialGrading.objects.select_for_update().get(pk=grading.pk)
    if grading.status != InitialGrading.Status.SUBMITTED:
        raise ValidationError(_("The initial grading of %(name)s has already been decided.") % {"name": grading.cadre.name})
    grading.status = status
    grading.decided_by = approver
    grading.decided_at = timezone.now()
    grading.decision_comment = (comment or "").strip()
    return grading


@transaction.atomic
def initial_grading_approve(*, grading, approver, comment=""):
    """Approve one initial grading: writes the rank history record, effective next month."""
    _require_county_approver(approver)
    grading = _decide(grading, approver, InitialGrading.Status.APPROVED, comment)
    reason = grading.reason or _("Initial grading by %(years)s full years of service") % {"years": grading.years_served}
    grading.rank_change = rank_change_record(
        cadre=grading.cadre,
        kind=RankChange.Kind.INITIAL_GRADING,
        to_level=grading.proposed_level,
        approved_by=approver,
        approved_at=grading.decided_at,
        reason=reason,
        source=_("Initial grading #%(id)s") % {"id": grading.pk},
    )
    grading.full_clean()
    grading.save()
    audit_record(actor=approver, action=AuditRecord.Action.DECIDE, obj=grading, summary=_("Initial grading approved"))
    return grading


@transaction.atomic
def initial_gradings_approve(*, gradings, approver, comment=""):
    """Approve a batch in one transaction: all of them or none."""
    return [initial_grading_approve(grading=grading, approver=approver, comment=comment) for grading in gradings]


@transaction.atomic
def initial_grading_reject(*, grading, approver, comment):
    _require_county_approver(approver)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Give the reason for the rejection.")})
    grading = _decide(grading, approver, InitialGrading.Status.REJECTED, comment)
    grading.full_clean()
    grading.save()
    audit_record(
        actor=approver,
        action=AuditRecord.Action.DECIDE,
        obj=grading,
        summary=_("Initial grading rejected"),
        changes={"comment": grading.decision_comment},
    )
    return grading


# Rosters ----------------------------------------------------------------------------------------


def _eligible_cadres(month):
    """Cadres on the roster of ``month``: appointed by its last day, not left before its first day,
    holding a paid post. A cadre who leaves in March is paid for March, not April."""
    paid = Cadre.posts.through.objects.filter(cadre_id=OuterRef("pk"), post__is_paid=True)
    return Cadre.objects.filter(first_appointed_on__lte=rules.last_of_month(month)).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=month), Exists(paid)
    )


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


def _posts_text(cadre_queryset):
    posts = defaultdict(list)
    rows = (
        Cadre.posts.through.objects.filter(cadre_id__in=cadre_queryset.values("pk"))
        .order_by("post__sort_order", "post__name")
        .values_list("cadre_id", "post__name")
    )
    for cadre_id, name in rows:
        posts[cadre_id].append(name)
    return {cadre_id: "、".join(names)[:200] for cadre_id, names in posts.items()}


def _adjustments(*, month, schedule):
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
    suffix_min = []
    earliest = None
    for locked_month, generated_at, _id in reversed(locked):
        earliest = generated_at if earliest is None else min(earliest, generated_at)
        suffix_min.append((locked_month, earliest))
    suffix_min.reverse()
    late_rows = RankChange.objects.filter(created_at__gt=min(row[1] for row in locked), effective_month__lt=month)
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
    paid = defaultdict(lambda: defaultdict(Decimal))
    regular_months = defaultdict(set)
    for chunk in selectors._chunks(candidates):
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


LINE_COLUMNS = (
    "roster_id",
    "cadre_id",
    "township_id",
    "kind",
    "position",
    "township_name",
    "village_name",
    "cadre_name",
    "id_number_masked",
    "posts_text",
    "level",
    "amount",
    "since_month",
    "covers_from",
    "covers_to",
    "months_detail",
    "remarks",
)


def _insert_lines(rows):
    """Insert roster lines given as plain tuples (columns LINE_COLUMNS; dates, Decimals, None): model
    instances and bulk_create would cost most of the time of a 100,000-line roster."""
    insert_rows(RosterLine, LINE_COLUMNS, rows)


def _line_sort_key(cadre_row, kind_order):
    return (cadre_row[3], cadre_row[2], cadre_row[5], cadre_row[4], cadre_row[6], cadre_row[0], kind_order)


@transaction.atomic
def roster_generate(*, month, user=None):
    """Fix the roster of ``month``: each in-post cadre's level and allowance, plus adjustment lines
    for locked months. Regenerating a draft gives the same lines; a locked roster is refused.
    Two generations of the same month at once produce one roster (unique month + row lock)."""
    if user is not None and not user.is_county_approver:
        raise PermissionDenied
    month = rules.first_of_month(month)
    roster, _created = Roster.objects.get_or_create(month=month)
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.is_locked:
        raise ValidationError(_("The roster of %(month)s is locked and cannot change.") % {"month": _month_key(month)})

    RosterLine.objects.filter(roster=roster).delete()
    eligible = _eligible_cadres(month)
    cadre_rows = {row[0]: row for row in eligible.values_list(*CADRE_FIELDS)}
    posts = _posts_text(eligible)
    states = {
        cadre_id: (level, since, kind, reason)
        for cadre_id, level, since, kind, reason in selectors.latest_changes(
            RankChange.objects.filter(effective_month__lte=month)
        )
    }
    schedule = selectors.allowance_schedule()
    owed, owed_reasons = _adjustments(month=month, schedule=schedule)
    missing = set(owed) - set(cadre_rows)
    if missing:
        cadre_rows.update({row[0]: row for row in Cadre.objects.filter(pk__in=missing).values_list(*CADRE_FIELDS)})
        posts.update(_posts_text(Cadre.objects.filter(pk__in=missing)))

    allowance_by_level = {level: schedule.allowance(level, month) for level in range(rules.HIGHEST_LEVEL, rules.LOWEST_LEVEL + 1)}
    entries = []
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
            remarks = f"{label} {_month_key(first)}—{_month_key(last)}：{owed_reasons.get(cadre_id, '')}"
            entries.append(
                (
                    _line_sort_key(row, 1),
                    row,
                    kind_of_line,
                    level,
                    total,
                    since,
                    remarks[:300],
                    {_month_key(m): str(v) for m, v in deltas.items()},
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
                row[0],
                row[1],
                kind,
                position,
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
def roster_lock(*, roster, user):
    """Lock a draft roster (county approver). From then on it is what was paid and never changes."""
    _require_county_approver(user)
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.is_locked:
        raise ValidationError(_("The roster of %(month)s is already locked.") % {"month": _month_key(roster.month)})
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


def generate_current_roster(*, today=None):
    """The monthly job: generate this month's roster unless it is already locked (safe to run twice)."""
    month = rules.first_of_month(today or timezone.localdate())
    existing = Roster.objects.filter(month=month).first()
    if existing is not None and existing.is_locked:
        return existing
    return roster_generate(month=month)


# Exports ----------------------------------------------------------------------------------------

EXPORT_ASYNC_ROWS = 3000


def _export_scope(user):
    if user.sees_all_townships:
        return None
    if user.township_id is None:
        raise PermissionDenied
    return user.township_id


def roster_export_needs_job(*, roster, user):
    township_id = _export_scope(user)
    lines = RosterLine.objects.filter(roster=roster)
    if township_id is not None:
        lines = lines.filter(township_id=township_id)
    return lines.count() > EXPORT_ASYNC_ROWS


def roster_export_now(*, roster, user) -> bytes:
    """The workbook of the lines the user may read, built in the request (small rosters)."""
    from .exporting import roster_workbook

    township_id = _export_scope(user)
    content, rows = roster_workbook(roster=roster, township_id=township_id, full_id_numbers=user.can_see_full_id_numbers)
    audit_record(
        actor=user,
        action=AuditRecord.Action.EXPORT,
        obj=roster,
        summary=_("Roster exported: %(rows)s lines") % {"rows": rows},
    )
    return content


@transaction.atomic
def roster_export_request(*, roster, user):
    """Queue a large export as a job; the page polls it and offers the file when it is ready."""
    from .tasks import run_roster_export

    export = RosterExport(
        roster=roster, requested_by=user, township_id=_export_scope(user), full_id_numbers=user.can_see_full_id_numbers
    )
    export.full_clean()
    export.save()
    audit_record(actor=user, action=AuditRecord.Action.EXPORT, obj=roster, summary=_("Roster export requested"))
    transaction.on_commit(lambda: run_roster_export.delay(export.pk))
    return export


def roster_export_run(*, export_id):
    """The export job. Safe to run twice: a finished export is left as it is."""
    from django.core.files.base import ContentFile

    from .exporting import roster_workbook

    export = RosterExport.objects.select_related("roster").get(pk=export_id)
    if export.status == RosterExport.Status.DONE:
        return export
    RosterExport.objects.filter(pk=export.pk).update(status=RosterExport.Status.RUNNING, progress=0)

    def progress(done, total):
        RosterExport.objects.filter(pk=export.pk).update(progress=min(99, done * 100 // max(total, 1)), total_rows=total)

    try:
        content, rows = roster_workbook(
            roster=export.roster, township_id=export.township_id, full_id_numbers=export.full_id_numbers, progress=progress
        )
    except Exception as exc:
        RosterExport.objects.filter(pk=export.pk).update(status=RosterExport.Status.FAILED, error=str(exc)[:300])
        raise
    with transaction.atomic():
        export.refresh_from_db()
        export.file.save(f"roster-{export.roster.month:%Y-%m}-{export.pk}.xlsx", ContentFile(content), save=False)
        export.status = RosterExport.Status.DONE
        export.progress = 100
        export.total_rows = rows
        export.finished_at = timezone.now()
        export.save()
        audit_record(
            actor=export.requested_by,
            action=AuditRecord.Action.EXPORT,
            obj=export.roster,
            summary=_("Roster exported: %(rows)s lines") % {"rows": rows},
        )
    return export
