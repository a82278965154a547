"""Hostile and careless input on every core form and the cadre import: never a 500, nothing half-written."""

import datetime
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres import importing
from cadre_mgmt.cadres.models import Cadre, Post
from tests.conftest import PASSWORD
from tests.factories import CadreFactory, make_id_number

from .garbage import (
    XLSX,
    assert_form_rejects_garbage,
    assert_import_rejects_garbage,
    excel_safe,
    garbage_text,
    lie_about_sizes,
    zip_bomb,
)

pytestmark = pytest.mark.django_db

QUICK = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def cadre_state():
    return (
        Cadre.objects.count(),
        AuditRecord.objects.exclude(action=AuditRecord.Action.EXPORT).count(),
        list(Cadre.objects.order_by("pk").values_list("updated_at", flat=True)),
    )


def valid_cadre_data(village):
    return {
        "village": village.pk,
        "name": "周海平",
        "id_number": make_id_number(),
        "ethnicity": "汉族",
        "phone": "13900000001",
        "political_status": Cadre.PoliticalStatus.PARTY_MEMBER,
        "education": Cadre.Education.SENIOR,
        "posts": [Post.objects.get(code="member").pk],
        "first_appointed_on": "2015-03-01",
        "prior_service_years": "2",
    }


CADRE_FIELDS = [
    "village",
    "name",
    "id_number",
    "ethnicity",
    "phone",
    "political_status",
    "education",
    "posts",
    "first_appointed_on",
    "prior_service_years",
]


# --- forms ------------------------------------------------------------------------------------


def test_cadre_form_survives_garbage(client_for, officer_x, village_x):
    assert_form_rejects_garbage(
        client_for(officer_x),
        reverse("cadres:create"),
        valid_data=valid_cadre_data(village_x),
        field_names=CADRE_FIELDS,
        state=cadre_state,
    )


def test_cadre_edit_form_survives_garbage(client_for, officer_x, cadre_x):
    data = valid_cadre_data(cadre_x.village)
    data["id_number"] = cadre_x.id_number
    assert_form_rejects_garbage(
        client_for(officer_x),
        reverse("cadres:edit", args=[cadre_x.pk]),
        valid_data=data,
        field_names=CADRE_FIELDS,
        state=cadre_state,
    )


def test_cadre_leave_form_survives_garbage(client_for, officer_x, cadre_x):
    assert_form_rejects_garbage(
        client_for(officer_x),
        reverse("cadres:leave", args=[cadre_x.pk]),
        valid_data={"left_on": "", "reason": "换届"},
        field_names=["left_on", "reason"],
        state=cadre_state,
        max_examples=30,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_appointed_on", "2999-01-01", "任职时间晚于今天"),
        ("first_appointed_on", "1901-01-01", "任职时间早于出生日期"),
        ("first_appointed_on", "2026-02-30", "有效的日期"),
        ("prior_service_years", "-3", "大于或等于0"),
        ("prior_service_years", "99999999999999999999", "小于或等于"),
        ("prior_service_years", "51", "最多"),
        ("name", "张" * 31, "不超过 30"),
        ("id_number", "110105194912310021", "校验位"),
        ("name", "a\x00b", "空字符"),
    ],
)
def test_impossible_cadre_facts_are_refused_with_a_chinese_message(client_for, officer_x, village_x, field, value, message):
    data = {**valid_cadre_data(village_x), field: value}
    response = client_for(officer_x).post(reverse("cadres:create"), data)
    assert response.status_code == 200
    assert message in response.text
    assert not Cadre.objects.exists()


def test_password_change_form_survives_garbage(client_for, officer_x):
    assert_form_rejects_garbage(
        client_for(officer_x),
        reverse("accounts:password_change"),
        valid_data={"old_password": PASSWORD, "new_password1": "x", "new_password2": "x"},
        field_names=["old_password", "new_password1", "new_password2"],
        state=lambda: User.objects.get(pk=officer_x.pk).password,
        max_examples=30,
    )


def test_login_form_survives_garbage(client, officer_x, settings):
    settings.AXES_ENABLED = False
    assert_form_rejects_garbage(
        client,
        reverse("accounts:login"),
        valid_data={"username": "township_x", "password": "wrong"},
        field_names=["username", "password"],
        state=lambda: User.objects.count(),
        max_examples=30,
    )


@QUICK
@given(params=st.dictionaries(st.sampled_from(["q", "township", "village", "post", "status", "page"]), garbage_text()))
def test_cadre_list_filters_survive_garbage(client_for, county_admin, params):
    assert client_for(county_admin).get(reverse("cadres:list"), params).status_code == _expected_status(params)


@QUICK
@given(
    params=st.dictionaries(
        st.sampled_from(["actor", "action", "object_type", "date_from", "date_to", "q", "page"]), garbage_text()
    )
)
def test_audit_filters_survive_garbage(client_for, county_admin, params):
    assert client_for(county_admin).get(reverse("audit:list"), params).status_code == _expected_status(params)


def _expected_status(params):
    """The page answers garbage with itself (200); a NUL in a query string is refused at the door (400)."""
    return 400 if any("\x00" in value for value in params.values()) else 200


# --- the cadre import -------------------------------------------------------------------------


def upload(client, data, name="cadres.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("cadres:import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def workbook(rows, headers=importing.HEADERS, *, write_only=False):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet() if write_only else wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def good_row(**overrides):
    row = {
        "township": "X镇",
        "village": "东岭村",
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


def test_import_survives_random_bytes(client_for, county_admin):
    assert_import_rejects_garbage(client_for(county_admin), reverse("cadres:import"), state=cadre_state)


def test_zip_bomb_is_refused_unread(client_for, county_admin):
    bomb = zip_bomb()
    assert len(bomb) < 200_000
    response = upload(client_for(county_admin), bomb)
    assert response.status_code == 200
    assert "解压后体积异常" in response.text or "不合理" in response.text


def test_zip_that_lies_about_its_sizes_is_refused(client_for, county_admin, village_x):
    rows = [good_row(name=f"干部{n}", phone="1" * 20) for n in range(300)]
    liar = lie_about_sizes(workbook(rows), declared=100)
    response = upload(client_for(county_admin), liar)
    assert response.status_code == 200
    assert "无法读取" in response.text
    assert not Cadre.objects.exists()


@pytest.fixture(scope="module")
def hundred_thousand_empty_rows():
    return workbook([[" "]] * 100_000, write_only=True)


def test_hundred_thousand_empty_rows_get_a_clear_message(client_for, county_admin, hundred_thousand_empty_rows):
    response = upload(client_for(county_admin), hundred_thousand_empty_rows)
    assert response.status_code == 200
    assert "没有数据" in response.text
    assert not Cadre.objects.exists()


def test_data_after_a_long_run_of_empty_rows_is_reported_not_dropped(client_for, county_admin, village_x):
    rows = [good_row(name="甲"), *([[" "]] * 1500), good_row(name="乙")]
    response = upload(client_for(county_admin), workbook(rows, write_only=True))
    assert response.status_code == 200
    assert "1503" in response.text
    assert not Cadre.objects.exists()


def test_trailing_empty_rows_after_the_data_are_ignored(client_for, county_admin, village_x):
    rows = [good_row(name="甲"), *([[" "]] * 30_000)]
    response = upload(client_for(county_admin), workbook(rows, write_only=True))
    assert response.status_code == 302
    assert list(Cadre.objects.values_list("name", flat=True)) == ["甲"]


def test_array_formula_cells_are_refused(client_for, county_admin, village_x):
    wb = Workbook()
    ws = wb.active
    ws.append(importing.HEADERS)
    ws.append(good_row())
    ws["C2"] = ArrayFormula("C2:C2", "=UPPER(A1)")
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client_for(county_admin), buffer.getvalue())
    assert response.status_code == 200
    assert "公式" in response.text
    assert not Cadre.objects.exists()


CELL = st.one_of(
    st.none(),
    garbage_text().map(excel_safe),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)),
    st.booleans(),
)


@QUICK
@given(
    damage=st.lists(
        st.tuples(st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=8), CELL), min_size=1, max_size=6
    ),
    row_count=st.integers(min_value=1, max_value=5),
)
def test_workbooks_with_damaged_cells_import_whole_or_not_at_all(client_for, county_admin, village_x, damage, row_count):
    rows = [good_row(name=f"测试{n}") for n in range(row_count)]
    for row_index, column, value in damage:
        if row_index < row_count:
            rows[row_index][column] = value
    before = cadre_state()
    response = upload(client_for(county_admin), workbook(rows))
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert cadre_state() == before
        assert "alert-danger" in response.text or "第" in response.text
    else:
        assert Cadre.objects.count() >= before[0]


# --- export -----------------------------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_exported_as_text(client_for, officer_x, village_x):
    CadreFactory(village=village_x, name='=HYPERLINK("x")')
    response = client_for(officer_x).get(reverse("cadres:export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws["C2"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"


@pytest.mark.parametrize("field", ["village", "posts"])
def test_an_id_beyond_64_bits_is_an_invalid_choice_not_a_crash(client_for, officer_x, village_x, field):
    data = {**valid_cadre_data(village_x), field: str(2**70)}
    response = client_for(officer_x).post(reverse("cadres:create"), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.text or "选择一个有效的选项" in str(response.context["form"].errors)
    assert not Cadre.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("cadres:list", {"township": str(2**70)}),
        ("cadres:list", {"village": "-" + str(2**70)}),
        ("cadres:list", {"post": str(2**64)}),
        ("audit:list", {"actor": str(2**70)}),
    ],
)
def test_filters_with_an_id_beyond_64_bits_do_not_crash(client_for, county_admin, url_name, params):
    assert client_for(county_admin).get(reverse(url_name), params).status_code == 200
