from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.web import list_page, xlsx_response

from .exporting import MAX_EXPORT_ROWS, export_audit_log
from .forms import AuditFilterForm
from .models import AuditRecord
from .selectors import audit_search, change_rows, latest_chain_check

PAGE_SIZE = 50


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, audit_search(**filters)


@login_required
def audit_list(request):
    require(request.user.is_county_admin)
    form, records = _filtered(request)
    extra = {"form": form, "chain_check": latest_chain_check()}
    return list_page(request, "audit/auditrecord_list.html", records, extra, per_page=PAGE_SIZE)


@login_required
def audit_export(request):
    """The records the page shows, with its filters, as a workbook (audited as an export)."""
    require(request.user.is_county_admin)
    _form, records = _filtered(request)
    if records.count() > MAX_EXPORT_ROWS:
        messages.error(request, _("More than %(max)s records match; narrow the filters.") % {"max": MAX_EXPORT_ROWS})
        return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
    content = export_audit_log(user=request.user, queryset=records)
    return xlsx_response(content, f"audit-log-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def audit_detail(request, pk):
    require(request.user.is_county_admin)
    record = get_object_or_404(AuditRecord.objects.select_related("actor"), pk=pk)
    return render(request, "audit/auditrecord_detail.html", {"record": record, "rows": change_rows(record)})
