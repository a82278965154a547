"""The township's and the county's pages of the mass evaluation: rounds, slips, paper tallies, results."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.web import list_page, post_action, refusal_text, submit_form, xlsx_response

from . import exporting, selectors, services, slips
from .forms import OverrideForm, PaperTallyForm, ReasonForm, RoundOpenForm, SlipsForm
from .models import Ballot, PaperTally, SlipBatch


def _reader(request):
    require(selectors.can_read_evaluation(request.user))


def _round(request, pk, *, write=False):
    _reader(request)
    round_ = selectors.round_for_user(user=request.user, pk=pk)
    require(not write or selectors.can_write_round(request.user, round_))
    return round_


def _back(round_):
    return redirect("assessments:evaluation_detail", round_.pk)


@login_required
def evaluation_list(request):
    _reader(request)
    require(request.method != "POST" or selectors.can_open_rounds(request.user))
    form = RoundOpenForm(request.POST or None, user=request.user, initial={"closes_on": timezone.localdate()})
    rows = selectors.rounds_with_counts(user=request.user)
    if request.method != "POST":
        return list_page(request, "assessments/evaluation_list.html", rows, {"form": form})
    return submit_form(
        request,
        form,
        lambda data: services.round_open(user=request.user, **data),
        _("Evaluation opened."),
        template="assessments/evaluation_list.html",
        context={"page": {"object_list": rows[:50]}},
        redirect_to=lambda round_: reverse("assessments:evaluation_detail", args=[round_.pk]),
    )


def _detail_context(request, round_):
    results = selectors.round_results(round_)
    subjects = [row.subject for row in results.rows]
    can_write = selectors.can_write_round(request.user, round_)
    return {
        "round": round_,
        "results": results,
        "can_write": can_write,
        "can_override": not round_.is_open and selectors.township_allowed(request.user, round_),
        "slips_form": SlipsForm(),
        "paper_form": PaperTallyForm(subjects=subjects),
        "override_form": OverrideForm(subjects=subjects),
        "comments": selectors.round_comments(user=request.user, round_=round_),
        "chart": results.chart(),
        "rating_labels": json.dumps([str(label) for _value, label in Ballot.Rating.choices], ensure_ascii=False),
    }


@login_required
def evaluation_detail(request, pk):
    round_ = _round(request, pk)
    return render(request, "assessments/evaluation_detail.html", _detail_context(request, round_))


@login_required
@require_POST
def evaluation_slips(request, pk):
    """Issue a batch and answer with its file at once: the codes are not kept and cannot be printed again."""
    round_ = _round(request, pk, write=True)
    form = SlipsForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("")
        if form.cleaned_data["file_format"] == "pdf" and not slips.font_available():
            raise ValidationError(_("The server has no Chinese font for the slips (install fonts-wqy-microhei)."))
        batch, codes = services.slips_issue(user=request.user, round_=round_, count=form.cleaned_data["count"])
    except ValidationError as exc:
        if exc.messages != [""]:
            form.add_error(None, exc)
        context = {**_detail_context(request, round_), "slips_form": form}
        return render(request, "assessments/evaluation_detail.html", context, status=400)
    base = slips.base_url(request)
    kind = form.cleaned_data["file_format"]
    make = slips.slips_pdf if kind == "pdf" else slips.slips_xlsx
    content = make(round_=round_, codes=codes, base=base, batch_number=batch.number)
    return slips.file_response(content, kind, f"{round_.village.name}-{round_.year}-{batch.number}")


@login_required
@require_POST
def evaluation_void(request, pk, batch):
    round_ = _round(request, pk, write=True)
    batch_ = get_object_or_404(SlipBatch, round=round_, pk=batch)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _refused(request, round_, form)
    call = lambda: services.batch_void(user=request.user, batch=batch_, reason=form.cleaned_data["reason"])  # noqa: E731
    success = lambda n: _("%(count)s unused slips voided.") % {"count": n}  # noqa: E731
    return post_action(request, call, success=success, redirect_to=_back(round_).url)


def _refused(request, round_, form):
    messages.error(request, refusal_text(ValidationError(list(form.errors.values()))))
    return _back(round_)


@login_required
@require_POST
def evaluation_close(request, pk):
    round_ = _round(request, pk, write=True)
    call = lambda: services.round_close(user=request.user, round_=round_)  # noqa: E731
    return post_action(request, call, success=_("Evaluation closed; the results are frozen."), redirect_to=_back(round_).url)


@login_required
@require_POST
def evaluation_paper(request, pk):
    round_ = _round(request, pk, write=True)
    form = PaperTallyForm(request.POST or None, subjects=[row.subject for row in selectors.round_results(round_).rows])
    if not form.is_valid():
        return _refused(request, round_, form)

    def call():
        data = dict(form.cleaned_data)
        return services.paper_tally_enter(user=request.user, round_=round_, cadre_id=data.pop("cadre"), **data)

    success = _("Paper tally saved; another township user must confirm it.")
    return post_action(request, call, success=success, redirect_to=_back(round_).url)


@login_required
@require_POST
def evaluation_paper_confirm(request, pk, tally):
    round_ = _round(request, pk, write=True)
    tally_ = get_object_or_404(PaperTally, round=round_, pk=tally)
    call = lambda: services.paper_tally_confirm(user=request.user, tally=tally_)  # noqa: E731
    return post_action(request, call, success=_("Paper tally confirmed; it now counts."), redirect_to=_back(round_).url)


@login_required
@require_POST
def evaluation_override(request, pk):
    round_ = _round(request, pk)
    require(selectors.township_allowed(request.user, round_))
    form = OverrideForm(request.POST or None, subjects=[row.subject for row in selectors.round_results(round_).rows])
    if not form.is_valid():
        return _refused(request, round_, form)

    def call():
        data = form.cleaned_data
        subject = round_.subjects.get(cadre_id=data["cadre"])
        return services.result_override(user=request.user, subject=subject, score=data["score"], reason=data["reason"])

    return post_action(request, call, success=_("Score entered with its reason."), redirect_to=_back(round_).url)


@login_required
def evaluation_export(request, pk):
    round_ = _round(request, pk)
    content = exporting.results_xlsx(user=request.user, results=selectors.round_results(round_))
    return xlsx_response(content, f"{round_.village.name}-{round_.year}.xlsx")
