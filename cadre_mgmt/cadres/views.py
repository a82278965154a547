from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from cadre_mgmt import registry
from cadre_mgmt.accounts.scoping import get_object_for_user, require
from cadre_mgmt.uploads import ExcelUploadForm, import_page
from cadre_mgmt.web import list_page, submit_form, with_result_message, xlsx_response

from . import exporting, import_jobs, importing, services
from .forms import CadreFilterForm, CadreForm, CadreLeaveForm
from .models import Cadre
from .selectors import cadre_search, cadres_for_user, can_edit_cadre, can_edit_cadres, import_job_for_user, import_jobs_for_user


def get_cadre_for_user(user, pk):
    """The cadre if the user may read it, else 404 (another township's ids reveal nothing)."""
    return get_object_for_user(cadres_for_user(user=user), user, pk=pk)


def get_cadre_for_editing(user, pk):
    cadre = get_cadre_for_user(user, pk)
    require(can_edit_cadre(user, cadre))
    return cadre


def _filtered(request):
    form = CadreFilterForm(request.GET or {"status": Cadre.Status.IN_POST}, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {"status": Cadre.Status.IN_POST}
    return form, cadre_search(user=request.user, **filters)


@login_required
def cadre_list(request):
    form, qs = _filtered(request)
    return list_page(request, "cadres/cadre_list.html", qs, {"form": form, "can_edit": can_edit_cadres(request.user)})


@login_required
def cadre_export(request):
    _form, qs = _filtered(request)
    content = exporting.export_cadres(user=request.user, queryset=qs)
    return xlsx_response(content, f"cadres-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def cadre_detail(request, pk):
    # The sections' single figures (counts, sums) come with the cadre: one query instead of one each.
    queryset = cadres_for_user(user=request.user).annotate(**registry.cadre_figures(request.user))
    cadre = get_object_for_user(queryset, request.user, pk=pk)
    panels = [{"template_name": panel.template_name, **panel.context(cadre, request.user)} for panel in registry.cadre_panels]
    return render(
        request,
        "cadres/cadre_detail.html",
        {
            "cadre": cadre,
            "id_number": cadre.id_number_for(request.user),
            "panels": panels,
            "can_edit": can_edit_cadre(request.user, cadre),
        },
    )


def _created(cadre):
    return _("The cadre file of %(name)s has been created.") % {"name": cadre.name}


@login_required
def cadre_create(request):
    require(can_edit_cadres(request.user))
    form = CadreForm(request.POST or None, user=request.user)
    created = lambda _data: services.cadre_create(user=request.user, **form.service_kwargs())  # noqa: E731
    call, success = with_result_message(
        created, lambda cadre: _("The cadre file of %(name)s has been created.") % {"name": cadre.name}
    )
    return submit_form(
        request,
        form,
        call,
        success,
        template="cadres/cadre_form.html",
        context={"title": _("New cadre")},
        redirect_to=lambda cadre: reverse("cadres:detail", kwargs={"pk": cadre.pk}),
    )


def _edited(changes):
    return _("The cadre file has been saved.") if changes else _("Nothing was changed.")


@login_required
def cadre_edit(request, pk):
    cadre = get_cadre_for_editing(request.user, pk)
    form = CadreForm(request.POST or None, instance=cadre, user=request.user)
    call, success = with_result_message(
        lambda _data: services.cadre_update(user=request.user, cadre=cadre, **form.service_kwargs()), _edited
    )
    return submit_form(
        request,
        form,
        call,
        success,
        template="cadres/cadre_form.html",
        context={"cadre": cadre, "title": _("Edit cadre file")},
        redirect_to=reverse("cadres:detail", kwargs={"pk": cadre.pk}),
    )


@login_required
def cadre_leave(request, pk):
    cadre = get_cadre_for_editing(request.user, pk)
    form = CadreLeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    return submit_form(
        request,
        form,
        lambda data: services.cadre_mark_left(user=request.user, cadre=cadre, left_on=data["left_on"], reason=data["reason"]),
        _("%(name)s is recorded as having left post.") % {"name": cadre.name},
        template="cadres/cadre_leave_form.html",
        context={"cadre": cadre},
        redirect_to=reverse("cadres:detail", kwargs={"pk": cadre.pk}),
    )


def _imported(result):
    if isinstance(result, import_jobs.Queued):
        return _("The file has %(rows)s rows: it is being imported in the background; this page shows the progress.") % {
            "rows": result.job.total_rows
        }
    return _("Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


def _after_import(outcome):
    """Where a clean upload leads: the job's page when it went to a job, else the cadre list."""
    if isinstance(outcome.get("result"), import_jobs.Queued):
        return reverse("cadres:import_job", kwargs={"pk": outcome["result"].job.pk})
    return reverse("cadres:list")


@login_required
def cadre_import(request):
    require(can_edit_cadres(request.user))
    outcome = {}
    run = lambda data, name: outcome.setdefault(  # noqa: E731
        "result", import_jobs.cadre_import_start(data, user=request.user, filename=name)
    )
    return import_page(
        request,
        ExcelUploadForm(request.POST or None, request.FILES or None),
        run,
        success=_imported,
        template="cadres/cadre_import.html",
        context={"jobs": import_jobs_for_user(user=request.user)[:5]},
        redirect_to=lazy(lambda: _after_import(outcome), str)(),
    )


@login_required
def cadre_import_job(request, pk):
    """A queued import: its progress (polled while it runs), then its counts or every problem of its rows."""
    job = import_job_for_user(user=request.user, pk=pk)
    template = "cadres/_import_job.html" if request.headers.get("HX-Request") else "cadres/cadre_import_job.html"
    return render(request, template, {"job": job, "result": import_jobs.job_result(job)})


@login_required
def cadre_import_template(request):
    require(can_edit_cadres(request.user))
    return xlsx_response(importing.build_template(), "cadre-import-template.xlsx")
