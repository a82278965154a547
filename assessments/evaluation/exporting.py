"""The results as Excel: the same table as the page, the threshold applied (no count below it); every text
written as text (``safe_row``: a cadre named "=HYPERLINK(...)" stays a name) and the export audited."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.cadres.exporting import safe_row

from .selectors import RoundResults


def result_cells(row) -> list:
    if not row.shown:
        return [_("Too few ballots"), "", "", "", ""]
    t = row.tally
    return [t.ballots, t.satisfied, t.basically, t.dissatisfied, row.satisfaction]


def _bold(sheet, values, size=None):
    cells = []
    for value in safe_row(sheet, values):
        cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True, size=size)
        cells.append(cell)
    return cells


def results_xlsx(*, user, results: RoundResults) -> bytes:
    """The round's results as ``user`` exports them, recorded in the audit log."""
    round_ = results.round
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(round_.year))
    sheet.column_dimensions["A"].width = 16
    title = _("%(village)s cadres: villagers' evaluation %(year)s") % {"village": round_.village.name, "year": round_.year}
    sheet.append(_bold(sheet, [title], size=13))
    sheet.append(safe_row(sheet, [_("Slips issued"), results.issued, _("used"), results.used, _("voided"), results.voided]))
    header = [_("cadre"), _("ballots"), _("satisfied"), _("basically satisfied"), _("dissatisfied"), _("satisfaction (%)")]
    sheet.append(_bold(sheet, header))
    for row in results.rows:
        sheet.append(safe_row(sheet, [row.subject.cadre.name, *result_cells(row)]))
    out = io.BytesIO()
    book.save(out)
    audit_record(
        actor=user,
        action=AuditRecord.Action.EXPORT,
        obj=round_,
        summary=_("Exported the villagers' evaluation results: %(title)s") % {"title": title},
        changes={"rows": len(results.rows)},
    )
    return out.getvalue()
