from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require
from cadre_mgmt.cadres.selectors import cadres_for_user, townships_for_user
from cadre_mgmt.web import xlsx_response

from . import rules, selectors, services
from .forms import GradingForm, GradingRuleForm, LadderFormSet, MonthForm, RejectForm, ScheduleForm
from .models import InitialGrading, LadderStep, Roster, RosterExport

LINES_PER_PAGE = 100


def _error_text(exc):
    return "；".join(exc.messages)


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


# Rosters ----------------------------------------------------------------------------------------


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
        messages.error(request, _error_text(exc))
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
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The roster of %(month)s is locked.") % {"month": f"{the_roster.month:%Y-%m}"})
    return redirect(_roster_url(the_roster.month))


@login_required
def roster_export(request, pk):
    the_roster = get_object_or_404(Roster, pk=pk)
    if not request.user.sees_all_townships and request.user.township_id is None:
        raise PermissionDenied
    if services.roster_export_needs_job(roster=the_roster, user=request.user):
        services.roster_export_request(roster=the_roster, user=request.user)
        messages.info(request, _("The export is being prepared; the download link appears on this page when it is ready."))
        return redirect(_roster_url(the_roster.month))
    content = services.roster_export_now(roster=the_roster, user=request.user)
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


# Initial grading --------------------------------------------------------------------------------


def _require_grading_user(user):
    require(user.is_township_staff or user.is_county_approver)


@login_required
def grading(request):
    _require_grading_user(request.user)
    ungraded = list(
        selectors.ungraded_cadres_for(user=request.user).order_by("township__sort_order", "village__sort_order", "name")[:500]
    )
    computed = selectors.computed_initial_levels(cadres=ungraded)
    submitted = list(selectors.gradings_for(user=request.user))
    return render(
        request,
        "ranks/grading_list.html",
        {
            "ungraded": [(cadre, computed[cadre.pk]) for cadre in ungraded],
            "submitted": submitted,
            "can_submit": request.user.is_township_staff or request.user.is_county_admin,
            "can_approve": request.user.is_county_approver,
        },
    )


def _get_cadre_for_grading(user, pk):
    cadre = get_object_for_user(cadres_for_user(user=user), user, pk=pk)
    require(user.is_township_staff or user.is_county_admin)
    return cadre


@login_required
def grading_submit(request, cadre_pk):
    cadre = _get_cadre_for_grading(request.user, cadre_pk)
    computed = selectors.computed_initial_levels(cadres=[cadre])[cadre.pk]
    form = GradingForm(request.POST or None, computed_level=computed.level, initial={"proposed_level": computed.level})
    if request.method == "POST" and form.is_valid():
        try:
            services.initial_grading_submit(
                user=request.user,
                cadre=cadre,
                proposed_level=form.cleaned_data["proposed_level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The initial grading of %(name)s has been submitted.") % {"name": cadre.name})
            return redirect("ranks:grading")
    return render(request, "ranks/grading_form.html", {"form": form, "cadre": cadre, "computed": computed})


@login_required
@require_POST
def grading_submit_batch(request):
    require(request.user.is_township_staff or request.user.is_county_admin)
    ids = [int(value) for value in request.POST.getlist("cadre") if value.isdigit()]
    cadres = list(selectors.ungraded_cadres_for(user=request.user).filter(pk__in=ids))
    if not cadres:
        messages.error(request, _("Select at least one cadre."))
        return redirect("ranks:grading")
    try:
        services.initial_gradings_submit(user=request.user, cadres=cadres)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(count)s initial gradings submitted.") % {"count": len(cadres)})
    return redirect("ranks:grading")


@login_required
@require_POST
def grading_approve_batch(request):
    require(request.user.is_county_approver)
    # "single" is the approve button of one row; otherwise the checked rows.
    values = [request.POST["single"]] if request.POST.get("single") else request.POST.getlist("grading")
    ids = [int(value) for value in values if value.isdigit()]
    gradings = list(InitialGrading.objects.filter(pk__in=ids, status=InitialGrading.Status.SUBMITTED).select_related("cadre"))
    if not gradings:
        messages.error(request, _("Select at least one initial grading."))
        return redirect("ranks:grading")
    try:
        services.initial_gradings_approve(gradings=gradings, approver=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("%(count)s initial gradings approved; they take effect next month.") % {"count": len(gradings)}
        )
    return redirect("ranks:grading")


@login_required
def grading_reject(request, pk):
    require(request.user.is_county_approver)
    the_grading = get_object_or_404(InitialGrading.objects.select_related("cadre"), pk=pk, status=InitialGrading.Status.SUBMITTED)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.initial_grading_reject(grading=the_grading, approver=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The initial grading of %(name)s has been rejected.") % {"name": the_grading.cadre.name})
            return redirect("ranks:grading")
    return render(request, "ranks/grading_reject_form.html", {"form": form, "grading": the_grading})


# Settings ---------------------------------------------------------------------------------------


def _settings_context(ladder_formset=None, schedule_form=None, rule_form=None):
    rule = selectors.grading_rule()
    return {
        "ladder_formset": ladder_formset or LadderFormSet(queryset=LadderStep.objects.order_by("-from_level")),
        "schedule": selectors.allowance_schedule().rows[::-1],
        "schedule_form": schedule_form or ScheduleForm(),
        "rule_form": rule_form
        or GradingRuleForm(
            initial={
                "years_per_level": rule.years_per_level,
                "highest_level": rule.highest_level,
                "lower_for_basically_competent": rule.lower_for_basically_competent,
            }
        ),
    }


@login_required
def settings_page(request):
    require(request.user.is_county_admin)
    return render(request, "ranks/settings_form.html", _settings_context())


@login_required
@require_POST
def settings_ladder(request):
    require(request.user.is_county_admin)
    formset = LadderFormSet(request.POST, queryset=LadderStep.objects.order_by("-from_level"))
    if formset.is_valid():
        changed = 0
        with transaction.atomic():
            for form in formset.forms:
                fields = {name: form.cleaned_data[name] for name in services.LADDER_FIELDS}
                if services.ladder_step_update(user=request.user, step=form.instance, **fields):
                    changed += 1
        messages.success(request, _("Ladder saved: %(count)s steps changed.") % {"count": changed})
        return redirect("ranks:settings")
    return render(request, "ranks/settings_form.html", _settings_context(ladder_formset=formset), status=400)


@login_required
@require_POST
def settings_schedule(request):
    require(request.user.is_county_admin)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.allowance_schedule_set(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The allowance schedule has been saved."))
            return redirect("ranks:settings")
    return render(request, "ranks/settings_form.html", _settings_context(schedule_form=form), status=400)


@login_required
@require_POST
def settings_rule(request):
    require(request.user.is_county_admin)
    form = GradingRuleForm(request.POST)
    if form.is_valid():
        services.grading_rule_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("The initial grading rule has been saved."))
        return redirect("ranks:settings")
    return render(request, "ranks/settings_form.html", _settings_context(rule_form=form), status=400)
