"""A cadre's own pages (``me:``, DESIGN §12): their file, a proposal's explanation, appeals, notices.

Each page finds the cadre from the account (``own_cadre``: 404 for any other role) and reads only rows
about them, so another cadre's id is a 404. Every page showing personal data leaves an audit record.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.attachments import attachment_response
from cadre_mgmt.web import post_action, submit_form

from ..appeals import selectors as appeal_selectors
from ..appeals import services as appeal_services
from ..appeals.forms import AppealForm
from . import selectors


def _seen(request, cadre, page):
    """The audit record of a personal page; the notices that point to this page are read now."""
    appeal_services.personal_data_viewed(user=request.user, page=page, cadre=cadre)
    appeal_services.notices_mark_read(user=request.user, link=request.path)


@login_required
def my_file(request):
    cadre = selectors.own_cadre(request.user)
    _seen(request, cadre, "file")
    context = selectors.own_file(cadre=cadre)
    context["decisions"] = appeal_selectors.appealable_decisions(cadre=cadre, loaded=context)
    context["unread"] = appeal_selectors.unread_notice_count(cadre=cadre)
    return render(request, "selfservice/my_file.html", context)


@login_required
def my_proposal(request, pk):
    cadre = selectors.own_cadre(request.user)
    proposal = selectors.own_proposal(cadre=cadre, pk=pk)
    _seen(request, cadre, f"proposal {proposal.year}")
    context = {"proposal": proposal, "explained": selectors.cadre_explanation(proposal.explanation)}
    context["decision"] = appeal_selectors.decision_for_cadre(cadre=cadre, kind="proposal", pk=proposal.pk)
    return render(request, "selfservice/my_proposal.html", context)


@login_required
def my_appeals(request):
    cadre = selectors.own_cadre(request.user)
    _seen(request, cadre, "appeals")
    context = {
        "appeals": appeal_selectors.own_appeals(cadre=cadre),
        "decisions": appeal_selectors.appealable_decisions(cadre=cadre),
    }
    return render(request, "selfservice/my_appeals.html", context)


@login_required
def appeal_new(request, kind, subject_id):
    cadre = selectors.own_cadre(request.user)
    decision = appeal_selectors.decision_for_cadre(cadre=cadre, kind=kind, pk=subject_id)
    if decision is None:
        raise Http404
    form = AppealForm(request.POST or None, request.FILES or None)
    return submit_form(
        request,
        form,
        lambda data: appeal_services.appeal_file(
            user=request.user, kind=kind, subject_id=subject_id, reasons=data["reasons"], attachments=data["attachments"]
        ),
        _("Your appeal has been filed; the township comments on it next."),
        template="selfservice/appeal_form.html",
        context={"decision": decision},
        redirect_to=lambda appeal: reverse("me:appeal_detail", args=[appeal.pk]),
    )


@login_required
def my_appeal(request, pk):
    cadre = selectors.own_cadre(request.user)
    appeal = appeal_selectors.get_own_appeal(cadre=cadre, pk=pk)
    _seen(request, cadre, f"appeal {appeal.pk}")
    return render(request, "selfservice/my_appeal.html", {"appeal": appeal, "file": selectors.own_level(cadre=cadre)})


@login_required
def my_attachment(request, pk, attachment_pk):
    cadre = selectors.own_cadre(request.user)
    appeal = appeal_selectors.get_own_appeal(cadre=cadre, pk=pk)
    return appeal_attachment_response(appeal, attachment_pk)


def appeal_attachment_response(appeal, attachment_pk):
    """An appeal's attachment, to those who may read the appeal (never a public /media/ URL)."""
    attachment = appeal.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment.file, attachment.name)


@login_required
def my_notices(request):
    cadre = selectors.own_cadre(request.user)
    return render(request, "selfservice/my_notices.html", {"notices": appeal_selectors.own_notices(cadre=cadre)[:100]})


@login_required
def notices_read(request):
    selectors.own_cadre(request.user)
    return post_action(
        request,
        lambda: appeal_services.notices_mark_read(user=request.user),
        success="",
        redirect_to=reverse("me:notices"),
    )
