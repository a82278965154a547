"""The printed slips (A4 PDF, eight a page, a QR code drawn as vector squares) and the Excel list of codes.

Both are made from the codes returned by ``slips_issue`` in the same request: the codes are not stored
and cannot be printed again. The QR code is segno's module matrix drawn with fpdf2's rectangles, so no
image library takes part; the CJK text needs a font that has it (EVALUATION_SLIP_FONT, by default
Debian's fonts-wqy-microhei).
"""

import io
from pathlib import Path
from urllib.parse import quote

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font

from cadre_mgmt.web import xlsx_response

from . import rules
from .models import EvaluationRound

SLIP_W, SLIP_H = 105.0, 74.25
QR_SIZE = 34.0


def base_url(request) -> str:
    """The address printed on the slips: EVALUATION_BASE_URL, else the one the township's browser used."""
    return settings.EVALUATION_BASE_URL or request.build_absolute_uri("/")


def file_response(content: bytes, kind: str, stem: str) -> HttpResponse:
    if kind == "pdf":
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stem)}.pdf"
        return response
    return xlsx_response(content, f"{quote(stem)}.xlsx")


def ballot_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/v/{code}/"


def font_available() -> bool:
    return Path(settings.EVALUATION_SLIP_FONT).exists()


def _font(pdf: FPDF) -> None:
    path = Path(settings.EVALUATION_SLIP_FONT)
    if not path.exists():
        raise ImproperlyConfigured(
            f"EVALUATION_SLIP_FONT {path} not found: install Debian's fonts-wqy-microhei or point the setting at a CJK font"
        )
    pdf.add_font("cjk", "", str(path))
    pdf.set_font("cjk", size=10)


def _qr(pdf: FPDF, url: str, x: float, y: float) -> None:
    qr = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in qr.matrix]
    cell = QR_SIZE / len(rows)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * cell, y + r * cell, (c - start) * cell, cell, style="F")
            else:
                c += 1


def _slip(pdf: FPDF, round_: EvaluationRound, code: str, base: str, x: float, y: float, serial: int) -> None:
    pdf.set_draw_color(160, 160, 160)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.rect(x, y, SLIP_W, SLIP_H)
    pdf.set_dash_pattern()
    url = ballot_url(base, code)
    pdf.set_xy(x + 5, y + 5)
    pdf.set_font("cjk", size=12)
    title = _("%(village)s cadres: villagers' evaluation %(year)s") % {"village": round_.village.name, "year": round_.year}
    pdf.multi_cell(SLIP_W - 10, 6, title, align="C")
    _qr(pdf, url, x + 5, y + 20)
    text_x = x + 5 + QR_SIZE + 4
    pdf.set_xy(text_x, y + 20)
    pdf.set_font("cjk", size=9)
    pdf.cell(SLIP_W - QR_SIZE - 14, 5, _("Evaluation code"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(text_x, y + 26)
    pdf.set_font("cjk", size=15)
    pdf.cell(SLIP_W - QR_SIZE - 14, 8, rules.display_code(code))
    pdf.set_xy(text_x, y + 36)
    pdf.set_font("cjk", size=8)
    how = _("Scan the QR code with a phone, or open %(url)s and type the code. One vote per slip; no name is asked.") % {
        "url": ballot_url(base, "")[:-1]
    }
    pdf.multi_cell(SLIP_W - QR_SIZE - 14, 4.2, how)
    pdf.set_xy(x + 5, y + SLIP_H - 8)
    pdf.set_font("cjk", size=7)
    pdf.cell(SLIP_W - 10, 4, _("Closes on %(day)s · No. %(serial)s") % {"day": round_.closes_on.isoformat(), "serial": serial})


def slips_pdf(*, round_: EvaluationRound, codes: list[str], base: str, batch_number: int) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_title(f"{round_.village.name} {round_.year}")
    pdf.set_creator("cadre_mgmt")
    _font(pdf)
    for index, code in enumerate(codes):
        if index % 8 == 0:
            pdf.add_page()
        place = index % 8
        _slip(pdf, round_, code, base, (place % 2) * SLIP_W, (place // 2) * SLIP_H, serial=f"{batch_number}-{index + 1}")
    return bytes(pdf.output())


def slips_xlsx(*, round_: EvaluationRound, codes: list[str], base: str, batch_number: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(round_.year)
    sheet.append(
        [_("%(village)s cadres: villagers' evaluation %(year)s") % {"village": round_.village.name, "year": round_.year}]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    header = [_("No."), _("village"), _("year"), _("Evaluation code"), _("Ballot address")]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, code in enumerate(codes, start=1):
        sheet.append(
            [f"{batch_number}-{index}", round_.village.name, round_.year, rules.display_code(code), ballot_url(base, code)]
        )
    for column, width in zip("ABCDE", (8, 14, 8, 16, 48), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
