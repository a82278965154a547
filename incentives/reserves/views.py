"""Reserve pool pages. Thin: an access check, a form, one service call, a redirect."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require
from cadre_mgmt.web import list_page, post_action, submit_form

from . import services
from .forms import (
    AppointForm,
    ReserveAssessmentForm,
    ReserveEditForm,
    ReserveFilterForm,
    ReserveRegisterForm,
    ReserveTrainingForm,
    StepForm,
    WithdrawForm,
)
from .models import Reserve
from .selectors import can_read_reserves, can_write_reserve, can_write_reserves, reserve_detail_for_user, reserves_for_user


def _reader(request):
    require(can_read_reserves(request.user))


def _reserve(request, pk, *, write=False):
    _reader(request)
    reserve = get_object_for_user(reserve_detail_for_user(user=request.user), request.user, pk=pk)
    require(not write or can_write_reserve(request.user, reserve))
    return reserve


def _cleaned(form):
    if not form.is_valid():
        raise ValidationError([message for messages in form.errors.values() for message in messages])
    return form.cleaned_data


def _detail_url(reserve):
    return reverse("incentives:reserve_detail", args=[reserve.pk])


@login_required
def reserve_list(request):
    _reader(request)
    form = ReserveFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = reserves_for_user(user=request.user, status=filters.get("status", ""), name=filters.get("name", ""))
    context = {"form": form, "can_write": can_write_reserves(request.user), "active_tab": "reserves"}
    return list_page(request, "incentives/reserves/list.html", rows, context)


@login_required
def reserve_create(request):
    require(can_write_reserves(request.user))
    form = ReserveRegisterForm(request.POST or None, user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.reserve_register(user=request.user, **data),
        _("The reserve cadre has been registered."),
        template="incentives/reserves/form.html",
        context={"title": _("Register a reserve cadre"), "active_tab": "reserves"},
        redirect_to=_detail_url,
    )


@login_required
def reserve_detail(request, pk):
    reserve = _reserve(request, pk)
    can_write = can_write_reserve(request.user, reserve) and reserve.is_open
    context = {
        "reserve": reserve,
        "id_number": reserve.id_number_for(request.user),
        "can_write": can_write,
        "active_tab": "reserves",
        "step_form": StepForm(),
        "withdraw_form": WithdrawForm(),
        "training_form": ReserveTrainingForm(),
        "assessment_form": ReserveAssessmentForm(),
    }
    return render(request, "incentives/reserves/detail.html", context)


@login_required
def reserve_edit(request, pk):
    reserve = _reserve(request, pk, write=True)
    form = ReserveEditForm(request.POST or None, instance=Reserve.objects.get(pk=reserve.pk), user=request.user)
    return submit_form(
        request,
        form,
        lambda data: services.reserve_update(user=request.user, reserve=reserve, **data),
        _("The reserve cadre's file has been saved."),
        template="incentives/reserves/form.html",
        context={"title": _("Edit the reserve cadre's file"), "reserve": reserve, "active_tab": "reserves"},
        redirect_to=_detail_url(reserve),
    )


def _action(request, pk, form_class, service, success):
    """A POST of the detail page: the form's data to one service, the detail page again."""
    reserve = _reserve(request, pk, write=True)
    form = form_class(request.POST)

    def call():
        return service(user=request.user, reserve=reserve, **_cleaned(form))

    return post_action(request, call, success=success, redirect_to=_detail_url(reserve))


@login_required
@require_POST
def reserve_cultivate(request, pk):
    return _action(request, pk, StepForm, services.reserve_start_cultivation, _("The reserve is now in cultivation."))


@login_required
@require_POST
def reserve_withdraw(request, pk):
    return _action(request, pk, WithdrawForm, services.reserve_withdraw, _("The reserve has been withdrawn from the pool."))


@login_required
@require_POST
def reserve_training(request, pk):
    return _action(request, pk, ReserveTrainingForm, services.reserve_training_record, _("The training has been recorded."))


@login_required
@require_POST
def reserve_assessment(request, pk):
    return _action(request, pk, ReserveAssessmentForm, services.reserve_assessment_save, _("The assessment has been saved."))


@login_required
def reserve_appoint(request, pk):
    reserve = _reserve(request, pk, write=True)
    form = AppointForm(request.POST or None, initial={"posts": [reserve.target_post_id] if reserve.target_post_id else []})
    return submit_form(
        request,
        form,
        lambda data: services.reserve_appoint(user=request.user, reserve=reserve, **data),
        _("The reserve has been appointed; the initial grading is waiting for the township."),
        template="incentives/reserves/appoint.html",
        context={"reserve": reserve, "active_tab": "reserves"},
        redirect_to=lambda cadre: reverse("cadres:detail", args=[cadre.pk]),
    )
