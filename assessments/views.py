"""Pages of the ledger, quarters, years and the overview. Thin: access helper → form → one service call → redirect.

Township staff work in their own township; county users read every township (``?township=<id>``) and
the county administrator may also write. Another township's ids are a 404.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require, scope_for_user, township_allowed_for_user
from cadre_mgmt.cadres.models import Cadre, Village
from cadre_mgmt.cadres.selectors import townships_for_user
from cadre_mgmt.uploads import ExcelUploadForm
from cadre_mgmt.web import xlsx_response

from . import importing, rules, selectors, services
from .attachments import content_type_for
from .forms import (
    AreaFormSet,
    FinalizeForm,
    LedgerEntryEditForm,
    LedgerEntryForm,
    QuarterGridForm,
    ReturnForm,
    ReviewGridForm,
    YearSettingsForm,
)
from .models import AnnualReview, LedgerEntry, TownshipYear
from .selectors import can_read_assessments

SESSION_VILLAGE = "assessments_ledger_village"


def _require_reader(user):
    require(can_read_assessments(user))


def _township_for(request):
    """The township the page is about: township staff their own; county users pick one (default the first)."""
    user = request.user
    _require_reader(user)
    if user.is_township_staff:
        return user.township
    townships = townships_for_user(user=user)
    raw = request.POST.get("township") or request.GET.get("township")
    if raw:
        if not str(raw).isdigit():
            raise Http404
        return get_object_or_404(townships, pk=int(raw))
    township = townships.first()
    if township is None:
        raise Http404
    return township


def _check_year(year, quarter=None):
    if not 2000 <= year <= 2100 or (quarter is not None and quarter not in (1, 2, 3, 4)):
        raise Http404


def _village_for(request, township, *, remember=None):
    villages = Village.objects.filter(township=township)
    raw = request.POST.get("village") or request.GET.get("village") or (request.session.get(remember) if remember else None)
    if raw and str(raw).isdigit():
        village = villages.filter(pk=int(raw)).first()
        if village is not None:
            return village
    return villages.order_by("sort_order", "name").first()


def _township_query(request, township, **extra):
    params = {} if request.user.is_township_staff else {"township": township.pk}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return f"?{urlencode(params)}" if params else ""


def _posted(request, *, files=False):
    """Form data for a POST (even an empty one: a POST with nothing ticked is still a submission)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _township_picker(request, township):
    if request.user.is_township_staff:
        return None
    return {"townships": townships_for_user(user=request.user), "current": township}


# ---------------------------------------------------------------- ledger


def _cursor(raw):
    """'2026-03-01_123' → (date, id) or None."""
    try:
        day, pk = (raw or "").split("_")
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


@login_required
def ledger(request):
    township = _township_for(request)
    user = request.user
    can_write = township_allowed_for_user(user, township.pk)
    village = _village_for(request, township, remember=SESSION_VILLAGE)
    cadres_url = reverse("assessments:ledger_cadres") + _township_query(request, township)
    saved = None
    chosen_ids = []
    if request.method == "POST":
        require(can_write)
        form = LedgerEntryForm(request.POST, request.FILES, user=user, township=township, cadres_url=cadres_url)
        chosen_ids = [int(v) for v in request.POST.getlist("cadres") if v.isdigit()]
        if form.is_valid():
            try:
                entries = services.ledger_entry_create(user=user, cadres=form.cleaned_data["cadres"], **form.entry_kwargs())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if form.cleaned_data.get("village"):
                    request.session[SESSION_VILLAGE] = form.cleaned_data["village"].pk
                    village = form.cleaned_data["village"]
                saved = len(entries)
                if not _is_htmx(request):
                    messages.success(request, _("%(count)s ledger entries saved.") % {"count": saved})
                    return redirect(reverse("assessments:ledger") + _township_query(request, township))
                # A fresh form that keeps the village, date and category for the next line.
                form = LedgerEntryForm(
                    initial={
                        "village": village,
                        "date": form.cleaned_data["date"],
                        "category": form.cleaned_data["category"],
                    },
                    user=user,
                    township=township,
                    cadres_url=cadres_url,
                )
                chosen_ids = []
    else:
        form = LedgerEntryForm(
            initial={"village": village, "date": timezone.localdate()},
            user=user,
            township=township,
            cadres_url=cadres_url,
        )
    entries, next_cursor = selectors.ledger_page(user=user, township=township, before=_cursor(request.GET.get("before")))
    choices = _choices(request, township, chosen_ids, village=village)
    context = {
        "township": township,
        "picker": _township_picker(request, township),
        "form": form,
        "can_write": can_write,
        "entries": entries,
        "next_cursor": f"{next_cursor[0].isoformat()}_{next_cursor[1]}" if next_cursor else "",
        "choices": choices,
        "chosen": set(chosen_ids),
        "saved": saved,
        "township_query": _township_query(request, township),
    }
    template = "assessments/_ledger_workspace.html" if _is_htmx(request) else "assessments/ledger_list.html"
    return render(request, template, context)


@login_required
def ledger_cadres(request):
    """htmx: cadre checkboxes for a village, or for part of a name; the already chosen ones stay ticked."""
    township = _township_for(request)
    q = request.GET.get("q", "")[:30]
    village = None
    if not q.strip():
        village = _village_for(request, township)
    if village is not None and request.GET.get("village"):
        request.session[SESSION_VILLAGE] = village.pk
    chosen_ids = [int(v) for v in request.GET.getlist("cadres") if v.isdigit()]
    choices = _choices(request, township, chosen_ids, q=q, village=village)
    return render(
        request, "assessments/_cadre_choices.html", {"choices": choices, "chosen": set(chosen_ids), "searched": bool(q.strip())}
    )


def _choices(request, township, chosen_ids, *, q="", village=None):
    """The ticked cadres first (they stay ticked), then the village's cadres or the name matches."""
    chosen = []
    if chosen_ids:
        chosen = list(
            scope_for_user(Cadre.objects.select_related("village"), request.user).filter(
                township=township, pk__in=chosen_ids[:200]
            )
        )
    found = selectors.cadre_choices(user=request.user, township=township, q=q, village=village)
    chosen_set = {c.pk for c in chosen}
    return chosen + [c for c in found if c.pk not in chosen_set]


def _entry_for_user(user, pk):
    _require_reader(user)
    return get_object_for_user(LedgerEntry.objects.select_related("cadre", "category", "cadre__village"), user, pk=pk)


@login_required
def ledger_entry_edit(request, pk):
    entry = _entry_for_user(request.user, pk)
    require(township_allowed_for_user(request.user, entry.township_id))
    locked = selectors.date_is_locked(township_id=entry.township_id, day=entry.date)
    initial = {f: getattr(entry, f) for f in ("date", "category", "description", "outcome", "score_change", "leave_days")}
    form = LedgerEntryEditForm(*_posted(request, files=True), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.ledger_entry_update(user=request.user, entry=entry, **form.entry_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The ledger entry has been saved."))
            return redirect(reverse("assessments:ledger") + _township_query(request, entry.township))
    return render(request, "assessments/ledger_form.html", {"form": form, "entry": entry, "locked": locked})


@login_required
@require_POST
def ledger_entry_delete(request, pk):
    entry = _entry_for_user(request.user, pk)
    require(township_allowed_for_user(request.user, entry.township_id))
    try:
        services.ledger_entry_delete(user=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The ledger entry has been deleted."))
    return redirect(reverse("assessments:ledger") + _township_query(request, entry.township))


@login_required
def ledger_attachment(request, pk):
    """The attachment, only to users who may see the entry (never a public /media/ URL)."""
    entry = _entry_for_user(request.user, pk)
    if not entry.attachment:
        raise Http404
    try:
        handle = entry.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=entry.attachment_name or entry.attachment.name,
        content_type=content_type_for(entry.attachment.name),
    )


# ---------------------------------------------------------------- quarters


def _quarter_context(request, township, year, quarter):
    tq = selectors.quarter_or_none(township=township, year=year, quarter=quarter)
    return {
        "township": township,
        "picker": _township_picker(request, township),
        "year": year,
        "quarter": quarter,
        "tq": tq,
        "can_write": township_allowed_for_user(request.user, township.pk) and not (tq and tq.is_closed),
        "township_query": _township_query(request, township),
    }


@login_required
def quarter_detail(request, year, quarter):
    _check_year(year, quarter)
    township = _township_for(request)
    context = _quarter_context(request, township, year, quarter)
    village = _village_for(request, township)
    tq = context["tq"]
    areas, rows = selectors.quarter_grid(township=township, year=year, quarter=quarter, township_quarter=tq, village=village)
    form = QuarterGridForm(*_posted(request), areas=areas, rows=rows)
    if request.method == "POST":
        require(context["can_write"] and tq is not None)
        if form.is_valid():
            try:
                changed = services.quarter_scores_save(
                    user=request.user, township=township, year=year, quarter=quarter, scores=form.scores()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(count)s scores saved.") % {"count": changed})
                return redirect(
                    reverse("assessments:quarter", args=[year, quarter]) + _township_query(request, township, village=village.pk)
                )
    context.update(
        {
            "areas": areas,
            "form": form,
            "village": village,
            "villages": Village.objects.filter(township=township),
            "first": rules.quarter_bounds(year, quarter)[0],
            "last": rules.quarter_bounds(year, quarter)[1],
            "proposed": selectors.proposed_areas(township=township, year=year, quarter=quarter) if tq is None else [],
        }
    )
    return render(request, "assessments/quarter_detail.html", context)


@login_required
@require_POST
def quarter_open(request, year, quarter):
    _check_year(year, quarter)
    township = _township_for(request)
    require(township_allowed_for_user(request.user, township.pk))
    try:
        services.quarter_open(user=request.user, township=township, year=year, quarter=quarter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("assessments:quarter", args=[year, quarter]) + _township_query(request, township))


@login_required
def quarter_areas(request, year, quarter):
    _check_year(year, quarter)
    township = _township_for(request)
    context = _quarter_context(request, township, year, quarter)
    require(context["can_write"])
    tq = context["tq"]
    initial = (
        [{"id": a.pk, "name": a.name, "weight": a.weight} for a in tq.areas.all()]
        if tq
        else [{"name": n, "weight": w} for n, w in selectors.proposed_areas(township=township, year=year, quarter=quarter)]
    )
    formset = AreaFormSet(*_posted(request), initial=initial, prefix="areas")
    if request.method == "POST" and formset.is_valid():
        areas = [
            {
                "id": f.cleaned_data.get("id"),
                "name": f.cleaned_data["name"],
                "weight": f.cleaned_data["weight"],
                "delete": f.cleaned_data.get("DELETE"),
            }
            for f in formset.forms
            if f.cleaned_data and f.cleaned_data.get("name")
        ]
        try:
            services.quarter_areas_save(user=request.user, township=township, year=year, quarter=quarter, areas=areas)
        except ValidationError as exc:
            context["errors"] = exc.messages
        else:
            messages.success(request, _("The task areas and weights have been saved."))
            return redirect(reverse("assessments:quarter", args=[year, quarter]) + _township_query(request, township))
    context["formset"] = formset
    return render(request, "assessments/quarter_form.html", context)


@login_required
@require_POST
def quarter_close(request, year, quarter):
    _check_year(year, quarter)
    township = _township_for(request)
    require(township_allowed_for_user(request.user, township.pk))
    try:
        services.quarter_close(user=request.user, township=township, year=year, quarter=quarter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The quarter is closed; its scores and ledger entries are locked."))
    return redirect(reverse("assessments:quarter", args=[year, quarter]) + _township_query(request, township))


@login_required
def quarter_import(request, year, quarter):
    _check_year(year, quarter)
    township = _township_for(request)
    context = _quarter_context(request, township, year, quarter)
    require(context["can_write"])
    form = ExcelUploadForm(*_posted(request, files=True))
    result, file_error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.import_quarter_scores(
                upload.read(), user=request.user, township=township, year=year, quarter=quarter
            )
        except importing.WorkbookError as exc:
            file_error = str(exc)
        except ValidationError as exc:
            file_error = " ".join(exc.messages)
        else:
            if result.ok:
                messages.success(request, _("Import finished: %(count)s scores changed.") % {"count": result.changed})
                return redirect(reverse("assessments:quarter", args=[year, quarter]) + _township_query(request, township))
    context.update({"form": form, "result": result, "file_error": file_error})
    return render(request, "assessments/quarter_import.html", context)


@login_required
def quarter_template(request, year, quarter):
    _check_year(year, quarter)
    township = _township_for(request)
    tq = selectors.quarter_or_none(township=township, year=year, quarter=quarter)
    if tq is None:
        raise Http404
    content = importing.build_template(
        township=township,
        year=year,
        quarter=quarter,
        township_quarter=tq,
        village=_village_for(request, township) if request.GET.get("village") else None,
    )
    return xlsx_response(content, f"quarter-{year}Q{quarter}.xlsx")


# ---------------------------------------------------------------- years


def _year_context(request, township, year):
    ty = selectors.township_year_or_default(township=township, year=year)
    return {
        "township": township,
        "picker": _township_picker(request, township),
        "year": year,
        "ty": ty,
        "can_write": township_allowed_for_user(request.user, township.pk) and ty.is_open,
        "township_query": _township_query(request, township),
    }


@login_required
def year_detail(request, year):
    _check_year(year)
    township = _township_for(request)
    context = _year_context(request, township, year)
    village = _village_for(request, township)
    ty, rows = selectors.year_sheet(township=township, year=year, township_year=context["ty"], village=village)
    form = ReviewGridForm(*_posted(request), rows=rows)
    if request.method == "POST":
        require(context["can_write"])
        if form.is_valid():
            try:
                changed = services.annual_reviews_save(user=request.user, township=township, year=year, scores=form.scores())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Year-end review scores of %(count)s cadres saved.") % {"count": changed})
                return redirect(reverse("assessments:year", args=[year]) + _township_query(request, township, village=village.pk))
    context.update(
        {
            "form": form,
            "village": village,
            "villages": Village.objects.filter(township=township),
            "policy": selectors.current_policy(),
            "quarters": range(1, 5),
            "can_confirm": request.user.is_county_approver and ty.status == TownshipYear.Status.FINALIZED,
        }
    )
    return render(request, "assessments/year_detail.html", context)


@login_required
def year_settings(request, year):
    _check_year(year)
    township = _township_for(request)
    context = _year_context(request, township, year)
    require(context["can_write"])
    policy = selectors.current_policy()
    form = YearSettingsForm(*_posted(request), instance=context["ty"])
    if request.method == "POST" and form.is_valid():
        try:
            services.township_year_settings_save(user=request.user, township=township, year=year, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The weights of %(year)s have been saved.") % {"year": year})
            return redirect(reverse("assessments:year", args=[year]) + _township_query(request, township))
    context.update({"form": form, "policy": policy, "defaults": selectors.default_year_values(policy)})
    return render(request, "assessments/year_form.html", context)


@login_required
def year_finalize(request, year):
    _check_year(year)
    township = _township_for(request)
    context = _year_context(request, township, year)
    require(context["can_write"])
    preview = services.annual_finalize_preview(township=township, year=year)
    form = FinalizeForm(*_posted(request), tied_rows=preview.tied_rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_finalize(user=request.user, township=township, year=year, tie_choice=form.tie_ids())
        except rules.TieUnresolved as exc:
            form.add_error(
                None,
                _("Choose exactly %(places)s of the tied cadres for the remaining excellent places.")
                % {"places": exc.outcome.tie_places},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The %(year)s grades are finalized and sent to the county.") % {"year": year})
            return redirect(reverse("assessments:year", args=[year]) + _township_query(request, township))
    context.update({"preview": preview, "form": form, "grade_labels": dict(AnnualReview.Grade.choices)})
    return render(request, "assessments/year_finalize_form.html", context)


@login_required
@require_POST
def year_confirm(request, year):
    _check_year(year)
    township = _township_for(request)
    if not request.user.is_county_approver:
        raise PermissionDenied
    ty = get_object_or_404(TownshipYear, township=township, year=year)
    try:
        services.annual_confirm(user=request.user, township_year=ty)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The %(year)s grades of %(township)s are confirmed.") % {"year": year, "township": township})
    return redirect(reverse("assessments:year", args=[year]) + _township_query(request, township))


@login_required
@require_POST
def year_return(request, year):
    _check_year(year)
    township = _township_for(request)
    if not request.user.is_county_approver:
        raise PermissionDenied
    ty = get_object_or_404(TownshipYear, township=township, year=year)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for returning the grades."))
    else:
        try:
            services.annual_return(user=request.user, township_year=ty, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The grades have been returned to the township."))
    return redirect(reverse("assessments:year", args=[year]) + _township_query(request, township))


# ---------------------------------------------------------------- overview


@login_required
def overview(request):
    township = _township_for(request)
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    data = selectors.overview(township=township, year=year)
    total = len(data["rows"]) or 1
    distribution = [(label, count, round(100 * count / total)) for _code, label, count in data["distribution"]]
    return render(
        request,
        "assessments/overview_detail.html",
        {
            "township": township,
            "picker": _township_picker(request, township),
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "data": data,
            "distribution": distribution,
            "township_query": _township_query(request, township),
        },
    )
