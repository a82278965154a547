"""Supervision pages. Thin: an access check, a form, one service call, a redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require, township_allowed_for_user
from cadre_mgmt.cadres.selectors import villages_for_user
from cadre_mgmt.web import paginate, submit_form, xlsx_response

from . import exporting, rules, services
from .forms import (
    DisclosureForm,
    DismissalForm,
    InspectionForm,
    InvestigationCloseForm,
    InvestigationForm,
    PeriodForm,
    PetitionFilterForm,
    PetitionForm,
    PetitionStepForm,
    RectificationItemForm,
    RectificationStatusForm,
    RevokeForm,
    SanctionForm,
    VetoForm,
    WarningSessionForm,
)
from .models import Petition
from .selectors import (
    can_read_investigations,
    can_read_supervision,
    disclosure_flags_for_user,
    disclosure_grid,
    dismissals_for_user,
    inspections_for_user,
    investigations_for_user,
    overdue_petitions,
    petition_search,
    petitions_for_user,
    sanctions_for_user,
    sessions_for_user,
    supervision_settings,
    vetoes_for_user,
)


def _url(name, *args):
    return reverse(name, args=args)


PAGE_SIZE = 50


def _reader(request):
    require(can_read_supervision(request.user))


# --- Petitions -----------------------------------------------------------------------------------


def _petition_filters(request):
    form = PetitionFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, petition_search(user=request.user, **filters)


@login_required
def petition_list(request):
    _reader(request)
    form, qs = _petition_filters(request)
    page, query = paginate(request, qs)
    return render(
        request,
        "supervision/petition_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "overdue": overdue_petitions(user=request.user)[:20],
            "can_record": request.user.is_supervisor,
            "active_tab": "petitions",
        },
    )


@login_required
def petition_export(request):
    _reader(request)
    _form, qs = _petition_filters(request)
    content = exporting.export_petitions(user=request.user, queryset=qs)
    return xlsx_response(content, f"petitions-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def petition_detail(request, pk):
    _reader(request)
    petition = get_object_for_user(petitions_for_user(user=request.user), request.user, pk=pk)
    steps = petition.steps.select_related("by")
    next_statuses = rules.petition_next_statuses(petition.status)
    step_form = None
    if request.user.is_supervisor and next_statuses:
        step_form = PetitionStepForm(initial={"to_status": next_statuses[0]})
        step_form.fields["to_status"].choices = [(s, Petition.Status(s).label) for s in next_statuses]
    return render(
        request,
        "supervision/petition_detail.html",
        {
            "petition": petition,
            "reporter": petition.reporter_for(request.user),
            "steps": steps,
            "step_form": step_form,
            "overdue_now": rules.petition_is_overdue(
                status=petition.status, deadline=petition.deadline, day=timezone.localdate()
            ),
            "active_tab": "petitions",
        },
    )


@login_required
def petition_create(request):
    require(request.user.is_supervisor)
    form = PetitionForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.petition_create(user=request.user, **data),
        _("The petition has been registered."),
        template="supervision/petition_form.html",
        context={"title": _("New petition"), "active_tab": "petitions"},
        redirect_to=lambda petition: petition.get_absolute_url(),
    )


@login_required
@require_POST
def petition_step(request, pk):
    require(request.user.is_supervisor)
    petition = get_object_for_user(petitions_for_user(user=request.user), request.user, pk=pk)
    form = PetitionStepForm(request.POST)
    if form.is_valid():
        try:
            services.petition_transition(user=request.user, petition=petition, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The petition status has been updated."))
    else:
        messages.error(request, _("Check the status change and try again."))
    return redirect(petition.get_absolute_url())


# --- Inspections ---------------------------------------------------------------------------------


@login_required
def inspection_list(request):
    _reader(request)
    page, query = paginate(request, inspections_for_user(user=request.user))
    return render(
        request,
        "supervision/inspection_list.html",
        {"page": page, "query": query, "can_record": request.user.is_supervisor, "active_tab": "inspections"},
    )


@login_required
def inspection_create(request):
    require(request.user.is_supervisor)
    form = InspectionForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.inspection_create(user=request.user, **data),
        _("The inspection has been recorded."),
        template="supervision/inspection_form.html",
        context={"title": _("New inspection"), "active_tab": "inspections"},
        redirect_to=lambda inspection: inspection.get_absolute_url(),
    )


def _inspection_for(user, pk):
    return get_object_for_user(inspections_for_user(user=user), user, pk=pk)


@login_required
def inspection_detail(request, pk):
    _reader(request)
    inspection = _inspection_for(request.user, pk)
    item_form = RectificationItemForm(inspection=inspection) if request.user.is_supervisor else None
    items = list(inspection.items.select_related("village", "updated_by"))
    can_update = request.user.is_supervisor or township_allowed_for_user(request.user, inspection.township_id)
    today = timezone.localdate()
    for item in items:
        item.is_late = item.status != item.Status.DONE and item.deadline < today
        item.next_statuses = (
            [(s, item.Status(s).label) for s in rules.RECTIFICATION_TRANSITIONS[item.status]] if can_update else []
        )
    return render(
        request,
        "supervision/inspection_detail.html",
        {"inspection": inspection, "items": items, "item_form": item_form, "active_tab": "inspections"},
    )


@login_required
def rectification_item_create(request, pk):
    require(request.user.is_supervisor)
    inspection = _inspection_for(request.user, pk)
    form = RectificationItemForm(request.POST or None, inspection=inspection)
    return submit_form(
        request,
        form,
        lambda data: services.rectification_item_add(user=request.user, inspection=inspection, **data),
        _("The rectification item has been added."),
        template="supervision/rectification_form.html",
        context={"inspection": inspection, "title": _("New rectification item"), "active_tab": "inspections"},
        redirect_to=inspection.get_absolute_url(),
    )


@login_required
@require_POST
def rectification_item_status(request, pk, item_pk):
    _reader(request)
    inspection = _inspection_for(request.user, pk)
    item = get_object_or_404(inspection.items, pk=item_pk)
    if not services.can_update_rectification(request.user, item):
        raise PermissionDenied
    form = RectificationStatusForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_item_set_status(user=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The rectification item has been updated."))
    return redirect(inspection.get_absolute_url())


# --- Affairs disclosure ----------------------------------------------------------------------------


@login_required
def disclosure_list(request):
    _reader(request)
    conf = supervision_settings()
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    default_period = (rules.periods_due_by(today, conf.disclosure_period_months, conf.disclosure_due_days, 1) or [today])[0]
    period = (form.cleaned_data.get("period") if form.is_valid() else None) or default_period
    period = rules.period_start_for(period, conf.disclosure_period_months)
    villages = villages_for_user(user=request.user)
    rows = disclosure_grid(user=request.user, villages=villages, period_start=period, today=today)
    flags = disclosure_flags_for_user(user=request.user)[:200]
    return render(
        request,
        "supervision/disclosure_list.html",
        {
            "form": form,
            "period": period,
            "period_end": rules.period_end(period, conf.disclosure_period_months),
            "rows": rows,
            "flags": flags,
            "can_record": request.user.is_township_staff or request.user.is_county_admin,
            "active_tab": "disclosures",
        },
    )


@login_required
def disclosure_create(request):
    require(request.user.is_township_staff or request.user.is_county_admin)
    form = DisclosureForm(request.POST or None, user=request.user, initial={"published_on": timezone.localdate()})
    return submit_form(
        request,
        form,
        lambda data: services.disclosure_record(user=request.user, **data),
        _("The disclosure has been recorded."),
        template="supervision/disclosure_form.html",
        context={"title": _("Record a disclosure"), "active_tab": "disclosures"},
        redirect_to=lambda disclosure: f"{_url('supervision:disclosure_list')}?period={disclosure.period_start:%Y-%m-%d}",
    )


# --- Warning education ---------------------------------------------------------------------------


@login_required
def session_list(request):
    _reader(request)
    page, query = paginate(request, sessions_for_user(user=request.user))
    return render(
        request,
        "supervision/session_list.html",
        {"page": page, "query": query, "can_record": request.user.is_supervisor, "active_tab": "education"},
    )


@login_required
def session_detail(request, pk):
    _reader(request)
    session = get_object_for_user(sessions_for_user(user=request.user), request.user, pk=pk)
    attendees = session.attendees.select_related("village").order_by("village__sort_order", "name")
    return render(
        request, "supervision/session_detail.html", {"session": session, "attendees": attendees, "active_tab": "education"}
    )


@login_required
def session_create(request):
    require(request.user.is_supervisor)
    form = WarningSessionForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.warning_session_create(user=request.user, **data),
        _("The warning education session has been recorded."),
        template="supervision/session_form.html",
        context={"title": _("New warning education session"), "active_tab": "education"},
        redirect_to=lambda session: _url("supervision:session_detail", session.pk),
    )


# --- Sanctions, investigations, vetoes ----------------------------------------------------------


@login_required
def sanction_list(request):
    _reader(request)
    page, query = paginate(request, sanctions_for_user(user=request.user))
    today = timezone.localdate()
    for sanction in page:
        sanction.active_now = rules.sanction_active_on(
            decided_on=sanction.decided_on, effective_until=sanction.effective_until, day=today
        )
    return render(
        request,
        "supervision/sanction_list.html",
        {"page": page, "query": query, "can_record": request.user.is_supervisor, "active_tab": "sanctions"},
    )


@login_required
def sanction_create(request):
    require(request.user.is_supervisor)
    form = SanctionForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.sanction_record(user=request.user, **data),
        _("The sanction has been recorded."),
        template="supervision/sanction_form.html",
        context={"title": _("New sanction"), "active_tab": "sanctions"},
        redirect_to=_url("supervision:sanction_list"),
    )


@login_required
def investigation_list(request):
    require(can_read_investigations(request.user))
    page, query = paginate(request, investigations_for_user(user=request.user))
    return render(
        request,
        "supervision/investigation_list.html",
        {"page": page, "query": query, "can_record": request.user.is_supervisor, "active_tab": "investigations"},
    )


@login_required
def investigation_create(request):
    require(request.user.is_supervisor)
    form = InvestigationForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.investigation_open(user=request.user, **data),
        _("The investigation has been recorded."),
        template="supervision/investigation_form.html",
        context={"title": _("New investigation"), "active_tab": "investigations"},
        redirect_to=_url("supervision:investigation_list"),
    )


@login_required
def investigation_close(request, pk):
    require(request.user.is_supervisor)
    investigation = get_object_or_404(investigations_for_user(user=request.user), pk=pk)
    form = InvestigationCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    return submit_form(
        request,
        form,
        lambda data: services.investigation_close(user=request.user, investigation=investigation, **data),
        _("The investigation has been concluded."),
        template="supervision/investigation_form.html",
        context={"title": _("Conclude investigation"), "subject": investigation, "active_tab": "investigations"},
        redirect_to=_url("supervision:investigation_list"),
    )


@login_required
def veto_list(request):
    _reader(request)
    page, query = paginate(request, vetoes_for_user(user=request.user))
    return render(
        request,
        "supervision/veto_list.html",
        {"page": page, "query": query, "can_record": request.user.is_supervisor, "active_tab": "vetoes"},
    )


@login_required
def veto_create(request):
    require(request.user.is_supervisor)
    form = VetoForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.veto_record(user=request.user, **data),
        _("The one-vote veto has been recorded."),
        template="supervision/veto_form.html",
        context={"title": _("New one-vote veto"), "active_tab": "vetoes"},
        redirect_to=_url("supervision:veto_list"),
    )


@login_required
def veto_revoke(request, pk):
    require(request.user.is_supervisor)
    veto = get_object_for_user(vetoes_for_user(user=request.user), request.user, township_field="cadre__township", pk=pk)
    form = RevokeForm(request.POST or None)
    return submit_form(
        request,
        form,
        lambda data: services.veto_revoke(user=request.user, veto=veto, reason=data["reason"]),
        _("The veto has been revoked."),
        template="supervision/veto_form.html",
        context={"title": _("Revoke one-vote veto"), "subject": veto, "active_tab": "vetoes"},
        redirect_to=_url("supervision:veto_list"),
    )


# --- Dismissal -------------------------------------------------------------------------------------


@login_required
def dismissal_list(request):
    _reader(request)
    page, query = paginate(request, dismissals_for_user(user=request.user))
    return render(
        request,
        "supervision/dismissal_list.html",
        {
            "page": page,
            "query": query,
            "can_record": request.user.is_township_staff or request.user.is_county_admin,
            "active_tab": "dismissals",
        },
    )


@login_required
def dismissal_create(request):
    require(request.user.is_township_staff or request.user.is_county_admin)
    form = DismissalForm(request.POST or None, user=request.user, initial={"dismissed_on": timezone.localdate()})
    return submit_form(
        request,
        form,
        lambda data: services.dismissal_record(user=request.user, **data),
        _("The cadre has been dismissed; the allowance stops from next month."),
        template="supervision/dismissal_form.html",
        context={"title": _("Dismiss a cadre"), "active_tab": "dismissals"},
        redirect_to=_url("supervision:dismissal_list"),
    )
