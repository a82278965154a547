"""The admin for a signed-out visitor: the sign-in page, never a 500 (issue "Robustness", item 6)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_the_admin_sign_in_page_opens_for_a_signed_out_visitor(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'name="password"' in response.text


def test_every_admin_page_sends_a_signed_out_visitor_to_the_sign_in_page(client):
    for address in ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/ranks/"]:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith("/admin/login/"), address


def test_the_admin_lists_no_app_for_a_signed_out_visitor():
    request = RequestFactory().get("/admin/login/")
    request.user = AnonymousUser()
    assert admin.site.get_app_list(request) == []


def _model_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(
    "model_admin", [pytest.param(model_admin, id=model._meta.label) for model, model_admin in _model_admins()]
)
def test_no_admin_permission_method_fails_for_a_signed_out_visitor(model_admin):
    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    answers = [
        model_admin.has_module_permission(request),
        model_admin.has_view_permission(request),
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    ]
    assert not any(answers)
