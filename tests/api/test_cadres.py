import datetime
from decimal import Decimal

import pytest

from cadre_mgmt.cadres import serializers as cadre_serializers
from cadre_mgmt.cadres.models import Cadre, Post

from ..factories import CadreFactory, VillageFactory

pytestmark = pytest.mark.django_db


def _names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def no_annotators(monkeypatch):
    monkeypatch.setattr(cadre_serializers, "cadre_annotators", [])


def test_township_staff_list_only_their_cadres(token_client_for, officer_x, cadre_x, cadre_y):
    assert _names(token_client_for(officer_x).get("/api/v1/cadres/")) == [cadre_x.name]


def test_county_roles_list_every_township(token_client_for, county_approver, supervisor, finance, cadre_x, cadre_y):
    for user in (county_approver, supervisor, finance):
        assert sorted(_names(token_client_for(user).get("/api/v1/cadres/"))) == sorted([cadre_x.name, cadre_y.name])


def test_township_staff_get_404_for_another_townships_cadre(token_client_for, officer_x, cadre_x, cadre_y):
    client = token_client_for(officer_x)
    response = client.get(f"/api/v1/cadres/{cadre_y.pk}/")
    assert response.status_code == 404
    assert cadre_y.name not in response.text
    assert client.get(f"/api/v1/cadres/{cadre_x.pk}/").json()["name"] == cadre_x.name


def test_township_staff_filtering_by_another_township_get_nothing(token_client_for, officer_x, cadre_x, cadre_y):
    client = token_client_for(officer_x)
    for query in (f"township={cadre_y.township_id}", f"village={cadre_y.village_id}", "township=999999"):
        response = client.get(f"/api/v1/cadres/?{query}")
        assert _names(response) == []
        assert cadre_y.name not in response.text


def test_anonymous_callers_get_no_cadre(api_client, cadre_x):
    assert api_client.get("/api/v1/cadres/").status_code == 401
    assert api_client.get(f"/api/v1/cadres/{cadre_x.pk}/").status_code == 401


def test_id_number_is_masked_for_approver_supervisor_and_finance(token_client_for, county_approver, supervisor, finance, cadre_x):
    for user in (county_approver, supervisor, finance):
        client = token_client_for(user)
        assert client.get(f"/api/v1/cadres/{cadre_x.pk}/").json()["id_number"] == cadre_x.id_number_masked
        assert client.get("/api/v1/cadres/").json()["results"][0]["id_number"] == cadre_x.id_number_masked
        assert cadre_x.id_number not in client.get("/api/v1/cadres/").text


def test_id_number_is_full_for_township_staff_and_the_county_administrator(token_client_for, officer_x, county_admin, cadre_x):
    for user in (officer_x, county_admin):
        assert token_client_for(user).get(f"/api/v1/cadres/{cadre_x.pk}/").json()["id_number"] == cadre_x.id_number


def test_cadre_shows_its_file_and_organisation(token_client_for, county_admin, cadre_x):
    body = token_client_for(county_admin).get(f"/api/v1/cadres/{cadre_x.pk}/").json()
    assert body["township"] == {"id": cadre_x.township_id, "name": "X镇"}
    assert body["village"] == {"id": cadre_x.village_id, "name": "东岭村"}
    assert [post["code"] for post in body["posts"]] == ["member"]
    assert body["status"] == "in_post"
    assert body["first_appointed_on"] == "2015-03-01"


def test_filters_by_status_village_post_and_search(token_client_for, county_admin, cadre_x, cadre_y, village_x):
    other = CadreFactory(village=VillageFactory(township=village_x.township, name="西坡村"), name="王五")
    Cadre.objects.filter(pk=cadre_y.pk).update(status=Cadre.Status.LEFT, left_on=datetime.date(2025, 1, 1))
    secretary = Post.objects.get(code="party_secretary")
    other.posts.set([secretary])
    client = token_client_for(county_admin)
    assert _names(client.get("/api/v1/cadres/?status=left")) == [cadre_y.name]
    assert sorted(_names(client.get("/api/v1/cadres/?status=in_post"))) == sorted([cadre_x.name, other.name])
    assert _names(client.get(f"/api/v1/cadres/?village={other.village_id}")) == [other.name]
    assert _names(client.get(f"/api/v1/cadres/?post={secretary.pk}")) == [other.name]
    assert _names(client.get(f"/api/v1/cadres/?township={cadre_y.township_id}")) == [cadre_y.name]
    assert _names(client.get("/api/v1/cadres/?search=建国")) == [cadre_x.name]
    assert _names(client.get(f"/api/v1/cadres/?search={cadre_x.id_number[-4:]}")) == [cadre_x.name]


def test_level_and_allowance_are_null_until_an_annotator_provides_them(token_client_for, county_admin, cadre_x, no_annotators):
    body = token_client_for(county_admin).get(f"/api/v1/cadres/{cadre_x.pk}/").json()
    assert (body["current_level"], body["level_since"], body["monthly_allowance"]) == (None, None, None)


def test_an_annotator_fills_level_and_allowance_once_per_page(token_client_for, county_admin, cadre_x, cadre_y, no_annotators):
    calls = []

    def ranks(*, cadres, day, user):
        calls.append(sorted(cadre.pk for cadre in cadres))
        return {
            cadre_x.pk: {"current_level": 11, "level_since": datetime.date(2025, 2, 1), "monthly_allowance": Decimal("200.00")},
            cadre_y.pk: {"current_level": 13, "unknown_field": "ignored"},
        }

    cadre_serializers.register_cadre_annotator(ranks)
    client = token_client_for(county_admin)
    rows = {row["id"]: row for row in client.get("/api/v1/cadres/").json()["results"]}
    assert calls == [sorted([cadre_x.pk, cadre_y.pk])]
    assert rows[cadre_x.pk]["current_level"] == 11
    assert rows[cadre_x.pk]["level_since"] == "2025-02-01"
    assert rows[cadre_x.pk]["monthly_allowance"] == "200.00"
    assert rows[cadre_y.pk]["current_level"] == 13
    assert rows[cadre_y.pk]["monthly_allowance"] is None
    assert "unknown_field" not in rows[cadre_y.pk]
    assert client.get(f"/api/v1/cadres/{cadre_x.pk}/").json()["monthly_allowance"] == "200.00"


# token: the token with its user; session: the session, the user, and saving the session (savepoint,
# update, release). Then the count, one page of cadres with township and village, and their posts;
# then the ranks annotator: the rank states of the page and the allowance schedule.
@pytest.mark.parametrize(("authenticate", "queries"), [("token", 6), ("session", 10)])
def test_cadre_list_takes_the_same_number_of_queries_for_3_or_40_cadres(
    authenticate, queries, token_client_for, client_for, county_admin, village_x, django_assert_max_num_queries
):
    client = token_client_for(county_admin) if authenticate == "token" else client_for(county_admin)
    for size in (3, 40):
        for _index in range(size - Cadre.objects.count()):
            CadreFactory(village=village_x)
        with django_assert_max_num_queries(queries):
            response = client.get("/api/v1/cadres/?status=in_post")
        assert response.json()["count"] == size


def test_cadre_detail_takes_a_fixed_number_of_queries(token_client_for, county_admin, cadre_x, django_assert_max_num_queries):
    client = token_client_for(county_admin)
    with django_assert_max_num_queries(5):  # token, cadre, posts; rank state, allowance schedule
        assert client.get(f"/api/v1/cadres/{cadre_x.pk}/").status_code == 200
