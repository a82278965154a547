import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre, Post
from ranks.ladder import rules
from ranks.ladder import services as ladder_services
from ranks.models import RankChange
from ranks.rosters import services as rosters_services

from ..conftest import at
from ..factories import CadreFactory, VillageFactory

pytestmark = pytest.mark.django_db

CHANGES = "/api/v1/rank-changes/"
JAN = datetime.date(2026, 1, 1)
ROSTER = "/api/v1/rosters/2026-01/"
EXPORT = "/api/v1/rosters/2026-01/export.xlsx"


@pytest.fixture
def roster(grade, county_approver, cadre_x, cadre_y):
    grade(cadre_x, 11)
    grade(cadre_y, 12)
    return rosters_services.roster_generate(month=JAN, user=county_approver)


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# ---------------------------------------------------------------- rank changes


def test_rank_history_is_listed_latest_first_with_who_and_why(token_client_for, county_approver, grade, cadre_x):
    first = grade(cadre_x, 12, approved=at(2025, 3, 10))
    promotion = ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=11, approved_by=county_approver, approved_at=at(2025, 12, 10), reason="考核优秀"
    )
    rows = _rows(token_client_for(county_approver).get(f"{CHANGES}?cadre={cadre_x.pk}"))
    assert [row["id"] for row in rows] == [promotion.pk, first.pk]
    assert rows[0]["cadre"] == {"id": cadre_x.pk, "name": "张建国"}
    assert (rows[0]["kind"], rows[0]["from_level"], rows[0]["to_level"]) == ("promotion", 12, 11)
    assert rows[0]["effective_month"] == "2026-01-01" and rows[0]["reason"] == "考核优秀"
    assert rows[0]["approved_by"] == str(county_approver) and rows[0]["township"] == cadre_x.township_id


def test_township_staff_see_only_their_townships_rank_history(token_client_for, officer_x, grade, cadre_x, cadre_y):
    mine = grade(cadre_x, 12)
    grade(cadre_y, 11)
    client = token_client_for(officer_x)
    assert [row["id"] for row in _rows(client.get(CHANGES))] == [mine.pk]
    response = client.get(f"{CHANGES}?cadre={cadre_y.pk}")
    assert _rows(response) == [] and "李秀英" not in response.text


def test_county_roles_supervisors_and_finance_read_every_township(
    token_client_for, county_approver, supervisor, finance, grade, cadre_x, cadre_y
):
    grade(cadre_x, 12)
    grade(cadre_y, 11)
    for user in (county_approver, supervisor, finance):
        assert len(_rows(token_client_for(user).get(CHANGES))) == 2


def test_rank_history_filters_by_kind_and_township(token_client_for, county_admin, grade, cadre_x, cadre_y):
    grade(cadre_x, 12)
    grade(cadre_y, 11)
    client = token_client_for(county_admin)
    assert [r["cadre"]["id"] for r in _rows(client.get(f"{CHANGES}?township={cadre_y.township_id}"))] == [cadre_y.pk]
    assert _rows(client.get(f"{CHANGES}?kind=demotion")) == []
    assert client.get(f"{CHANGES}?kind=bogus").status_code == 400


def test_rank_history_cannot_be_written_through_the_api(token_client_for, county_admin, grade, cadre_x):
    grade(cadre_x, 12)
    client = token_client_for(county_admin)
    assert client.post(CHANGES, {"cadre": cadre_x.pk, "to_level": 1}, format="json").status_code == 405
    assert RankChange.objects.count() == 1


def test_anonymous_callers_get_no_rank_history_or_roster(api_client, roster):
    for url in (CHANGES, ROSTER, EXPORT):
        response = api_client.get(url)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("size", [3, 30])
def test_rank_history_list_takes_a_fixed_number_of_queries(
    size, token_client_for, county_admin, grade, village_x, django_assert_max_num_queries
):
    for _index in range(size):
        grade(CadreFactory(village=village_x), 12)
    client = token_client_for(county_admin)
    with django_assert_max_num_queries(3):  # token, count, page with cadre and approver
        assert len(_rows(client.get(CHANGES))) == size


# ---------------------------------------------------------------- rosters


def test_roster_gives_lines_and_totals_per_township_and_grand_total(token_client_for, county_approver, roster, cadre_x, cadre_y):
    body = token_client_for(county_approver).get(ROSTER).json()
    assert (body["month"], body["status"], body["count"]) == ("2026-01", "draft", 2)
    by_cadre = {line["cadre"]: line for line in body["results"]}
    assert by_cadre[cadre_x.pk]["level"] == 11 and by_cadre[cadre_x.pk]["amount"] == "200.00"
    assert by_cadre[cadre_x.pk]["id_number_masked"] == cadre_x.id_number_masked
    assert by_cadre[cadre_x.pk]["since_month"] == "2026-01-01" and by_cadre[cadre_x.pk]["kind"] == "regular"
    assert {t["township_name"]: t["total"] for t in body["totals"]} == {"X镇": "200.00", "Y镇": "100.00"}
    assert body["grand_total"] == {"lines": 2, "people": 2, "total": "300.00"}


def test_township_staff_read_only_their_townships_lines_and_totals(token_client_for, officer_x, roster, cadre_x, cadre_y):
    response = token_client_for(officer_x).get(ROSTER)
    body = response.json()
    assert [line["cadre"] for line in body["results"]] == [cadre_x.pk]
    assert [t["township_name"] for t in body["totals"]] == ["X镇"]
    assert body["grand_total"]["total"] == "200.00"
    assert "李秀英" not in response.text and "Y镇" not in response.text


def test_another_townships_lines_are_a_404_for_township_staff(token_client_for, officer_x, roster, cadre_y):
    response = token_client_for(officer_x).get(f"{ROSTER}?township={cadre_y.township_id}")
    assert response.status_code == 404
    assert "李秀英" not in response.text


def test_county_readers_may_ask_for_one_townships_lines(token_client_for, finance, roster, cadre_y):
    body = token_client_for(finance).get(f"{ROSTER}?township={cadre_y.township_id}").json()
    assert [line["cadre"] for line in body["results"]] == [cadre_y.pk]
    assert body["grand_total"]["total"] == "300.00"  # totals cover everything the caller may read


@pytest.mark.parametrize("month", ["2026-13", "26-01", "2026-1", "abcd-ef", "1999-12"])
def test_a_bad_month_is_a_400_in_chinese(token_client_for, finance, month):
    for url in (f"/api/v1/rosters/{month}/", f"/api/v1/rosters/{month}/export.xlsx"):
        response = token_client_for(finance).get(url)
        assert response.status_code == 400
        assert response.json()["errors"] == {"month": ["请按 YYYY-MM 格式填写月份，例如 2026-03。"]}


def test_a_month_without_roster_is_a_404(token_client_for, finance):
    for url in ("/api/v1/rosters/2030-05/", "/api/v1/rosters/2030-05/export.xlsx"):
        response = token_client_for(finance).get(url)
        assert response.status_code == 404
        assert response.json()["detail"] == "2030-05 没有花名册。"


def test_roster_lines_are_paginated(token_client_for, county_admin, village_x, county_approver):
    for _index in range(5):
        CadreFactory(village=village_x)
    rosters_services.roster_generate(month=JAN, user=county_approver)
    body = token_client_for(county_admin).get(f"{ROSTER}?page=2&page_size=2").json()
    assert body["count"] == 5 and [line["position"] for line in body["results"]] == [3, 4]
    assert body["grand_total"]["lines"] == 5
    assert token_client_for(county_admin).get(f"{ROSTER}?page_size=0").status_code == 400


@pytest.mark.parametrize("size", [3, 30])
def test_roster_takes_a_fixed_number_of_queries(
    size, token_client_for, finance, village_x, county_approver, django_assert_max_num_queries
):
    for _index in range(size):
        CadreFactory(village=village_x)
    rosters_services.roster_generate(month=JAN, user=county_approver)
    client = token_client_for(finance)
    with django_assert_max_num_queries(5):  # token, roster, totals, count, page of lines
        assert client.get(ROSTER).json()["count"] == size


def test_roster_months_are_listed_latest_first_without_county_wide_figures(token_client_for, officer_x, roster, county_approver):
    rosters_services.roster_lock(roster=roster, user=county_approver)
    rosters_services.roster_generate(month=datetime.date(2026, 2, 1), user=county_approver)
    rows = _rows(token_client_for(officer_x).get("/api/v1/rosters/"))
    assert [(row["month"], row["status"]) for row in rows] == [("2026-02", "draft"), ("2026-01", "locked")]
    assert set(rows[0]) == {"month", "status", "generated_at", "locked_at"}


# ---------------------------------------------------------------- roster export


def _sheet(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_export_is_the_page_workbook_with_masked_ids_for_finance_and_is_audited(
    token_client_for, finance, roster, cadre_x, cadre_y
):
    sheet = _sheet(token_client_for(finance).get(EXPORT))
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert values[0].endswith("村干部职级补贴花名册（2026年1月）")
    assert cadre_x.id_number_masked in values and cadre_x.id_number not in values
    assert "张建国" in values and "李秀英" in values and "合计" in values
    assert AuditRecord.objects.filter(actor=finance, action="export", summary="导出花名册：2 行").exists()


def test_township_staff_export_only_their_township_with_full_ids(token_client_for, officer_x, roster, cadre_x, cadre_y):
    sheet = _sheet(token_client_for(officer_x).get(EXPORT))
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "张建国" in values and cadre_x.id_number in values
    assert "李秀英" not in values and "Y镇" not in values


def test_export_errors_are_json_even_when_asking_for_a_workbook(token_client_for, finance):
    response = token_client_for(finance).get("/api/v1/rosters/2030-05/export.xlsx", HTTP_ACCEPT="application/vnd.ms-excel")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# ---------------------------------------------------------------- cadres: level, allowance, ?level=


def test_cadre_shows_its_level_since_and_this_months_allowance(token_client_for, county_admin, grade, cadre_x, cadre_y):
    grade(cadre_x, 10, approved=at(2025, 6, 10))
    client = token_client_for(county_admin)
    body = client.get(f"/api/v1/cadres/{cadre_x.pk}/").json()
    assert (body["current_level"], body["level_since"], body["monthly_allowance"]) == (10, "2025-07-01", "300.00")
    ungraded = client.get(f"/api/v1/cadres/{cadre_y.pk}/").json()
    assert (ungraded["current_level"], ungraded["level_since"], ungraded["monthly_allowance"]) == (13, None, "0.00")


def test_a_level_approved_this_month_shows_from_next_month(token_client_for, county_admin, grade, cadre_x):
    grade(cadre_x, 12, approved=timezone.now())
    body = token_client_for(county_admin).get(f"/api/v1/cadres/{cadre_x.pk}/").json()
    assert body["current_level"] == 13 and body["level_since"] is None


def test_allowance_follows_the_schedule_in_force_this_month(token_client_for, county_admin, grade, cadre_x):
    grade(cadre_x, 11, approved=at(2025, 6, 10))
    this_month = rules.first_of_month(timezone.localdate())
    ladder_services.allowance_schedule_set(user=county_admin, effective_from=this_month, amount_per_level=Decimal("150"))
    assert token_client_for(county_admin).get(f"/api/v1/cadres/{cadre_x.pk}/").json()["monthly_allowance"] == "300.00"


def test_no_allowance_for_a_cadre_who_left_or_holds_no_paid_post(token_client_for, county_admin, grade, village_x):
    left = CadreFactory(village=village_x, status=Cadre.Status.LEFT, left_on=datetime.date(2025, 1, 31))
    unpaid = CadreFactory(village=village_x, posts=[Post.objects.get(code="clerk")])
    for cadre in (left, unpaid):
        grade(cadre, 12, approved=at(2024, 6, 10))
        body = token_client_for(county_admin).get(f"/api/v1/cadres/{cadre.pk}/").json()
        assert body["current_level"] == 12 and body["monthly_allowance"] is None


def test_cadres_filter_by_their_level_today(
    token_client_for, county_admin, officer_x, grade, county_approver, village_x, cadre_x, cadre_y
):
    grade(cadre_x, 11, approved=at(2024, 6, 10))
    ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=10, approved_by=county_approver, approved_at=at(2025, 6, 10), reason="晋升"
    )
    grade(cadre_y, 10, approved=at(2025, 6, 10))
    not_yet = CadreFactory(village=village_x, name="赵六")
    grade(not_yet, 10, approved=timezone.now())  # effective next month: still at 13 today
    client = token_client_for(county_admin)
    names = lambda query: sorted(row["name"] for row in _rows(client.get(f"/api/v1/cadres/?{query}")))  # noqa: E731
    assert names("level=10") == sorted(["张建国", "李秀英"])
    assert names("level=11") == []
    assert names("level=13") == ["赵六"]
    assert names(f"level=10&township={cadre_x.township_id}") == ["张建国"]
    assert [row["name"] for row in _rows(token_client_for(officer_x).get("/api/v1/cadres/?level=10"))] == ["张建国"]


@pytest.mark.parametrize("level", ["0", "14", "x", "1.5"])
def test_a_bad_level_is_a_400(token_client_for, county_admin, level):
    response = token_client_for(county_admin).get(f"/api/v1/cadres/?level={level}")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["level"]


def test_cadre_list_with_levels_takes_the_same_queries_for_3_or_40_cadres(
    token_client_for, county_admin, grade, village_x, django_assert_max_num_queries
):
    client = token_client_for(county_admin)
    for size in (3, 40):
        while Cadre.objects.count() < size:
            grade(CadreFactory(village=VillageFactory(township=village_x.township)), 12)
        # token; count; page with township and village; posts; rank states; allowance schedule
        with django_assert_max_num_queries(6):
            rows = _rows(client.get("/api/v1/cadres/?level=12&page_size=200"))
        assert len(rows) == size and {row["monthly_allowance"] for row in rows} == {"100.00"}
