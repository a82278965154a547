"""Reads of the appeals: the decisions a cadre may appeal, scoped appeal lists, the waiting lists, deadlines."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AnnualReview, TownshipYear
from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user
from cadre_mgmt.cadres.models import Cadre
from supervision.models import Sanction

from ..models import Appeal, AppealSettings, Notice, Proposal, RankChange
from . import rules


def appeal_settings() -> AppealSettings:
    return AppealSettings.objects.get_or_create(pk=1)[0]


@dataclass(frozen=True)
class Decision:
    """A decision about the cadre that an appeal may contest, as the cadre's pages name it."""

    kind: str
    id: int
    label: str
    decided_on: datetime.date
    last_day: datetime.date
    in_time: bool
    open_appeal: bool


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _grade_rows(grades: Iterable[AnnualReview]) -> list[tuple[str, int, str, datetime.date | None]]:
    return [
        (
            "grade",
            r.pk,
            _("%(year)s annual grade: %(grade)s") % {"year": r.year, "grade": r.get_grade_display()},
            _day(r.township_year.confirmed_at),
        )
        for r in grades
        if r.grade and r.township_year.status == TownshipYear.Status.CONFIRMED
    ]


def _proposal_rows(proposals: Iterable[Proposal]) -> list[tuple[str, int, str, datetime.date | None]]:
    return [
        (
            "proposal",
            p.pk,
            _("%(year)s promotion review: %(outcome)s, %(status)s")
            % {"year": p.year, "outcome": p.get_outcome_display(), "status": p.get_status_display()},
            _day(p.decided_at),
        )
        for p in proposals
        if p.status in (Proposal.Status.APPROVED, Proposal.Status.REJECTED)
    ]


def _raw_decisions(cadre: Cadre, *, loaded: dict | None = None) -> list[tuple[str, int, str, datetime.date | None]]:
    """The decisions about the cadre; ``loaded``: the grades, proposals and rank history the cadre's file
    has read already (``own_file``), so that they are not read twice."""
    if loaded is None:
        loaded = {
            "grades": AnnualReview.objects.filter(cadre=cadre).select_related("township_year").order_by("-year"),
            "proposals": Proposal.objects.filter(cadre=cadre).order_by("-year"),
            "history": RankChange.objects.filter(cadre=cadre, kind=RankChange.Kind.DEMOTION),
        }
    rows = _grade_rows(loaded["grades"]) + _proposal_rows(loaded["proposals"])
    by_proposal = {p.rank_change_id for p in loaded["proposals"] if p.rank_change_id}
    rows += [
        ("demotion", c.pk, _("Demotion to level %(level)s") % {"level": c.to_level}, _day(c.approved_at))
        for c in loaded["history"]
        if c.kind == RankChange.Kind.DEMOTION and c.pk not in by_proposal
    ]
    sanctions = Sanction.objects.filter(cadre=cadre).order_by("-decided_on")
    rows += [("sanction", s.pk, _("Sanction: %(kind)s") % {"kind": s.get_severity_display()}, s.decided_on) for s in sanctions]
    return rows


def appealable_decisions(*, cadre: Cadre, today: datetime.date | None = None, loaded: dict | None = None) -> list[Decision]:
    """Every decision about the cadre that an appeal may contest, with its last day (6 queries; 3 with
    ``loaded``)."""
    today = today or timezone.localdate()
    days = appeal_settings().filing_days
    open_subjects = set(
        Appeal.objects.filter(cadre=cadre).exclude(status=Appeal.Status.DECIDED).values_list("subject_kind", "subject_id")
    )
    decisions = []
    for kind, pk, label, decided_on in _raw_decisions(cadre, loaded=loaded):
        if decided_on is None:
            continue
        last = rules.filing_deadline(decided_on, days)
        decisions.append(Decision(kind, pk, label, decided_on, last, today <= last, (kind, pk) in open_subjects))
    return decisions


def decision_for_cadre(*, cadre: Cadre, kind: str, pk: int) -> Decision | None:
    """The decision if it is about this cadre (else None: an appeal against someone else's is refused)."""
    return next((d for d in appealable_decisions(cadre=cadre) if d.kind == kind and d.id == pk), None)


# Staff side -----------------------------------------------------------------------------------------


def can_read_appeals(user: User) -> bool:
    """Township staff (their township's) and the county approvers; not supervision, not finance."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_approver)


def appeals_for_user(*, user: User) -> QuerySet[Appeal]:
    if not can_read_appeals(user):
        return Appeal.objects.none()
    return scope_for_user(Appeal.objects.select_related("cadre", "township", "cadre__village"), user)


def get_appeal_for_user(*, user: User, pk: int) -> Appeal:
    try:
        return appeals_for_user(user=user).prefetch_related("attachments").get(pk=pk)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


def waiting_appeals_for_user(*, user: User) -> QuerySet[Appeal]:
    """The appeals waiting for this user's step: the township's comment, or the county's decision."""
    rows = appeals_for_user(user=user)
    if user.is_township_staff:
        return rows.filter(status=Appeal.Status.FILED).order_by("comment_due", "id")
    if user.is_county_approver:
        return rows.filter(status=Appeal.Status.COMMENTED).order_by("decision_due", "id")
    return rows.none()


# Cadre side -----------------------------------------------------------------------------------------


def own_appeals(*, cadre: Cadre) -> QuerySet[Appeal]:
    return Appeal.objects.filter(cadre=cadre).order_by("-filed_at", "-id")


def get_own_appeal(*, cadre: Cadre, pk: int) -> Appeal:
    try:
        return own_appeals(cadre=cadre).prefetch_related("attachments").get(pk=pk)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


def own_notices(*, cadre: Cadre) -> QuerySet[Notice]:
    return Notice.objects.filter(cadre=cadre).order_by("-created_at", "-id")


def unread_notice_count(*, cadre: Cadre) -> int:
    return Notice.objects.filter(cadre=cadre, read_at__isnull=True).count()
