"""Party-branch meeting and revitalization project pages. Thin: access, form, one service, redirect."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.lookups import posted_ids
from cadre_mgmt.web import list_page, submit_form

from . import services
from .forms import BranchFilterForm, MeetingForm, ProjectForm, VillageForm
from .selectors import can_read_branches, can_write_branches, meetings_for_user, projects_for_user


def _context(request, tab, **extra):
    return {"can_write": can_write_branches(request.user), "active_tab": tab, **extra}


@login_required
def meeting_list(request):
    require(can_read_branches(request.user))
    form = BranchFilterForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    rows = meetings_for_user(user=request.user, year=year).prefetch_related("attendees")
    return list_page(request, "incentives/branches/meeting_list.html", rows, _context(request, "meetings", form=form, year=year))


@login_required
def project_list(request):
    require(can_read_branches(request.user))
    cadre = request.GET.get("cadre", "")
    rows = projects_for_user(user=request.user, cadre=(posted_ids([cadre]) or [None])[0])
    return list_page(request, "incentives/branches/project_list.html", rows, _context(request, "projects"))


def _village_step(request, stem, title):
    """No village chosen yet (or an invalid one): the village picker, the record screen's first step."""
    picker = VillageForm(request.GET or None, user=request.user)
    if picker.is_valid():
        return picker.cleaned_data["village"], None
    context = {"picker": picker, "title": title, "active_tab": stem}
    return None, render(request, "incentives/branches/record_form.html", context)


def _record(request, form_class, service, *, screen, done):
    """The record screen of one village: its form, one service call, the list page."""
    stem, title, list_url = screen
    require(can_write_branches(request.user))
    village, picker_page = _village_step(request, stem, title)
    if picker_page is not None:
        return picker_page
    form = form_class(request.POST or None, village=village)
    return submit_form(
        request,
        form,
        lambda data: service(user=request.user, village=village, **data),
        done,
        template="incentives/branches/record_form.html",
        context={"title": title, "village": village, "active_tab": stem},
        redirect_to=reverse(list_url),
    )


@login_required
def meeting_create(request):
    screen = ("meetings", _("Record a Party-branch meeting"), "incentives:meeting_list")
    return _record(
        request, MeetingForm, services.meeting_record, screen=screen, done=_("The meeting and its attendance have been recorded.")
    )


@login_required
def project_create(request):
    screen = ("projects", _("Record a revitalization project"), "incentives:project_list")
    return _record(request, ProjectForm, services.project_record, screen=screen, done=_("The project has been recorded."))
