import datetime

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cadre_mgmt import registry

from .models import BranchMeeting, RevitalizationProject
from .rules import Attendance
from .selectors import attendance_for, cadre_projects, can_read_branches

FAR_FUTURE = datetime.date(9999, 12, 31)


def _count(queryset, group):
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _figures(user):
    """This year's branch meetings held while the cadre was in post, and those it attended (as
    ``rules.attendance`` counts them), on the query that loads the cadre."""
    year = timezone.localdate().year
    until = Coalesce(OuterRef("left_on"), Value(FAR_FUTURE))
    held = BranchMeeting.objects.filter(
        village_id=OuterRef("village_id"), held_on__year=year, held_on__gte=OuterRef("first_appointed_on"), held_on__lte=until
    )
    attended = BranchMeeting.attendees.through.objects.filter(
        cadre_id=OuterRef("pk"),
        branchmeeting__held_on__year=year,
        branchmeeting__held_on__gte=OuterRef("first_appointed_on"),
        branchmeeting__held_on__lte=until,
    )
    projects = RevitalizationProject.objects.filter(responsible=OuterRef("pk"))
    newest = projects.order_by("-starts_on", "-pk").values("name")[:1]
    return {
        "incentives_branch_held": _count(held, "village_id"),
        "incentives_branch_attended": _count(attended, "cadre_id"),
        "incentives_projects": _count(projects.annotate(one=Value(1)), "one"),
        "incentives_newest_project": Subquery(newest),
    }


@registry.with_cadre_figures(_figures)
def branch_panel_context(cadre, user):
    """The cadre file's "党建与振兴" section: this year's branch attendance (on the cadre's query when it came
    with it) and the projects in charge (one query)."""
    if not can_read_branches(user):
        return {"branch_hidden": True}
    year = timezone.localdate().year
    if hasattr(cadre, "incentives_branch_held"):
        attendance = Attendance(held=cadre.incentives_branch_held, attended=cadre.incentives_branch_attended)
        projects = (cadre.incentives_projects, cadre.incentives_newest_project)
    else:
        attendance = attendance_for(cadres=[cadre], year=year)[cadre.pk]
        projects = cadre_projects(cadre)
    return {"attendance": attendance, "project_count": projects[0], "newest_project": projects[1], "year": year}
