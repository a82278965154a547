"""Roster export jobs that recover (issue 16 item 3): a time limit after which a job is failed with a Chinese
message and can be started again; at most one export waiting or running per roster."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cadre_mgmt.audit.models import AuditRecord
from ranks import tasks
from ranks.models import RosterExport
from ranks.rosters import exports
from ranks.rosters import services as rosters_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(grade, cadre_x, cadre_y, county_approver, monkeypatch):
    monkeypatch.setattr(tasks.run_roster_export, "delay", lambda export_id: None)  # the job is not run here
    grade(cadre_x, 12)
    return rosters_services.roster_generate(month=datetime.date(2026, 2, 1), user=county_approver)


def test_a_job_past_its_time_limit_is_failed_in_chinese_and_can_be_started_again(roster, finance, settings):
    settings.ROSTER_EXPORT_TIME_LIMIT_SECONDS = 600
    export = exports.roster_export_request(roster=roster, user=finance)
    assert exports.roster_exports_expire(now=timezone.now() + datetime.timedelta(seconds=599)) == 0
    assert tasks.expire_roster_exports() == "0 export(s) past their time limit"
    assert exports.roster_exports_expire(now=timezone.now() + datetime.timedelta(seconds=601)) == 1
    export.refresh_from_db()
    assert export.status == "failed" and export.error == "导出未在10分钟内完成（任务已中断或丢失），请重新导出。"
    restarted = exports.roster_export_restart(export=export, user=finance)
    assert restarted.pk == export.pk and restarted.status == "pending" and restarted.error == ""
    assert AuditRecord.objects.filter(object_type="ranks.RosterExport", object_id=str(export.pk)).exists()
    exports.roster_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "done" and export.file
    with pytest.raises(ValidationError, match="只有失败的导出可以重新开始"):
        exports.roster_export_restart(export=export, user=finance)


def test_one_roster_has_at_most_one_running_export(roster, finance, county_approver, client_for):
    first = exports.roster_export_request(roster=roster, user=finance)
    assert exports.roster_export_request(roster=roster, user=finance) == first  # the same job, not a second one
    with pytest.raises(ValidationError, match="已有一项导出正在进行"):
        exports.roster_export_request(roster=roster, user=county_approver)
    with pytest.raises(IntegrityError), transaction.atomic():
        RosterExport.objects.create(roster=roster, requested_by=county_approver, status="running")
    assert RosterExport.objects.filter(roster=roster).count() == 1


def test_the_page_says_so_on_a_second_request(roster, finance, county_approver, client_for, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_ASYNC_ROWS", 0)
    exports.roster_export_request(roster=roster, user=finance)
    response = client_for(county_approver).get(reverse("ranks:roster_export", args=[roster.pk]), follow=True)
    assert "该花名册已有一项导出正在进行，请待其完成后再试。" in response.content.decode()
    assert RosterExport.objects.filter(roster=roster).count() == 1


def test_only_the_requester_restarts_a_failed_export(roster, finance, officer_x, client_for):
    export = exports.roster_export_request(roster=roster, user=finance)
    exports.roster_exports_expire(now=timezone.now() + datetime.timedelta(days=1))
    url = reverse("ranks:roster_export_restart", args=[export.pk])
    assert client_for(officer_x).post(url).status_code == 404
    assert client_for(finance).get(url).status_code == 405
    status = client_for(finance).get(reverse("ranks:roster_export_status", args=[export.pk])).content.decode()
    assert url in status and "重新导出" in status
    assert client_for(finance).post(url).status_code == 302
    export.refresh_from_db()
    assert export.status == "pending"


def test_a_finished_export_delivered_again_is_left_alone(roster, finance):
    export = exports.roster_export_request(roster=roster, user=finance)
    exports.roster_export_run(export_id=export.pk)
    export.refresh_from_db()
    finished = export.finished_at
    exports.roster_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "done" and export.finished_at == finished
