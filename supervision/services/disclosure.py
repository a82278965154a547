"""Village affairs disclosure and the daily job that flags what is missing or late."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record, audited_create
from cadre_mgmt.cadres.models import Village

from .. import rules
from ..models import AffairsDisclosure, DisclosureFlag
from ..selectors import supervision_settings


@transaction.atomic
def disclosure_record(
    *, user: User, village: Village, period_start: datetime.date, category: str, published_on: datetime.date, note: str = ""
) -> AffairsDisclosure:
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
def disclosures_flag(*, today: datetime.date) -> dict[str, int]:
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
