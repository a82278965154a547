from django.test import Client


def test_post_to_an_unknown_api_address_is_a_json_404_even_with_csrf_checks(db):
    response = Client(enforce_csrf_checks=True).post("/api/v1/no-such-thing/", {"a": 1})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
