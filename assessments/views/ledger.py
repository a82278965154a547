"""The ledger pages: the township's latest entries with the entry form (one cadre or a bulk entry), its
htmx partials (the workspace after a save, the cadre checkboxes), editing, deleting and attachments."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadre_mgmt.accounts.scoping import get_object_for_user, require, scope_for_user
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.lookups import posted_ids
from cadre_mgmt.web import post_action, submit_form, submit_partial, with_result_message, xlsx_response

from .. import exporting, selectors, services
from ..attachments import attachment_response
from ..forms import LedgerEntryEditForm, LedgerEntryForm, LedgerFilterForm
from ..models import LedgerEntry
from .common import is_htmx, page_context, posted, require_reader, township_for, township_query, village_for

SESSION_VILLAGE = "assessments_ledger_village"
WORKSPACE = "assessments/_ledger_workspace.html"
EDITED_FIELDS = ("date", "category", "description", "outcome", "score_change", "leave_days")


def _cursor(raw):
    """'2026-03-01_123' → (date, id) or None."""
    try:
        day, pk = (raw or "").split("_")
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _ledger_url(request, township):
    return reverse("assessments:ledger") + township_query(request, township)


def _entry_form(request, township, *args, **kwargs):
    cadres_url = reverse("assessments:ledger_cadres") + township_query(request, township)
    return LedgerEntryForm(*args, user=request.user, township=township, cadres_url=cadres_url, **kwargs)


def _chosen_ids(data):
    return posted_ids(data.getlist("cadres"))


def _village_chosen(request, township):
    """The village the form names; None when it names none ("all villages": a search over the township)."""
    data = request.POST if request.method == "POST" else request.GET
    if "village" in data and not data["village"]:
        return None
    return village_for(request, township, remember=SESSION_VILLAGE)


def _choices(request, township, chosen_ids, *, q="", village=None):
    """The ticked cadres first (they stay ticked, those of the chosen village only), then the village's
    cadres or the name matches."""
    chosen = []
    if chosen_ids:
        cadres = scope_for_user(Cadre.objects.select_related("village"), request.user)
        cadres = cadres.filter(township=township, pk__in=chosen_ids[:200])
        chosen = list(cadres if village is None else cadres.filter(village=village))
    found = selectors.cadre_choices(user=request.user, township=township, q=q, village=village)
    chosen_set = {c.pk for c in chosen}
    return chosen + [c for c in found if c.pk not in chosen_set]


def _filters(request, township):
    """(filter form, valid filters) of the ledger list; in the query string as f-village, f-name ..."""
    form = LedgerFilterForm(request.GET if request.method == "GET" else None, township=township)
    return form, form.filters()


def _workspace(request, township, form, *, village, chosen_ids=(), saved=None):
    """Context of the ledger workspace: the form, the cadres to tick and the latest entries (filtered)."""
    filter_form, filters = _filters(request, township)
    before = _cursor(request.GET.get("before"))
    entries, next_cursor = selectors.ledger_page(user=request.user, township=township, before=before, filters=filters)
    query = request.GET.copy()
    query.pop("before", None)
    return page_context(
        request,
        township,
        filter_form=filter_form,
        filter_query=query.urlencode(),
        form=form,
        can_write=selectors.can_write_ledger(request.user, township.pk),
        entries=entries,
        next_cursor=f"{next_cursor[0].isoformat()}_{next_cursor[1]}" if next_cursor else "",
        choices=_choices(request, township, chosen_ids, village=village),
        chosen=set(chosen_ids),
        saved=saved,
    )


def _saved(entries):
    return _("%(count)s ledger entries saved.") % {"count": len(entries)}


def _record(request, form):
    """The ledger form's one service call; the village chosen is remembered for the next entry."""

    def call(data):
        entries = services.ledger_entry_create(
            user=request.user, cadres=data["cadres"], village=data.get("village"), **form.entry_kwargs()
        )
        if data.get("village"):
            request.session[SESSION_VILLAGE] = data["village"].pk
        return entries

    return call


@login_required
def ledger(request):
    if request.method == "POST" and is_htmx(request):
        return ledger_workspace(request)
    township = township_for(request)
    require(request.method != "POST" or selectors.can_write_ledger(request.user, township.pk))
    village = _village_chosen(request, township)
    form = _entry_form(
        request, township, *posted(request, files=True), initial={"village": village, "date": timezone.localdate()}
    )
    call, success = with_result_message(_record(request, form), _saved)
    return submit_form(
        request,
        form,
        call,
        success,
        template=WORKSPACE if is_htmx(request) else "assessments/ledger_list.html",
        context=_workspace(request, township, form, village=village, chosen_ids=_chosen_ids(request.POST)),
        redirect_to=_ledger_url(request, township),
    )


@login_required
@require_POST
def ledger_workspace(request):
    """htmx: save the ledger form and answer with the workspace — a fresh form that keeps the village, date
    and category for the next line, or the form with its errors."""
    township = township_for(request)
    require(selectors.can_write_ledger(request.user, township.pk))
    form = _entry_form(request, township, request.POST, request.FILES)

    def context(entries):
        village = _village_chosen(request, township)
        if entries is None:
            return _workspace(request, township, form, village=village, chosen_ids=_chosen_ids(request.POST))
        keep = {"village": village, "date": form.cleaned_data["date"], "category": form.cleaned_data["category"]}
        fresh = _entry_form(request, township, initial=keep)
        return _workspace(request, township, fresh, village=village, saved=len(entries))

    return submit_partial(request, form, _record(request, form), template=WORKSPACE, context=context)


@login_required
def ledger_cadres(request):
    """htmx: cadre checkboxes for a village, or for part of a name (within the village when one is chosen);
    the already chosen ones of that village stay ticked."""
    township = township_for(request)
    q = request.GET.get("q", "")[:30]
    village = None if q.strip() and "village" not in request.GET else _village_chosen(request, township)
    if village is not None and request.GET.get("village"):
        request.session[SESSION_VILLAGE] = village.pk
    chosen_ids = _chosen_ids(request.GET)
    choices = _choices(request, township, chosen_ids, q=q, village=village)
    context = {"choices": choices, "chosen": set(chosen_ids), "searched": bool(q.strip())}
    return render(request, "assessments/_cadre_choices.html", context)


@login_required
def ledger_export(request):
    """The filtered ledger list as Excel (every matching entry, not only the page shown); audited."""
    township = township_for(request)
    _form, filters = _filters(request, township)
    entries = selectors.ledger_filtered(user=request.user, township=township, **filters)
    content = exporting.export_ledger(user=request.user, entries=entries.iterator(chunk_size=2000))
    return xlsx_response(content, f"ledger-{timezone.localdate():%Y%m%d}.xlsx")


def _entry_for_user(user, pk):
    require_reader(user)
    return get_object_for_user(LedgerEntry.objects.select_related("cadre", "category", "cadre__village"), user, pk=pk)


def _entry_for_writing(user, pk):
    entry = _entry_for_user(user, pk)
    require(selectors.can_write_ledger(user, entry.township_id))
    return entry


@login_required
def ledger_entry_edit(request, pk):
    entry = _entry_for_writing(request.user, pk)
    form = LedgerEntryEditForm(*posted(request, files=True), initial={f: getattr(entry, f) for f in EDITED_FIELDS})
    return submit_form(
        request,
        form,
        lambda data: services.ledger_entry_update(user=request.user, entry=entry, **form.entry_kwargs()),
        _("The ledger entry has been saved."),
        template="assessments/ledger_form.html",
        context={"entry": entry, "locked": selectors.date_is_locked(township_id=entry.township_id, day=entry.date)},
        redirect_to=_ledger_url(request, entry.township),
    )


@login_required
@require_POST
def ledger_entry_delete(request, pk):
    entry = _entry_for_writing(request.user, pk)
    return post_action(
        request,
        lambda: services.ledger_entry_delete(user=request.user, entry=entry),
        success=_("The ledger entry has been deleted."),
        redirect_to=_ledger_url(request, entry.township),
    )


@login_required
def ledger_attachment(request, pk):
    """The attachment, only to users who may see the entry (never a public /media/ URL)."""
    entry = _entry_for_user(request.user, pk)
    return attachment_response(entry.attachment, entry.attachment_name)
