"""Appeal deadlines and remedies (DESIGN §12): pure functions over plain values, no ORM."""

import datetime

from django.utils.translation import gettext as _

FILED, COMMENTED, DECIDED = "filed", "commented", "decided"
UPHELD_OUTCOMES = ("upheld", "partly_upheld")


def filing_deadline(decided_on: datetime.date, filing_days: int) -> datetime.date:
    """The last day an appeal may be filed: ``filing_days`` after the decision (the decision day not counted)."""
    return decided_on + datetime.timedelta(days=filing_days)


def filing_problem(*, today: datetime.date, decided_on: datetime.date, filing_days: int) -> str:
    """Why an appeal filed ``today`` is refused, or "" when it is in time."""
    last = filing_deadline(decided_on, filing_days)
    if today > last:
        return _("The time to appeal this decision ended on %(date)s (%(days)s days after the decision of %(decided)s).") % {
            "date": f"{last:%Y-%m-%d}",
            "days": filing_days,
            "decided": f"{decided_on:%Y-%m-%d}",
        }
    return ""


def due_dates(*, filed_on: datetime.date, comment_days: int, decision_days: int) -> tuple[datetime.date, datetime.date]:
    """(the township's comment due, the county's decision due), both counted from the filing day."""
    return filed_on + datetime.timedelta(days=comment_days), filed_on + datetime.timedelta(days=decision_days)


def is_overdue(*, status: str, today: datetime.date, comment_due: datetime.date, decision_due: datetime.date) -> bool:
    """Past the date of the step that is due: the comment while filed, the decision until decided."""
    if status == DECIDED:
        return False
    if today > decision_due:
        return True
    return status == FILED and today > comment_due


def remedies_for(*, subject_kind: str, proposal_status: str = "", has_rank_change: bool = False) -> list[str]:
    """What an upheld appeal may lead to: a correction of an approved rank change, a rejected proposal sent
    to the county again, or a regrade; a sanction is the supervisor's to revise, so nothing follows here."""
    if subject_kind == "grade":
        return ["regrade"]
    if subject_kind == "demotion" or (subject_kind == "proposal" and proposal_status == "approved" and has_rank_change):
        return ["correction"]
    if subject_kind == "proposal" and proposal_status == "rejected":
        return ["proposal"]
    return []
