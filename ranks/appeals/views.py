"""The township's and the county's pages of the appeals (DESIGN §12), and the cadre account buttons of the
cadre file (issue, disable). Thin: access helper, form, one service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadre_mgmt.accounts import cadre_accounts
from cadre_mgmt.accounts.scoping import require, writable_for_user
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.web import list_page, post_action, refusal_text, submit_form

from ..selfservice.views import appeal_attachment_response
from . import selectors, services
from .forms import CommentForm, DecisionForm


@login_required
def appeal_list(request):
    require(selectors.can_read_appeals(request.user))
    rows = selectors.appeals_for_user(user=request.user)
    status = request.GET.get("status", "")
    if status in dict(rows.model.Status.choices):
        rows = rows.filter(status=status)
    return list_page(request, "appeals/appeal_list.html", rows, {"status": status, "statuses": rows.model.Status.choices})


def _detail_context(request, appeal, **forms):
    remedies = services.remedies(appeal)
    return {
        "appeal": appeal,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(remedies=remedies),
        "change": services.rank_change_of(appeal) if "correction" in remedies else None,
        "may_comment": request.user.is_township_staff and appeal.status == appeal.Status.FILED,
        "may_decide": request.user.is_county_approver and appeal.status == appeal.Status.COMMENTED,
    }


@login_required
def appeal_detail(request, pk):
    require(selectors.can_read_appeals(request.user))
    appeal = selectors.get_appeal_for_user(user=request.user, pk=pk)
    return render(request, "appeals/appeal_detail.html", _detail_context(request, appeal))


def _step(request, pk, form_class, call, success, which):
    require(selectors.can_read_appeals(request.user))
    appeal = selectors.get_appeal_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kwargs = {"remedies": services.remedies(appeal)} if form_class is DecisionForm else {}
    form = form_class(request.POST, **kwargs)
    context = _detail_context(request, appeal, **{which: form})
    return submit_form(
        request,
        form,
        lambda data: call(appeal, data),
        success,
        template="appeals/appeal_detail.html",
        context=context,
        redirect_to=reverse("ranks:appeal_detail", args=[appeal.pk]),
    )


@login_required
def appeal_comment(request, pk):
    require(request.user.is_township_staff)
    call = lambda appeal, data: services.appeal_comment(appeal=appeal, user=request.user, comment=data["comment"])  # noqa: E731
    return _step(request, pk, CommentForm, call, _("The township's comment has been recorded."), "comment_form")


@login_required
def appeal_decide(request, pk):
    require(request.user.is_county_approver)

    def call(appeal, data):
        return services.appeal_decide(
            appeal=appeal, user=request.user, outcome=data["outcome"], reasons=data["reasons"], remedy=data["remedy"]
        )

    return _step(request, pk, DecisionForm, call, _("The appeal has been decided."), "decision_form")


@login_required
def appeal_attachment(request, pk, attachment_pk):
    require(selectors.can_read_appeals(request.user))
    return appeal_attachment_response(selectors.get_appeal_for_user(user=request.user, pk=pk), attachment_pk)


def _keeper_cadre(request, pk):
    require(request.user.can_edit_cadres)
    cadre = writable_for_user(Cadre.objects.all(), request.user).filter(pk=pk).first()
    if cadre is None:
        raise Http404
    return cadre


@login_required
def cadre_account_issue(request, pk):
    """POST: issue the account; the answer is the one-time slip with the initial password (never stored)."""
    cadre = _keeper_cadre(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        account, password = cadre_accounts.cadre_account_issue(user=request.user, cadre=cadre)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("cadres:detail", pk=cadre.pk)
    response = render(request, "appeals/account_slip.html", {"cadre": cadre, "account": account, "password": password})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def cadre_account_disable(request, pk):
    cadre = _keeper_cadre(request, pk)
    return post_action(
        request,
        lambda: cadre_accounts.cadre_account_disable(user=request.user, cadre=cadre, reason=_("by the township")),
        success=_("The cadre's account has been disabled."),
        redirect_to=reverse("cadres:detail", args=[cadre.pk]),
    )
