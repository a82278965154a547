"""Pages of the promotion review: runs (county), proposals (township and county), the rule settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.attachments import attachment_response
from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.cadres.selectors import townships_for_user
from cadre_mgmt.listexport import export_response
from cadre_mgmt.web import list_page, paginate, post_action, submit_form
from incentives.selectors import commendation_points_table

from ..models import PromotionReview, Proposal
from ..responses import after, refused_is_400
from . import decisions, listings, selectors, services
from .facts import stored_rule_values
from .forms import (
    ProposalApproveForm,
    ProposalBatchDecideForm,
    ProposalBatchSubmitForm,
    ProposalFilterForm,
    ProposalRejectForm,
    ProposalResubmitForm,
    ProposalSubmitForm,
    ReviewSettingsForm,
    ReviewStartForm,
)

PROPOSALS_PER_PAGE = 50
DRY_ROWS_PER_PAGE = 100


@login_required
def review_list(request):
    user = request.user
    require(selectors.can_read_reviews(user))
    require(request.method != "POST" or selectors.can_start_reviews(user))
    form = ReviewStartForm(request.POST) if request.method == "POST" else ReviewStartForm()
    start = lambda data: services.review_start(user=user, trigger=PromotionReview.Trigger.PAGE, **data)  # noqa: E731
    call, success = after(start, lambda review: _("The review of %(year)s has started.") % {"year": review.year})
    context = {
        "reviews": selectors.recent_reviews(),
        "can_start": selectors.can_start_reviews(user),
        "can_change_rules": selectors.can_change_rules(user),
    }
    redirect_to = lambda review: reverse("ranks:review_detail", args=[review.pk])  # noqa: E731
    template = "ranks/review_list.html"
    response = submit_form(request, form, call, success, template=template, context=context, redirect_to=redirect_to)
    return refused_is_400(request, response)


@login_required
def review_export(request):
    """The review runs the user may read, as Excel."""
    require(selectors.can_read_reviews(request.user))
    return export_response(request, listings.REVIEWS, selectors.reviews_for_user(user=request.user))


def _get_review(user, pk):
    require(selectors.can_read_reviews(user))
    return get_object_or_404(PromotionReview.objects.select_related("started_by"), pk=pk)


def _dry_run_context(request, review):
    township_id, outcome = selectors.dry_run_filters(request.GET)
    rows = selectors.dry_run_rows(review=review, township_id=township_id, outcome=outcome)
    page, query = paginate(request, rows, per_page=DRY_ROWS_PER_PAGE)
    return {
        "page": page,
        "dry_rows": selectors.dry_run_page_rows(page.object_list),
        "township_filter": township_id,
        "outcome_filter": outcome,
        "query": query,
        "outcomes": Proposal.Outcome.choices,
    }


@login_required
def review_detail(request, pk):
    review = _get_review(request.user, pk)
    context = {
        "review": review,
        "can_resume": selectors.can_resume_review(request.user, review),
        "dry_rows": None,
        "budget": selectors.review_budget(user=request.user, review=review),
    }
    if review.dry_run and review.state == PromotionReview.State.DONE:
        context.update(_dry_run_context(request, review))
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
    require(selectors.can_start_reviews(request.user))
    return post_action(
        request,
        lambda: services.review_resume(review=review, user=request.user),
        success=_("The unfinished batches have been queued again."),
        redirect_to=reverse("ranks:review_detail", args=[review.pk]),
    )


@login_required
def review_settings(request):
    require(selectors.can_change_rules(request.user))
    form = ReviewSettingsForm(request.POST or None, initial=ReviewSettingsForm.initial_from(stored_rule_values()))
    call, success = after(
        lambda _data: services.review_settings_update(user=request.user, values=form.values()),
        lambda changes: _("Rule settings saved: %(count)s values changed.") % {"count": len(changes)},
    )
    context = {"groups": form.grouped(), "commendation_points": commendation_points_table()}
    template = "ranks/review_settings_form.html"
    response = submit_form(request, form, call, success, template=template, context=context, redirect_to="ranks:review_settings")
    return refused_is_400(request, response)


def _filters(request):
    form = ProposalFilterForm(request.GET, townships=townships_for_user(user=request.user))
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or selectors.latest_year(user=request.user) or timezone.localdate().year - 1
    status = data.get("status") or selectors.default_proposal_status(request.user)
    return form, {
        "year": year,
        "township": data.get("township"),
        "status": "" if status == "all" else status,
        "outcome": data.get("outcome") or "",
        "level": data.get("level"),
    }


@login_required
def proposal_list(request):
    user = request.user
    require(selectors.can_read_proposals(user))
    form, filters = _filters(request)
    can_decide = selectors.can_decide_proposals(user)
    context = {
        "form": form,
        "filters": filters,
        "summary": selectors.proposal_summary(user=user, year=filters["year"]) if can_decide else None,
        "can_submit": selectors.can_submit_proposals(user),
        "can_decide": can_decide,
        "can_read_reviews": selectors.can_read_reviews(user),
        "statuses": Proposal.Status,
    }
    rows = selectors.proposal_search(user=user, **filters)
    return list_page(request, "ranks/proposal_list.html", rows, context, per_page=PROPOSALS_PER_PAGE)


@login_required
def proposal_export(request):
    """The proposals the list shows (the same scope and filters), every one of them, as Excel."""
    require(selectors.can_read_proposals(request.user))
    _form, filters = _filters(request)
    rows = selectors.proposal_search(user=request.user, **filters).select_related("submitted_by", "decided_by")
    return export_response(request, listings.PROPOSALS, rows)


def _list_url(request):
    target = request.POST.get("next", "")
    return target if target.startswith(reverse("ranks:proposals")) else reverse("ranks:proposals")


def _refuse_form(request, form):
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_list_url(request))


@login_required
@require_POST
def proposal_submit_batch(request):
    require(selectors.can_submit_proposals(request.user))
    form = ProposalBatchSubmitForm(request.POST, proposals=selectors.open_proposals_for_user(user=request.user))
    if not form.is_valid():
        return _refuse_form(request, form)
    proposals = list(form.cleaned_data["proposal"].select_related("cadre"))
    remarks = form.cleaned_data["remarks"]
    return post_action(
        request,
        lambda: decisions.proposals_submit_batch(proposals=proposals, user=request.user, remarks=remarks),
        success=_("%(count)s proposals submitted to the county.") % {"count": len(proposals)},
        redirect_to=_list_url(request),
    )


@login_required
@require_POST
def proposal_decide_batch(request):
    """First POST: the summary (counts, monthly cost) with a confirm button; the confirming POST acts."""
    user = request.user
    require(selectors.can_decide_proposals(user))
    confirming = request.POST.get("confirm") == "on"
    scope = selectors.proposals_for_user(user=user) if confirming else selectors.submitted_proposals_for_user(user=user)
    form = ProposalBatchDecideForm(request.POST, proposals=scope)
    if not form.is_valid():
        return _refuse_form(request, form)
    data = form.cleaned_data
    proposals = list(data["proposal"].select_related("cadre", "cadre__village", "township"))
    if not confirming:
        summary = selectors.batch_summary(proposals=proposals, action=data["action"])
        context = {"summary": summary, "reason": data["reason"], "next": _list_url(request)}
        return render(request, "ranks/proposal_batch_confirm.html", context)
    decide = dict(proposals=proposals, approver=user, action=data["action"], reason=data["reason"])
    call = lambda: decisions.proposals_decide_confirmed(**decide, fingerprint=data["fingerprint"])  # noqa: E731
    approve = data["action"] == ProposalBatchDecideForm.APPROVE
    done = _("%(count)s proposals approved; they take effect next month.") if approve else _("%(count)s proposals rejected.")
    return post_action(request, call, success=done % {"count": len(proposals)}, redirect_to=_list_url(request))


def _detail_context(request, proposal, *, submit_form=None, approve_form=None, reject_form=None, resubmit_form=None):
    initial = {"remarks": proposal.township_remarks, "notes": proposal.supporting_notes}
    return {
        "proposal": proposal,
        "explained": selectors.explanation_view(proposal.explanation),
        "steps": selectors.proposal_steps(proposal=proposal),
        "history": selectors.proposal_history(proposal=proposal),
        "resubmit_form": resubmit_form or ProposalResubmitForm(),
        **selectors.proposal_permissions(request.user, proposal),
        "submit_form": submit_form or ProposalSubmitForm(initial=initial),
        "approve_form": approve_form or ProposalApproveForm(),
        "reject_form": reject_form or ProposalRejectForm(),
    }


@login_required
def proposal_attachment(request, pk):
    """A document of a proposal's round, only to users who may read the proposal (never a public /media/ URL)."""
    require(selectors.can_read_proposals(request.user))
    attachment = selectors.get_proposal_attachment_for_user(user=request.user, pk=pk)
    return attachment_response(attachment.file, attachment.name)


@login_required
def proposal_detail(request, pk):
    require(selectors.can_read_proposals(request.user))
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    return render(request, "ranks/proposal_detail.html", _detail_context(request, proposal))


def _decision(request, proposal, form, call, success, which):
    """One action form of the proposal page: the service, then back to the page (or the page, 400, with the errors)."""
    context = _detail_context(request, proposal, **{which: form})
    redirect_to = reverse("ranks:proposal_detail", args=[proposal.pk])
    template = "ranks/proposal_detail.html"
    response = submit_form(request, form, call, success, template=template, context=context, redirect_to=redirect_to)
    return refused_is_400(request, response)


def _resubmit_or_close(request, proposal):
    """A returned proposal's form: resubmit with the added material, or close it."""
    user = request.user
    call, success = after(
        lambda data: (
            decisions.proposal_resubmit(
                proposal=proposal, user=user, remarks=data["remarks"], material=data["material"], attachments=data["attachments"]
            )
            if data["action"] == ProposalResubmitForm.RESUBMIT
            else decisions.proposal_close(proposal=proposal, user=user, reason=data["remarks"])
        ),
        lambda done: (
            (
                _("The proposal for %(name)s has been resubmitted to the county.")
                if done.status == "submitted"
                else _("The proposal for %(name)s has been closed.")
            )
            % {"name": done.cadre.name}
        ),
    )
    return _decision(request, proposal, ProposalResubmitForm(request.POST, request.FILES), call, success, "resubmit_form")


@login_required
@require_POST
def proposal_submit(request, pk):
    require(selectors.can_submit_proposals(request.user))
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    if proposal.is_returned:
        return _resubmit_or_close(request, proposal)
    return _decision(
        request,
        proposal,
        ProposalSubmitForm(request.POST),
        lambda data: decisions.proposal_submit(proposal=proposal, user=request.user, **data),
        _("The proposal for %(name)s has been submitted.") % {"name": proposal.cadre.name},
        "submit_form",
    )


@login_required
@require_POST
def proposal_approve(request, pk):
    require(selectors.can_decide_proposals(request.user))
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    return _decision(
        request,
        proposal,
        ProposalApproveForm(request.POST),
        lambda data: decisions.proposal_approve(proposal=proposal, approver=request.user, **data),
        _("The proposal for %(name)s is approved; it takes effect next month.") % {"name": proposal.cadre.name},
        "approve_form",
    )


@login_required
@require_POST
def proposal_reject(request, pk):
    require(selectors.can_decide_proposals(request.user))
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    return _decision(
        request,
        proposal,
        ProposalRejectForm(request.POST),
        lambda data: decisions.proposal_reject(proposal=proposal, approver=request.user, **data),
        _("The proposal for %(name)s has been rejected.") % {"name": proposal.cadre.name},
        "reject_form",
    )
