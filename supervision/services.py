"""Writes of the supervision area. Every function runs in one transaction and writes its audit record."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create, audited_update, snapshot
from cadre_mgmt.cadres.models import Cadre, Village
from cadre_mgmt.cadres.services import cadre_mark_left

from . import crypto, rules
from .models import (
    AffairsDisclosure,
    DisclosureFlag,
    Dismissal,
    Inspection,
    Investigation,
    Petition,
    PetitionStep,
    RectificationItem,
    Sanction,
    SupervisionSettings,
    VetoEvent,
    WarningEducationSession,
)
from .selectors import can_update_rectification, supervision_settings

# Fields of a petition that the audit log may hold: never the reporter.
PETITION_AUDITED = ("status", "assigned_to", "conclusion", "deadline", "overdue_since")


def _require_supervisor(user):
    if not user.is_supervisor:
        raise PermissionDenied


def _create_with_members(instance, relation, members, *, user, summary, fields):
    """``audited_create`` for a record with a many-to-many of members: the members' ids join its "after"."""
    instance.full_clean()
    instance.save()
    getattr(instance, relation).set(members)
    after = {**snapshot(instance, fields), relation: [member.pk for member in members]}
    audit_record(actor=user, action=AuditRecord.Action.CREATE, obj=instance, summary=summary, changes={"after": after})
    return instance


# --- Petitions -------------------------------------------------------------------------------


@transaction.atomic
def petition_create(
    *,
    user,
    channel,
    summary,
    content,
    received_on,
    cadre=None,
    village=None,
    anonymous=False,
    reporter_name="",
    reporter_phone="",
    reporter_address="",
    deadline=None,
):
    """Register a petition. The deadline defaults to the county's setting (60 days) from receipt."""
    _require_supervisor(user)
    if cadre is None and village is None:
        raise ValidationError(_("Name the subject cadre or village of the petition."))
    if cadre is not None and village is not None and cadre.village_id != village.pk:
        raise ValidationError({"village": _("The cadre does not belong to this village.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    identity = {"name": reporter_name.strip(), "phone": reporter_phone.strip(), "address": reporter_address.strip()}
    if anonymous:
        identity = {}
    elif not identity["name"]:
        raise ValidationError({"reporter_name": _("Give the reporter's name, or mark the petition anonymous.")})
    village = village or cadre.village
    if deadline is None:
        deadline = rules.petition_deadline(received_on, supervision_settings().petition_deadline_days)
    petition = Petition(
        township_id=village.township_id,
        village=village,
        cadre=cadre,
        channel=channel,
        anonymous=anonymous,
        reporter_encrypted=crypto.encrypt_identity(identity) if identity else "",
        summary=summary,
        content=content,
        received_on=received_on,
        deadline=deadline,
        recorded_by=user,
    )
    audited_create(petition, actor=user, summary=_("Petition registered"), fields=(*PETITION_AUDITED, "anonymous", "channel"))
    PetitionStep.objects.create(petition=petition, from_status="", to_status=Petition.Status.RECEIVED, by=user)
    return petition


@transaction.atomic
def petition_transition(*, user, petition, to_status, assigned_to="", conclusion="", note=""):
    """Move a petition one step along received → assigned → investigating → concluded → closed."""
    _require_supervisor(user)
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not rules.petition_transition_allowed(petition.status, to_status):
        raise ValidationError(
            _("A petition that is “%(current)s” cannot move to “%(target)s”: its steps go in order.")
            % {"current": petition.get_status_display(), "target": Petition.Status(to_status).label}
            if to_status in Petition.Status.values
            else _("Unknown status.")
        )
    from_status = petition.status
    values = {"status": to_status}
    if to_status == Petition.Status.ASSIGNED:
        if not assigned_to.strip():
            raise ValidationError({"assigned_to": _("Say who handles the petition.")})
        values["assigned_to"] = assigned_to.strip()
    if to_status == Petition.Status.CONCLUDED:
        if conclusion not in Petition.Conclusion.values:
            raise ValidationError({"conclusion": _("Choose the conclusion: substantiated, partly substantiated or unfounded.")})
        values["conclusion"] = conclusion
    audited_update(petition, actor=user, values=values, summary=_("Petition status changed"), fields=PETITION_AUDITED)
    PetitionStep.objects.create(
        petition=petition,
        from_status=from_status,
        to_status=to_status,
        assigned_to=petition.assigned_to if to_status == Petition.Status.ASSIGNED else "",
        conclusion=petition.conclusion if to_status == Petition.Status.CONCLUDED else "",
        note=note.strip()[:500],
        by=user,
    )
    return petition


@transaction.atomic
def petitions_flag_overdue(*, today):
    """Daily job: mark open petitions past their deadline. Running it twice flags nothing new."""
    candidates = Petition.objects.select_for_update().filter(
        status__in=Petition.OPEN_STATUSES, deadline__lt=today, overdue_since__isnull=True
    )
    flagged = []
    for petition in candidates:
        if rules.petition_is_overdue(status=petition.status, deadline=petition.deadline, day=today):
            petition.overdue_since = petition.deadline + datetime.timedelta(days=1)
            petition.save(update_fields=["overdue_since"])
            flagged.append(petition.pk)
    if flagged:
        audit_record(
            actor=None,
            action=AuditRecord.Action.UPDATE,
            object_type=Petition._meta.label,
            summary=_("Overdue petitions flagged: %(count)s") % {"count": len(flagged)},
            changes={"petitions": flagged, "on": today},
        )
    return flagged


# --- Inspections -------------------------------------------------------------------------------


@transaction.atomic
def inspection_create(*, user, township, villages, inspected_on, team, findings):
    _require_supervisor(user)
    villages = list(villages)
    if not villages:
        raise ValidationError({"villages": _("Choose the inspected villages.")})
    if any(village.township_id != township.pk for village in villages):
        raise ValidationError({"villages": _("Every inspected village must belong to the township.")})
    inspection = Inspection(township=township, inspected_on=inspected_on, team=team, findings=findings, recorded_by=user)
    return _create_with_members(
        inspection, "villages", villages, user=user, summary=_("Inspection recorded"), fields=("township", "inspected_on", "team")
    )


@transaction.atomic
def rectification_item_add(*, user, inspection, description, deadline, village=None):
    _require_supervisor(user)
    if village is not None and not inspection.villages.filter(pk=village.pk).exists():
        raise ValidationError({"village": _("The village was not part of this inspection.")})
    if deadline < inspection.inspected_on:
        raise ValidationError({"deadline": _("The deadline cannot be before the inspection.")})
    item = RectificationItem(inspection=inspection, village=village, description=description, deadline=deadline, updated_by=user)
    return audited_create(
        item,
        actor=user,
        summary=_("Rectification item added"),
        fields=("inspection", "village", "description", "deadline", "status"),
    )


@transaction.atomic
def rectification_item_set_status(*, user, item, status, done_on=None):
    item = RectificationItem.objects.select_for_update().select_related("inspection").get(pk=item.pk)
    if not can_update_rectification(user, item):
        raise PermissionDenied
    if not rules.rectification_transition_allowed(item.status, status):
        raise ValidationError(_("This rectification item cannot move to that status."))
    values = {"status": status, "updated_by": user, "updated_at": timezone.now()}
    if status == RectificationItem.Status.DONE:
        values["done_on"] = done_on or timezone.localdate()
        if values["done_on"] > timezone.localdate():
            raise ValidationError({"done_on": _("The date cannot be in the future.")})
    audited_update(item, actor=user, values=values, summary=_("Rectification item updated"), fields=("status", "done_on"))
    return item


# --- Village affairs disclosure -------------------------------------------------------------------


@transaction.atomic
def disclosure_record(*, user, village, period_start, category, published_on, note=""):
    """Record that a village published one category of its affairs for a period."""
    if not township_allowed_for_user(user, village.township_id):
        raise PermissionDenied
    conf = supervision_settings()
    period_start = rules.period_start_for(period_start, conf.disclosure_period_months)
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("The date of publication cannot be in the future.")})
    if published_on < period_start:
        raise ValidationError({"published_on": _("A disclosure cannot be published before its period begins.")})
    if AffairsDisclosure.objects.filter(village=village, period_start=period_start, category=category).exists():
        raise ValidationError(_("This category is already recorded for the village and period."))
    disclosure = AffairsDisclosure(
        village=village, period_start=period_start, category=category, published_on=published_on, note=note, recorded_by=user
    )
    return audited_create(
        disclosure,
        actor=user,
        summary=_("Affairs disclosure recorded"),
        fields=("village", "period_start", "category", "published_on"),
    )


# How many past periods the daily job re-examines: a year of quarters.
DISCLOSURE_PERIODS_CHECKED = 4


@transaction.atomic
def disclosures_flag(*, today):
    """Daily job: flag each village's missing or late disclosures of recent periods.

    The flags always equal what the rules say on ``today``: a missing disclosure recorded later
    becomes late (or disappears if it was on time). Running it twice changes nothing.
    Returns {"missing": n, "late": n}.
    """
    conf = supervision_settings()
    months, due_days = conf.disclosure_period_months, conf.disclosure_due_days
    periods = rules.periods_due_by(today, months, due_days, DISCLOSURE_PERIODS_CHECKED)
    villages = list(Village.objects.values_list("pk", flat=True))
    published = {
        (d["village_id"], d["period_start"], d["category"]): d["published_on"]
        for d in AffairsDisclosure.objects.filter(period_start__in=periods).values(
            "village_id", "period_start", "category", "published_on"
        )
    }
    wanted = {}
    for period in periods:
        due_on = rules.disclosure_due_on(period, months, due_days)
        for village_id in villages:
            for category in AffairsDisclosure.Category.values:
                problem = rules.disclosure_problem(
                    published_on=published.get((village_id, period, category)), due_on=due_on, day=today
                )
                if problem:
                    wanted[(village_id, period, category)] = (problem, due_on)
    existing = {
        (f.village_id, f.period_start, f.category): f
        for f in DisclosureFlag.objects.select_for_update().filter(period_start__in=periods)
    }
    created = changed = 0
    for key, (kind, due_on) in wanted.items():
        flag = existing.get(key)
        if flag is None:
            DisclosureFlag.objects.create(
                village_id=key[0], period_start=key[1], category=key[2], kind=kind, due_on=due_on, flagged_on=today
            )
            created += 1
        elif flag.kind != kind or flag.due_on != due_on:
            flag.kind, flag.due_on, flag.flagged_on = kind, due_on, today
            flag.save(update_fields=["kind", "due_on", "flagged_on"])
            changed += 1
    stale = [flag.pk for key, flag in existing.items() if key not in wanted]
    if stale:
        DisclosureFlag.objects.filter(pk__in=stale).delete()
    if created or changed or stale:
        audit_record(
            actor=None,
            action=AuditRecord.Action.UPDATE,
            object_type=DisclosureFlag._meta.label,
            summary=_("Disclosure flags updated"),
            changes={"created": created, "changed": changed, "removed": len(stale), "on": today},
        )
    counts = {"missing": 0, "late": 0}
    for kind, _due in wanted.values():
        counts[kind] += 1
    return counts


# --- Warning education -----------------------------------------------------------------------------


@transaction.atomic
def warning_session_create(*, user, township, held_on, title, location="", content="", attendees=()):
    _require_supervisor(user)
    attendees = list(attendees)
    if any(cadre.township_id != township.pk for cadre in attendees):
        raise ValidationError({"attendees": _("Every attendee must be a cadre of the township.")})
    session = WarningEducationSession(
        township=township, held_on=held_on, title=title, location=location, content=content, recorded_by=user
    )
    summary = _("Warning education session recorded")
    fields = ("township", "held_on", "title")
    return _create_with_members(session, "attendees", attendees, user=user, summary=summary, fields=fields)


# --- Sanctions, investigations, vetoes -----------------------------------------------------------


@transaction.atomic
def sanction_record(
    *, user, cadre, severity, decided_on, description, effective_until=None, decided_by_body="", petition=None, inspection=None
):
    """Record a sanction. Without an explicit end, the effect period is the default for its type (rules)."""
    _require_supervisor(user)
    if severity not in Sanction.Severity.values:
        raise ValidationError({"severity": _("Unknown sanction type.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    if effective_until is None:
        effective_until = rules.sanction_default_until(severity, decided_on)
    if effective_until is not None and effective_until < decided_on:
        raise ValidationError({"effective_until": _("The effect period cannot end before the decision.")})
    if petition is not None and petition.cadre_id not in (None, cadre.pk):
        raise ValidationError({"petition": _("The linked petition concerns another cadre.")})
    sanction = Sanction(
        cadre=cadre,
        severity=severity,
        decided_on=decided_on,
        effective_until=effective_until,
        decided_by_body=decided_by_body,
        description=description,
        petition=petition,
        inspection=inspection,
        recorded_by=user,
    )
    return audited_create(
        sanction,
        actor=user,
        summary=_("Sanction recorded"),
        fields=("cadre", "severity", "decided_on", "effective_until", "petition", "inspection"),
    )


@transaction.atomic
def investigation_open(*, user, cadre, opened_on, description, suspended=False, petition=None):
    _require_supervisor(user)
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("The date cannot be in the future.")})
    investigation = Investigation(
        cadre=cadre, opened_on=opened_on, description=description, suspended=suspended, petition=petition, recorded_by=user
    )
    return audited_create(
        investigation, actor=user, summary=_("Investigation opened"), fields=("cadre", "opened_on", "suspended", "petition")
    )


@transaction.atomic
def investigation_close(*, user, investigation, closed_on, conclusion):
    _require_supervisor(user)
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if investigation.closed_on is not None:
        raise ValidationError(_("This investigation is already concluded."))
    if closed_on < investigation.opened_on:
        raise ValidationError({"closed_on": _("The conclusion cannot be before the investigation was opened.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The date cannot be in the future.")})
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Give the conclusion.")})
    audited_update(
        investigation,
        actor=user,
        values={"closed_on": closed_on, "conclusion": conclusion.strip(), "closed_by": user},
        summary=_("Investigation concluded"),
        fields=("closed_on", "conclusion"),
    )
    return investigation


@transaction.atomic
def veto_record(*, user, cadre, year, occurred_on, reason, kind=VetoEvent.Kind.OTHER):
    _require_supervisor(user)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    if year not in (occurred_on.year, occurred_on.year - 1):
        raise ValidationError({"year": _("A veto counts against the year it occurred in or the year before.")})
    veto = VetoEvent(cadre=cadre, year=year, occurred_on=occurred_on, kind=kind, reason=reason, recorded_by=user)
    return audited_create(
        veto, actor=user, summary=_("One-vote veto recorded"), fields=("cadre", "year", "occurred_on", "kind", "reason")
    )


@transaction.atomic
def veto_revoke(*, user, veto, reason):
    """A veto recorded in error is revoked, with who and why; the record stays."""
    _require_supervisor(user)
    veto = VetoEvent.objects.select_for_update().get(pk=veto.pk)
    if veto.revoked_at is not None:
        raise ValidationError(_("This veto is already revoked."))
    if not reason.strip():
        raise ValidationError({"revoke_reason": _("Give the reason for revoking.")})
    veto.revoked_at = timezone.now()
    veto.revoked_by = user
    veto.revoke_reason = reason.strip()
    veto.full_clean()
    veto.save()
    audit_record(
        actor=user,
        action=AuditRecord.Action.UPDATE,
        obj=veto,
        summary=_("One-vote veto revoked"),
        changes={"revoke_reason": veto.revoke_reason},
    )
    return veto


# --- Dismissal ---------------------------------------------------------------------------------


@transaction.atomic
def dismissal_record(*, user, cadre, dismissed_on, reason, sanction=None):
    """Dismiss (清退) a cadre: ends the post through the core service, so the allowance stops next month."""
    if not township_allowed_for_user(user, cadre.township_id):
        raise PermissionDenied
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the dismissal.")})
    if dismissed_on > timezone.localdate():
        raise ValidationError({"dismissed_on": _("The date cannot be in the future.")})
    if sanction is not None and sanction.cadre_id != cadre.pk:
        raise ValidationError({"sanction": _("The linked sanction concerns another cadre.")})
    if Cadre.objects.get(pk=cadre.pk).status != Cadre.Status.IN_POST:
        raise ValidationError(_("This cadre has already left post."))
    dismissal = Dismissal(cadre=cadre, dismissed_on=dismissed_on, reason=reason.strip(), sanction=sanction, decided_by=user)
    dismissal.full_clean()
    cadre_mark_left(user=user, cadre=cadre, left_on=dismissed_on, reason=_("Dismissed: %(reason)s") % {"reason": reason.strip()})
    return audited_create(
        dismissal, actor=user, summary=_("Cadre dismissed"), fields=("cadre", "dismissed_on", "reason", "sanction")
    )


# --- Settings ------------------------------------------------------------------------------------

SETTINGS_FIELDS = ("petition_deadline_days", "disclosure_period_months", "disclosure_due_days")


@transaction.atomic
def supervision_settings_update(*, user, **values):
    """The county administrator changes the supervision settings (from the admin)."""
    if not user.is_county_admin:
        raise PermissionDenied
    conf, _created = SupervisionSettings.objects.select_for_update().get_or_create(pk=1)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown)[0])
    audited_update(conf, actor=user, values=values, summary=_("Supervision settings changed"), fields=SETTINGS_FIELDS)
    return conf
