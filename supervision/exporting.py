"""Excel export of petitions. Reporter columns exist only in a supervisor's export (via ``reporter_for``)."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.cadres.exporting import safe_row

HEADERS = [
    "编号",
    "乡镇",
    "村",
    "被反映人",
    "来源渠道",
    "是否匿名",
    "摘要",
    "收件日期",
    "办理期限",
    "状态",
    "承办",
    "办理结论",
    "超期",
]
REPORTER_HEADERS = ["举报人", "举报人电话", "全文"]


def export_petitions(*, user, queryset):
    with_reporter = user.is_supervisor
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("信访举报")
    ws.freeze_panes = "A2"
    headers = HEADERS + (REPORTER_HEADERS if with_reporter else [])
    header = []
    for title in headers:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for petition in queryset.iterator(chunk_size=2000):
        row = [
            petition.pk,
            petition.township.name,
            petition.village.name if petition.village else "",
            petition.cadre.name if petition.cadre else "",
            petition.get_channel_display(),
            "是" if petition.anonymous else "否",
            petition.summary_shown,
            petition.received_on,
            petition.deadline,
            petition.get_status_display(),
            petition.assigned_to,
            petition.get_conclusion_display() if petition.conclusion else "",
            "超期" if petition.is_open and petition.overdue_since else "",
        ]
        if with_reporter:
            reporter = petition.reporter_for(user) or {}
            row += [reporter.get("name", "（匿名）" if petition.anonymous else ""), reporter.get("phone", "")]
            row.append(petition.content_for(user))
        ws.append(safe_row(ws, row))
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    audit_record(
        actor=user,
        action=AuditRecord.Action.EXPORT,
        object_type="supervision.Petition",
        summary=f"导出信访举报 {count} 件" + ("（含举报人）" if with_reporter else "（不含举报人）"),
    )
    return buffer.getvalue()
