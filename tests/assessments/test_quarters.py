import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments import importing, rules, services
from assessments.models import QuarterArea, QuarterScore, TownshipQuarter
from cadre_mgmt.audit.models import AuditRecord

from ..factories import CadreFactory
from .conftest import YEAR, score_quarters

pytestmark = pytest.mark.django_db


def quarter_url(name="assessments:quarter", quarter=2):
    return reverse(name, args=[YEAR, quarter])


def grid_post(client, tq, cadres, value, village):
    data = {f"s-{c.pk}-{a.pk}": str(value) for c in cadres for a in tq.areas.all()}
    return client.post(f"{quarter_url()}?village={village.pk}", data)


def test_opening_a_quarter_starts_from_the_county_default_areas(officer_x, township_x):
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    assert [(a.name, a.weight) for a in tq.areas.all()] == [
        ("党的建设", Decimal("20.00")),
        ("乡村振兴与集体经济", Decimal("20.00")),
        ("信访维稳", Decimal("20.00")),
        ("安全生产", Decimal("20.00")),
        ("生态与人居环境", Decimal("20.00")),
    ]


def test_next_quarter_starts_from_the_townships_previous_areas(officer_x, township_x):
    services.quarter_areas_save(
        user=officer_x,
        township=township_x,
        year=YEAR,
        quarter=1,
        areas=[{"name": "党建", "weight": Decimal("60")}, {"name": "发展", "weight": Decimal("40")}],
    )
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    assert [(a.name, a.weight) for a in tq.areas.all()] == [("党建", Decimal("60.00")), ("发展", Decimal("40.00"))]


def test_area_weights_must_add_up_to_100(client_for, officer_x, township_x):
    with pytest.raises(ValidationError):
        services.quarter_areas_save(
            user=officer_x, township=township_x, year=YEAR, quarter=2, areas=[{"name": "党建", "weight": Decimal("60")}]
        )
    data = {
        "areas-TOTAL_FORMS": "2",
        "areas-INITIAL_FORMS": "0",
        "areas-0-name": "党建",
        "areas-0-weight": "50",
        "areas-1-name": "发展",
        "areas-1-weight": "40",
    }
    services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    response = client_for(officer_x).post(quarter_url("assessments:quarter_areas"), data)
    assert response.status_code == 200 and "权重之和必须为 100" in response.text


def test_scores_entered_in_the_grid_give_the_weighted_quarter_score(client_for, officer_x, township_x, village_x, cadre_x):
    services.quarter_areas_save(
        user=officer_x,
        township=township_x,
        year=YEAR,
        quarter=2,
        areas=[{"name": "党建", "weight": Decimal("30")}, {"name": "发展", "weight": Decimal("70")}],
    )
    tq = TownshipQuarter.objects.get()
    party, growth = tq.areas.all()
    client = client_for(officer_x)
    response = client.post(
        f"{quarter_url()}?village={village_x.pk}", {f"s-{cadre_x.pk}-{party.pk}": "90", f"s-{cadre_x.pk}-{growth.pk}": "80"}
    )
    assert response.status_code == 302
    # 90×.3 + 80×.7 = 27 + 56 = 83.00
    assert "83.00" in client.get(f"{quarter_url()}?village={village_x.pk}").text
    assert AuditRecord.objects.filter(object_type="assessments.TownshipQuarter", action="update").exists()


def test_a_score_above_100_is_refused_and_nothing_is_written(client_for, officer_x, township_x, village_x, cadre_x):
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    response = grid_post(client_for(officer_x), tq, [cadre_x], "101", village_x)
    assert response.status_code == 200
    assert not QuarterScore.objects.exists()


def test_closing_needs_every_cadre_scored(officer_x, township_x, village_x, cadre_x):
    other = CadreFactory(village=village_x, name="未评分")
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    services.quarter_scores_save(
        user=officer_x,
        township=township_x,
        year=YEAR,
        quarter=2,
        scores={(cadre_x.pk, a.pk): Decimal("80") for a in tq.areas.all()},
    )
    with pytest.raises(ValidationError, match="未评分"):
        services.quarter_close(user=officer_x, township=township_x, year=YEAR, quarter=2)
    services.quarter_scores_save(
        user=officer_x,
        township=township_x,
        year=YEAR,
        quarter=2,
        scores={(other.pk, a.pk): Decimal("80") for a in tq.areas.all()},
    )
    services.quarter_close(user=officer_x, township=township_x, year=YEAR, quarter=2)
    assert TownshipQuarter.objects.get().is_closed


def test_a_quarter_cannot_be_closed_before_it_ends(officer_x, township_x, cadre_x):
    from django.utils import timezone

    year, quarter = rules.quarter_of(timezone.localdate())
    services.quarter_open(user=officer_x, township=township_x, year=year, quarter=quarter)
    with pytest.raises(ValidationError):
        services.quarter_close(user=officer_x, township=township_x, year=year, quarter=quarter)


def test_closed_quarter_refuses_score_and_area_edits(client_for, officer_x, township_x, village_x, cadre_x):
    score_quarters(officer_x, township_x, [cadre_x])
    tq = TownshipQuarter.objects.get(quarter=2)
    area = tq.areas.first()
    with pytest.raises(ValidationError):
        services.quarter_scores_save(
            user=officer_x, township=township_x, year=YEAR, quarter=2, scores={(cadre_x.pk, area.pk): Decimal("99")}
        )
    with pytest.raises(ValidationError):
        services.quarter_areas_save(
            user=officer_x, township=township_x, year=YEAR, quarter=2, areas=[{"name": "x", "weight": Decimal("100")}]
        )
    client = client_for(officer_x)
    assert grid_post(client, tq, [cadre_x], "99", village_x).status_code == 403
    assert client.get(quarter_url("assessments:quarter_areas")).status_code == 403
    assert set(QuarterScore.objects.filter(area__township_quarter=tq).values_list("score", flat=True)) == {Decimal("80.00")}


def test_officer_cannot_score_another_townships_cadre(officer_x, township_x, cadre_y):
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    with pytest.raises(PermissionDenied):
        services.quarter_scores_save(
            user=officer_x, township=township_x, year=YEAR, quarter=2, scores={(cadre_y.pk, tq.areas.first().pk): Decimal("80")}
        )


def test_officer_cannot_open_another_townships_quarter(officer_x, township_y):
    with pytest.raises(PermissionDenied):
        services.quarter_open(user=officer_x, township=township_y, year=YEAR, quarter=2)


def test_quarter_page_is_scoped_and_read_only_for_county_readers(
    client_for, officer_x, officer_y, county_approver, township_x, cadre_x, cadre_y
):
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    # An officer always sees their own township, whatever the parameter says.
    text = client_for(officer_y).get(quarter_url(), {"township": township_x.pk}).text
    assert cadre_x.name not in text
    client = client_for(county_approver)
    text = client.get(quarter_url(), {"township": township_x.pk}).text
    assert cadre_x.name in text and 'type="number"' not in text
    assert grid_post(client, tq, [cadre_x], "80", cadre_x.village).status_code == 403


def test_finance_may_not_open_quarters(client_for, finance):
    assert client_for(finance).get(quarter_url()).status_code == 403


@pytest.mark.parametrize("people", [2, 20])
def test_quarter_page_query_count_is_bounded(client_for, officer_x, township_x, village_x, django_assert_max_num_queries, people):
    cadres = [CadreFactory(village=village_x) for _ in range(people)]
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    services.quarter_scores_save(
        user=officer_x,
        township=township_x,
        year=YEAR,
        quarter=2,
        scores={(c.pk, a.pk): Decimal("80") for c in cadres for a in tq.areas.all()},
    )
    client = client_for(officer_x)
    with django_assert_max_num_queries(13):
        assert client.get(quarter_url()).status_code == 200


# ---------------------------------------------------------------- Excel import


def workbook(tq, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(importing.headers_for(list(tq.areas.all())))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, data):
    return client.post(quarter_url("assessments:quarter_import"), {"file": SimpleUploadedFile("q.xlsx", data)})


def test_template_lists_own_cadres_and_reimports_to_the_same_scores(client_for, officer_x, township_x, cadre_x, cadre_y):
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    client = client_for(officer_x)
    content = client.get(quarter_url("assessments:quarter_template")).content
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(importing.headers_for(list(tq.areas.all())))
    assert [r[2] for r in rows[1:]] == [cadre_x.name]
    ws.cell(row=2, column=4, value=88)
    ws.cell(row=2, column=5, value=77.5)
    buffer = io.BytesIO()
    ws.parent.save(buffer)
    response = upload(client, buffer.getvalue())
    assert response.status_code == 302
    assert sorted(QuarterScore.objects.values_list("score", flat=True)) == [Decimal("77.50"), Decimal("88.00")]
    # Importing the same file again changes nothing.
    count = AuditRecord.objects.count()
    upload(client, buffer.getvalue())
    assert AuditRecord.objects.count() == count


def test_template_writes_village_and_name_as_text_never_as_a_formula_and_is_audited(client_for, officer_x, township_x):
    """Issue 16 item 2: a name like "=HYPERLINK(...)" stays text in the downloaded template."""
    from ..factories import VillageFactory

    village = VillageFactory(township=township_x, name="=cmd|' /C calc'!A0")
    CadreFactory(village=village, name='=HYPERLINK("http://x.cn","点我")')  # fits the 30-character name
    services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    content = client_for(officer_x).get(quarter_url("assessments:quarter_template")).content
    ws = load_workbook(io.BytesIO(content)).active
    village_cell, name_cell = ws.cell(row=2, column=2), ws.cell(row=2, column=3)
    assert (village_cell.data_type, name_cell.data_type) == ("s", "s")
    assert name_cell.value.startswith("=HYPERLINK") and village_cell.value.startswith("=cmd")
    assert AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT, object_type="assessments.QuarterScore").count() == 1


def test_one_bad_row_writes_nothing_and_names_the_row(client_for, officer_x, township_x, village_x):
    cadres = [CadreFactory(village=village_x, name=f"乙{i}") for i in range(5)]
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    rows = [[c.pk, village_x.name, c.name, 80, 80, 80, 80, 80] for c in cadres]
    rows[3][5] = "很好"  # spreadsheet row 5
    response = upload(client_for(officer_x), workbook(tq, rows))
    assert response.status_code == 200
    assert not QuarterScore.objects.exists()
    assert 'data-testid="import-errors"' in response.text and "<td>5</td>" in response.text


def test_import_refuses_another_townships_cadre(client_for, officer_x, township_x, cadre_x, cadre_y):
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    rows = [[cadre_x.pk, "东岭村", cadre_x.name, 80, 80, 80, 80, 80], [cadre_y.pk, "白鹭村", cadre_y.name, 90, 90, 90, 90, 90]]
    response = upload(client_for(officer_x), workbook(tq, rows))
    assert response.status_code == 200
    assert "本乡镇本季度没有该编号的参评干部" in response.text
    assert not QuarterScore.objects.exists()


def test_import_refuses_a_shifted_row(client_for, officer_x, township_x, village_x, cadre_x):
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    response = upload(client_for(officer_x), workbook(tq, [[cadre_x.pk, village_x.name, "别人", 80, 80, 80, 80, 80]]))
    assert "该行可能错位" in response.text
    assert not QuarterScore.objects.exists()


def test_invalid_first_import_does_not_even_open_the_quarter(client_for, officer_x, township_x, cadre_x):
    areas = [QuarterArea(name=n) for n in ["党的建设", "乡村振兴与集体经济", "信访维稳", "安全生产", "生态与人居环境"]]
    wb = Workbook()
    wb.active.append(importing.headers_for(areas))
    wb.active.append([cadre_x.pk, "东岭村", cadre_x.name, 200, 80, 80, 80, 80])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client_for(officer_x), buffer.getvalue())
    assert response.status_code == 200
    assert not TownshipQuarter.objects.exists()


def test_import_into_a_closed_quarter_is_refused(client_for, officer_x, township_x, cadre_x):
    score_quarters(officer_x, township_x, [cadre_x])
    assert client_for(officer_x).get(quarter_url("assessments:quarter_import")).status_code == 403


def test_a_workbook_with_wrong_headers_is_refused(client_for, officer_x, township_x, cadre_x):
    services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    wb = Workbook()
    wb.active.append(["编号", "村", "姓名", "别的"])
    wb.active.append([cadre_x.pk, "东岭村", cadre_x.name, 80])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client_for(officer_x), buffer.getvalue())
    assert 'data-testid="import-file-error"' in response.text
    assert not QuarterScore.objects.exists()


@pytest.mark.parametrize("foreign", ["other_quarter", "unknown"])
def test_saving_areas_with_ids_not_of_this_quarter_is_refused_and_changes_nothing(
    client_for, officer_x, township_x, cadre_x, foreign
):
    """A stale form or another quarter's area ids must not delete the quarter's areas and their scores."""
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    services.quarter_scores_save(
        user=officer_x,
        township=township_x,
        year=YEAR,
        quarter=2,
        scores={(cadre_x.pk, a.pk): Decimal("80") for a in tq.areas.all()},
    )
    other = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=3)
    ids = [a.pk for a in other.areas.all()][:2]
    if foreign == "unknown":
        ids = [max(QuarterArea.objects.values_list("pk", flat=True)) + 1 + n for n in range(2)]
    before_areas = list(tq.areas.values_list("pk", "name", "weight"))
    before_scores = list(QuarterScore.objects.filter(area__township_quarter=tq).values_list("pk", "score"))
    audits = AuditRecord.objects.count()
    data = {
        "areas-TOTAL_FORMS": "2",
        "areas-INITIAL_FORMS": "2",
        "areas-0-id": str(ids[0]),
        "areas-0-name": "党建",
        "areas-0-weight": "50",
        "areas-1-id": str(ids[1]),
        "areas-1-name": "发展",
        "areas-1-weight": "50",
    }
    response = client_for(officer_x).post(quarter_url("assessments:quarter_areas"), data)
    assert response.status_code == 200
    assert "本季度的任务分项在打开表单后已有变动" in response.text
    assert list(tq.areas.values_list("pk", "name", "weight")) == before_areas
    assert list(QuarterScore.objects.filter(area__township_quarter=tq).values_list("pk", "score")) == before_scores
    assert AuditRecord.objects.count() == audits
    with pytest.raises(ValidationError):
        services.quarter_areas_save(
            user=officer_x,
            township=township_x,
            year=YEAR,
            quarter=2,
            areas=[{"id": ids[0], "name": "党建", "weight": Decimal("100")}],
        )
    assert list(tq.areas.values_list("pk", "name", "weight")) == before_areas
