"""The reserve import on the cadre import's framework: template, every problem with row and column, all or nothing."""

import datetime
import io

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cadre_mgmt.audit.models import AuditRecord
from incentives.reserves.importing import HEADERS, build_template, import_reserves
from incentives.reserves.models import Reserve
from tests.factories import make_id_number


def workbook(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(village, number=None, **changes):
    values = {
        "乡镇": village.township.name,
        "村": village.name,
        "姓名": "王浩然",
        "身份证号": number or make_id_number(datetime.date(1994, 4, 4)),
        "联系电话": "13900001111",
        "政治面貌": "中共党员",
        "学历": "本科",
        "来源": "返乡大学生",
        "拟培养职务": "",
        "登记日期": "2026-01-05",
    }
    values.update(changes)
    return [values[header] for header in HEADERS]


def test_the_template_has_the_headers():
    sheet = load_workbook(io.BytesIO(build_template())).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS


def test_a_valid_file_registers_every_row_and_is_audited(officer_x, village_x):
    result = import_reserves(workbook([row(village_x), row(village_x, 姓名="李晓雯")]), user=officer_x, filename="r.xlsx")
    assert result.ok and result.created == 2
    assert Reserve.objects.filter(village=village_x, status="registered").count() == 2
    assert AuditRecord.objects.filter(action=AuditRecord.Action.IMPORT, object_type="incentives.Reserve").count() == 1


def test_one_bad_row_writes_nothing_and_every_problem_has_row_and_column(officer_x, village_x, village_y):
    number = make_id_number(datetime.date(1993, 3, 3))
    rows = [
        row(village_x),
        row(village_x, 身份证号="110101199001011230"),
        row(village_x, 来源="外星人", 学历="博士后"),
        row(village_y),
        row(village_x, number),
        row(village_x, number),
        row(village_x, 姓名="=HYPERLINK(1)"),
    ]
    before = AuditRecord.objects.count()
    result = import_reserves(workbook(rows), user=officer_x)
    assert not result.ok
    problems = {(error.row, error.column) for error in result.errors}
    assert {(3, "身份证号"), (4, "来源"), (4, "学历"), (5, "乡镇"), (7, "身份证号"), (8, "-")} <= problems
    assert not Reserve.objects.exists()
    assert AuditRecord.objects.count() == before


def test_files_refused_as_a_whole_on_the_page(client_for, officer_x, village_x):
    client = client_for(officer_x)
    url = reverse("incentives:reserve_import")
    cases = {
        "wrong header": workbook([row(village_x)], headers=["姓名"]),
        "not a workbook": b"not a zip at all",
        "empty": workbook([]),
    }
    for name, data in cases.items():
        upload = io.BytesIO(data)
        upload.name = "reserves.xlsx"
        page = client.post(url, {"file": upload})
        assert page.status_code == 200, name
        assert 'data-testid="import-file-error"' in page.text, name
    upload = io.BytesIO(b"x")
    upload.name = "reserves.csv"
    assert "xlsx" in client.post(url, {"file": upload}).text
    assert not Reserve.objects.exists()


def test_the_page_imports_and_redirects(client_for, officer_x, village_x):
    upload = io.BytesIO(workbook([row(village_x)]))
    upload.name = "reserves.xlsx"
    response = client_for(officer_x).post(reverse("incentives:reserve_import"), {"file": upload})
    assert response.status_code == 302 and Reserve.objects.count() == 1


def test_the_api_lists_masked_reserves_and_the_pool_scoped(client_for, officer_x, officer_y, village_x, supervisor):
    import_reserves(workbook([row(village_x)]), user=officer_x)
    reserve = Reserve.objects.get()
    data = client_for(officer_x).get("/api/v1/reserves/").json()
    assert [item["id_number"] for item in data["results"]] == [reserve.id_number_masked]
    assert client_for(officer_y).get(f"/api/v1/reserves/{reserve.pk}/").status_code == 404
    pool = client_for(officer_x).get("/api/v1/reserve-pool/").json()
    assert pool["minimum"] == 2 and pool["villages"][0]["below_minimum"] is True
    assert client_for(supervisor).get("/api/v1/reserves/").status_code == 403
    assert client_for(officer_x).get("/api/v1/reserve-pool/?township=x").status_code == 400
