import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import LedgerCategory, LedgerEntry
from cadre_mgmt.audit.models import AuditRecord

from ..assessments.conftest import score_quarters
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/ledger-entries/"


def _entry(user, cadre, *, date=datetime.date(2025, 5, 10), description="值班", **kwargs):
    category = LedgerCategory.objects.get(code=kwargs.pop("category", "duty_shift"))
    return services.ledger_entry_create(
        user=user, cadres=[cadre], category=category, date=date, description=description, **kwargs
    )[0]


def _body(people, **overrides):
    return {
        "cadres": [cadre.pk for cadre in people],
        "category": "household_visit",
        "date": timezone.localdate().isoformat(),
        "description": "入户走访脱贫监测户",
        "outcome": "已完成",
    } | overrides


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# ---------------------------------------------------------------- reading


def test_township_staff_read_only_their_townships_entries(token_client_for, officer_x, officer_y, cadre_x, cadre_y):
    mine = _entry(officer_x, cadre_x)
    _entry(officer_y, cadre_y)
    response = token_client_for(officer_x).get(URL)
    assert _ids(response) == [mine.pk]
    assert cadre_y.name not in response.text
    row = response.json()["results"][0]
    assert row["cadre"] == {"id": cadre_x.pk, "name": "张建国"}
    assert row["township"]["name"] == "X镇"
    assert row["category"]["code"] == "duty_shift" and row["category"]["name"] == "值班值守"
    assert row["recorded_by"] == str(officer_x)
    assert row["locked"] is False and row["has_attachment"] is False


def test_another_townships_entry_is_a_404(token_client_for, officer_x, officer_y, cadre_x, cadre_y):
    theirs = _entry(officer_y, cadre_y)
    response = token_client_for(officer_x).get(f"{URL}{theirs.pk}/")
    assert response.status_code == 404
    assert "值班" not in response.text
    assert token_client_for(officer_y).get(f"{URL}{theirs.pk}/").json()["id"] == theirs.pk


def test_county_readers_see_every_township(
    token_client_for, county_approver, county_admin, officer_x, officer_y, cadre_x, cadre_y
):
    entries = {_entry(officer_x, cadre_x).pk, _entry(officer_y, cadre_y).pk}
    for user in (county_approver, county_admin):
        assert set(_ids(token_client_for(user).get(URL))) == entries


def test_supervisor_and_finance_may_not_read_the_ledger(token_client_for, supervisor, finance, officer_x, cadre_x):
    saved = _entry(officer_x, cadre_x)
    for user in (supervisor, finance):
        client = token_client_for(user)
        for path in (URL, f"{URL}{saved.pk}/", "/api/v1/ledger-categories/"):
            response = client.get(path)
            assert response.status_code == 403
            assert response.json()["detail"] == "您的角色无权进行此操作。"


def test_anonymous_callers_get_401(api_client, officer_x, cadre_x):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, _body([cadre_x]), format="json").status_code == 401


def test_filters_by_cadre_township_category_and_dates(token_client_for, county_admin, officer_x, officer_y, cadre_x, cadre_y):
    may = _entry(officer_x, cadre_x, date=datetime.date(2025, 5, 10))
    june = _entry(officer_x, cadre_x, date=datetime.date(2025, 6, 20), category="meeting")
    other = _entry(officer_y, cadre_y, date=datetime.date(2025, 6, 1))
    client = token_client_for(county_admin)
    assert _ids(client.get(f"{URL}?cadre={cadre_x.pk}")) == [june.pk, may.pk]
    assert _ids(client.get(f"{URL}?township={cadre_y.township_id}")) == [other.pk]
    assert _ids(client.get(f"{URL}?category=meeting")) == [june.pk]
    assert _ids(client.get(f"{URL}?date_from=2025-06-01")) == [june.pk, other.pk]
    assert _ids(client.get(f"{URL}?date_from=2025-05-01&date_to=2025-05-31")) == [may.pk]


def test_township_staff_filtering_by_another_townships_cadre_get_nothing(token_client_for, officer_x, officer_y, cadre_y):
    _entry(officer_y, cadre_y)
    client = token_client_for(officer_x)
    assert _ids(client.get(f"{URL}?cadre={cadre_y.pk}")) == []
    assert _ids(client.get(f"{URL}?township={cadre_y.township_id}")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=2025-13-01", "date_from"),
        ("date_to=", "date_to"),
        ("cadre=abc", "cadre"),
        ("category=" + "x" * 31, "category"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(token_client_for, officer_x, query, field):
    response = token_client_for(officer_x).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_entries_of_a_closed_quarter_are_shown_locked(token_client_for, officer_x, cadre_x):
    saved = _entry(officer_x, cadre_x, date=datetime.date(2025, 5, 10))
    score_quarters(officer_x, cadre_x.township, [cadre_x])
    client = token_client_for(officer_x)
    assert client.get(URL).json()["results"][0]["locked"] is True
    assert client.get(f"{URL}{saved.pk}/").json()["locked"] is True


def test_ledger_categories_list_the_codes_in_use(token_client_for, officer_x):
    LedgerCategory.objects.filter(code="discipline").update(is_active=False)
    codes = [row["code"] for row in token_client_for(officer_x).get("/api/v1/ledger-categories/").json()["results"]]
    assert "meeting" in codes and "leave" in codes and "discipline" not in codes


@pytest.mark.parametrize("size", [3, 30])
def test_ledger_list_takes_a_fixed_number_of_queries(size, token_client_for, officer_x, village_x, django_assert_max_num_queries):
    for index in range(size):
        _entry(officer_x, CadreFactory(village=village_x), description=f"值班{index}")
    client = token_client_for(officer_x)
    # token with its user, count, one page of entries with cadre, category, township and recorder, closed quarters
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    assert response.json()["count"] == size


# ---------------------------------------------------------------- writing


def test_township_staff_record_an_entry_through_the_service_and_it_is_audited(token_client_for, officer_x, cadre_x):
    response = token_client_for(officer_x).post(URL, _body([cadre_x], score_change="2.5"), format="json")
    assert response.status_code == 201, response.content
    [row] = response.json()
    saved = LedgerEntry.objects.get(pk=row["id"])
    assert (saved.cadre, saved.township, saved.recorded_by) == (cadre_x, cadre_x.township, officer_x)
    assert saved.score_change == Decimal("2.50") and saved.batch is None
    assert row["score_change"] == "2.50" and row["category"]["code"] == "household_visit"
    assert AuditRecord.objects.filter(actor=officer_x, action="create", summary="记录台账").count() == 1


def test_several_cadres_make_one_bulk_entry_sharing_a_batch(token_client_for, officer_x, village_x, cadre_x):
    other = CadreFactory(village=village_x, name="王五")
    response = token_client_for(officer_x).post(URL, _body([cadre_x, other], category="meeting"), format="json")
    assert response.status_code == 201, response.content
    rows = response.json()
    assert sorted(row["cadre"]["id"] for row in rows) == sorted([cadre_x.pk, other.pk])
    assert len({row["batch"] for row in rows}) == 1 and rows[0]["batch"] is not None
    assert LedgerEntry.objects.count() == 2


def test_a_cadre_of_another_township_is_refused_and_nothing_is_written(token_client_for, officer_x, cadre_x, cadre_y):
    response = token_client_for(officer_x).post(URL, _body([cadre_x, cadre_y]), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["cadres"] == [f"没有您可查看的编号为 {cadre_y.pk} 的村干部。"]
    assert cadre_y.name not in response.text
    assert not LedgerEntry.objects.exists()


def test_a_date_in_a_closed_quarter_is_refused_with_the_services_message(token_client_for, officer_x, cadre_x):
    score_quarters(officer_x, cadre_x.township, [cadre_x])
    response = token_client_for(officer_x).post(URL, _body([cadre_x], date="2025-06-01"), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"date": ["2025年第2季度已关闭，该季度台账已锁定。"]}
    assert not LedgerEntry.objects.exists()


def test_a_date_before_the_cadres_first_appointment_is_refused_in_chinese(token_client_for, officer_x, village_x):
    cadre = CadreFactory(village=village_x, name="新任", first_appointed_on=datetime.date(2019, 4, 1))
    response = token_client_for(officer_x).post(URL, _body([cadre], date="1990-01-01"), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"date": ["日期早于新任首次任职的日期（2019-04-01）。"]}
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2999-01-01"}, "date"),
        ({"category": "leave"}, "leave_days"),
        ({"leave_days": 2}, "leave_days"),
        ({"score_change": "100.5"}, "score_change"),
        ({"category": "no-such"}, "category"),
        ({"cadres": []}, "cadres"),
        ({"description": ""}, "description"),
        ({"description": "a\x00b"}, "description"),
    ],
)
def test_bad_input_is_a_400_in_chinese_naming_the_field(token_client_for, officer_x, cadre_x, overrides, field):
    response = token_client_for(officer_x).post(URL, _body([cadre_x], **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert any("\u4e00" <= char <= "\u9fff" for char in response.json()["errors"][field][0])
    assert not LedgerEntry.objects.exists()


def test_leave_with_days_is_recorded(token_client_for, officer_x, cadre_x):
    response = token_client_for(officer_x).post(URL, _body([cadre_x], category="leave", leave_days=3), format="json")
    assert response.status_code == 201
    assert response.json()[0]["leave_days"] == 3


@pytest.mark.parametrize("role", ["county_approver", "supervisor", "finance"])
def test_read_only_roles_may_not_record(request, token_client_for, cadre_x, role):
    response = token_client_for(request.getfixturevalue(role)).post(URL, _body([cadre_x]), format="json")
    assert response.status_code == 403
    assert not LedgerEntry.objects.exists()


def test_the_county_administrator_may_record_for_any_township(token_client_for, county_admin, cadre_x, cadre_y):
    response = token_client_for(county_admin).post(URL, _body([cadre_x, cadre_y]), format="json")
    assert response.status_code == 201
    assert LedgerEntry.objects.count() == 2


def test_attachments_are_not_taken_through_the_api(token_client_for, officer_x, cadre_x):
    response = token_client_for(officer_x).post(URL, _body([cadre_x]), format="multipart")
    assert response.status_code == 415
    assert not LedgerEntry.objects.exists()


def test_entries_are_readonly_through_the_api(token_client_for, officer_x, cadre_x):
    saved = _entry(officer_x, cadre_x)
    client = token_client_for(officer_x)
    assert client.put(f"{URL}{saved.pk}/", _body([cadre_x]), format="json").status_code == 405
    assert client.delete(f"{URL}{saved.pk}/").status_code == 405
    assert LedgerEntry.objects.filter(pk=saved.pk).exists()
