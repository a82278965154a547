import pytest

from ..factories import TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db


def _names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_township_staff_see_only_their_township(token_client_for, officer_x, township_x, township_y):
    assert _names(token_client_for(officer_x).get("/api/v1/townships/")) == ["X镇"]


def test_county_users_see_every_township(token_client_for, county_approver, supervisor, finance, township_x, township_y):
    for user in (county_approver, supervisor, finance):
        assert sorted(_names(token_client_for(user).get("/api/v1/townships/"))) == ["X镇", "Y镇"]


def test_anonymous_callers_get_no_organisation(api_client, township_x):
    assert api_client.get("/api/v1/townships/").status_code == 401
    assert api_client.get("/api/v1/villages/").status_code == 401


def test_township_staff_see_only_their_villages(token_client_for, officer_x, village_x, village_y):
    response = token_client_for(officer_x).get("/api/v1/villages/")
    assert _names(response) == ["东岭村"]
    assert response.json()["results"][0]["township"] == {"id": village_x.township_id, "name": "X镇"}


def test_villages_filter_by_township(token_client_for, county_admin, village_x, village_y):
    client = token_client_for(county_admin)
    assert _names(client.get(f"/api/v1/villages/?township={village_y.township_id}")) == ["白鹭村"]
    assert sorted(_names(client.get("/api/v1/villages/"))) == ["东岭村", "白鹭村"]


def test_township_staff_filtering_by_another_township_get_nothing(token_client_for, officer_x, village_x, village_y):
    response = token_client_for(officer_x).get(f"/api/v1/villages/?township={village_y.township_id}")
    assert _names(response) == []
    assert "白鹭村" not in response.text


def test_organisation_lists_take_a_fixed_number_of_queries(token_client_for, county_admin, django_assert_max_num_queries):
    client = token_client_for(county_admin)
    for count in (2, 12):
        for index in range(count):
            VillageFactory(township=TownshipFactory(name=f"镇{count}-{index}"), name=f"村{count}-{index}")
        with django_assert_max_num_queries(3):
            assert client.get("/api/v1/townships/").status_code == 200
        with django_assert_max_num_queries(3):
            assert client.get("/api/v1/villages/").status_code == 200
