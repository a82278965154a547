"""The audit log: the county administrator's viewer, append-only storage, and pruning with a floor."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import AUDIT_MIN_KEEP_DAYS, audit_prune, audit_record
from cadre_mgmt.audit.tasks import audit_prune_task

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")


def _record_aged(days, summary="old"):
    """An audit record written ``days`` days ago (raw insert: the model stamps the current time)."""
    at = connection.ops.adapt_datetimefield_value(timezone.now() - datetime.timedelta(days=days))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditrecord (at, actor_name, action, object_type, object_id, object_repr, summary, changes)"
            " VALUES (%s, 'system', 'other', '', '', '', %s, %s)",
            [at, summary, "{}"],
        )
    return AuditRecord.objects.get(summary=summary)


# --- the viewer -------------------------------------------------------------------------------


def test_county_administrator_sees_the_audit_log(client_for, county_admin, officer_x):
    audit_record(actor=officer_x, action=AuditRecord.Action.CREATE, object_type="cadres.Cadre", summary="建档 张三")
    response = client_for(county_admin).get(reverse("audit:list"))
    assert response.status_code == 200
    assert "审计日志" in response.text
    assert "建档 张三" in response.text


@pytest.mark.parametrize("role_fixture", ["county_approver", "officer_x", "officer_y", "supervisor", "finance"])
def test_other_roles_are_refused_the_audit_log(request, client_for, role_fixture, county_admin):
    record = audit_record(actor=county_admin, action=AuditRecord.Action.OTHER, summary="x")
    client = client_for(request.getfixturevalue(role_fixture))
    assert client.get(reverse("audit:list")).status_code == 403
    assert client.get(reverse("audit:detail", args=[record.pk])).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_audit_log_filters_by_user_action_object_type_dates_and_text(client_for, county_admin, officer_x, officer_y):
    audit_record(actor=officer_x, action=AuditRecord.Action.CREATE, object_type="cadres.Cadre", summary="甲 created")
    audit_record(actor=officer_y, action=AuditRecord.Action.UPDATE, object_type="cadres.Cadre", summary="乙 updated")
    audit_record(actor=officer_y, action=AuditRecord.Action.EXPORT, object_type="cadres.Village", summary="丙 exported")
    audit_record(actor=officer_y, action=AuditRecord.Action.LOGIN, summary="丁", ip_address="10.20.30.40")
    _record_aged(40, summary="戊 long ago")
    client = client_for(county_admin)

    def shown(**params):
        text = client.get(reverse("audit:list"), params).text
        return {word for word in ["甲", "乙", "丙", "丁", "戊"] if f"{word} " in text or f">{word}<" in text}

    assert shown(actor=officer_x.pk) == {"甲"}
    assert shown(action="update") == {"乙"}
    assert shown(object_type="cadres.Village") == {"丙"}
    assert shown(q="exported") == {"丙"}
    assert shown(q="10.20.30.40") == {"丁"}
    today = timezone.localdate()
    assert "戊" not in shown(date_from=(today - datetime.timedelta(days=7)).isoformat())
    assert shown(date_to=(today - datetime.timedelta(days=30)).isoformat()) == {"戊"}


def test_reversed_date_range_is_a_clear_message(client_for, county_admin):
    response = client_for(county_admin).get(reverse("audit:list"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 200
    assert "开始日期晚于结束日期" in response.text


def test_audit_log_page_query_count_does_not_grow(client_for, county_admin, officer_x, django_assert_max_num_queries):
    for n in range(120):
        audit_record(actor=officer_x, action=AuditRecord.Action.UPDATE, object_type="cadres.Cadre", summary=f"记录{n}")
    client = client_for(county_admin)
    client.get(reverse("audit:list"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("audit:list"), {"action": "update", "page": 2})
    assert response.status_code == 200


def test_audit_detail_shows_before_and_after(client_for, county_admin, officer_x):
    record = audit_record(
        actor=officer_x,
        action=AuditRecord.Action.UPDATE,
        object_type="cadres.Cadre",
        object_id="7",
        summary="s",
        changes={"phone": ["13800000000", "13900000000"]},
    )
    response = client_for(county_admin).get(reverse("audit:detail", args=[record.pk]))
    assert response.status_code == 200
    assert "联系电话" in response.text  # the field's Chinese name
    assert "13800000000" in response.text
    assert "13900000000" in response.text


def test_navigation_shows_the_audit_log_to_the_county_administrator_only(client_for, county_admin, officer_x):
    url = reverse("audit:list")
    assert f'href="{url}"' in client_for(county_admin).get(reverse("cadres:list")).text
    client = Client()
    client.force_login(officer_x)
    assert f'href="{url}"' not in client.get(reverse("cadres:list")).text


def test_audit_record_cannot_be_changed_or_deleted_in_the_admin(county_admin):
    county_admin.is_staff = True
    county_admin.save()
    record = audit_record(actor=county_admin, action=AuditRecord.Action.OTHER, summary="original")
    client = Client()
    client.force_login(county_admin)
    change = reverse("admin:audit_auditrecord_change", args=[record.pk])
    assert client.get(change).status_code == 200  # read-only view
    assert client.post(change, {"summary": "forged"}).status_code == 403
    assert client.post(reverse("admin:audit_auditrecord_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.summary == "original"


# --- append-only in the database (PostgreSQL) ------------------------------------------------


@pytest.mark.postgres
@postgres_only
def test_database_refuses_to_update_an_audit_record():
    record = audit_record(actor=None, action=AuditRecord.Action.OTHER, summary="original")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(summary="forged")
    record.refresh_from_db()
    assert record.summary == "original"


@pytest.mark.postgres
@postgres_only
def test_database_refuses_to_delete_a_recent_audit_record():
    record = _record_aged(179, summary="recent")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.postgres
@postgres_only
def test_database_allows_deleting_records_past_the_floor():
    record = _record_aged(200, summary="ancient")
    AuditRecord.objects.filter(pk=record.pk).delete()
    assert not AuditRecord.objects.filter(pk=record.pk).exists()


# --- pruning ----------------------------------------------------------------------------------


@pytest.mark.parametrize("keep_days", [0, 30, 180, AUDIT_MIN_KEEP_DAYS - 1])
def test_pruning_refuses_to_keep_less_than_six_months(keep_days):
    _record_aged(400, summary="ancient")
    with pytest.raises(ValidationError):
        audit_prune(keep_days=keep_days)
    assert AuditRecord.objects.filter(summary="ancient").exists()


def test_pruning_keeps_records_younger_than_the_floor():
    _record_aged(400, summary="ancient")
    _record_aged(AUDIT_MIN_KEEP_DAYS + 1, summary="just past")
    _record_aged(AUDIT_MIN_KEEP_DAYS - 1, summary="just inside")
    _record_aged(1, summary="yesterday")
    assert audit_prune(keep_days=AUDIT_MIN_KEEP_DAYS) == 2
    left = set(AuditRecord.objects.values_list("summary", flat=True))
    assert {"just inside", "yesterday"} <= left
    assert not {"ancient", "just past"} & left
    # The pruning itself is recorded.
    assert AuditRecord.objects.filter(action="delete", object_type="audit.AuditRecord").count() == 1


def test_prune_task_is_safe_to_run_twice():
    _record_aged(400, summary="ancient")
    assert audit_prune_task.apply(kwargs={"keep_days": 365}).get() == 1
    assert audit_prune_task.apply(kwargs={"keep_days": 365}).get() == 0
    assert AuditRecord.objects.filter(action="delete", object_type="audit.AuditRecord").count() == 1


def test_prune_is_scheduled_monthly_in_shanghai_time():
    task = PeriodicTask.objects.get(task="audit.prune")
    assert task.enabled
    assert task.crontab.day_of_month == "2"
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert json.loads(task.kwargs)["keep_days"] >= AUDIT_MIN_KEEP_DAYS


# --- in words (issue 17 #10) and the export ------------------------------------------------------


def test_the_log_names_object_types_in_chinese_and_people_by_name(client_for, county_admin, officer_x):
    officer_x.full_name = "李乡镇"
    officer_x.save(update_fields=["full_name"])
    record = audit_record(actor=officer_x, action=AuditRecord.Action.CREATE, object_type="cadres.Cadre", summary="建档 张三")
    client = client_for(county_admin)
    page = client.get(reverse("audit:list")).text
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert ">cadres.Cadre<" not in table and '">村干部</td>' in table
    assert '李乡镇 <small class="text-muted">township_x</small>' in page
    detail = client.get(reverse("audit:detail", args=[record.pk])).text
    assert "李乡镇" in detail and "cadres.Cadre" not in detail
    filter_options = client.get(reverse("audit:list")).context["form"].fields["object_type"].choices
    assert ("cadres.Cadre", "村干部") in filter_options
    assert "李乡镇（township_x）" in page


def test_the_export_holds_what_the_page_shows_in_words_for_the_county_admin_only(client_for, county_admin, officer_x):
    from io import BytesIO

    from openpyxl import load_workbook

    officer_x.full_name = "李乡镇"
    officer_x.save(update_fields=["full_name"])
    audit_record(
        actor=officer_x, action=AuditRecord.Action.CREATE, object_type="cadres.Cadre", summary='=HYPERLINK("http://x","y")'
    )
    audit_record(actor=county_admin, action=AuditRecord.Action.UPDATE, object_type="cadres.Township", summary="改名")
    response = client_for(county_admin).get(reverse("audit:export"), {"action": "create"})
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert rows[0][1:3] == ("李乡镇", "township_x") and rows[0][5] == "村干部"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)  # no formula, ever
    assert AuditRecord.objects.filter(action="export", object_type="audit.AuditRecord", actor=county_admin).exists()
    for user in (officer_x,):
        assert client_for(user).get(reverse("audit:export")).status_code == 403
