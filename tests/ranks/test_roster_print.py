"""The roster workbook as it prints (issue 17 item 14): every cell ruled, long remarks wrapped, one font of at
least 9 pt, amounts in one number format, adjustment lines marked in the name column; and the workbook
converted by LibreOffice to an A4 landscape PDF that reads back with every cadre and the database's totals."""

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cadre_mgmt.cadres.models import Post
from ranks.ladder import services as ladder_services
from ranks.models import RosterLine
from ranks.rosters import services as rosters_services
from ranks.rosters.columns import WIDTHS
from ranks.rosters.workbook import roster_workbook

from ..conftest import at
from ..factories import CadreFactory, VillageFactory

pytestmark = pytest.mark.django_db

JAN, FEB = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
LONG_REASON = "复核发现2025年度年终综合考核结果录入有误，经县委组织部部务会研究决定撤销该次晋升并扣回多发的职级补贴" * 2


@pytest.fixture
def printed_roster(grade, township_x, township_y, village_x, village_y, county_approver):
    """A February draft with 40 cadres in two townships and a recovery line with a long remark."""
    posts = [Post.objects.get(code="member")]
    other = VillageFactory(township=township_x, name="西河村")
    cadres = [CadreFactory(village=(village_x, other, village_y)[n % 3], name=f"干部{n:02d}", posts=posts) for n in range(40)]
    for n, cadre in enumerate(cadres):
        grade(cadre, 13 - n % 4, approved=at(2025, 11, 5))
    promotion = ladder_services.rank_change_record(
        cadre=cadres[1], kind="promotion", to_level=11, approved_by=county_approver, approved_at=at(2025, 12, 10), reason="晋升"
    )
    rosters_services.roster_lock(roster=rosters_services.roster_generate(month=JAN, user=county_approver), user=county_approver)
    ladder_services.rank_change_reverse(change=promotion, approved_by=county_approver, reason=LONG_REASON)
    return rosters_services.roster_generate(month=FEB, user=county_approver)


def _sheet(roster):
    content, _rows = roster_workbook(roster=roster)
    return content, load_workbook(io.BytesIO(content)).active


def test_every_table_cell_is_ruled_in_one_font_of_at_least_9_pt(printed_roster):
    _content, ws = _sheet(printed_roster)
    table = list(ws.iter_rows(min_row=3, max_row=ws.max_row - 2))  # header to grand total (not the signatures)
    fonts = {(cell.font.name, cell.font.sz) for row in table for cell in row}
    assert len({name for name, _size in fonts}) == 1 and min(size for _name, size in fonts) >= 9
    assert all(cell.border.left.style == cell.border.bottom.style == "thin" for row in table for cell in row)
    money = {row[7].number_format for row in table[1:] if row[7].value is not None}
    assert money == {"#,##0.00"}
    remarks = next(row[9] for row in table if row[9].value and LONG_REASON[:20] in str(row[9].value))
    assert remarks.alignment.wrap_text
    # An A4 landscape page at 100 %: the columns need no shrinking to fit the width.
    assert sum(WIDTHS) <= 140


def test_adjustment_lines_are_marked_in_the_name_column(printed_roster):
    _content, ws = _sheet(printed_roster)
    recovery = RosterLine.objects.get(roster=printed_roster, kind=RosterLine.Kind.RECOVERY)
    names = [row[3] for row in ws.iter_rows(min_row=4) if row[3].value == recovery.cadre_name]
    assert [cell.number_format for cell in names] == ["General", '@"（扣回）"']


def _pdf_text(content, tmp_path):
    if shutil.which("libreoffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("libreoffice or pdftotext is not installed (apt-get install libreoffice-calc poppler-utils)")
    source = tmp_path / "roster.xlsx"
    source.write_bytes(content)
    profile = tmp_path / "lo-profile"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "roster.pdf"
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout  # noqa: S603
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    return text, pages, (float(size.group(1)), float(size.group(2)))


def test_the_printed_pdf_holds_every_cadre_and_the_database_totals(printed_roster, tmp_path):
    content, _ws = _sheet(printed_roster)
    text, pages, (width, height) = _pdf_text(content, tmp_path)
    assert width > height  # landscape
    assert abs(width - 842) < 5 and abs(height - 595) < 5  # A4 in points
    lines = RosterLine.objects.filter(roster=printed_roster)
    for name in set(lines.values_list("cadre_name", flat=True)):
        assert name in text, name
    assert "（扣回）" in text
    total = sum(lines.values_list("amount", flat=True), Decimal(0))
    assert total == printed_roster.total_amount
    assert f"{total:,.2f}" in text
    for township in ("X镇", "Y镇"):
        subtotal = sum(lines.filter(township_name=township).values_list("amount", flat=True), Decimal(0))
        assert f"{subtotal:,.2f}" in text
    assert "制表人" in text and "审核人" in text
    # 41 lines, 3 subtotals and the signatures: two pages at most (about 25 ruled rows a page).
    assert 1 <= pages <= 3
    assert text.count("第 1 页") == 1
