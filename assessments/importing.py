"""Excel import of a quarter's score grid, with the same all-or-nothing validation as the cadre import.

The template lists the township's cadres (编号 = the cadre's number in this system, 村, 姓名) and one
column per task area. Every row is checked first; nothing is written unless the whole file is valid.
A blank cell leaves that score as it is.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from cadre_mgmt.cadres.exporting import safe_row
from cadre_mgmt.cadres.importing import RowError, WorkbookError, read_rows

from . import rules, selectors, services

FIXED_HEADERS = ["编号", "村", "姓名"]

__all__ = ["WorkbookError", "build_template", "import_quarter_scores"]


@dataclass
class QuarterImportResult:
    changed: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def headers_for(areas):
    return FIXED_HEADERS + [area.name for area in areas]


def build_template(*, township, year, quarter, township_quarter, village=None):
    areas, rows = selectors.quarter_grid(
        township=township, year=year, quarter=quarter, township_quarter=township_quarter, village=village
    )
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年第{quarter}季度"
    ws.append(headers_for(areas))
    for index in range(1, len(areas) + 4):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        # 村 and 姓名 are the users' text: through safe_row, so that none becomes a formula (formula injection).
        ws.append(safe_row(ws, [row.cadre.pk, row.cadre.village.name, row.cadre.name, *[row.scores.get(a.pk) for a in areas]]))
    ws.freeze_panes = "D2"
    help_ws = wb.create_sheet("填写说明")
    for line in [
        "每行一名村干部；不要改动表头，也不要改动“编号”“村”“姓名”三列。",
        "各任务分项填写 0–100 的分数，可保留两位小数；空白表示不修改该项分数。",
        "整个文件校验通过后才会导入；任何一行有错误，都不会写入任何数据。",
    ]:
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 80
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _score(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("Not a number.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None, _("Not a number.")
    if not number.is_finite() or not (Decimal("0") <= number <= Decimal("100")):
        return None, _("A score must be between 0 and 100.")
    return rules.round2(number), None


def validate_rows(rows, *, township, year, quarter, areas):
    """(scores {(cadre id, area id): Decimal}, errors). Reads the database, writes nothing."""
    _first, last = rules.quarter_bounds(year, quarter)
    cadres = {c.pk: c for c in selectors.assessed_cadres(township=township, on=last)}
    scores, errors, seen = {}, [], {}
    for number, values in rows:
        if any(isinstance(value, str) and value.startswith("=") for value in values):
            errors.append(RowError(number, "-", _("Formulas are not accepted; paste the values only.")))
            continue
        raw_id, _village, name = values[:3]
        try:
            cadre_id = int(str(raw_id).strip())
        except (TypeError, ValueError):
            errors.append(RowError(number, "编号", _("Not a cadre number from the template.")))
            continue
        cadre = cadres.get(cadre_id)
        if cadre is None:
            errors.append(RowError(number, "编号", _("No cadre of your township with this number is assessed this quarter.")))
            continue
        if str(name or "").strip() != cadre.name:
            errors.append(
                RowError(
                    number,
                    "姓名",
                    _("Number %(id)s is %(name)s in the system; the row may be shifted.") % {"id": cadre_id, "name": cadre.name},
                )
            )
            continue
        if cadre_id in seen:
            errors.append(RowError(number, "编号", _("The same cadre is also on row %(row)s.") % {"row": seen[cadre_id]}))
            continue
        seen[cadre_id] = number
        for area, value in zip(areas, values[3:], strict=False):
            score, problem = _score(value)
            if problem:
                errors.append(RowError(number, area.name, problem))
            elif score is not None:
                scores[(cadre_id, area.pk)] = score
    return scores, errors


def import_quarter_scores(data: bytes, *, user, township, year, quarter) -> QuarterImportResult:
    """Validate the whole workbook, then save the scores in one transaction. Raises WorkbookError for
    unreadable files; with any row error nothing at all is written (not even the quarter's first opening)."""
    try:
        return _import(data, user=user, township=township, year=year, quarter=quarter)
    except ValidationError as exc:  # the quarter refuses the write as a whole (closed, not the user's)
        raise WorkbookError(" ".join(exc.messages)) from exc


def _import(data, *, user, township, year, quarter):
    with transaction.atomic():
        tq = services.quarter_open(user=user, township=township, year=year, quarter=quarter)
        areas = list(tq.areas.all())
        rows = read_rows(data, headers_for(areas))
        scores, errors = validate_rows(rows, township=township, year=year, quarter=quarter, areas=areas)
        result = QuarterImportResult(rows=len(rows), errors=errors)
        if errors:
            transaction.set_rollback(True)
            return result
        result.changed = services.quarter_scores_save(user=user, township=township, year=year, quarter=quarter, scores=scores)
        return result
