import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_json_for_signed_in_callers(token_client_for, finance):
    response = token_client_for(finance).get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/auth/token/", "/api/v1/townships/", "/api/v1/villages/", "/api/v1/cadres/", "/api/v1/cadres/{id}/"} <= set(
        schema["paths"]
    )
    assert schema["paths"]["/api/v1/cadres/{id}/"]["get"]["parameters"][0]["schema"]["type"] == "integer"
    assert schema["paths"]["/api/v1/cadres/"]["get"]["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_schema_is_available_as_yaml_too(token_client_for, finance):
    response = token_client_for(finance).get("/api/schema/?format=yaml")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_schema_needs_a_signed_in_caller(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["detail"] == "身份认证信息未提供。"


def test_docs_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_docs_page_loads_only_local_scripts_and_no_inline_code(client_for, officer_x):
    client = client_for(officer_x)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and "style=" not in html
    sources = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    policy = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    script_url = re.search(r'<script src="(/api/docs/[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.text and "/api/schema/" in script.text
    assert '"validatorUrl": null' in script.text  # no badge fetched from validator.swagger.io


def test_swagger_ui_assets_are_shipped_with_the_app():
    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}"), name
