"""Excel export of the cadre list a user may see (ID numbers masked unless the user may see them)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record

HEADERS = ["乡镇", "村", "姓名", "性别", "身份证号", "职务", "任职时间", "联系电话", "政治面貌", "学历", "状态"]


def export_cadres(*, user, queryset):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("村干部")
    ws.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJK", (10, 12, 10, 6, 22, 26, 12, 14, 12, 12, 8), strict=True):
        ws.column_dimensions[column].width = width
    header = []
    for title in HEADERS:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for cadre in queryset.iterator(chunk_size=2000):
        ws.append(
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
            ]
        )
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    audit_record(actor=user, action=AuditRecord.Action.EXPORT, object_type="cadres.Cadre", summary=f"导出村干部名单 {count} 人")
    return buffer.getvalue()
