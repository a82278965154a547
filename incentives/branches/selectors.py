"""Reads of the Party-branch records and revitalization projects: the scoped lists and the evidence beside
the scores (attendance per cadre and year, projects per cadre and quarter)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user, writable_for_user
from cadre_mgmt.cadres.models import Cadre, Village

from . import rules
from .models import BranchMeeting, RevitalizationProject


def can_read_branches(user: User) -> bool:
    """County roles and township staff (their township): the readers of the assessments they stand beside."""
    return user.is_authenticated and (user.is_county_approver or user.is_township_staff)


def can_write_branches(user: User) -> bool:
    return user.is_authenticated and (user.is_township_staff or user.is_county_admin)


def meetings_for_user(*, user: User, village: int | None = None, year: int | None = None) -> QuerySet[BranchMeeting]:
    if not can_read_branches(user):
        return BranchMeeting.objects.none()
    rows = BranchMeeting.objects.select_related("township", "village")
    if village:
        rows = rows.filter(village_id=village)
    if year:
        rows = rows.filter(held_on__year=year)
    return scope_for_user(rows, user)


def projects_for_user(*, user: User, village: int | None = None, cadre: int | None = None) -> QuerySet[RevitalizationProject]:
    if not can_read_branches(user):
        return RevitalizationProject.objects.none()
    rows = RevitalizationProject.objects.select_related("township", "village").prefetch_related("responsible")
    if village:
        rows = rows.filter(village_id=village)
    if cadre:
        rows = rows.filter(responsible=cadre)
    return scope_for_user(rows, user)


def writable_villages(user: User) -> QuerySet[Village]:
    return writable_for_user(Village.objects.select_related("township"), user)


def village_cadres(village: Village) -> QuerySet[Cadre]:
    """The village's cadres in post: the attendance checklist and the project's responsible cadres."""
    return Cadre.objects.filter(village=village, status=Cadre.Status.IN_POST).order_by("name", "pk")


def attendance_for(*, cadres: Iterable[Cadre], year: int) -> dict[int, rules.Attendance]:
    """Each cadre's attendance of its village branch's meetings in ``year`` (while in post): two queries."""
    cadres = list(cadres)
    if not cadres:
        return {}
    village_ids = {cadre.village_id for cadre in cadres}
    meetings = defaultdict(list)
    for meeting_id, village_id, held_on in BranchMeeting.objects.filter(
        village_id__in=village_ids, held_on__year=year
    ).values_list("id", "village_id", "held_on"):
        meetings[village_id].append((meeting_id, held_on))
    attended = defaultdict(set)
    through = BranchMeeting.attendees.through.objects.filter(
        cadre_id__in=[cadre.pk for cadre in cadres], branchmeeting__held_on__year=year
    )
    for cadre_id, meeting_id in through.values_list("cadre_id", "branchmeeting_id"):
        attended[cadre_id].add(meeting_id)
    return {
        cadre.pk: rules.attendance(
            meetings[cadre.village_id], attended[cadre.pk], first_appointed_on=cadre.first_appointed_on, left_on=cadre.left_on
        )
        for cadre in cadres
    }


def projects_by_cadre(
    *, cadre_ids: Iterable[int], first: datetime.date, last: datetime.date
) -> dict[int, list[RevitalizationProject]]:
    """The projects each cadre is responsible for whose period overlaps first..last: one query."""
    cadre_ids = list(cadre_ids)
    result: dict[int, list[RevitalizationProject]] = defaultdict(list)
    if not cadre_ids:
        return result
    project = "revitalizationproject__"
    period = Q(**{f"{project}starts_on__lte": last}) & (
        Q(**{f"{project}ends_on__isnull": True}) | Q(**{f"{project}ends_on__gte": first})
    )
    links = (
        RevitalizationProject.responsible.through.objects.filter(period, cadre_id__in=cadre_ids)
        .select_related("revitalizationproject")
        .order_by(f"{project}starts_on", "revitalizationproject_id")
    )
    for link in links:
        result[link.cadre_id].append(link.revitalizationproject)
    return result


def cadre_projects(cadre: Cadre) -> tuple[int, str | None]:
    """How many projects the cadre is (or was) responsible for, and the newest one's name."""
    rows = RevitalizationProject.objects.filter(responsible=cadre)
    newest = rows.order_by("-starts_on", "-pk").values_list("name", flat=True).first()
    return rows.count(), newest
