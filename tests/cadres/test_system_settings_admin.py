"""Issue 17 #6: the county administrator reaches 考核设置 and the periodic tasks (定时任务) in 系统设置."""

import pytest
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.models import AuditRecord

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:assessments_assessmentpolicy_changelist",
    "admin:assessments_ledgercategory_changelist",
    "admin:django_celery_beat_periodictask_changelist",
    "admin:django_celery_beat_crontabschedule_changelist",
    "admin:cadres_township_changelist",
    "admin:audit_auditrecord_changelist",
]


@pytest.fixture
def staff_county_admin(db):
    return UserFactory(username="county_admin", role=User.Role.COUNTY_ADMIN, is_staff=True)


def test_the_county_admins_admin_index_lists_assessment_settings_and_scheduled_jobs(client_for, staff_county_admin):
    client = client_for(staff_county_admin)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "考核设置" in index.text and "定时任务" in index.text
    assert client.get("/admin/assessments/").status_code == 200
    for name in CHANGELISTS:
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("role", [User.Role.COUNTY_APPROVER, User.Role.SUPERVISOR, User.Role.FINANCE])
def test_other_roles_are_refused_even_as_staff(client_for, role):
    user = UserFactory(username=f"staff_{role}", role=role, is_staff=True)
    client = client_for(user)
    for name in CHANGELISTS:
        assert client.get(reverse(name)).status_code == 403, name
    assert "考核设置" not in client.get(reverse("admin:index")).text


def test_township_staff_are_refused(client_for, township_x):
    user = UserFactory(username="staff_township", role=User.Role.TOWNSHIP_STAFF, township=township_x, is_staff=True)
    assert client_for(user).get(reverse(CHANGELISTS[0])).status_code == 403


def test_a_periodic_task_changed_in_the_admin_is_audited(client_for, staff_county_admin):
    schedule = CrontabSchedule.objects.create(minute="0", hour="2", day_of_month="1", month_of_year="2")
    task = PeriodicTask.objects.create(name="年度评审", task="ranks.start_scheduled_review", crontab=schedule)
    url = reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
    client = client_for(staff_county_admin)
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name="年度评审", regtask="ranks.start_scheduled_review", task="", enabled="", crontab=schedule.pk)
    data.update(args="[]", kwargs="{}", description="", expire_seconds="", priority="", queue="", exchange="")
    data.update(routing_key="", headers="{}", start_time_0="", start_time_1="", expires_0="", expires_1="")
    data.pop("interval", None), data.pop("solar", None), data.pop("clocked", None), data.pop("last_run_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    task.refresh_from_db()
    assert task.enabled is False
    record = AuditRecord.objects.get(object_type="django_celery_beat.PeriodicTask")
    assert record.changes["enabled"] == [True, False]
