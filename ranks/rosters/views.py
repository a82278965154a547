"""Roster pages: the month's roster, its changes, generation, locking and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.cadres.selectors import townships_for_user
from cadre_mgmt.web import refusal_text, xlsx_response

from ..ladder import rules
from ..models import Roster, RosterExport
from . import exports, selectors, services
from .forms import MonthForm

LINES_PER_PAGE = 100


def _month_from(request, *, default_latest=True):
    """The month asked for (?month=YYYY-MM), else the latest roster's, else this month."""
    form = MonthForm(request.GET)
    if form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"], form
    latest = Roster.objects.order_by("-month").values_list("month", flat=True).first() if default_latest else None
    return latest or rules.first_of_month(timezone.localdate()), form


def _roster_url(month, **extra):
    query = "&".join([f"month={month:%Y-%m}", *(f"{k}={v}" for k, v in extra.items())])
    return f"{reverse('ranks:roster')}?{query}"


@login_required
def roster(request):
    month, form = _month_from(request)
    the_roster = selectors.roster_for_month(month=month)
    township = None
    townships = townships_for_user(user=request.user) if request.user.sees_all_townships else None
    if townships is not None and request.GET.get("township", "").isdigit():
        township = townships.filter(pk=request.GET["township"]).first()
    context = {
        "month": month,
        "month_form": form,
        "roster": the_roster,
        "rosters": selectors.recent_rosters(),
        "townships": townships,
        "township": township,
        "can_manage": request.user.is_county_approver,
        "previous_month": rules.add_months(month, -1),
        "next_month": rules.add_months(month, 1),
    }
    if the_roster is not None:
        totals, grand = selectors.roster_totals(roster=the_roster, user=request.user)
        lines = selectors.roster_lines(roster=the_roster, user=request.user, township=township)
        paginator = Paginator(lines, LINES_PER_PAGE)
        # The totals already counted the lines: no second COUNT over a 100,000-line month.
        paginator.count = next((t.lines for t in totals if t.township_id == township.pk), 0) if township else grand.lines
        context.update(
            {
                "totals": totals,
                "grand": grand,
                "page": paginator.get_page(request.GET.get("page")),
                "query": f"month={month:%Y-%m}" + (f"&township={township.pk}" if township else ""),
                "exports": RosterExport.objects.filter(roster=the_roster, requested_by=request.user)[:3],
            }
        )
    return render(request, "ranks/roster_detail.html", context)


@login_required
def roster_changes(request):
    month, form = _month_from(request)
    the_roster = selectors.roster_for_month(month=month)
    if the_roster is None:
        raise Http404
    return render(
        request,
        "ranks/roster_changes_list.html",
        {"roster": the_roster, "month": month, "changes": selectors.roster_changes(roster=the_roster, user=request.user)},
    )


@login_required
@require_POST
def roster_generate(request):
    require(request.user.is_county_approver)
    form = MonthForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["month"]:
        messages.error(request, _("Enter a month as YYYY-MM, for example 2026-03."))
        return redirect("ranks:roster")
    month = form.cleaned_data["month"]
    try:
        the_roster = services.roster_generate(month=month, user=request.user)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("The roster of %(month)s has been generated: %(lines)s lines.")
            % {"month": f"{month:%Y-%m}", "lines": the_roster.line_count},
        )
    return redirect(_roster_url(month))


@login_required
@require_POST
def roster_lock(request, pk):
    require(request.user.is_county_approver)
    the_roster = get_object_or_404(Roster, pk=pk)
    try:
        services.roster_lock(roster=the_roster, user=request.user)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The roster of %(month)s is locked.") % {"month": f"{the_roster.month:%Y-%m}"})
    return redirect(_roster_url(the_roster.month))


@login_required
def roster_export(request, pk):
    the_roster = get_object_or_404(Roster, pk=pk)
    if not request.user.sees_all_townships and request.user.township_id is None:
        raise PermissionDenied
    if exports.roster_export_needs_job(roster=the_roster, user=request.user):
        exports.roster_export_request(roster=the_roster, user=request.user)
        messages.info(request, _("The export is being prepared; the download link appears on this page when it is ready."))
        return redirect(_roster_url(the_roster.month))
    content = exports.roster_export_now(roster=the_roster, user=request.user)
    return xlsx_response(content, f"roster-{the_roster.month:%Y-%m}.xlsx")


def _get_export_for_user(user, pk):
    """Only the person who asked for an export sees it (it carries their scope)."""
    return get_object_or_404(RosterExport.objects.select_related("roster"), pk=pk, requested_by=user)


@login_required
def roster_export_status(request, pk):
    export = _get_export_for_user(request.user, pk)
    return render(request, "ranks/_export_status.html", {"export": export})


@login_required
def roster_export_download(request, pk):
    export = _get_export_for_user(request.user, pk)
    if export.status != RosterExport.Status.DONE or not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"roster-{export.roster.month:%Y-%m}.xlsx")
