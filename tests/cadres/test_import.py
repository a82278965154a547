import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from cadre_mgmt.cadres import importing
from cadre_mgmt.cadres.models import Cadre

from ..factories import make_id_number

pytestmark = pytest.mark.django_db


def workbook(rows, headers=importing.HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def good_row(township="X镇", village="东岭村", **overrides):
    row = {
        "township": township,
        "village": village,
        "name": "赵海燕",
        "id": make_id_number(female=True),
        "posts": "村“两委”委员",
        "appointed": "2019-06-01",
        "phone": "13900000001",
        "political": "中共党员",
        "education": "大专",
    }
    row.update(overrides)
    return list(row.values())


def upload(client, data, name="cadres.xlsx"):
    return client.post(reverse("cadres:import"), {"file": io.BytesIO(data) and _named(data, name)})


def _named(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_one_bad_row_among_100_writes_nothing_and_names_the_row(client_for, officer_x, village_x):
    rows = [good_row(name=f"干部{i}") for i in range(100)]
    rows[41][3] = "110105194912310021"  # wrong check digit, on spreadsheet row 43
    response = upload(client_for(officer_x), workbook(rows))
    assert response.status_code == 200
    assert not Cadre.objects.exists()
    assert "43" in response.text and "校验位" in response.text


def test_valid_file_imports_and_reimport_is_a_noop(client_for, officer_x, village_x):
    data = workbook([good_row(name="甲"), good_row(name="乙", posts="党组织书记、村委会主任")])
    client = client_for(officer_x)
    response = upload(client, data)
    assert response.status_code == 302
    assert Cadre.objects.count() == 2
    assert set(Cadre.objects.get(name="乙").posts.values_list("code", flat=True)) == {"party_secretary", "director"}
    before = list(Cadre.objects.values_list("pk", "name", "updated_at").order_by("pk"))
    response = upload(client, data)
    assert response.status_code == 302
    assert list(Cadre.objects.values_list("pk", "name", "updated_at").order_by("pk")) == before


def test_officer_cannot_import_rows_of_another_township(client_for, officer_x, village_x, village_y):
    data = workbook([good_row(), good_row(township="Y镇", village="白鹭村")])
    response = upload(client_for(officer_x), data)
    assert not Cadre.objects.exists()
    assert "只能导入本乡镇" in response.text


def test_unknown_township_and_village_are_errors_not_created(client_for, county_admin, village_x):
    data = workbook([good_row(township="Z镇"), good_row(village="不存在村")])
    response = upload(client_for(county_admin), data)
    assert not Cadre.objects.exists()
    assert "Z镇" in response.text and "不存在村" in response.text


def test_duplicate_id_in_file_is_reported(client_for, county_admin, village_x):
    number = make_id_number()
    response = upload(client_for(county_admin), workbook([good_row(id=number), good_row(id=number)]))
    assert not Cadre.objects.exists()
    assert "第 2 行" in response.text or "row 2" in response.text.lower()


def test_formula_cells_are_refused(client_for, county_admin, village_x):
    response = upload(client_for(county_admin), workbook([good_row(name='=HYPERLINK("http://x")')]))
    assert not Cadre.objects.exists()
    assert "公式" in response.text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"not a workbook at all", "不是 Excel"),
        (workbook([], headers=["姓名", "身份证号"]), "表头"),
        (workbook([]), "没有数据"),
    ],
)
def test_bad_files_get_a_clear_message(client_for, county_admin, data, expected):
    response = upload(client_for(county_admin), data)
    assert response.status_code == 200
    assert expected in response.text


def test_template_downloads_with_the_headers(client_for, officer_x):
    from openpyxl import load_workbook

    response = client_for(officer_x).get(reverse("cadres:import_template"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in ws[1]] == importing.HEADERS


def test_import_command_exits_non_zero_on_bad_file(tmp_path, county_admin, village_x):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([good_row(id="123")]))
    with pytest.raises(CommandError):
        call_command("import_cadres", str(bad), "--user", "county_admin")
    assert not Cadre.objects.exists()
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook([good_row()]))
    call_command("import_cadres", str(good), "--user", "county_admin")
    assert Cadre.objects.count() == 1
