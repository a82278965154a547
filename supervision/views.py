"""Supervision pages. Thin: an access check, a form, one service call, a redirect."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require
from cadre_mgmt.cadres.selectors import villages_for_user
from cadre_mgmt.listexport import export_response
from cadre_mgmt.web import list_page, paginate, post_action, submit_form

from . import listings, rules, services
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
from .selectors import (
    can_read_investigations,
    can_read_supervision,
    can_record_local,
    can_record_supervision,
    can_update_rectification,
    disclosure_flags_for_user,
    disclosure_grid,
    dismissals_for_user,
    inspections_for_user,
    investigations_for_user,
    overdue_petitions,
    page_permissions,
    petition_search,
    petition_step_choices,
    petitions_for_user,
    rectification_items,
    sanctions_active_now,
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


def _supervisor(request):
    require(can_record_supervision(request.user))


def _context(request, tab, **extra):
    """What every supervision template gets: its tab and the permission predicates (from the selectors)."""
    return {"active_tab": tab, **page_permissions(request.user), **extra}


def _form_page(request, form, call, success, *, page, redirect_to, **context):
    """A form of this app: ``page`` is (template stem, tab, title); ``call`` is the service, given the user."""
    stem, tab, title = page
    return submit_form(
        request,
        form,
        lambda data: call(user=request.user, **data),
        success,
        template=f"supervision/{stem}_form.html",
        context=_context(request, tab, title=title, **context),
        redirect_to=redirect_to,
    )


def _list(request, stem, rows, tab, *, can_record=None, **extra):
    """A list page of this app, paged; ``can_record`` defaults to "is a supervisor"."""
    can_record = can_record_supervision(request.user) if can_record is None else can_record
    context = _context(request, tab, can_record=can_record, **extra)
    return list_page(request, f"supervision/{stem}_list.html", rows, context, per_page=PAGE_SIZE)


def _valid(form):
    """The cleaned data of a bound action form; None when it does not validate."""
    return form.cleaned_data if form.is_valid() else None


# --- Petitions -----------------------------------------------------------------------------------


def _petition_filters(request):
    form = PetitionFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, petition_search(user=request.user, **filters)


@login_required
def petition_list(request):
    _reader(request)
    form, qs = _petition_filters(request)
    overdue = overdue_petitions(user=request.user)[:20]
    return _list(request, "petition", qs, "petitions", form=form, overdue=overdue)


@login_required
def petition_export(request):
    _reader(request)
    _form, qs = _petition_filters(request)
    return export_response(request, listings.PETITIONS, qs)


@login_required
def petition_detail(request, pk):
    _reader(request)
    petition = get_object_for_user(petitions_for_user(user=request.user), request.user, pk=pk)
    choices = petition_step_choices(user=request.user, petition=petition)
    step_form = PetitionStepForm(initial={"to_status": choices[0][0]}, choices=choices) if choices else None
    overdue_now = rules.petition_is_overdue(status=petition.status, deadline=petition.deadline, day=timezone.localdate())
    context = _context(request, "petitions", petition=petition, step_form=step_form, overdue_now=overdue_now)
    context.update(reporter=petition.reporter_for(request.user), content=petition.content_for(request.user))
    context.update(steps=petition.steps.select_related("by"))
    return render(request, "supervision/petition_detail.html", context)


@login_required
def petition_create(request):
    _supervisor(request)
    form = PetitionForm(request.POST or None, user=request.user)
    page = ("petition", "petitions", _("New petition"))
    success = _("The petition has been registered.")
    return _form_page(request, form, services.petition_create, success, page=page, redirect_to=lambda p: p.get_absolute_url())


def _petition_step(request, petition, form):
    data = _valid(form)
    if data is None:
        raise ValidationError(_("Check the status change and try again."))
    return services.petition_transition(user=request.user, petition=petition, **data)


@login_required
@require_POST
def petition_step(request, pk):
    _supervisor(request)
    petition = get_object_for_user(petitions_for_user(user=request.user), request.user, pk=pk)
    call = partial(_petition_step, request, petition, PetitionStepForm(request.POST))
    success = _("The petition status has been updated.")
    return post_action(request, call, success=success, redirect_to=petition.get_absolute_url())


# --- Inspections ---------------------------------------------------------------------------------


@login_required
def inspection_list(request):
    _reader(request)
    return _list(request, "inspection", inspections_for_user(user=request.user), "inspections")


@login_required
def inspection_export(request):
    _reader(request)
    return export_response(request, listings.INSPECTIONS, inspections_for_user(user=request.user))


@login_required
def inspection_create(request):
    _supervisor(request)
    form = InspectionForm(request.POST or None, user=request.user)
    page = ("inspection", "inspections", _("New inspection"))
    success = _("The inspection has been recorded.")
    return _form_page(request, form, services.inspection_create, success, page=page, redirect_to=lambda i: i.get_absolute_url())


def _inspection_for(user, pk):
    return get_object_for_user(inspections_for_user(user=user), user, pk=pk)


@login_required
def inspection_detail(request, pk):
    _reader(request)
    inspection = _inspection_for(request.user, pk)
    item_form = RectificationItemForm(inspection=inspection) if can_record_supervision(request.user) else None
    items = rectification_items(inspection=inspection, user=request.user, today=timezone.localdate())
    context = _context(request, "inspections", inspection=inspection, items=items, item_form=item_form)
    return render(request, "supervision/inspection_detail.html", context)


@login_required
def rectification_item_create(request, pk):
    _supervisor(request)
    inspection = _inspection_for(request.user, pk)
    form = RectificationItemForm(request.POST or None, inspection=inspection)
    call = partial(services.rectification_item_add, inspection=inspection)
    page = ("rectification", "inspections", _("New rectification item"))
    success = _("The rectification item has been added.")
    redirect_to = inspection.get_absolute_url()
    return _form_page(request, form, call, success, page=page, redirect_to=redirect_to, inspection=inspection)


def _item_updated(result):
    return _("The rectification item has been updated.") if result else ""


def _set_item_status(request, item, form):
    # An invalid status button does nothing and says nothing (as before).
    data = _valid(form)
    return None if data is None else services.rectification_item_set_status(user=request.user, item=item, **data)


@login_required
@require_POST
def rectification_item_status(request, pk, item_pk):
    _reader(request)
    inspection = _inspection_for(request.user, pk)
    item = get_object_or_404(inspection.items, pk=item_pk)
    if not can_update_rectification(request.user, item):
        raise PermissionDenied
    call = partial(_set_item_status, request, item, RectificationStatusForm(request.POST))
    return post_action(request, call, success=_item_updated, redirect_to=inspection.get_absolute_url())


# --- Affairs disclosure ----------------------------------------------------------------------------


def _disclosure_period(form, conf, today):
    default = (rules.periods_due_by(today, conf.disclosure_period_months, conf.disclosure_due_days, 1) or [today])[0]
    period = (form.cleaned_data.get("period") if form.is_valid() else None) or default
    return rules.period_start_for(period, conf.disclosure_period_months)


def _disclosure_rows(request):
    """The period the page shows (from its form) and the grid of the user's villages for it."""
    conf, today = supervision_settings(), timezone.localdate()
    form = PeriodForm(request.GET or None)
    period = _disclosure_period(form, conf, today)
    rows = disclosure_grid(user=request.user, villages=villages_for_user(user=request.user), period_start=period, today=today)
    return form, conf, period, rows


@login_required
def disclosure_list(request):
    _reader(request)
    form, conf, period, rows = _disclosure_rows(request)
    context = _context(request, "disclosures", form=form, period=period, rows=rows, can_record=can_record_local(request.user))
    context.update(period_end=rules.period_end(period, conf.disclosure_period_months))
    context.update(flags=disclosure_flags_for_user(user=request.user)[:200])
    return render(request, "supervision/disclosure_list.html", context)


@login_required
def disclosure_export(request):
    _reader(request)
    _form, _conf, _period, rows = _disclosure_rows(request)
    return export_response(request, listings.DISCLOSURES, list(listings.disclosure_cells(rows)))


def _disclosure_listed(disclosure):
    return f"{_url('supervision:disclosure_list')}?period={disclosure.period_start:%Y-%m-%d}"


@login_required
def disclosure_create(request):
    require(can_record_local(request.user))
    form = DisclosureForm(request.POST or None, user=request.user, initial={"published_on": timezone.localdate()})
    page = ("disclosure", "disclosures", _("Record a disclosure"))
    success = _("The disclosure has been recorded.")
    return _form_page(request, form, services.disclosure_record, success, page=page, redirect_to=_disclosure_listed)


# --- Warning education ---------------------------------------------------------------------------


@login_required
def session_list(request):
    _reader(request)
    return _list(request, "session", sessions_for_user(user=request.user), "education")


@login_required
def session_export(request):
    _reader(request)
    return export_response(request, listings.SESSIONS, sessions_for_user(user=request.user))


@login_required
def session_detail(request, pk):
    _reader(request)
    session = get_object_for_user(sessions_for_user(user=request.user), request.user, pk=pk)
    attendees = session.attendees.select_related("village").order_by("village__sort_order", "name")
    context = _context(request, "education", session=session, attendees=attendees)
    return render(request, "supervision/session_detail.html", context)


def _session_url(session):
    return _url("supervision:session_detail", session.pk)


@login_required
def session_create(request):
    _supervisor(request)
    form = WarningSessionForm(request.POST or None, user=request.user)
    page = ("session", "education", _("New warning education session"))
    success = _("The warning education session has been recorded.")
    return _form_page(request, form, services.warning_session_create, success, page=page, redirect_to=_session_url)


# --- Sanctions, investigations, vetoes ----------------------------------------------------------


@login_required
def sanction_list(request):
    _reader(request)
    page, query = paginate(request, sanctions_for_user(user=request.user), per_page=PAGE_SIZE)
    sanctions_active_now(page, today=timezone.localdate())
    context = _context(request, "sanctions", page=page, query=query, can_record=can_record_supervision(request.user))
    return render(request, "supervision/sanction_list.html", context)


@login_required
def sanction_export(request):
    _reader(request)
    return export_response(request, listings.SANCTIONS, sanctions_for_user(user=request.user))


@login_required
def sanction_create(request):
    _supervisor(request)
    form = SanctionForm(request.POST or None, user=request.user)
    page = ("sanction", "sanctions", _("New sanction"))
    success = _("The sanction has been recorded.")
    return _form_page(request, form, services.sanction_record, success, page=page, redirect_to=_url("supervision:sanction_list"))


@login_required
def investigation_list(request):
    require(can_read_investigations(request.user))
    return _list(request, "investigation", investigations_for_user(user=request.user), "investigations")


@login_required
def investigation_export(request):
    require(can_read_investigations(request.user))
    return export_response(request, listings.INVESTIGATIONS, investigations_for_user(user=request.user))


@login_required
def investigation_create(request):
    _supervisor(request)
    form = InvestigationForm(request.POST or None, user=request.user)
    page = ("investigation", "investigations", _("New investigation"))
    success = _("The investigation has been recorded.")
    listed = _url("supervision:investigation_list")
    return _form_page(request, form, services.investigation_open, success, page=page, redirect_to=listed)


@login_required
def investigation_close(request, pk):
    _supervisor(request)
    investigation = get_object_or_404(investigations_for_user(user=request.user), pk=pk)
    form = InvestigationCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    call = partial(services.investigation_close, investigation=investigation)
    page = ("investigation", "investigations", _("Conclude investigation"))
    success = _("The investigation has been concluded.")
    listed = _url("supervision:investigation_list")
    return _form_page(request, form, call, success, page=page, redirect_to=listed, subject=investigation)


@login_required
def veto_list(request):
    _reader(request)
    return _list(request, "veto", vetoes_for_user(user=request.user), "vetoes")


@login_required
def veto_export(request):
    _reader(request)
    return export_response(request, listings.VETOES, vetoes_for_user(user=request.user))


@login_required
def veto_create(request):
    _supervisor(request)
    form = VetoForm(request.POST or None, user=request.user)
    page = ("veto", "vetoes", _("New one-vote veto"))
    success = _("The one-vote veto has been recorded.")
    return _form_page(request, form, services.veto_record, success, page=page, redirect_to=_url("supervision:veto_list"))


@login_required
def veto_revoke(request, pk):
    _supervisor(request)
    veto = get_object_for_user(vetoes_for_user(user=request.user), request.user, township_field="cadre__township", pk=pk)
    call = partial(services.veto_revoke, veto=veto)
    page = ("veto", "vetoes", _("Revoke one-vote veto"))
    success = _("The veto has been revoked.")
    listed = _url("supervision:veto_list")
    return _form_page(request, RevokeForm(request.POST or None), call, success, page=page, redirect_to=listed, subject=veto)


# --- Dismissal -------------------------------------------------------------------------------------


@login_required
def dismissal_list(request):
    _reader(request)
    can_record = can_record_local(request.user)
    return _list(request, "dismissal", dismissals_for_user(user=request.user), "dismissals", can_record=can_record)


@login_required
def dismissal_export(request):
    _reader(request)
    return export_response(request, listings.DISMISSALS, dismissals_for_user(user=request.user))


@login_required
def dismissal_create(request):
    require(can_record_local(request.user))
    form = DismissalForm(request.POST or None, user=request.user, initial={"dismissed_on": timezone.localdate()})
    page = ("dismissal", "dismissals", _("Dismiss a cadre"))
    success = _("The cadre has been dismissed; the allowance stops from next month.")
    listed = _url("supervision:dismissal_list")
    return _form_page(request, form, services.dismissal_record, success, page=page, redirect_to=listed)
