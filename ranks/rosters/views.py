"""Roster pages: the month's roster, its changes, generation, locking and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.web import post_action, refusal_text, xlsx_response

from ..ladder import rules
from ..models import Roster, RosterExport
from . import exports, selectors, services
from .forms import MonthForm


def _month_from(request):
    """The month asked for (?month=YYYY-MM), else the latest roster's, else this month."""
    form = MonthForm(request.GET)
    if form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"], form
    return selectors.latest_roster_month() or rules.first_of_month(timezone.localdate()), form


def _roster_url(month, **extra):
    query = "&".join([f"month={month:%Y-%m}", *(f"{k}={v}" for k, v in extra.items())])
    return f"{reverse('ranks:roster')}?{query}"


@login_required
def roster(request):
    month, form = _month_from(request)
    the_roster = selectors.roster_for_month(month=month)
    townships, township = selectors.roster_township(user=request.user, raw=request.GET.get("township", ""))
    context = {
        "month": month,
        "month_form": form,
        "roster": the_roster,
        "rosters": selectors.recent_rosters(),
        "townships": townships,
        "township": township,
        "can_manage": selectors.can_manage_rosters(request.user),
        "previous_month": rules.add_months(month, -1),
        "next_month": rules.add_months(month, 1),
    }
    if the_roster is not None:
        page = request.GET.get("page")
        context.update(selectors.roster_page(roster=the_roster, user=request.user, township=township, page=page))
    return render(request, "ranks/roster_detail.html", context)


@login_required
def roster_changes(request):
    month, _form = _month_from(request)
    the_roster = selectors.roster_for_month(month=month)
    if the_roster is None:
        raise Http404
    changes = selectors.roster_changes(roster=the_roster, user=request.user)
    return render(request, "ranks/roster_changes_list.html", {"roster": the_roster, "month": month, "changes": changes})


@login_required
@require_POST
def roster_generate(request):
    require(selectors.can_manage_rosters(request.user))
    form = MonthForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["month"]:
        messages.error(request, _("Enter a month as YYYY-MM, for example 2026-03."))
        return redirect("ranks:roster")
    month = form.cleaned_data["month"]
    return post_action(
        request,
        lambda: services.roster_generate(month=month, user=request.user),
        success=lambda roster: (
            _("The roster of %(month)s has been generated: %(lines)s lines.")
            % {"month": rules.month_key(month), "lines": roster.line_count}
        ),
        redirect_to=_roster_url(month),
    )


@login_required
@require_POST
def roster_lock(request, pk):
    require(selectors.can_manage_rosters(request.user))
    the_roster = get_object_or_404(Roster, pk=pk)
    return post_action(
        request,
        lambda: services.roster_lock(roster=the_roster, user=request.user),
        success=_("The roster of %(month)s is locked.") % {"month": rules.month_key(the_roster.month)},
        redirect_to=_roster_url(the_roster.month),
    )


@login_required
def roster_export(request, pk):
    the_roster = get_object_or_404(Roster, pk=pk)
    require(exports.can_export_rosters(request.user))
    if exports.roster_export_needs_job(roster=the_roster, user=request.user):
        try:
            exports.roster_export_request(roster=the_roster, user=request.user)
            messages.info(request, _("The export is being prepared; the download link appears on this page when it is ready."))
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        return redirect(_roster_url(the_roster.month))
    content = exports.roster_export_now(roster=the_roster, user=request.user)
    return xlsx_response(content, f"roster-{the_roster.month:%Y-%m}.xlsx")


@login_required
def roster_export_status(request, pk):
    """The htmx fragment the roster page polls while an export runs."""
    export = selectors.export_for_user(user=request.user, pk=pk)
    return render(request, "ranks/_export_status.html", {"export": export})


@login_required
def roster_export_download(request, pk):
    export = selectors.export_for_user(user=request.user, pk=pk)
    if export.status != RosterExport.Status.DONE or not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"roster-{export.roster.month:%Y-%m}.xlsx")


@login_required
@require_POST
def roster_export_restart(request, pk):
    export = selectors.export_for_user(user=request.user, pk=pk)
    return post_action(
        request,
        lambda: exports.roster_export_restart(export=export, user=request.user),
        success=_("The export has been started again."),
        redirect_to=_roster_url(export.roster.month),
    )
