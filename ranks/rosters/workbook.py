"""The roster workbook in the government form (DESIGN §8), written in openpyxl write-only mode.

Title with county and month, frozen header, subtotal per township and grand total as numbers,
signature block, A4 landscape with the header rows repeated on every printed page.
"""

import io
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.exporting import safe_row

from ..models import Roster, RosterLine
from .columns import HEADERS, PRINTED_FIELDS, WIDTHS

HEADER_ROWS = 3
MONEY = "#,##0.00"
COUNT = '0"人"'
MONTH = 'yyyy"年"m"月"'
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PROGRESS_EVERY = 1000


def roster_title(roster):
    return f"{settings.COUNTY_NAME}村干部职级补贴花名册（{roster.month.year}年{roster.month.month}月）"


def _cell(ws, value, *, bold=False, number_format=None, size=None, border=True, align=None):
    cell = WriteOnlyCell(ws, value=value)
    if bold or size:
        cell.font = Font(bold=bold, size=size or 11)
    if number_format:
        cell.number_format = number_format
    if border:
        cell.border = BOX
    if align:
        cell.alignment = Alignment(horizontal=align, vertical="center")
    return cell


def _setup_sheet(ws):
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    ws.print_title_rows = f"1:{HEADER_ROWS}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.merged_cells.add(f"A1:{chr(ord('A') + len(HEADERS) - 1)}1")


def _total_row(ws, label, township_name, people, amount):
    return [
        _cell(ws, label, bold=True),
        _cell(ws, township_name, bold=True),
        _cell(ws, None),
        _cell(ws, people, bold=True, number_format=COUNT),
        _cell(ws, None),
        _cell(ws, None),
        _cell(ws, None),
        _cell(ws, amount, bold=True, number_format=MONEY),
        _cell(ws, None),
        _cell(ws, None),
    ]


def roster_workbook(*, roster: Roster, township_id=None, full_id_numbers=False, progress=None):
    """(xlsx bytes, number of lines) for the roster, limited to one township when ``township_id`` is set."""
    lines = RosterLine.objects.filter(roster=roster).order_by("position")
    if township_id is not None:
        lines = lines.filter(township_id=township_id)
    total_rows = lines.count()
    fields = [*PRINTED_FIELDS, "kind"]
    if full_id_numbers:
        fields.append("cadre__id_number_encrypted")

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    _setup_sheet(ws)
    ws.append([_cell(ws, roster_title(roster), bold=True, size=16, border=False, align="center")])
    status = "已锁定" if roster.is_locked else "草稿（未锁定）"
    ws.append([_cell(ws, f"单位：元　　状态：{status}", border=False)])
    ws.append([_cell(ws, title, bold=True, align="center") for title in HEADERS])

    current = None
    people = 0
    subtotal = Decimal(0)
    grand_people = 0
    grand_total = Decimal(0)
    number = 0
    for done, row in enumerate(lines.values_list(*fields).iterator(chunk_size=2000), start=1):
        township_name, village, name, masked, posts, level, amount, since, remarks, kind = row[:10]
        if current is not None and township_name != current:
            ws.append(_total_row(ws, "小计", current, people, subtotal))
            people, subtotal = 0, Decimal(0)
        current = township_name
        id_number = idnumbers.decrypt_id_number(row[10]) if full_id_numbers and row[10] else masked
        if kind == RosterLine.Kind.REGULAR:
            number += 1
            people += 1
            grand_people += 1
        # Plain values for the text columns: a styled cell per value would triple the time of a large export.
        # safe_row: a name or remark starting with "=" is written as text, never as a formula.
        ws.append(
            safe_row(
                ws,
                [
                    number if kind == RosterLine.Kind.REGULAR else None,
                    township_name,
                    village,
                    name,
                    id_number,
                    posts,
                    level,
                    _cell(ws, amount, number_format=MONEY, border=False),
                    _cell(ws, since, number_format=MONTH, border=False),
                    remarks,
                ],
            )
        )
        subtotal += amount
        grand_total += amount
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total_rows)
    if current is not None:
        ws.append(_total_row(ws, "小计", current, people, subtotal))
    ws.append(_total_row(ws, "合计", "", grand_people, grand_total))
    ws.append([])
    ws.append(
        [
            None,
            _cell(ws, "制表人：", border=False),
            None,
            None,
            _cell(ws, "审核人：", border=False),
            None,
            None,
            _cell(ws, "日期：", border=False),
        ]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), total_rows
