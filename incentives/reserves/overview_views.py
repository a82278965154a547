"""The pool overview (chart, table, Excel), the reserve import and the county's minimum setting."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.cadres.selectors import townships_for_user
from cadre_mgmt.listexport import export_response
from cadre_mgmt.lookups import posted_ids
from cadre_mgmt.uploads import ExcelUploadForm, import_page
from cadre_mgmt.web import submit_form, xlsx_response

from . import importing, services
from .forms import PoolMinimumForm
from .listings import chart_data, overview_export
from .selectors import can_read_reserves, can_write_reserves, county_pool_overview, pool_minimum, pool_overview


def _township_id(request):
    """County users may narrow the overview to one township (``?township=``); township staff see their own."""
    value = request.GET.get("township", "")
    return (posted_ids([value]) or [None])[0] if request.user.sees_all_townships else None


@login_required
def reserve_overview(request):
    require(can_read_reserves(request.user))
    township_id = _township_id(request)
    by_township = request.user.sees_all_townships and township_id is None
    if by_township:
        overview = county_pool_overview(user=request.user)
    else:
        overview = pool_overview(user=request.user, township_id=township_id)
    context = {
        "overview": overview,
        "chart": chart_data(overview),
        "townships": townships_for_user(user=request.user) if request.user.sees_all_townships else [],
        "township_id": township_id,
        "can_set": request.user.is_county_admin,
        "active_tab": "overview",
    }
    return render(request, "incentives/reserves/overview.html", context)


@login_required
def reserve_overview_export(request):
    require(can_read_reserves(request.user))
    overview = pool_overview(user=request.user, township_id=_township_id(request))
    return export_response(request, overview_export(overview), overview.villages)


@login_required
def reserve_import(request):
    require(can_write_reserves(request.user))
    return import_page(
        request,
        ExcelUploadForm(request.POST or None, request.FILES or None),
        lambda data, name: importing.import_reserves(data, user=request.user, filename=name),
        success=lambda result: _("%(count)s reserve cadres imported.") % {"count": result.created},
        template="incentives/reserves/import.html",
        context={"active_tab": "reserves"},
        redirect_to=reverse("incentives:reserve_list"),
    )


@login_required
def reserve_import_template(request):
    require(can_write_reserves(request.user))
    return xlsx_response(importing.build_template(), "reserve-template.xlsx")


@login_required
def reserve_pool_setting(request):
    require(request.user.is_county_admin)
    form = PoolMinimumForm(request.POST or None, initial={"minimum_per_village": pool_minimum()})
    return submit_form(
        request,
        form,
        lambda data: services.pool_minimum_update(user=request.user, **data),
        _("The minimum has been saved."),
        template="incentives/reserves/form.html",
        context={"title": _("Minimum reserves per village"), "active_tab": "overview"},
        redirect_to=reverse("incentives:reserve_overview"),
    )
