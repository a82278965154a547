"""Dashboard: the work waiting for the user, by role (decisions, checks, exports, quarters to close)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    CharField,
    Exists,
    OuterRef,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import TownshipQuarter
from assessments.rules import quarter_bounds
from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.audit.models import AuditRecord
from supervision.selectors import overdue_petitions

from ..appeals.selectors import waiting_appeals_for_user
from ..grading.selectors import ungraded_cadres_for
from ..ladder import rules
from ..models import InitialGrading, Proposal, Roster
from .outcomes import proposal_counts

# Finance: locked rosters of this many recent months that the user has not exported yet.
DOWNLOAD_MONTHS = 12


@dataclass(frozen=True)
class WorkItem:
    key: str
    label: str
    count: int
    url: str
    detail: str = ""
    definition: str = ""  # one line under the label: what is counted


def quarters_not_closed(*, today, closed) -> list[tuple[int, int]]:
    """Pure: quarters of this year and last year that have ended and are not in ``closed``
    ({(year, quarter)}), oldest first."""
    due = []
    for year in (today.year - 1, today.year):
        for quarter in range(1, 5):
            _first, last = quarter_bounds(year, quarter)
            if last < today and (year, quarter) not in closed:
                due.append((year, quarter))
    return due


def _approver_work(user, today, by_status) -> list[WorkItem]:
    this_month = rules.first_of_month(today)
    drafts = list(
        Roster.objects.filter(status=Roster.Status.DRAFT, month__lte=this_month).order_by("month").values_list("month", flat=True)
    )
    gradings = scope_for_user(
        InitialGrading.objects.filter(status=InitialGrading.Status.SUBMITTED), user, township_field="township"
    ).count()
    roster_url = reverse("ranks:roster") + (f"?month={drafts[0]:%Y-%m}" if drafts else "")
    return [
        WorkItem(
            "proposals_to_decide",
            _("Promotion proposals to decide"),
            by_status[Proposal.Status.SUBMITTED],
            reverse("ranks:proposals") + "?status=submitted",
            definition=_("Proposed changes of any year the township submitted and no county approver decided yet."),
        ),
        WorkItem(
            "gradings_to_approve",
            _("Initial gradings to approve"),
            gradings,
            reverse("ranks:grading"),
            definition=_("Initial gradings the townships submitted, not yet approved or rejected."),
        ),
        WorkItem(
            "rosters_to_lock",
            _("Rosters to lock"),
            len(drafts),
            roster_url,
            "、".join(f"{month:%Y-%m}" for month in drafts[:6]),
            _("Draft rosters of this month or earlier."),
        ),
    ]


def _township_work(user, today, by_status) -> list[WorkItem]:
    closed = set(
        TownshipQuarter.objects.filter(
            township_id=user.township_id, year__gte=today.year - 1, status=TownshipQuarter.Status.CLOSED
        ).values_list("year", "quarter")
    )
    due = quarters_not_closed(today=today, closed=closed)
    quarter_url = reverse("assessments:overview") + (f"?year={due[0][0]}" if due else "")
    return [
        WorkItem(
            "proposals_to_check",
            _("Promotion proposals to check"),
            by_status[Proposal.Status.PENDING],
            reverse("ranks:proposals") + "?status=pending",
            definition=_("Proposed changes of any year your township has not checked and submitted yet."),
        ),
        WorkItem(
            "proposals_returned",
            _("Proposals returned by the county"),
            by_status[Proposal.Status.REJECTED],
            reverse("ranks:proposals") + "?status=rejected",
            definition=_("Proposals the county rejected: add material and resubmit them, or close them."),
        ),
        WorkItem(
            "quarters_not_closed",
            _("Quarters ended but not closed"),
            len(due),
            quarter_url,
            "、".join(_("Quarter %(quarter)s of %(year)s") % {"quarter": quarter, "year": year} for year, quarter in due),
            _("Quarters of this and last year that have ended and are not closed."),
        ),
        WorkItem(
            "gradings_to_submit",
            _("Cadres without a level to grade"),
            ungraded_cadres_for(user=user).count(),
            reverse("ranks:grading"),
            definition=_("Cadres in post with no rank history and no initial grading submitted."),
        ),
    ]


def _finance_work(user, today) -> list[WorkItem]:
    first = rules.add_months(rules.first_of_month(today), 1 - DOWNLOAD_MONTHS)
    exported = AuditRecord.objects.filter(
        actor=user,
        action=AuditRecord.Action.EXPORT,
        object_type=Roster._meta.label,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    months = list(
        Roster.objects.filter(status=Roster.Status.LOCKED, month__gte=first)
        .filter(~Exists(exported))
        .order_by("-month")
        .values_list("month", flat=True)
    )
    url = reverse("ranks:roster") + (f"?month={months[0]:%Y-%m}" if months else "")
    detail = "、".join(f"{month:%Y-%m}" for month in months[:6])
    definition = _("Locked rosters of the last 12 months that you have not exported.")
    return [WorkItem("rosters_to_download", _("Locked rosters you have not exported"), len(months), url, detail, definition)]


def _appeal_work(user) -> WorkItem:
    """DESIGN §12: the appeals waiting for this role's step (the township's comment, the county's decision)."""
    waiting = waiting_appeals_for_user(user=user).count()
    definition = (
        _("Appeals waiting for your comment.") if user.is_township_staff else _("Appeals waiting for the county's decision.")
    )
    return WorkItem("appeals_waiting", _("Appeals waiting"), waiting, reverse("ranks:appeals"), definition=definition)


def work_waiting(*, user, today, proposals=None) -> list[WorkItem]:
    """What waits for this user, by role: counts with a link to the page where it is done.
    ``proposals``: ``proposal_counts`` when the caller has them already."""
    items = []
    if user.is_county_approver or user.is_township_staff:
        proposals = proposal_counts(user=user) if proposals is None else proposals
        by_status = defaultdict(int)
        for (_year, _outcome, status), n in proposals.items():
            by_status[status] += n
        if user.is_county_approver:
            items += _approver_work(user, today, by_status)
        if user.is_township_staff:
            items += _township_work(user, today, by_status)
        items.append(_appeal_work(user))
    if user.is_supervisor:
        items.append(
            WorkItem(
                "overdue_petitions",
                _("Overdue petitions"),
                overdue_petitions(user=user).count(),
                reverse("supervision:petition_list") + "?overdue=on",
                definition=_("Petitions past their due date and not concluded."),
            )
        )
    if user.is_finance:
        items += _finance_work(user, today)
    return items
