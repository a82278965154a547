"""Incentives pages. Thin: an access check, a form, one service call, a redirect."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require
from cadre_mgmt.listexport import export_response
from cadre_mgmt.web import list_page, paginate, post_action, submit_form

from . import listings, services
from .forms import (
    AidForm,
    AidStepForm,
    CommendationForm,
    InsuranceForm,
    RecommendationForm,
    RecommendationOutcomeForm,
    TrainingForm,
    YearForm,
)
from .selectors import (
    aid_step_choices,
    aids_for_user,
    can_change_pay_scale,
    can_read_incentives,
    can_record_incentives,
    commendations_for_user,
    insurances_for_user,
    levels_with_points,
    pay_scale_rows,
    recommendations_decidable,
    recommendations_for_user,
    training_year_totals,
    trainings_for_user,
)

PAGE_SIZE = 50


def _reader(request):
    require(can_read_incentives(request.user))


def _recorder(request):
    require(can_record_incentives(request.user))


def _list_context(request, active_tab, **extra):
    return {"can_record": can_record_incentives(request.user), "active_tab": active_tab, **extra}


def _listing(request, stem, rows, tab, **extra):
    """One of this app's list pages: the scoped ``rows`` paged under the tab."""
    return list_page(request, f"incentives/{stem}_list.html", rows, _list_context(request, tab, **extra), per_page=PAGE_SIZE)


def _recording(request, form, service, done, *, screen, then):
    """One of this app's record forms; ``screen`` is (template stem, tab, title), ``then`` where to go after."""
    stem, tab, title = screen

    def call(data):
        return service(user=request.user, **data)

    context = {"title": title, "active_tab": tab}
    return submit_form(request, form, call, done, template=f"incentives/{stem}_form.html", context=context, redirect_to=then)


def _cleaned(form):
    """The data of a valid action form; a refusal with the form's messages otherwise."""
    if not form.is_valid():
        raise ValidationError([message for messages in form.errors.values() for message in messages])
    return form.cleaned_data


# --- Commendations -------------------------------------------------------------------------------


@login_required
def commendation_list(request):
    _reader(request)
    rows = commendations_for_user(user=request.user)
    return _listing(request, "commendation", rows, "commendations", levels=levels_with_points())


@login_required
def commendation_export(request):
    _reader(request)
    return export_response(request, listings.COMMENDATIONS, commendations_for_user(user=request.user))


@login_required
def commendation_create(request):
    _recorder(request)
    form = CommendationForm(request.POST or None, user=request.user)
    screen = ("commendation", "commendations", _("New commendation"))
    done = _("The commendation has been recorded.")
    then = reverse("incentives:commendation_list")
    return _recording(request, form, services.commendation_record, done, screen=screen, then=then)


# --- Training ------------------------------------------------------------------------------------


def _training_year_records(request):
    """The year the page shows (from its form, this year by default) and the user's training records of it."""
    form = YearForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    return form, year, trainings_for_user(user=request.user).filter(trained_on__year=year)


@login_required
def training_list(request):
    _reader(request)
    form, year, records = _training_year_records(request)
    totals = training_year_totals(user=request.user, year=year)
    return _listing(request, "training", records, "training", form=form, year=year, totals=totals)


@login_required
def training_export(request):
    _reader(request)
    _form, _year, records = _training_year_records(request)
    return export_response(request, listings.TRAININGS, records)


def _training_year(record):
    return f"{reverse('incentives:training_list')}?year={record.trained_on.year}"


@login_required
def training_create(request):
    _recorder(request)
    form = TrainingForm(request.POST or None, user=request.user, initial={"trained_on": timezone.localdate()})
    screen = ("training", "training", _("New training record"))
    done = _("The training has been recorded.")
    return _recording(request, form, services.training_record, done, screen=screen, then=_training_year)


# --- Insurance -----------------------------------------------------------------------------------


@login_required
def insurance_list(request):
    _reader(request)
    return _listing(request, "insurance", insurances_for_user(user=request.user), "insurance")


@login_required
def insurance_export(request):
    _reader(request)
    return export_response(request, listings.INSURANCES, insurances_for_user(user=request.user))


@login_required
def insurance_create(request):
    _recorder(request)
    form = InsuranceForm(request.POST or None, user=request.user, initial={"start_month": timezone.localdate().replace(day=1)})
    screen = ("insurance", "insurance", _("Insurance and housing fund enrolment"))
    done = _("The enrolment has been saved.")
    return _recording(request, form, services.insurance_save, done, screen=screen, then=reverse("incentives:insurance_list"))


# --- Political recommendations -----------------------------------------------------------------


@login_required
def recommendation_list(request):
    _reader(request)
    page, query = paginate(request, recommendations_for_user(user=request.user), per_page=PAGE_SIZE)
    recommendations_decidable(page, user=request.user)
    context = _list_context(request, "recommendations", page=page, query=query, outcome_form=RecommendationOutcomeForm())
    return render(request, "incentives/recommendation_list.html", context)


@login_required
def recommendation_export(request):
    _reader(request)
    return export_response(request, listings.RECOMMENDATIONS, recommendations_for_user(user=request.user))


@login_required
def recommendation_create(request):
    _recorder(request)
    form = RecommendationForm(request.POST or None, user=request.user, initial={"recommended_on": timezone.localdate()})
    screen = ("recommendation", "recommendations", _("New political recommendation"))
    done = _("The recommendation has been recorded.")
    then = reverse("incentives:recommendation_list")
    return _recording(request, form, services.recommendation_record, done, screen=screen, then=then)


def _record_outcome(request, recommendation, form):
    # An invalid outcome button does nothing and says nothing (as before).
    if not form.is_valid():
        return None
    status = form.cleaned_data["status"]
    return services.recommendation_set_status(user=request.user, recommendation=recommendation, status=status)


def _outcome_recorded(result):
    return _("The outcome has been recorded.") if result else ""


@login_required
@require_POST
def recommendation_outcome(request, pk):
    _recorder(request)
    rows = recommendations_for_user(user=request.user)
    recommendation = get_object_for_user(rows, request.user, township_field="cadre__township", pk=pk)
    call = partial(_record_outcome, request, recommendation, RecommendationOutcomeForm(request.POST))
    return post_action(request, call, success=_outcome_recorded, redirect_to=reverse("incentives:recommendation_list"))


# --- Hardship aid --------------------------------------------------------------------------------


@login_required
def aid_list(request):
    _reader(request)
    return _listing(request, "aid", aids_for_user(user=request.user), "aid")


@login_required
def aid_export(request):
    _reader(request)
    return export_response(request, listings.AIDS, aids_for_user(user=request.user))


@login_required
def aid_create(request):
    _recorder(request)
    form = AidForm(request.POST or None, user=request.user)
    screen = ("aid", "aid", _("New hardship aid application"))
    done = _("The application has been recorded.")
    return _recording(request, form, services.aid_apply, done, screen=screen, then=lambda aid: aid.get_absolute_url())


def _aid_for(user, pk):
    return get_object_for_user(aids_for_user(user=user), user, township_field="cadre__township", pk=pk)


@login_required
def aid_detail(request, pk):
    _reader(request)
    aid = _aid_for(request.user, pk)
    choices = aid_step_choices(user=request.user, aid=aid)
    step_form = AidStepForm(choices=choices) if choices else None
    context = {"aid": aid, "steps": aid.steps.select_related("by"), "step_form": step_form, "active_tab": "aid"}
    return render(request, "incentives/aid_detail.html", context)


@login_required
@require_POST
def aid_step(request, pk):
    _reader(request)
    aid = _aid_for(request.user, pk)
    choices = aid_step_choices(user=request.user, aid=aid)
    if not choices:
        raise PermissionDenied
    form = AidStepForm(request.POST, choices=choices)

    def call():
        return services.aid_step(user=request.user, aid=aid, **_cleaned(form))

    return post_action(request, call, success=_("The decision has been recorded."), redirect_to=aid.get_absolute_url())


# --- Pay scale -----------------------------------------------------------------------------------


@login_required
def pay_scale_list(request):
    _reader(request)
    context = {"rows": pay_scale_rows(), "levels": levels_with_points(), "active_tab": "pay"}
    context["can_change_pay_scale"] = can_change_pay_scale(request.user)
    return render(request, "incentives/pay_scale_list.html", context)


@login_required
def pay_scale_export(request):
    _reader(request)
    return export_response(request, listings.PAY_SCALE, pay_scale_rows())
