"""Excel exports of the assessment lists, each what its page shows within the user's scope: the ledger
(filtered), a quarter's score grid and a year's sheet. Every text cell goes through ``safe_row`` (no text
becomes a formula) and every export is audited as an export, as the cadre list's is.

One small function per list; its columns are defined once, as (header, value of a row) pairs.
"""

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.cadres.exporting import safe_row

Column = tuple[str, Callable[[Any], Any]]

LEDGER_COLUMNS: list[Column] = [
    ("日期", lambda e: e.date),
    ("乡镇", lambda e: e.township.name),
    ("村", lambda e: e.cadre.village.name),
    ("姓名", lambda e: e.cadre.name),
    ("类别", lambda e: e.category.name),
    ("情况说明", lambda e: e.description),
    ("结果", lambda e: e.outcome),
    ("加减分", lambda e: e.score_change),
    ("请假天数", lambda e: e.leave_days),
    ("附件", lambda e: e.attachment_name),
    ("记录人", lambda e: str(e.recorded_by)),
]


def _year_columns() -> list[Column]:
    quarters: list[Column] = [(f"第{q}季度", lambda r, q=q: r.quarter_columns[q - 1]) for q in range(1, 5)]
    return [
        ("村", lambda r: r.cadre.village.name),
        ("姓名", lambda r: r.cadre.name),
        ("政治表现", lambda r: r.review.political_score if r.review else None),
        ("业务能力", lambda r: r.review.business_score if r.review else None),
        ("群众评价", lambda r: r.review.mass_score if r.review else None),
        ("台账", lambda r: r.breakdown.ledger),
        *quarters,
        ("季度平均", lambda r: r.breakdown.quarters),
        ("年终", lambda r: r.breakdown.review),
        ("年度得分", lambda r: r.breakdown.score),
        ("考核等次", lambda r: r.grade_label if r.grade else ""),
    ]


def workbook(title: str, columns: list[Column], rows: Iterable[Any]) -> tuple[bytes, int]:
    """(xlsx bytes, number of rows): a bold header row, then one safe row per item."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    header = []
    for name, _value in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for item in rows:
        ws.append(safe_row(ws, [value(item) for _name, value in columns]))
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


def _audited(user: Any, object_type: str, summary: str) -> None:
    audit_record(actor=user, action=AuditRecord.Action.EXPORT, object_type=object_type, summary=summary)


def export_ledger(*, user: Any, entries: Iterable[Any]) -> bytes:
    content, count = workbook("台账", LEDGER_COLUMNS, entries)
    _audited(user, "assessments.LedgerEntry", _("Exported the ledger: %(count)s entries") % {"count": count})
    return content


def export_year(*, user: Any, township: Any, year: int, rows: Iterable[Any]) -> bytes:
    content, count = workbook(f"{year}年度考核", _year_columns(), rows)
    summary = _("Exported the %(year)s annual assessment of %(township)s: %(count)s cadres")
    _audited(user, "assessments.AnnualReview", summary % {"year": year, "township": township.name, "count": count})
    return content


def audit_quarter_export(*, user: Any, township: Any, year: int, quarter: int) -> None:
    summary = _("Exported the scores of quarter %(quarter)s of %(year)s of %(township)s")
    _audited(user, "assessments.QuarterScore", summary % {"quarter": quarter, "year": year, "township": township.name})
