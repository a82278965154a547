"""Excel exports of list pages: the columns of a list defined once, every text cell stored as text, every export audited.

An app describes each list page's export as a ``ListExport`` (its columns, the sheet, the audit summary) and its
export view calls ``export_response`` with the same scoped, filtered rows the page shows::

    INSPECTIONS = ListExport(
        name="inspections", sheet=_("Inspections"), object_type="supervision.Inspection",
        summary=_("Exported inspections: %(count)s"),
        columns=(Column(_("inspected on"), attrgetter("inspected_on")), Column(_("team"), attrgetter("team"), 20)),
    )

    def inspection_export(request):
        _reader(request)
        return export_response(request, INSPECTIONS, inspections_for_user(user=request.user))

Text goes through ``cadre_mgmt.cadres.exporting.safe_row``: a cadre named "=HYPERLINK(...)" stays a name.
"""

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.cadres.exporting import safe_row
from cadre_mgmt.web import xlsx_response


@dataclass(frozen=True)
class Column:
    """One column: its header (a translatable string), how to get the cell from a row, its width in characters."""

    title: str | Promise
    value: Callable[[Any], Any]
    width: int = 14


@dataclass(frozen=True)
class ListExport:
    """The export of one list page. ``extra_columns(user)`` adds columns only some users get (a supervisor's)."""

    name: str  # the file name's stem: "<name>-YYYYMMDD.xlsx"
    sheet: str | Promise
    object_type: str  # the audit record's object type, e.g. "supervision.Inspection"
    summary: str | Promise  # the audit summary, with %(count)s
    columns: tuple[Column, ...]
    extra_columns: Callable[[Any], tuple[Column, ...]] | None = None
    summary_for: Callable[[Any], str] | None = None  # a summary that depends on the user, instead of ``summary``

    def columns_for(self, user: Any) -> tuple[Column, ...]:
        return self.columns + (self.extra_columns(user) if self.extra_columns else ())


def cadre_columns(path: str = "cadre") -> tuple[Column, ...]:
    """Township, village and name of the cadre at ``path`` of each row: the first columns of most lists."""
    get = attrgetter(path)
    return (
        Column(_("township"), lambda row: get(row).township.name, 10),
        Column(_("village"), lambda row: get(row).village.name, 12),
        Column(_("cadre"), lambda row: get(row).name, 10),
    )


def _plain(value: Any) -> Any:
    """A cell's value: lazy text made text, None an empty cell."""
    if isinstance(value, Promise):
        return str(value)
    return "" if value is None else value


def _each(rows: Iterable[Any]) -> Iterable[Any]:
    iterator = getattr(rows, "iterator", None)
    return iterator(chunk_size=2000) if iterator else rows


def workbook_of(sheet_title: str, columns: Sequence[Column], rows: Iterable[Any]) -> tuple[bytes, int]:
    """The .xlsx of ``rows`` under ``columns`` (bold header, frozen, widths) and the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=str(column.title))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in _each(rows):
        ws.append(safe_row(ws, [_plain(column.value(row)) for column in columns]))
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


def export_list(*, user: Any, listing: ListExport, rows: Iterable[Any], filters: dict | None = None) -> bytes:
    """The workbook of a list as ``user`` sees it, recorded in the audit log as an export (count and filters)."""
    content, count = workbook_of(str(listing.sheet), listing.columns_for(user), rows)
    audit_record(
        actor=user,
        action=AuditRecord.Action.EXPORT,
        object_type=listing.object_type,
        summary=(listing.summary_for(user) if listing.summary_for else str(listing.summary)) % {"count": count},
        changes={"rows": count, "filters": filters or {}},
    )
    return content


def export_response(request: HttpRequest, listing: ListExport, rows: Iterable[Any]) -> HttpResponse:
    """The download of a list page's rows (already scoped and filtered by the page's own selector)."""
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    content = export_list(user=request.user, listing=listing, rows=rows, filters=filters)
    return xlsx_response(content, f"{listing.name}-{timezone.localdate():%Y%m%d}.xlsx")
