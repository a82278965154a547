"""The ladder settings page (county administrator): ladder steps, allowance schedule, initial grading rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.web import submit_form

from ..grading import selectors as grading_selectors
from ..grading import services as grading_services
from ..grading.forms import GradingRuleForm
from ..models import RankChange
from . import selectors, services
from .forms import LadderFormSet, RankSystemPostsForm, ReversalForm, ScheduleForm

TEMPLATE = "ranks/settings_form.html"


def _settings_context(ladder_formset=None, schedule_form=None, rule_form=None, posts_form=None):
    rule = grading_selectors.grading_rule()
    initial = {name: getattr(rule, name) for name in grading_services.GRADING_RULE_FIELDS}
    return {
        "ladder_formset": ladder_formset or LadderFormSet(queryset=selectors.ladder_steps_queryset()),
        "schedule": selectors.allowance_schedule().rows[::-1],
        "schedule_form": schedule_form or ScheduleForm(),
        "rule_form": rule_form or GradingRuleForm(initial=initial),
        "posts_form": posts_form or RankSystemPostsForm(initial={"posts": selectors.rank_system_posts_next_month()}),
        "posts": selectors.posts_with_rank_system(),
    }


def _refused(response):
    """A settings form sent back with its errors is a 400 (the page is the same)."""
    if response.status_code == 200:
        response.status_code = 400
    return response


@login_required
def settings_page(request):
    require(selectors.can_change_settings(request.user))
    return render(request, TEMPLATE, _settings_context())


@login_required
@require_POST
def settings_ladder(request):
    require(selectors.can_change_settings(request.user))
    formset = LadderFormSet(request.POST, queryset=selectors.ladder_steps_queryset())
    if not formset.is_valid():
        return render(request, TEMPLATE, _settings_context(ladder_formset=formset), status=400)
    steps = [(form.instance, {name: form.cleaned_data[name] for name in services.LADDER_FIELDS}) for form in formset.forms]
    changed = services.ladder_update(user=request.user, steps=steps)
    messages.success(request, _("Ladder saved: %(count)s steps changed.") % {"count": changed})
    return redirect("ranks:settings")


def _save_setting(request, form, form_name, call, success):
    """One settings form of the page: county administrator only, the form → the service → the page again;
    a form sent back with its errors is shown in place as a 400."""
    require(selectors.can_change_settings(request.user))
    response = submit_form(
        request,
        form,
        call,
        success,
        template=TEMPLATE,
        context=_settings_context(**{form_name: form}),
        redirect_to="ranks:settings",
    )
    return _refused(response)


@login_required
@require_POST
def settings_schedule(request):
    return _save_setting(
        request,
        ScheduleForm(request.POST),
        "schedule_form",
        lambda data: services.allowance_schedule_set(user=request.user, **data),
        _("The allowance schedule has been saved."),
    )


@login_required
@require_POST
def settings_rule(request):
    return _save_setting(
        request,
        GradingRuleForm(request.POST),
        "rule_form",
        lambda data: grading_services.grading_rule_update(user=request.user, **data),
        _("The initial grading rule has been saved."),
    )


@login_required
@require_POST
def settings_posts(request):
    return _save_setting(
        request,
        RankSystemPostsForm(request.POST),
        "posts_form",
        lambda data: services.rank_system_posts_set(user=request.user, posts=data["posts"]),
        _("The posts in the rank system have been saved; the change applies from next month's roster."),
    )


@login_required
def rank_change_reverse(request, pk):
    """The correction of DESIGN §3: a confirmation page (GET) and the reversal (POST), county approvers only."""
    require(selectors.can_correct_rank_changes(request.user))
    change = get_object_or_404(RankChange.objects.select_related("cadre", "approved_by"), pk=pk)
    form = ReversalForm(request.POST or None)
    return submit_form(
        request,
        form,
        lambda data: services.rank_change_reverse(change=change, approved_by=request.user, reason=data["reason"]),
        _("The rank change has been reversed; the next unlocked roster settles the months already paid."),
        template="ranks/rank_change_reverse_form.html",
        context={"change": change, "preview": selectors.reversal_preview(change=change)},
        redirect_to=reverse("cadres:detail", args=[change.cadre_id]),
    )
