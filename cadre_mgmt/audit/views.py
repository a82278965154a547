from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from cadre_mgmt.accounts.scoping import require

from .forms import AuditFilterForm
from .models import AuditRecord
from .selectors import audit_search, change_rows

PAGE_SIZE = 50


@login_required
def audit_list(request):
    require(request.user.is_county_admin)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    records = audit_search(**filters)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/auditrecord_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def audit_detail(request, pk):
    require(request.user.is_county_admin)
    record = get_object_or_404(AuditRecord, pk=pk)
    return render(request, "audit/auditrecord_detail.html", {"record": record, "rows": change_rows(record)})
