"""The year pages: the year-end review grid, the weights, finalizing the grades, the county's confirming or
returning them, and the overview of a township's year."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.cadres.models import Village
from cadre_mgmt.web import post_action, submit_form, with_result_message, xlsx_response

from .. import evidence, exporting, rules, selectors, services
from ..forms import FinalizeForm, ReturnForm, ReviewGridForm, YearSettingsForm
from ..models import AnnualReview, TownshipYear
from .common import check_year, page_context, posted, township_for, township_query, village_for


def _year_context(request, township, year):
    ty = selectors.township_year_or_default(township=township, year=year)
    return page_context(request, township, year=year, ty=ty, can_write=selectors.can_write_year(request.user, township, ty))


def _year_url(request, township, year, **extra):
    return reverse("assessments:year", args=[year]) + township_query(request, township, **extra)


def _writable_year(request, year):
    """(township, context) of a year page that writes: the user's township's year, still open."""
    check_year(year)
    township = township_for(request)
    context = _year_context(request, township, year)
    require(context["can_write"])
    return township, context


def _sheet_context(request, township, ty, village):
    return {
        "village": village,
        "villages": Village.objects.filter(township=township),
        "policy": selectors.current_policy(),
        "quarters": range(1, 5),
        "can_confirm": selectors.can_confirm_year(request.user, ty),
    }


@login_required
def year_detail(request, year):
    check_year(year)
    township = township_for(request)
    context = _year_context(request, township, year)
    require(request.method != "POST" or context["can_write"])
    village = village_for(request, township)
    ty, rows = selectors.year_sheet(township=township, year=year, township_year=context["ty"], village=village)
    form = ReviewGridForm(*posted(request), rows=rows)
    save = lambda _data: services.annual_reviews_save(user=request.user, township=township, year=year, scores=form.scores())  # noqa: E731
    call, success = with_result_message(save, lambda n: _("Year-end review scores of %(count)s cadres saved.") % {"count": n})
    context.update(_sheet_context(request, township, ty, village), branch_attendance=evidence.year_attendance(rows, year))
    redirect_to = _year_url(request, township, year, village=village.pk if village else None)
    return submit_form(
        request, form, call, success, template="assessments/year_detail.html", context=context, redirect_to=redirect_to
    )


@login_required
def year_export(request, year):
    """The year's sheet as shown (one village, or the whole township without ``village``) as Excel; audited."""
    check_year(year)
    township = township_for(request)
    village = village_for(request, township) if request.GET.get("village") else None
    _ty, rows = selectors.year_sheet(township=township, year=year, village=village)
    content = exporting.export_year(user=request.user, township=township, year=year, rows=rows)
    return xlsx_response(content, f"year-{year}.xlsx")


@login_required
def year_settings(request, year):
    township, context = _writable_year(request, year)
    policy = selectors.current_policy()
    form = YearSettingsForm(*posted(request), instance=context["ty"])
    context.update({"policy": policy, "defaults": selectors.default_year_values(policy)})
    return submit_form(
        request,
        form,
        lambda data: services.township_year_settings_save(user=request.user, township=township, year=year, **data),
        _("The weights of %(year)s have been saved.") % {"year": year},
        template="assessments/year_form.html",
        context=context,
        redirect_to=_year_url(request, township, year),
    )


def _finalize(user, township, year, form):
    """The finalize service, an unresolved tie across the last excellent place refused like any write."""
    try:
        return services.annual_finalize(user=user, township=township, year=year, tie_choice=form.tie_ids())
    except rules.TieUnresolved as exc:
        message = _("Choose exactly %(places)s of the tied cadres for the remaining excellent places.")
        raise ValidationError(message % {"places": exc.outcome.tie_places}) from exc


@login_required
def year_finalize(request, year):
    township, context = _writable_year(request, year)
    preview = services.annual_finalize_preview(township=township, year=year)
    form = FinalizeForm(*posted(request), tied_rows=preview.tied_rows)
    context.update({"preview": preview, "grade_labels": dict(AnnualReview.Grade.choices)})
    return submit_form(
        request,
        form,
        lambda _data: _finalize(request.user, township, year, form),
        _("The %(year)s grades are finalized and sent to the county.") % {"year": year},
        template="assessments/year_finalize_form.html",
        context=context,
        redirect_to=_year_url(request, township, year),
    )


def _county_year(request, year):
    """(township, township year) for the county's confirm and return buttons."""
    check_year(year)
    township = township_for(request)
    require(selectors.can_return_year(request.user))
    return township, get_object_or_404(TownshipYear, township=township, year=year)


@login_required
@require_POST
def year_confirm(request, year):
    township, ty = _county_year(request, year)
    return post_action(
        request,
        lambda: services.annual_confirm(user=request.user, township_year=ty),
        success=_("The %(year)s grades of %(township)s are confirmed.") % {"year": year, "township": township},
        redirect_to=_year_url(request, township, year),
    )


@login_required
@require_POST
def year_return(request, year):
    township, ty = _county_year(request, year)
    form = ReturnForm(request.POST)
    return post_action(
        request,
        lambda: services.annual_return(user=request.user, township_year=ty, reason=form.reason_or_refusal()),
        success=_("The grades have been returned to the township."),
        redirect_to=_year_url(request, township, year),
    )


@login_required
def overview(request):
    township = township_for(request)
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    data = selectors.overview(township=township, year=year)
    total = len(data["rows"]) or 1
    distribution = [(label, count, round(100 * count / total)) for _code, label, count in data["distribution"]]
    context = page_context(
        request, township, year=year, years=range(today.year, today.year - 5, -1), data=data, distribution=distribution
    )
    return render(request, "assessments/overview_detail.html", context)
