"""The quarter pages: the score grid, the task areas and weights, opening and closing, the Excel import."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.cadres.models import Village
from cadre_mgmt.uploads import ExcelUploadForm, import_page
from cadre_mgmt.web import post_action, submit_form, with_result_message, xlsx_response

from .. import evidence, exporting, importing, rules, selectors, services
from ..forms import QuarterAreasForm, QuarterGridForm
from .common import check_year, page_context, posted, township_for, township_query, village_for


def _quarter_context(request, township, year, quarter):
    tq = selectors.quarter_or_none(township=township, year=year, quarter=quarter)
    can_write = selectors.can_write_quarter(request.user, township, tq)
    return page_context(request, township, year=year, quarter=quarter, tq=tq, can_write=can_write)


def _quarter_url(request, township, year, quarter, **extra):
    return reverse("assessments:quarter", args=[year, quarter]) + township_query(request, township, **extra)


def _writable_quarter(request, year, quarter):
    """(township, context) of a quarter page that writes: the user's township's quarter, not closed."""
    check_year(year, quarter)
    township = township_for(request)
    context = _quarter_context(request, township, year, quarter)
    require(context["can_write"])
    return township, context


def _grid_context(township, year, quarter, tq, village, areas):
    first, last = rules.quarter_bounds(year, quarter)
    proposed = selectors.proposed_areas(township=township, year=year, quarter=quarter) if tq is None else []
    villages = Village.objects.filter(township=township)
    return {"areas": areas, "village": village, "villages": villages, "first": first, "last": last, "proposed": proposed}


@login_required
def quarter_detail(request, year, quarter):
    check_year(year, quarter)
    township = township_for(request)
    context = _quarter_context(request, township, year, quarter)
    tq, village = context["tq"], village_for(request, township)
    require(request.method != "POST" or (context["can_write"] and tq is not None))
    areas, rows = selectors.quarter_grid(township=township, year=year, quarter=quarter, township_quarter=tq, village=village)
    form = QuarterGridForm(*posted(request), areas=areas, rows=rows)
    save = lambda _data: services.quarter_scores_save(  # noqa: E731
        user=request.user, township=township, year=year, quarter=quarter, scores=form.scores()
    )
    call, success = with_result_message(save, lambda changed: _("%(count)s scores saved.") % {"count": changed})
    context.update(
        _grid_context(township, year, quarter, tq, village, areas), projects=evidence.quarter_projects(rows, year, quarter)
    )
    redirect_to = _quarter_url(request, township, year, quarter, village=village.pk if village else None)
    return submit_form(
        request, form, call, success, template="assessments/quarter_detail.html", context=context, redirect_to=redirect_to
    )


@login_required
@require_POST
def quarter_open(request, year, quarter):
    check_year(year, quarter)
    township = township_for(request)
    require(selectors.can_write_quarter(request.user, township))
    return post_action(
        request,
        lambda: services.quarter_open(user=request.user, township=township, year=year, quarter=quarter),
        success="",
        redirect_to=_quarter_url(request, township, year, quarter),
    )


@login_required
def quarter_areas(request, year, quarter):
    township, context = _writable_quarter(request, year, quarter)
    tq = context["tq"]
    if tq:
        initial = [{"id": a.pk, "name": a.name, "weight": a.weight} for a in tq.areas.all()]
    else:
        initial = [{"name": n, "weight": w} for n, w in selectors.proposed_areas(township=township, year=year, quarter=quarter)]
    form = QuarterAreasForm(*posted(request), initial=initial)
    return submit_form(
        request,
        form,
        lambda data: services.quarter_areas_save(
            user=request.user, township=township, year=year, quarter=quarter, areas=data["areas"]
        ),
        _("The task areas and weights have been saved."),
        template="assessments/quarter_form.html",
        context=context,
        redirect_to=_quarter_url(request, township, year, quarter),
    )


@login_required
@require_POST
def quarter_close(request, year, quarter):
    check_year(year, quarter)
    township = township_for(request)
    require(selectors.can_write_quarter(request.user, township))
    return post_action(
        request,
        lambda: services.quarter_close(user=request.user, township=township, year=year, quarter=quarter),
        success=_("The quarter is closed; its scores and ledger entries are locked."),
        redirect_to=_quarter_url(request, township, year, quarter),
    )


@login_required
def quarter_import(request, year, quarter):
    township, context = _writable_quarter(request, year, quarter)
    return import_page(
        request,
        ExcelUploadForm(*posted(request, files=True)),
        lambda data, _name: importing.import_quarter_scores(
            data, user=request.user, township=township, year=year, quarter=quarter
        ),
        success=lambda result: _("Import finished: %(count)s scores changed.") % {"count": result.changed},
        template="assessments/quarter_import.html",
        context=context,
        redirect_to=_quarter_url(request, township, year, quarter),
    )


@login_required
def quarter_template(request, year, quarter):
    check_year(year, quarter)
    township = township_for(request)
    tq = selectors.quarter_or_none(township=township, year=year, quarter=quarter)
    if tq is None:
        raise Http404
    village = village_for(request, township) if request.GET.get("village") else None
    content = importing.build_template(township=township, year=year, quarter=quarter, township_quarter=tq, village=village)
    exporting.audit_quarter_export(user=request.user, township=township, year=year, quarter=quarter)
    return xlsx_response(content, f"quarter-{year}Q{quarter}.xlsx")
