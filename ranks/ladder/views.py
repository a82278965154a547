"""The ladder settings page (county administrator): ladder steps, allowance schedule, initial grading rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import require

from ..grading import selectors as grading_selectors
from ..grading import services as grading_services
from ..grading.forms import GradingRuleForm
from ..models import LadderStep
from . import selectors, services
from .forms import LadderFormSet, ScheduleForm


def _settings_context(ladder_formset=None, schedule_form=None, rule_form=None):
    rule = grading_selectors.grading_rule()
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
        grading_services.grading_rule_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("The initial grading rule has been saved."))
        return redirect("ranks:settings")
    return render(request, "ranks/settings_form.html", _settings_context(rule_form=form), status=400)
