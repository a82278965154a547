"""The shared permission pieces later endpoints use (approve = county approvers, writes = own township)."""

import pytest
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from cadre_mgmt.api.permissions import IsSignedIn, require_township, role_required

pytestmark = pytest.mark.django_db


class _Approve(APIView):
    permission_classes = [IsSignedIn, role_required("is_county_approver")]

    def post(self, request):
        return Response({"ok": True})


class _WriteForTownship(APIView):
    def post(self, request, township_id):
        require_township(request.user, township_id)
        return Response({"ok": True})


def _post(view, user, **kwargs):
    request = APIRequestFactory().post("/api/v1/x/", {}, format="json")
    if user is not None:
        force_authenticate(request, user=user)
    return view.as_view()(request, **kwargs)


def test_role_required_admits_the_role_and_refuses_others_with_403(county_approver, county_admin, officer_x, finance):
    assert _post(_Approve, county_approver).status_code == 200
    assert _post(_Approve, county_admin).status_code == 200
    for user in (officer_x, finance):
        response = _post(_Approve, user)
        assert response.status_code == 403
        assert response.data == {"detail": "您的角色无权进行此操作。", "errors": {}}


def test_role_required_refuses_anonymous_callers_with_401():
    assert _post(_Approve, None).status_code == 401


def test_require_township_refuses_writes_to_another_township(officer_x, township_x, township_y, county_admin, supervisor):
    assert _post(_WriteForTownship, officer_x, township_id=township_x.pk).status_code == 200
    assert _post(_WriteForTownship, county_admin, township_id=township_y.pk).status_code == 200
    response = _post(_WriteForTownship, officer_x, township_id=township_y.pk)
    assert response.status_code == 403
    assert response.data["detail"] == "不能修改其他乡镇的数据。"
    assert _post(_WriteForTownship, supervisor, township_id=township_x.pk).status_code == 403
