"""The roster workbook in the government form (DESIGN §8), written by XlsxWriter in constant-memory mode.

Title with county and month, frozen header, subtotal per township and grand total as numbers,
signature block, A4 landscape with the header rows repeated on every printed page. Rows are written
in order (constant memory keeps one row at a time); every text goes through ``write_string``, so a
cadre named "=HYPERLINK(...)" stays a name, never a formula. XlsxWriter measured faster than openpyxl's
write-only mode on the same cells (bench: ``export_floor_openpyxl_seconds`` and ``export_floor_xlsxwriter_seconds``);
openpyxl stays for reading imports.
"""

import datetime
import io
import math
from decimal import Decimal
from functools import cache

import xlsxwriter
from django.conf import settings

from cadre_mgmt.cadres import idnumbers

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
LINE_HEIGHT = 13
PROGRESS_EVERY = 1000
A4 = 9
PADDING = 5 / 7  # the 5 pixels of padding, in units of a 7-pixel character
FOOTER = f'&C&"{FONT_NAME}"&{FONT_SIZE}第 &P 页，共 &N 页'


def roster_title(roster):
    return f"{settings.COUNTY_NAME}村干部职级补贴花名册（{roster.month.year}年{roster.month.month}月）"


class _Sheet:
    """One worksheet written row by row, with one cached format per style of the form."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.ws = workbook.add_worksheet("花名册")
        self.row = 0
        self._formats = cache(self._format)

    def _format(self, bold=False, number_format=None, size=None, border=True, align=None):
        spec = {"font_name": FONT_NAME, "font_size": size or FONT_SIZE, "bold": bold}
        if number_format:
            spec["num_format"] = number_format
        if border:
            spec["border"] = 1
        if border or align:
            spec.update(valign="vcenter", text_wrap=True)
            if align == "center":
                spec["align"] = "center"
        return self.workbook.add_format(spec)

    def cell(self, col, value, **style):
        """One styled cell of the current row: text as text, numbers and months as numbers, None a ruled blank."""
        fmt = self._formats(**style)
        if value is None or value == "":
            self.ws.write_blank(self.row, col, None, fmt)
        elif isinstance(value, str):
            self.ws.write_string(self.row, col, value, fmt)
        elif isinstance(value, datetime.date):
            self.ws.write_datetime(self.row, col, value, fmt)
        else:
            self.ws.write_number(self.row, col, value, fmt)

    def next_row(self, texts=()):
        """Start the next row, high enough for its wrapped texts (LibreOffice and Excel do not grow a written row)."""
        self.row += 1
        height = _row_height(texts)
        if height:
            self.ws.set_row(self.row, height)


def _text_width(text) -> float:
    """A text's printed width in column-width units at the form's 10 pt (a Chinese character is about two)."""
    return sum(1.7 if ord(char) > 0x2E7F else 0.9 for char in str(text or ""))


def _row_height(values) -> float | None:
    """The height (points) a row needs for its wrapped texts, None for a single line."""
    lines = max(
        (
            math.ceil(_text_width(value) / max(width - 1, 1))
            for value, width in zip(values, WIDTHS, strict=False)
            if value and len(value) * 1.7 > width - 1  # shorter texts fit one line whatever their characters
        ),
        default=1,
    )
    return LINE_HEIGHT * lines + 3 if lines > 1 else None


def _setup_sheet(ws):
    for index, width in enumerate(WIDTHS):
        # XlsxWriter adds Excel's cell padding (5 px) to a width; the form's widths are the stored ones.
        ws.set_column(index, index, width - PADDING)
    ws.freeze_panes(HEADER_ROWS, 0)
    ws.repeat_rows(0, HEADER_ROWS - 1)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_header("", {"margin": 0.2})
    ws.set_footer(FOOTER, {"margin": 0.3})
    ws.center_horizontally()


def _head(sheet, roster):
    """Title (merged across the table), unit and status, the column headers: the three repeated rows."""
    title = sheet._formats(bold=True, size=TITLE_SIZE, border=False, align="center")
    sheet.ws.merge_range(0, 0, 0, len(HEADERS) - 1, roster_title(roster), title)
    sheet.next_row()
    status = "已锁定" if roster.is_locked else "草稿（未锁定）"
    sheet.cell(0, f"单位：元　　状态：{status}", border=False)
    sheet.next_row(HEADERS)
    for col, header in enumerate(HEADERS):
        sheet.cell(col, header, bold=True, align="center")


def _total_row(sheet, label, township_name, people, amount):
    sheet.next_row()
    for col, value in enumerate((label, township_name, None, people, None, None, None, amount, None, None)):
        number_format = COUNT if col == 3 else MONEY if col == 7 else None
        sheet.cell(col, value, bold=value is not None, number_format=number_format)


def _line_formats(sheet):
    """The ten cells' formats of a roster line, by the line's kind (the name column marks an adjustment)."""
    by_kind = {}
    for kind in RosterLine.Kind.values:
        formats = {3: NAME_MARKERS.get(kind), 7: MONEY, 8: MONTH}
        centered = (0, 6)
        by_kind[kind] = [
            sheet._formats(number_format=formats.get(col), align="center" if col in centered else None)
            for col in range(len(HEADERS))
        ]
    return by_kind


def _line_row(sheet, values, formats):
    """A roster line: every cell ruled and in the one font (``formats``: the line kind's ten formats)."""
    _number, township_name, village, name, _id, posts, _level, _amount, _since, remarks = values
    # The wrapped texts decide the row's height (the name with its adjustment marker: "（补发）", 4 characters).
    marked = f"{name}（补发）" if formats[3].num_format != "General" else name
    sheet.next_row((None, township_name, village, marked, None, posts, None, None, None, remarks))
    ws, row = sheet.ws, sheet.row
    for col, value in enumerate(values):
        if value is None or value == "":
            ws.write_blank(row, col, None, formats[col])
        elif isinstance(value, str):
            ws.write_string(row, col, value, formats[col])
        elif isinstance(value, datetime.date):
            ws.write_datetime(row, col, value, formats[col])
        else:
            ws.write_number(row, col, value, formats[col])


def _signatures(sheet):
    sheet.next_row()
    sheet.next_row()
    for col, label in ((1, "制表人："), (4, "审核人："), (7, "日期：")):
        sheet.cell(col, label, border=False)


def roster_workbook(*, roster: Roster, township_id=None, full_id_numbers=False, progress=None):
    """(xlsx bytes, number of lines) for the roster, limited to one township when ``township_id`` is set."""
    lines = RosterLine.objects.filter(roster=roster).order_by("position")
    if township_id is not None:
        lines = lines.filter(township_id=township_id)
    total_rows = lines.count()
    fields = [*PRINTED_FIELDS, "kind"]
    if full_id_numbers:
        fields.append("cadre__id_number_encrypted")

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    sheet = _Sheet(workbook)
    _setup_sheet(sheet.ws)
    _head(sheet, roster)

    current = None
    people = 0
    subtotal = Decimal(0)
    grand_people = 0
    grand_total = Decimal(0)
    number = 0
    line_formats = _line_formats(sheet)
    for done, row in enumerate(lines.values_list(*fields).iterator(chunk_size=2000), start=1):
        township_name, village, name, masked, posts, level, amount, since, remarks, kind = row[:10]
        if current is not None and township_name != current:
            _total_row(sheet, "小计", current, people, subtotal)
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
        _line_row(sheet, values, line_formats[kind])
        subtotal += amount
        grand_total += amount
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total_rows)
    if current is not None:
        _total_row(sheet, "小计", current, people, subtotal)
    _total_row(sheet, "合计", "", grand_people, grand_total)
    _signatures(sheet)
    workbook.close()
    return buffer.getvalue(), total_rows
