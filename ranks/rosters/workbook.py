"""The roster workbook in the government form (DESIGN §8), written in openpyxl write-only mode.

Title with county and month, frozen header, subtotal per township and grand total as numbers,
signature block, A4 landscape with the header rows repeated on every printed page.
"""

import io
import math
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.exporting import safe_row

from ..models import Roster, RosterLine
from .columns import HEADERS, PRINTED_FIELDS, WIDTHS

HEADER_ROWS = 3
# The printed form (issue 17 item 14): one font and size for every cell (at least 9 pt once printed), every
# table cell ruled, long texts wrapped inside their column, amounts in one number format. The column widths
# (columns.WIDTHS) add up to an A4 landscape page at 100 %, so fitting the width never shrinks the text.
FONT_NAME = "宋体"
FONT_SIZE = 10
TITLE_SIZE = 14
MONEY = "#,##0.00"
COUNT = '0"人"'
MONTH = 'yyyy"年"m"月"'
# An adjustment line carries its marker in the name column; the cell keeps the plain name (a text format).
NAME_MARKERS = {RosterLine.Kind.BACK_PAY: '@"（补发）"', RosterLine.Kind.RECOVERY: '@"（扣回）"'}
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PLAIN = Font(name=FONT_NAME, size=FONT_SIZE)
BOLD = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
WRAP = Alignment(vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LINE_HEIGHT = 13
PROGRESS_EVERY = 1000


def roster_title(roster):
    return f"{settings.COUNTY_NAME}村干部职级补贴花名册（{roster.month.year}年{roster.month.month}月）"


def _cell(ws, value, *, bold=False, number_format=None, size=None, border=True, align=None):
    """One styled cell; text starting with "=" stays text (safe_row: formula injection)."""
    cell = safe_row(ws, [value])[0]
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(name=FONT_NAME, size=size, bold=bold) if size else (BOLD if bold else PLAIN)
    if number_format:
        cell.number_format = number_format
    if border:
        cell.border = BOX
    if border or align:
        cell.alignment = CENTER if align == "center" else WRAP
    return cell


def _text_width(text) -> float:
    """A text's printed width in column-width units at the form's 10 pt (a Chinese character is about two)."""
    return sum(1.7 if ord(char) > 0x2E7F else 0.9 for char in str(text or ""))


def _row_height(values) -> float | None:
    """The height (points) a row needs for its wrapped texts, None for a single line: LibreOffice and Excel
    do not grow a row written with its cells for wrapped text, so the form sets it."""
    lines = max(
        (math.ceil(_text_width(value) / max(width - 1, 1)) for value, width in zip(values, WIDTHS, strict=False) if value),
        default=1,
    )
    return LINE_HEIGHT * lines + 3 if lines > 1 else None


def _append(ws, row_number, cells, values=()):
    """Append a row at ``row_number`` (1-based), high enough for its wrapped texts; returns the next number."""
    height = _row_height(values)
    if height:
        ws.row_dimensions[row_number].height = height
    ws.append(cells)
    return row_number + 1


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
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FONT_NAME
    ws.oddFooter.center.size = FONT_SIZE
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


def _line_row(ws, values, kind):
    """A roster line: every cell ruled and in the one font; the name marked on an adjustment line."""
    number, township_name, village, name, id_number, posts, level, amount, since, remarks = values
    return [
        _cell(ws, number, align="center"),
        _cell(ws, township_name),
        _cell(ws, village),
        _cell(ws, name, number_format=NAME_MARKERS.get(kind)),
        _cell(ws, id_number),
        _cell(ws, posts),
        _cell(ws, level, align="center"),
        _cell(ws, amount, number_format=MONEY),
        _cell(ws, since, number_format=MONTH),
        _cell(ws, remarks),
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
    ws.append([_cell(ws, roster_title(roster), bold=True, size=TITLE_SIZE, border=False, align="center")])
    status = "已锁定" if roster.is_locked else "草稿（未锁定）"
    ws.append([_cell(ws, f"单位：元　　状态：{status}", border=False)])
    row_number = _append(ws, HEADER_ROWS, [_cell(ws, title, bold=True, align="center") for title in HEADERS], HEADERS)

    current = None
    people = 0
    subtotal = Decimal(0)
    grand_people = 0
    grand_total = Decimal(0)
    number = 0
    for done, row in enumerate(lines.values_list(*fields).iterator(chunk_size=2000), start=1):
        township_name, village, name, masked, posts, level, amount, since, remarks, kind = row[:10]
        if current is not None and township_name != current:
            row_number = _append(ws, row_number, _total_row(ws, "小计", current, people, subtotal))
            people, subtotal = 0, Decimal(0)
        current = township_name
        id_number = idnumbers.decrypt_id_number(row[10]) if full_id_numbers and row[10] else masked
        if kind == RosterLine.Kind.REGULAR:
            number += 1
            people += 1
            grand_people += 1
        values = (
            number if kind == RosterLine.Kind.REGULAR else None,
            township_name,
            village,
            name,
            id_number,
            posts,
            level,
            amount,
            since,
            remarks,
        )
        # The wrapped texts decide the row's height (the name with its adjustment marker).
        marked = f"{name}（补发）" if kind in NAME_MARKERS else name
        texts = (None, township_name, village, marked, None, posts, None, None, None, remarks)
        row_number = _append(ws, row_number, _line_row(ws, values, kind), texts)
        subtotal += amount
        grand_total += amount
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total_rows)
    if current is not None:
        row_number = _append(ws, row_number, _total_row(ws, "小计", current, people, subtotal))
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
