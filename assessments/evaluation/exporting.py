"""The results as Excel: the same table as the page, the threshold applied (no count below it)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import RoundResults


def result_cells(row) -> list:
    if not row.shown:
        return [_("Too few ballots"), "", "", "", ""]
    t = row.tally
    return [t.ballots, t.satisfied, t.basically, t.dissatisfied, row.satisfaction]


def results_xlsx(*, results: RoundResults) -> bytes:
    round_ = results.round
    book = Workbook()
    sheet = book.active
    sheet.title = str(round_.year)
    sheet.append(
        [_("%(village)s cadres: villagers' evaluation %(year)s") % {"village": round_.village.name, "year": round_.year}]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Slips issued"), results.issued, _("used"), results.used, _("voided"), results.voided])
    header = [_("cadre"), _("ballots"), _("satisfied"), _("basically satisfied"), _("dissatisfied"), _("satisfaction (%)")]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in results.rows:
        sheet.append([row.subject.cadre.name, *result_cells(row)])
    sheet.column_dimensions["A"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
