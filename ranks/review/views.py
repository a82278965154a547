"""Pages of the promotion review: runs (county), proposals (township and county), the rule settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.cadres.selectors import townships_for_user
from cadre_mgmt.web import refusal_text
from incentives.selectors import commendation_points_table

from ..ladder.selectors import budget_figures
from ..models import PromotionReview, Proposal
from . import decisions, selectors, services
from .facts import stored_rule_values
from .forms import (
    ProposalApproveForm,
    ProposalBatchDecideForm,
    ProposalBatchSubmitForm,
    ProposalFilterForm,
    ProposalRejectForm,
    ProposalSubmitForm,
    ReviewSettingsForm,
    ReviewStartForm,
)

PROPOSALS_PER_PAGE = 50
DRY_ROWS_PER_PAGE = 100


def _review_list(request, form, status=200):
    return render(
        request,
        "ranks/review_list.html",
        {"reviews": selectors.recent_reviews(), "form": form, "can_start": request.user.is_county_admin},
        status=status,
    )


@login_required
def review_list(request):
    require(selectors.can_read_reviews(request.user))
    if request.method == "POST":
        require(request.user.is_county_admin)
        form = ReviewStartForm(request.POST)
        if form.is_valid():
            try:
                review = services.review_start(
                    year=form.cleaned_data["year"],
                    dry_run=form.cleaned_data["dry_run"],
                    user=request.user,
                    trigger=PromotionReview.Trigger.PAGE,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The review of %(year)s has started.") % {"year": review.year})
                return redirect("ranks:review_detail", pk=review.pk)
        return _review_list(request, form, status=400)
    return _review_list(request, ReviewStartForm())


def _get_review(user, pk):
    require(selectors.can_read_reviews(user))
    return get_object_or_404(PromotionReview.objects.select_related("started_by"), pk=pk)


@login_required
def review_detail(request, pk):
    review = _get_review(request.user, pk)
    context = {
        "review": review,
        "can_resume": request.user.is_county_admin and review.state != PromotionReview.State.DONE,
        "dry_rows": None,
        "budget": None,
    }
    if not review.dry_run and review.state == PromotionReview.State.DONE:
        # What next month's allowances come to if every proposal awaiting the county is approved.
        pending = selectors.pending_proposal_changes(user=request.user, year=review.year)
        context["budget"] = budget_figures(user=request.user, extra_pending=pending)
    if review.dry_run and review.state == PromotionReview.State.DONE:
        township = request.GET.get("township", "")
        outcome = request.GET.get("outcome", "")
        township_id = int(township) if township.isdigit() and len(township) < 12 else None
        rows = selectors.dry_run_rows(review=review, township_id=township_id, outcome=outcome)
        page = Paginator(rows, DRY_ROWS_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "page": page,
                "dry_rows": selectors.dry_run_page_rows(page.object_list),
                "township_filter": township_id,
                "outcome_filter": outcome,
                "query": query.urlencode(),
                "outcomes": Proposal.Outcome.choices,
            }
        )
    return render(request, "ranks/review_detail.html", context)


@login_required
def review_progress(request, pk):
    """The htmx fragment the run page polls while the run is going."""
    review = _get_review(request.user, pk)
    return render(request, "ranks/_review_progress.html", {"review": review})


@login_required
@require_POST
def review_resume(request, pk):
    review = _get_review(request.user, pk)
    require(request.user.is_county_admin)
    try:
        services.review_resume(review=review, user=request.user)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("The unfinished batches have been queued again."))
    return redirect("ranks:review_detail", pk=review.pk)


@login_required
def review_settings(request):
    require(request.user.is_county_admin)
    stored = stored_rule_values()
    form = ReviewSettingsForm(request.POST or None, initial=ReviewSettingsForm.initial_from(stored))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changes = services.review_settings_update(user=request.user, values=form.values())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Rule settings saved: %(count)s values changed.") % {"count": len(changes)})
                return redirect("ranks:review_settings")
        status = 400
    return render(
        request,
        "ranks/review_settings_form.html",
        {"form": form, "groups": form.grouped(), "commendation_points": commendation_points_table()},
        status=status,
    )


def _require_proposal_reader(user):
    require(selectors.can_read_proposals(user))


def _default_status(user):
    return Proposal.Status.SUBMITTED if user.is_county_approver else Proposal.Status.PENDING


def _filters(request):
    townships = townships_for_user(user=request.user)
    form = ProposalFilterForm(request.GET, townships=townships)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or selectors.latest_year(user=request.user) or timezone.localdate().year - 1
    status = data.get("status") or _default_status(request.user)
    return form, {
        "year": year,
        "township": data.get("township"),
        "status": "" if status == "all" else status,
        "outcome": data.get("outcome") or "",
        "level": data.get("level"),
    }


@login_required
def proposal_list(request):
    _require_proposal_reader(request.user)
    form, filters = _filters(request)
    page = Paginator(selectors.proposal_search(user=request.user, **filters), PROPOSALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ranks/proposal_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "summary": selectors.proposal_summary(user=request.user, year=filters["year"])
            if request.user.is_county_approver
            else None,
            "can_submit": request.user.is_township_staff or request.user.is_county_admin,
            "can_decide": request.user.is_county_approver,
            "statuses": Proposal.Status,
        },
    )


def _back_to_list(request):
    target = request.POST.get("next", "")
    if target.startswith(reverse("ranks:proposals")):
        return redirect(target)
    return redirect("ranks:proposals")


@login_required
@require_POST
def proposal_submit_batch(request):
    require(request.user.is_township_staff or request.user.is_county_admin)
    open_ones = selectors.proposals_for_user(user=request.user).filter(
        status__in=[Proposal.Status.PENDING, Proposal.Status.SUBMITTED]
    )
    form = ProposalBatchSubmitForm(request.POST, proposals=open_ones)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to_list(request)
    proposals = list(form.cleaned_data["proposal"].select_related("cadre"))
    try:
        decisions.proposals_submit_batch(proposals=proposals, user=request.user, remarks=form.cleaned_data["remarks"])
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("%(count)s proposals submitted to the county.") % {"count": len(proposals)})
    return _back_to_list(request)


@login_required
@require_POST
def proposal_decide_batch(request):
    require(request.user.is_county_approver)
    submitted = selectors.proposals_for_user(user=request.user).filter(status=Proposal.Status.SUBMITTED)
    form = ProposalBatchDecideForm(request.POST, proposals=submitted)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to_list(request)
    proposals = list(form.cleaned_data["proposal"].select_related("cadre"))
    reason = form.cleaned_data["reason"]
    try:
        if form.cleaned_data["action"] == ProposalBatchDecideForm.APPROVE:
            decisions.proposals_approve_batch(proposals=proposals, approver=request.user, comment=reason)
            done = _("%(count)s proposals approved; they take effect next month.")
        else:
            decisions.proposals_reject_batch(proposals=proposals, approver=request.user, reason=reason)
            done = _("%(count)s proposals rejected.")
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, done % {"count": len(proposals)})
    return _back_to_list(request)


def _detail(request, proposal, *, submit_form=None, approve_form=None, reject_form=None, status=200):
    user = request.user
    open_for_township = proposal.needs_decision and proposal.status in (Proposal.Status.PENDING, Proposal.Status.SUBMITTED)
    can_submit = open_for_township and (user.is_township_staff or user.is_county_admin)
    can_decide = user.is_county_approver and proposal.status == Proposal.Status.SUBMITTED
    return render(
        request,
        "ranks/proposal_detail.html",
        {
            "proposal": proposal,
            "explained": selectors.explanation_view(proposal.explanation),
            "history": selectors.proposal_history(proposal=proposal),
            "can_submit": can_submit,
            "can_decide": can_decide,
            "submit_form": submit_form
            or ProposalSubmitForm(initial={"remarks": proposal.township_remarks, "notes": proposal.supporting_notes}),
            "approve_form": approve_form or ProposalApproveForm(),
            "reject_form": reject_form or ProposalRejectForm(),
        },
        status=status,
    )


@login_required
def proposal_detail(request, pk):
    _require_proposal_reader(request.user)
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    return _detail(request, proposal)


@login_required
@require_POST
def proposal_submit(request, pk):
    require(request.user.is_township_staff or request.user.is_county_admin)
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    form = ProposalSubmitForm(request.POST)
    if form.is_valid():
        try:
            decisions.proposal_submit(
                proposal=proposal, user=request.user, remarks=form.cleaned_data["remarks"], notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The proposal for %(name)s has been submitted.") % {"name": proposal.cadre.name})
            return redirect("ranks:proposal_detail", pk=proposal.pk)
    return _detail(request, proposal, submit_form=form, status=400)


@login_required
@require_POST
def proposal_approve(request, pk):
    require(request.user.is_county_approver)
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    form = ProposalApproveForm(request.POST)
    if form.is_valid():
        try:
            decisions.proposal_approve(proposal=proposal, approver=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The proposal for %(name)s is approved; it takes effect next month.") % {"name": proposal.cadre.name}
            )
            return redirect("ranks:proposal_detail", pk=proposal.pk)
    return _detail(request, proposal, approve_form=form, status=400)


@login_required
@require_POST
def proposal_reject(request, pk):
    require(request.user.is_county_approver)
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    form = ProposalRejectForm(request.POST)
    if form.is_valid():
        try:
            decisions.proposal_reject(proposal=proposal, approver=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The proposal for %(name)s has been rejected.") % {"name": proposal.cadre.name})
            return redirect("ranks:proposal_detail", pk=proposal.pk)
    return _detail(request, proposal, reject_form=form, status=400)
