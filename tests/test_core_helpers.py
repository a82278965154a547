"""The shared core helpers every service and page leans on: audited writes, the write scope, the action button."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError

from cadre_mgmt.accounts.scoping import writable_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audited_create, audited_delete, audited_update
from cadre_mgmt.cadres.models import Cadre, Village
from cadre_mgmt.web import post_action

pytestmark = pytest.mark.django_db

FIELDS = ("name", "kind", "sort_order")


def records(village):
    return AuditRecord.objects.filter(object_type="cadres.Village", object_id=str(village.pk)).order_by("id")


# --- audited_update --------------------------------------------------------------------------------


def test_audited_update_saves_and_records_only_what_changed(village_x, county_admin):
    changes = audited_update(
        village_x, actor=county_admin, values={"name": "西岭村", "sort_order": 0}, summary="renamed", fields=FIELDS
    )
    assert changes == {"name": ["东岭村", "西岭村"]}
    village_x.refresh_from_db()
    assert village_x.name == "西岭村"
    (record,) = records(village_x)
    assert (record.action, record.actor, record.summary) == (AuditRecord.Action.UPDATE, county_admin, "renamed")
    assert record.changes == {"name": ["东岭村", "西岭村"]}


def test_audited_update_saves_only_the_fields_it_was_given(village_x, county_admin):
    Village.objects.filter(pk=village_x.pk).update(sort_order=7)  # written by someone else meanwhile
    audited_update(village_x, actor=county_admin, values={"name": "西岭村"}, summary="renamed")
    village_x.refresh_from_db()
    assert (village_x.name, village_x.sort_order) == ("西岭村", 7)


def test_audited_update_writes_nothing_when_nothing_changed(village_x, county_admin):
    changes = audited_update(village_x, actor=county_admin, values={"name": "东岭村", "kind": "village"}, summary="same")
    assert changes == {}
    assert not records(village_x).exists()


def test_audited_update_refuses_invalid_values_without_saving(village_x, county_admin):
    with pytest.raises(ValidationError) as refusal:
        audited_update(village_x, actor=county_admin, values={"name": "村" * 51, "kind": "bogus"}, summary="bad")
    assert {"name", "kind"} <= set(refusal.value.message_dict)
    village_x.refresh_from_db()
    assert (village_x.name, village_x.kind) == ("东岭村", "village")
    assert not records(village_x).exists()


def test_audited_update_with_save_false_records_but_leaves_the_saving_to_the_caller(village_x, county_admin):
    changes = audited_update(village_x, actor=county_admin, values={"sort_order": 3}, summary="moved", save=False)
    assert changes == {"sort_order": [0, 3]}
    assert Village.objects.get(pk=village_x.pk).sort_order == 0
    assert records(village_x).count() == 1


# --- audited_create / audited_delete ---------------------------------------------------------------


def test_audited_create_validates_saves_and_records_the_values(township_x, county_admin):
    village = audited_create(
        Village(township=township_x, name="南岗村", sort_order=2),
        actor=county_admin,
        summary="added",
        fields=FIELDS,
        extra={"source": "form"},
    )
    assert village.pk is not None
    (record,) = records(village)
    assert record.action == AuditRecord.Action.CREATE
    assert record.changes == {"after": {"name": "南岗村", "kind": "village", "sort_order": 2}, "source": "form"}


def test_audited_create_refuses_an_invalid_row(township_x, village_x, county_admin):
    with pytest.raises(ValidationError):
        audited_create(Village(township=township_x, name="东岭村"), actor=county_admin, summary="twin", fields=FIELDS)
    assert Village.objects.filter(township=township_x).count() == 1
    assert not AuditRecord.objects.filter(action=AuditRecord.Action.CREATE).exists()


def test_audited_delete_records_the_values_then_deletes(village_x, county_admin):
    pk = village_x.pk
    audited_delete(village_x, actor=county_admin, summary="removed", fields=FIELDS)
    assert not Village.objects.filter(pk=pk).exists()
    record = AuditRecord.objects.get(object_type="cadres.Village", object_id=str(pk))
    assert record.action == AuditRecord.Action.DELETE
    assert record.changes == {"before": {"name": "东岭村", "kind": "village", "sort_order": 0}}


# --- writable_for_user -----------------------------------------------------------------------------


@pytest.fixture
def villages(village_x, village_y):
    return Village.objects.all()


def test_county_admin_may_write_everywhere(villages, county_admin, village_x, village_y):
    assert set(writable_for_user(villages, county_admin)) == {village_x, village_y}


def test_township_staff_may_write_in_their_own_township_only(villages, officer_x, village_x):
    assert list(writable_for_user(villages, officer_x)) == [village_x]


def test_the_township_field_can_be_named(village_x, cadre_x, cadre_y, officer_x):
    assert list(writable_for_user(Cadre.objects.all(), officer_x, township_field="village__township")) == [cadre_x]


@pytest.mark.parametrize("person", ["county_approver", "supervisor", "finance"])
def test_readers_and_deciders_write_nothing(villages, person, request):
    assert not writable_for_user(villages, request.getfixturevalue(person)).exists()


def test_inactive_and_anonymous_users_write_nothing(villages, officer_x, county_admin):
    county_admin.is_active = False
    assert not writable_for_user(villages, county_admin).exists()
    assert not writable_for_user(villages, AnonymousUser()).exists()
    assert not writable_for_user(villages, None).exists()


# --- post_action -----------------------------------------------------------------------------------


def page_request(rf, method, user):
    request = getattr(rf, method)("/villages/1/rename/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def rename(village, name, actor):
    return lambda: audited_update(village, actor=actor, values={"name": name}, summary="renamed")


def test_post_action_refuses_get_with_405_and_calls_nothing(rf, county_admin, village_x):
    calls = []
    response = post_action(
        page_request(rf, "get", county_admin), lambda: calls.append(1), success="done", redirect_to="/villages/"
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert calls == []


def test_post_action_calls_the_service_flashes_success_and_redirects(rf, county_admin, village_x):
    request = page_request(rf, "post", county_admin)
    response = post_action(
        request,
        rename(village_x, "西岭村", county_admin),
        success=lambda changes: f"changed {len(changes)}",
        redirect_to=lambda changes: f"/villages/{village_x.pk}/",
    )
    assert (response.status_code, response["Location"]) == (302, f"/villages/{village_x.pk}/")
    assert [str(m) for m in get_messages(request)] == ["changed 1"]
    assert Village.objects.get(pk=village_x.pk).name == "西岭村"


def test_post_action_flashes_a_refusal_and_changes_nothing(rf, county_admin, village_x):
    request = page_request(rf, "post", county_admin)
    response = post_action(request, rename(village_x, "村" * 51, county_admin), success="done", redirect_to="/villages/")
    assert (response.status_code, response["Location"]) == (302, "/villages/")
    (message,) = get_messages(request)
    assert message.level_tag == "error" and "50" in str(message)
    assert Village.objects.get(pk=village_x.pk).name == "东岭村"
    assert not records(village_x).exists()
