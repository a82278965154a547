"""Initial grading pages: the township submits computed levels, the county approves or rejects them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require
from cadre_mgmt.cadres.selectors import cadres_for_user
from cadre_mgmt.web import refusal_text

from ..models import InitialGrading
from . import selectors, services
from .forms import GradingForm, RejectForm


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
        messages.error(request, refusal_text(exc))
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
        messages.error(request, refusal_text(exc))
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
