"""The roster workbook keeps the government form exactly (issue 22 #3): every cell's value, font, border,
alignment and number format, the merged title, the row heights, the frozen header, the repeated print rows and
the A4 landscape page, read back with openpyxl and compared with the form as it was before the writer moved
from openpyxl to XlsxWriter (``data/roster_form.json``, written by the openpyxl writer on the same data).

Regenerate the snapshot only for an intended change of the form: ``ROSTER_FORM_SNAPSHOT=write pytest <this file>``."""

import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ranks.rosters.workbook import roster_workbook

from .test_roster_print import printed_roster  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).parent / "data" / "roster_form.json"
ID_MASK = re.compile(r"^\d{4}\*+\d{3}[\dX]$")


def _value(cell):
    value = cell.value
    if isinstance(value, str) and ID_MASK.match(value):
        return "<masked id>"  # the factories' ID numbers depend on the order the tests run in
    if isinstance(value, int | float):
        return format(Decimal(repr(value)).normalize(), "f")  # 0 and 0.0, 100 and 100.0 are one number
    return None if value is None else str(value)


def _or_1(value):
    return 1 if value is None else value  # an absent fitToWidth/fitToHeight is 1 (ECMA-376)


def _widths(ws):
    """Each column's width; a writer may store neighbouring columns of one width as one range."""
    widths = {}
    for dimension in ws.column_dimensions.values():
        if dimension.width:
            for index in range(dimension.min, dimension.max + 1):
                widths[get_column_letter(index)] = round(dimension.width, 2)
    return dict(sorted(widths.items()))


def form_of(content):
    """What the form is made of, cell by cell, as openpyxl reads it back (the reader every test uses)."""
    ws = load_workbook(io.BytesIO(content)).active
    cells = []
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            border = cell.border
            cells.append(
                [
                    cell.coordinate,
                    _value(cell),
                    None if cell.value is None else cell.data_type,  # an empty ruled cell has no type to keep
                    cell.font.name,
                    float(cell.font.sz or 0),
                    bool(cell.font.b),
                    cell.number_format,
                    [border.left.style, border.right.style, border.top.style, border.bottom.style],
                    [cell.alignment.horizontal, cell.alignment.vertical, bool(cell.alignment.wrap_text)],
                ]
            )
    setup = ws.page_setup
    return {
        "cells": cells,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "heights": {str(k): v.height for k, v in sorted(ws.row_dimensions.items()) if v.height},
        "widths": _widths(ws),
        "freeze": ws.freeze_panes,
        "print_titles": ws.print_title_rows,
        "page": [
            setup.orientation,
            str(setup.paperSize),
            _or_1(setup.fitToWidth),
            _or_1(setup.fitToHeight),
            ws.sheet_properties.pageSetUpPr.fitToPage,
        ],
        "margins": [ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom],
        "centered": bool(ws.print_options.horizontalCentered),
        "footer": [ws.oddFooter.center.text, ws.oddFooter.center.font, ws.oddFooter.center.size],
        "sheet": ws.title,
    }


def _dump(form):
    """One cell per line, so that a change of the form reads as a diff."""
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    cells = ",\n".join(json.dumps(cell, **compact) for cell in form["cells"])
    rest = {key: value for key, value in form.items() if key != "cells"}
    return '{"cells":[\n' + cells + "\n],\n" + json.dumps(rest, **compact)[1:] + "\n"


def test_the_roster_workbook_keeps_the_form_cell_by_cell(printed_roster):  # noqa: F811
    content, _rows = roster_workbook(roster=printed_roster)
    form = form_of(content)
    if os.environ.get("ROSTER_FORM_SNAPSHOT") == "write":
        SNAPSHOT.write_text(_dump(form), encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for key in expected:
        if key not in ("cells", "heights"):
            assert form[key] == expected[key], key
    # Row heights: XlsxWriter stores them in whole pixels (0.75 pt), so 94 pt is written as 93.75.
    assert form["heights"].keys() == expected["heights"].keys()
    assert all(abs(form["heights"][row] - height) <= 0.75 for row, height in expected["heights"].items())
    assert len(form["cells"]) == len(expected["cells"])
    for got, want in zip(form["cells"], expected["cells"], strict=True):
        assert got == want, got[0]
