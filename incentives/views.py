"""Incentives pages. Thin: an access check, a form, one service call, a redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require, township_allowed_for_user
from cadre_mgmt.web import paginate, submit_form

from . import rules, services
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
from .models import HardshipAid
from .selectors import (
    aids_for_user,
    can_read_incentives,
    can_record_incentives,
    commendations_for_user,
    insurances_for_user,
    levels_with_points,
    pay_scale_rows,
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


# --- Commendations -------------------------------------------------------------------------------


@login_required
def commendation_list(request):
    _reader(request)
    page, query = paginate(request, commendations_for_user(user=request.user))
    return render(
        request,
        "incentives/commendation_list.html",
        _list_context(request, "commendations", page=page, query=query, levels=levels_with_points()),
    )


@login_required
def commendation_create(request):
    _recorder(request)
    form = CommendationForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.commendation_record(user=request.user, **data),
        _("The commendation has been recorded."),
        template="incentives/commendation_form.html",
        context={"title": _("New commendation"), "active_tab": "commendations"},
        redirect_to=reverse("incentives:commendation_list"),
    )


# --- Training ------------------------------------------------------------------------------------


@login_required
def training_list(request):
    _reader(request)
    form = YearForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    records = trainings_for_user(user=request.user).filter(trained_on__year=year)
    page, query = paginate(request, records)
    return render(
        request,
        "incentives/training_list.html",
        _list_context(
            request,
            "training",
            page=page,
            query=query,
            form=form,
            year=year,
            totals=training_year_totals(user=request.user, year=year),
        ),
    )


@login_required
def training_create(request):
    _recorder(request)
    form = TrainingForm(request.POST or None, user=request.user, initial={"trained_on": timezone.localdate()})
    return submit_form(
        request,
        form,
        lambda data: services.training_record(user=request.user, **data),
        _("The training has been recorded."),
        template="incentives/training_form.html",
        context={"title": _("New training record"), "active_tab": "training"},
        redirect_to=lambda record: f"{reverse('incentives:training_list')}?year={record.trained_on.year}",
    )


# --- Insurance -----------------------------------------------------------------------------------


@login_required
def insurance_list(request):
    _reader(request)
    page, query = paginate(request, insurances_for_user(user=request.user))
    return render(request, "incentives/insurance_list.html", _list_context(request, "insurance", page=page, query=query))


@login_required
def insurance_create(request):
    _recorder(request)
    form = InsuranceForm(request.POST or None, user=request.user, initial={"start_month": timezone.localdate().replace(day=1)})
    return submit_form(
        request,
        form,
        lambda data: services.insurance_save(user=request.user, **data),
        _("The enrolment has been saved."),
        template="incentives/insurance_form.html",
        context={"title": _("Insurance and housing fund enrolment"), "active_tab": "insurance"},
        redirect_to=reverse("incentives:insurance_list"),
    )


# --- Political recommendations -----------------------------------------------------------------


@login_required
def recommendation_list(request):
    _reader(request)
    page, query = paginate(request, recommendations_for_user(user=request.user))
    for recommendation in page:
        recommendation.can_decide = recommendation.status == "recommended" and township_allowed_for_user(
            request.user, recommendation.cadre.township_id
        )
    return render(
        request,
        "incentives/recommendation_list.html",
        _list_context(request, "recommendations", page=page, query=query, outcome_form=RecommendationOutcomeForm()),
    )


@login_required
def recommendation_create(request):
    _recorder(request)
    form = RecommendationForm(request.POST or None, user=request.user, initial={"recommended_on": timezone.localdate()})
    return submit_form(
        request,
        form,
        lambda data: services.recommendation_record(user=request.user, **data),
        _("The recommendation has been recorded."),
        template="incentives/recommendation_form.html",
        context={"title": _("New political recommendation"), "active_tab": "recommendations"},
        redirect_to=reverse("incentives:recommendation_list"),
    )


@login_required
@require_POST
def recommendation_outcome(request, pk):
    _recorder(request)
    recommendation = get_object_for_user(
        recommendations_for_user(user=request.user), request.user, township_field="cadre__township", pk=pk
    )
    form = RecommendationOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_set_status(
                user=request.user, recommendation=recommendation, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The outcome has been recorded."))
    return redirect("incentives:recommendation_list")


# --- Hardship aid --------------------------------------------------------------------------------


@login_required
def aid_list(request):
    _reader(request)
    page, query = paginate(request, aids_for_user(user=request.user))
    return render(request, "incentives/aid_list.html", _list_context(request, "aid", page=page, query=query))


@login_required
def aid_create(request):
    _recorder(request)
    form = AidForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.aid_apply(user=request.user, **data),
        _("The application has been recorded."),
        template="incentives/aid_form.html",
        context={"title": _("New hardship aid application"), "active_tab": "aid"},
        redirect_to=lambda aid: aid.get_absolute_url(),
    )


def _aid_for(user, pk):
    return get_object_for_user(aids_for_user(user=user), user, township_field="cadre__township", pk=pk)


def _aid_choices(user, aid):
    return [
        (status, HardshipAid.Status(status).label)
        for status in rules.AID_TRANSITIONS[aid.status]
        if services.aid_can_take(user, aid, status)
    ]


@login_required
def aid_detail(request, pk):
    _reader(request)
    aid = _aid_for(request.user, pk)
    choices = _aid_choices(request.user, aid)
    return render(
        request,
        "incentives/aid_detail.html",
        {
            "aid": aid,
            "steps": aid.steps.select_related("by"),
            "step_form": AidStepForm(choices=choices) if choices else None,
            "active_tab": "aid",
        },
    )


@login_required
@require_POST
def aid_step(request, pk):
    _reader(request)
    aid = _aid_for(request.user, pk)
    choices = _aid_choices(request.user, aid)
    if not choices:
        raise PermissionDenied
    form = AidStepForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            services.aid_step(user=request.user, aid=aid, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision has been recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(aid.get_absolute_url())


# --- Pay scale -----------------------------------------------------------------------------------


@login_required
def pay_scale_list(request):
    _reader(request)
    return render(
        request,
        "incentives/pay_scale_list.html",
        {"rows": pay_scale_rows(), "levels": levels_with_points(), "active_tab": "pay"},
    )
