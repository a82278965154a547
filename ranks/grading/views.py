"""Initial grading pages: the township submits computed levels, the county approves or rejects them."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require
from cadre_mgmt.cadres.selectors import cadres_for_user
from cadre_mgmt.listexport import export_response
from cadre_mgmt.lookups import posted_ids
from cadre_mgmt.web import list_page, post_action, refusal_text, submit_form

from . import listings, selectors, services
from .forms import ApproveAllForm, GradingFilterForm, GradingForm, RejectForm

GRADINGS_PER_PAGE = 100


def _ids(values):
    return posted_ids(values)


@login_required
def grading(request):
    user = request.user
    require(selectors.can_read_gradings(user))
    filter_form = GradingFilterForm(request.GET or None, user=user)
    matching = filter_form.matching()
    context = {
        "ungraded": selectors.ungraded_page_rows(user=user),
        "filter_form": filter_form,
        "matching": matching,
        "can_submit": selectors.can_submit_gradings(user),
        "can_approve": selectors.can_approve_gradings(user),
    }
    rows = selectors.matching_gradings(user=user, matching=matching)
    return list_page(request, "ranks/grading_list.html", rows, context, per_page=GRADINGS_PER_PAGE)


@login_required
def grading_export(request):
    """The submitted gradings the list shows (the same scope and filter), as Excel."""
    require(selectors.can_read_gradings(request.user))
    matching = GradingFilterForm(request.GET or None, user=request.user).matching()
    rows = selectors.matching_gradings(user=request.user, matching=matching).select_related("submitted_by")
    return export_response(request, listings.GRADINGS, rows)


def _grading_url(matching):
    return reverse("ranks:grading") + (f"?{urlencode(matching.as_query())}" if matching.as_query() else "")


@login_required
def grading_approve_all(request):
    """GET: the confirmation (count, levels, monthly cost) of approving every grading that matches the
    filter; POST: the approval, done on the server in batches."""
    require(selectors.can_approve_gradings(request.user))
    posted = request.method == "POST"
    form = (ApproveAllForm if posted else GradingFilterForm)(request.POST if posted else request.GET, user=request.user)
    matching, back = form.matching(), _grading_url(form.matching())
    if not form.filter_valid or (posted and not form.is_valid()):
        messages.error(request, refusal_text(ValidationError([e for errors in form.errors.values() for e in errors])))
        return redirect(back)
    if not posted:
        summary = selectors.approval_summary(user=request.user, matching=matching)
        return render(request, "ranks/grading_approve_all.html", {"summary": summary, "form": form, "back": back})
    return post_action(
        request,
        lambda: services.initial_gradings_approve_matching(
            approver=request.user, matching=matching, expected=form.cleaned_data["expected"], last_id=form.cleaned_data["last_id"]
        ),
        success=lambda count: _("%(count)s initial gradings approved; they take effect next month.") % {"count": count},
        redirect_to=_grading_url(matching),
    )


@login_required
def grading_submit(request, cadre_pk):
    cadre = get_object_for_user(cadres_for_user(user=request.user), request.user, pk=cadre_pk)
    require(selectors.can_submit_gradings(request.user))
    computed = selectors.computed_initial_levels(cadres=[cadre])[cadre.pk]
    form = GradingForm(request.POST or None, computed_level=computed.level, initial={"proposed_level": computed.level})
    return submit_form(
        request,
        form,
        lambda data: services.initial_grading_submit(user=request.user, cadre=cadre, **data),
        _("The initial grading of %(name)s has been submitted.") % {"name": cadre.name},
        template="ranks/grading_form.html",
        context={"cadre": cadre, "computed": computed},
        redirect_to="ranks:grading",
    )


@login_required
@require_POST
def grading_submit_batch(request):
    require(selectors.can_submit_gradings(request.user))
    cadres = list(selectors.submittable_cadres_for(user=request.user).filter(pk__in=_ids(request.POST.getlist("cadre"))))
    if not cadres:
        messages.error(request, _("Select at least one cadre."))
        return redirect("ranks:grading")
    return post_action(
        request,
        lambda: services.initial_gradings_submit(user=request.user, cadres=cadres),
        success=_("%(count)s initial gradings submitted.") % {"count": len(cadres)},
        redirect_to="ranks:grading",
    )


@login_required
@require_POST
def grading_approve_batch(request):
    require(selectors.can_approve_gradings(request.user))
    # "single" is the approve button of one row; otherwise the checked rows.
    values = [request.POST["single"]] if request.POST.get("single") else request.POST.getlist("grading")
    gradings = selectors.submitted_gradings(ids=_ids(values))
    if not gradings:
        messages.error(request, _("Select at least one initial grading."))
        return redirect("ranks:grading")
    return post_action(
        request,
        lambda: services.initial_gradings_approve(gradings=gradings, approver=request.user),
        success=_("%(count)s initial gradings approved; they take effect next month.") % {"count": len(gradings)},
        redirect_to="ranks:grading",
    )


@login_required
def grading_reject(request, pk):
    require(selectors.can_approve_gradings(request.user))
    the_grading = selectors.get_submitted_grading(pk=pk)
    return submit_form(
        request,
        RejectForm(request.POST or None),
        lambda data: services.initial_grading_reject(grading=the_grading, approver=request.user, **data),
        _("The initial grading of %(name)s has been rejected.") % {"name": the_grading.cadre.name},
        template="ranks/grading_reject_form.html",
        context={"grading": the_grading},
        redirect_to="ranks:grading",
    )
