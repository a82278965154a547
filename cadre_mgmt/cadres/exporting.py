"""Excel export of the cadre list a user may see (ID numbers masked unless the user may see them)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record

HEADERS = ["乡镇", "村", "姓名", "性别", "身份证号", "职务", "任职时间", "联系电话", "政治面貌", "学历", "状态"]


def safe_row(ws, values):
    """A row for a write-only sheet in which no text becomes a formula.

    openpyxl writes any string starting with "=" as a formula: a cadre named "=HYPERLINK(...)" would
    run in the exported file (formula injection). Such text is written as a plain string cell.
    """
    row = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row


def export_cadres(*, user, queryset):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("村干部")
    ws.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJK", (10, 12, 10, 6, 22, 26, 12, 14, 12, 12, 8), strict=True):
        ws.column_dimensions[column].width = width
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for cadre in queryset.iterator(chunk_size=2000):
        ws.append(
            safe_row(
                ws,
                [
                    cadre.township.name,
                    cadre.village.name,
                    cadre.name,
                    cadre.get_gender_display(),
                    cadre.id_number_for(user),
                    cadre.posts_display,
                    cadre.first_appointed_on,
                    cadre.phone,
                    cadre.get_political_status_display(),
                    cadre.get_education_display(),
                    cadre.get_status_display(),
                ],
            )
        )
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    audit_record(
        actor=user,
        action=AuditRecord.Action.EXPORT,
        object_type="cadres.Cadre",
        summary=_("Exported the cadre list: %(count)s people") % {"count": count},
    )
    return buffer.getvalue()
