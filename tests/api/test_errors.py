"""Every error is JSON {"detail": "<中文>", "errors": {...}}: never an HTML page, never a 500 for bad input."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

pytestmark = pytest.mark.django_db


def _assert_error(response, status, detail=None):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert any("\u4e00" <= char <= "\u9fff" for char in body["detail"]), body["detail"]
    if detail is not None:
        assert body["detail"] == detail
    return body


def test_anonymous_caller_gets_401_in_chinese(api_client, cadre_x):
    response = api_client.get("/api/v1/cadres/")
    _assert_error(response, 401, "身份认证信息未提供。")
    assert response["WWW-Authenticate"] == "Token"


def test_an_address_that_is_no_endpoint_is_a_json_404(token_client_for, county_admin):
    client = token_client_for(county_admin)
    for path in ["/api/v1/nothing/", "/api/v2/cadres/", "/api/v1/cadres", "/api/"]:
        _assert_error(client.get(path), 404, "接口中没有这个地址。")


def test_an_id_that_is_not_a_number_is_a_json_404(token_client_for, county_admin):
    client = token_client_for(county_admin)
    _assert_error(client.get("/api/v1/cadres/abc/"), 404)
    _assert_error(client.get("/api/v1/cadres/99999999999999999999999/"), 404)
    _assert_error(client.get("/api/v1/cadres/0/"), 404, "未找到。")


def test_a_method_the_endpoint_lacks_is_a_json_405(token_client_for, county_admin, cadre_x):
    client = token_client_for(county_admin)
    _assert_error(client.delete(f"/api/v1/cadres/{cadre_x.pk}/"), 405)
    _assert_error(client.post("/api/v1/cadres/", {}, format="json"), 405)
    _assert_error(client.get("/api/v1/auth/token/"), 405)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("township=abc", "township"),
        ("village=-1", "village"),
        ("post=%00", "post"),
        ("status=retired", "status"),
        ("search=%00", "search"),
        ("search=" + "x" * 31, "search"),
        ("township=99999999999999999999999", "township"),
        ("township=1.5", "township"),
        ("page_size=abc", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=201", "page_size"),
        ("page=-1", "page"),
    ],
)
def test_garbage_query_parameters_are_a_400_naming_the_field(token_client_for, county_admin, cadre_x, query, field):
    body = _assert_error(token_client_for(county_admin).get(f"/api/v1/cadres/?{query}"), 400, "提交的数据有误，请检查各字段。")
    assert list(body["errors"]) == [field]


def test_a_page_past_the_end_is_a_json_404(token_client_for, county_admin, cadre_x):
    client = token_client_for(county_admin)
    _assert_error(client.get("/api/v1/cadres/?page=9"), 404)
    assert client.get("/api/v1/cadres/?page=1&page_size=200").status_code == 200


def test_a_malformed_or_foreign_body_is_a_json_error(api_client):
    _assert_error(api_client.post("/api/v1/auth/token/", "{not json", content_type="application/json"), 400)
    _assert_error(api_client.post("/api/v1/auth/token/", "<x/>", content_type="application/xml"), 415)
    _assert_error(api_client.post("/api/v1/auth/token/", {"username": ["a", "b"], "password": {"x": 1}}, format="json"), 400)


@pytest.mark.parametrize("body", [{"username": "a\x00b", "password": "x"}, {"username": "township_x", "password": "\x00"}])
@pytest.mark.parametrize("encoding", ["json", "multipart"])
def test_nul_characters_in_sign_in_data_are_refused_or_fail_cleanly(api_client, officer_x, body, encoding):
    response = api_client.post("/api/v1/auth/token/", body, format=encoding, HTTP_USER_AGENT="curl\x00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_a_browser_asking_for_html_still_gets_json(token_client_for, county_admin, cadre_x):
    client = token_client_for(county_admin)
    response = client.get("/api/v1/cadres/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    _assert_error(client.get("/api/v1/cadres/", HTTP_ACCEPT="text/html"), 406)


class _ServiceRefusal(APIView):
    """Stands for an endpoint whose service refuses, as services do, with Django's exceptions."""

    permission_classes = []
    error = None

    def post(self, request):
        raise self.error


def _call(error):
    request = APIRequestFactory().post("/api/v1/x/", {}, format="json")
    return _ServiceRefusal.as_view(error=error)(request)


def test_a_services_field_validation_error_becomes_a_400_field_map():
    response = _call(DjangoValidationError({"score": ["分数须在 0 到 100 之间。"], "__all__": ["本季度已关闭。"]}))
    assert response.status_code == 400
    assert response.data == {
        "detail": "提交的数据有误，请检查各字段。",
        "errors": {"score": ["分数须在 0 到 100 之间。"], "non_field_errors": ["本季度已关闭。"]},
    }


def test_a_services_refusal_without_a_field_is_the_message_itself():
    response = _call(DjangoValidationError("本季度已关闭，台账不能再修改。"))
    assert response.status_code == 400
    assert response.data == {
        "detail": "本季度已关闭，台账不能再修改。",
        "errors": {"non_field_errors": ["本季度已关闭，台账不能再修改。"]},
    }


def test_a_services_permission_denied_becomes_a_403():
    response = _call(PermissionDenied())
    assert response.status_code == 403
    assert response.data == {"detail": "您没有执行该操作的权限。", "errors": {}}


def test_nested_field_errors_are_flattened_to_dotted_names():
    response = _call(serializers.ValidationError({"cadres": [{}, {"id": ["无效。"]}], "lines": {"0": {"amount": ["过大。"]}}}))
    assert response.data["errors"] == {"cadres.1.id": ["无效。"], "lines.0.amount": ["过大。"]}
