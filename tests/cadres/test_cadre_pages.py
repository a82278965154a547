import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre, Post

from ..factories import CadreFactory, TownshipFactory, VillageFactory, make_id_number

pytestmark = pytest.mark.django_db


def test_township_officer_sees_only_own_township_in_list(client_for, officer_x, cadre_x, cadre_y):
    response = client_for(officer_x).get(reverse("cadres:list"))
    assert response.status_code == 200
    assert cadre_x.name in response.text
    assert cadre_y.name not in response.text


def test_township_officer_gets_404_for_other_townships_cadre(client_for, officer_x, cadre_y):
    client = client_for(officer_x)
    assert client.get(reverse("cadres:detail", args=[cadre_y.pk])).status_code == 404
    assert client.get(reverse("cadres:edit", args=[cadre_y.pk])).status_code == 404
    assert client.post(reverse("cadres:edit", args=[cadre_y.pk]), {"name": "篡改"}).status_code == 404
    assert client.get(reverse("cadres:leave", args=[cadre_y.pk])).status_code == 404
    cadre_y.refresh_from_db()
    assert cadre_y.name == "李秀英"


def test_export_contains_only_own_township(client_for, officer_x, cadre_x, cadre_y):
    response = client_for(officer_x).get(reverse("cadres:export"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    names = [row[2] for row in rows[1:]]
    assert names == [cadre_x.name]
    assert AuditRecord.objects.filter(action="export", actor=officer_x).count() == 1


def test_county_users_see_every_township(client_for, county_approver, cadre_x, cadre_y):
    response = client_for(county_approver).get(reverse("cadres:list"))
    assert cadre_x.name in response.text and cadre_y.name in response.text


def _listed(response):
    return [(c.township.name, c.village.name, c.name) for c in response.context["page"].object_list]


def test_cadre_list_goes_township_by_township_then_village_then_name(client_for, county_approver, officer_x, township_x):
    # Two townships share a sort order: the name decides between them and their villages never interleave.
    north, south = TownshipFactory(name="A镇", sort_order=1), TownshipFactory(name="B镇", sort_order=1)
    first = TownshipFactory(name="Z镇", sort_order=0)
    villages = {
        "A1村": VillageFactory(township=north, name="A1村", sort_order=1),
        "A3村": VillageFactory(township=north, name="A3村", sort_order=3),
        "B2村": VillageFactory(township=south, name="B2村", sort_order=2),
        "Z9村": VillageFactory(township=first, name="Z9村", sort_order=9),
        "X1村": VillageFactory(township=township_x, name="X1村", sort_order=1),
    }
    for village, name in [("A3村", "Wu"), ("B2村", "Bai"), ("A1村", "Zhao"), ("A1村", "An"), ("Z9村", "Qian"), ("X1村", "Li")]:
        CadreFactory(village=villages[village], name=name)
    CadreFactory(village=villages["A1村"], name="Gone", status=Cadre.Status.LEFT, left_on=datetime.date(2024, 1, 1))

    listed = _listed(client_for(county_approver).get(reverse("cadres:list")))
    assert listed == [
        ("X镇", "X1村", "Li"),  # township_x keeps the default sort order 0; "X镇" < "Z镇"
        ("Z镇", "Z9村", "Qian"),
        ("A镇", "A1村", "An"),
        ("A镇", "A1村", "Zhao"),
        ("A镇", "A3村", "Wu"),
        ("B镇", "B2村", "Bai"),
    ]
    response = client_for(county_approver).get(reverse("cadres:list"), {"township": north.pk, "status": "in_post"})
    assert _listed(response) == [("A镇", "A1村", "An"), ("A镇", "A1村", "Zhao"), ("A镇", "A3村", "Wu")]
    # Township staff get the same order, within their township only, whatever township they ask for.
    response = client_for(officer_x).get(reverse("cadres:list"), {"township": north.pk, "status": "in_post"})
    assert _listed(response) == [("X镇", "X1村", "Li")]


def test_id_number_masked_for_users_without_the_right(client_for, county_approver, finance, officer_x, cadre_x):
    full = cadre_x.id_number
    for user in (county_approver, finance):
        response = client_for(user).get(reverse("cadres:detail", args=[cadre_x.pk]))
        assert full not in response.text
        assert cadre_x.id_number_masked in response.text
    response = client_for(officer_x).get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert full in response.text


def test_masked_in_export_for_finance(client_for, finance, cadre_x):
    response = client_for(finance).get(reverse("cadres:export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][4] == cadre_x.id_number_masked


def _form_data(village, **overrides):
    data = {
        "village": village.pk,
        "name": "王志强",
        "id_number": make_id_number(),
        "ethnicity": "汉族",
        "phone": "13800000000",
        "political_status": "party_member",
        "education": "college",
        "posts": [Post.objects.get(code="party_secretary").pk],
        "first_appointed_on": "2016-04-01",
        "prior_service_years": "2",
    }
    data.update(overrides)
    return data


def test_officer_creates_cadre_and_audit_is_written(client_for, officer_x, village_x):
    data = _form_data(village_x)
    response = client_for(officer_x).post(reverse("cadres:create"), data)
    cadre = Cadre.objects.get(name="王志强")
    assert response.status_code == 302
    assert cadre.township == village_x.township
    assert cadre.id_number == data["id_number"]
    assert cadre.birth_date.year == 1980
    record = AuditRecord.objects.get(action="create", object_id=str(cadre.pk))
    assert record.actor == officer_x
    assert record.ip_address == "127.0.0.1"


def test_invalid_id_number_is_refused_with_message(client_for, officer_x, village_x):
    response = client_for(officer_x).post(reverse("cadres:create"), _form_data(village_x, id_number="110105194912310021"))
    assert response.status_code == 200
    assert "校验位" in response.text
    assert not Cadre.objects.exists()


def test_duplicate_id_number_is_refused(client_for, officer_x, village_x, cadre_x):
    response = client_for(officer_x).post(reverse("cadres:create"), _form_data(village_x, id_number=cadre_x.id_number))
    assert response.status_code == 200
    assert "已存在" in response.text
    assert Cadre.objects.count() == 1


def test_officer_cannot_create_cadre_in_other_township(client_for, officer_x, village_y):
    response = client_for(officer_x).post(reverse("cadres:create"), _form_data(village_y))
    assert response.status_code == 200  # the village is not a valid choice for this officer
    assert not Cadre.objects.exists()


@pytest.mark.parametrize("role_fixture", ["county_approver", "supervisor", "finance"])
def test_read_only_roles_cannot_create_or_edit(request, client_for, role_fixture, cadre_x):
    client = client_for(request.getfixturevalue(role_fixture))
    assert client.get(reverse("cadres:create")).status_code == 403
    assert client.get(reverse("cadres:edit", args=[cadre_x.pk])).status_code == 403
    assert client.get(reverse("cadres:import")).status_code == 403


def test_edit_records_before_and_after(client_for, officer_x, cadre_x, village_x):
    data = _form_data(village_x, id_number=cadre_x.id_number, name="张建军")
    response = client_for(officer_x).post(reverse("cadres:edit", args=[cadre_x.pk]), data)
    assert response.status_code == 302
    record = AuditRecord.objects.get(action="update", object_id=str(cadre_x.pk))
    assert record.changes["name"] == ["张建国", "张建军"]


def test_mark_left_requires_reason_and_records_it(client_for, officer_x, cadre_x):
    client = client_for(officer_x)
    response = client.post(reverse("cadres:leave", args=[cadre_x.pk]), {"left_on": "2026-10-31", "reason": ""})
    assert response.status_code == 200
    cadre_x.refresh_from_db()
    assert cadre_x.status == Cadre.Status.IN_POST
    response = client.post(reverse("cadres:leave", args=[cadre_x.pk]), {"left_on": "2026-10-31", "reason": "换届离任"})
    assert response.status_code == 302
    cadre_x.refresh_from_db()
    assert cadre_x.status == Cadre.Status.LEFT
    assert str(cadre_x.left_on) == "2026-10-31"


def test_search_by_name_and_id_tail(client_for, county_admin, cadre_x, cadre_y):
    client = client_for(county_admin)
    response = client.get(reverse("cadres:list"), {"q": "建国"})
    assert cadre_x.name in response.text and cadre_y.name not in response.text
    response = client.get(reverse("cadres:list"), {"q": cadre_y.id_number[-4:]})
    assert cadre_y.name in response.text and cadre_x.name not in response.text


def test_cadre_list_query_count_does_not_grow(client_for, county_admin, village_x, django_assert_max_num_queries):
    client = client_for(county_admin)
    CadreFactory.create_batch(5, village=village_x)
    with django_assert_max_num_queries(12):
        client.get(reverse("cadres:list"))
    CadreFactory.create_batch(40, village=village_x)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cadres:list"))
    assert response.text.count("/cadres/") >= 45


def test_cadre_file_query_count_bounded(client_for, county_admin, cadre_x, django_assert_max_num_queries):
    client = client_for(county_admin)
    client.get(reverse("cadres:detail", args=[cadre_x.pk]))
    # The benchmark's target for every page (test_cadre_file_queries.py fills the file with records).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert response.status_code == 200
