from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt import registry
from cadre_mgmt.accounts.scoping import get_object_for_user, township_allowed_for_user
from cadre_mgmt.uploads import ExcelUploadForm
from cadre_mgmt.web import xlsx_response

from . import exporting, importing, services
from .forms import CadreFilterForm, CadreForm, CadreLeaveForm
from .models import Cadre
from .selectors import cadre_search, cadres_for_user


def get_cadre_for_user(user, pk):
    """The cadre if the user may read it, else 404 (another township's ids reveal nothing)."""
    return get_object_for_user(cadres_for_user(user=user), user, pk=pk)


def get_cadre_for_editing(user, pk):
    cadre = get_cadre_for_user(user, pk)
    if not (user.can_edit_cadres and township_allowed_for_user(user, cadre.township_id)):
        raise PermissionDenied
    return cadre


def _filtered(request):
    form = CadreFilterForm(request.GET or {"status": Cadre.Status.IN_POST}, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {"status": Cadre.Status.IN_POST}
    return form, cadre_search(user=request.user, **filters)


@login_required
def cadre_list(request):
    form, qs = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cadres/cadre_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_edit": request.user.can_edit_cadres},
    )


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
            "can_edit": request.user.can_edit_cadres and township_allowed_for_user(request.user, cadre.township_id),
        },
    )


@login_required
def cadre_create(request):
    if not request.user.can_edit_cadres:
        raise PermissionDenied
    form = CadreForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cadre = services.cadre_create(user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The cadre file of %(name)s has been created.") % {"name": cadre.name})
            return redirect("cadres:detail", pk=cadre.pk)
    return render(request, "cadres/cadre_form.html", {"form": form, "title": _("New cadre")})


@login_required
def cadre_edit(request, pk):
    cadre = get_cadre_for_editing(request.user, pk)
    form = CadreForm(request.POST or None, instance=cadre, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.cadre_update(user=request.user, cadre=cadre, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changes:
                messages.success(request, _("The cadre file has been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("cadres:detail", pk=cadre.pk)
    return render(request, "cadres/cadre_form.html", {"form": form, "cadre": cadre, "title": _("Edit cadre file")})


@login_required
def cadre_leave(request, pk):
    cadre = get_cadre_for_editing(request.user, pk)
    form = CadreLeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_mark_left(
                user=request.user, cadre=cadre, left_on=form.cleaned_data["left_on"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is recorded as having left post.") % {"name": cadre.name})
            return redirect("cadres:detail", pk=cadre.pk)
    return render(request, "cadres/cadre_leave_form.html", {"form": form, "cadre": cadre})


@login_required
def cadre_import(request):
    if not request.user.can_edit_cadres:
        raise PermissionDenied
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    result = None
    file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.import_cadres(upload.read(), user=request.user, filename=upload.name)
        except importing.WorkbookError as exc:
            file_error = str(exc)
        else:
            if result.ok:
                messages.success(
                    request,
                    _("Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                    % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
                )
                return redirect("cadres:list")
    return render(request, "cadres/cadre_import.html", {"form": form, "result": result, "file_error": file_error})


@login_required
def cadre_import_template(request):
    if not request.user.can_edit_cadres:
        raise PermissionDenied
    return xlsx_response(importing.build_template(), "cadre-import-template.xlsx")
