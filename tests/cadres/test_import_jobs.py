"""Issue 16 #11: an import over the row threshold runs as a job with progress; all rows or none, as in the request."""

import pytest
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre, CadreImport
from cadre_mgmt.celery import app as celery_app

from .test_import import good_row, upload, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.CADRE_IMPORT_ASYNC_ROWS = 3


@pytest.fixture
def eager_celery():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def kept_files(settings):
    folder = settings.MEDIA_ROOT / "imports" / "cadres"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_file_over_the_threshold_becomes_a_job_that_imports_every_row(
    client_for, officer_x, village_x, eager_celery, django_capture_on_commit_callbacks, settings
):
    client = client_for(officer_x)
    data = workbook([good_row(name=f"干部{i}") for i in range(6)])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, data)
    job = CadreImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cadres:import_job", kwargs={"pk": job.pk})
    assert (job.status, job.progress, job.total_rows, job.created) == (CadreImport.Status.DONE, 100, 6, 6)
    assert Cadre.objects.count() == 6
    assert not job.file and kept_files(settings) == []  # the kept upload is deleted after the job
    page = client.get(response.url)
    assert "已导入" in page.text and "新增 6" in page.text
    assert AuditRecord.objects.filter(action="import", object_type="cadres.Cadre").count() == 1


def test_a_small_file_is_still_imported_in_the_request(client_for, officer_x, village_x):
    response = upload(client_for(officer_x), workbook([good_row(name="甲"), good_row(name="乙")]))
    assert response.status_code == 302 and response.url == reverse("cadres:list")
    assert Cadre.objects.count() == 2 and not CadreImport.objects.exists()


def test_a_bad_file_in_a_job_imports_nothing_and_lists_every_problem(
    client_for, officer_x, village_x, eager_celery, django_capture_on_commit_callbacks, settings
):
    rows = [good_row(name=f"干部{i}") for i in range(8)]
    rows[2][3] = "110105194912310021"  # wrong check digit: spreadsheet row 4
    rows[6][0] = "无此镇"  # spreadsheet row 8
    client = client_for(officer_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, workbook(rows))
    job = CadreImport.objects.get()
    assert job.status == CadreImport.Status.FAILED
    assert [error[0] for error in job.row_errors] == [4, 8]
    assert not Cadre.objects.exists()
    assert kept_files(settings) == []
    page = client.get(response.url)
    assert "校验位" in page.text and "无此镇" in page.text and "未导入任何数据" in page.text


def test_the_job_page_polls_while_the_job_waits(client_for, officer_x, village_x, django_capture_on_commit_callbacks):
    client = client_for(officer_x)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not picked it up yet
        upload(client, workbook([good_row(name=f"干部{i}") for i in range(5)]))
    job = CadreImport.objects.get()
    assert job.status == CadreImport.Status.PENDING and job.file
    fragment = client.get(reverse("cadres:import_job", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in fragment.text and "<html" not in fragment.text
    assert "排队中" in client.get(reverse("cadres:import")).text  # the import page lists the user's jobs


def test_township_staff_see_only_their_own_jobs(
    client_for, officer_x, officer_y, county_admin, village_x, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        upload(client_for(officer_x), workbook([good_row(name=f"干部{i}") for i in range(5)]))
    job = CadreImport.objects.get()
    url = reverse("cadres:import_job", kwargs={"pk": job.pk})
    assert client_for(officer_y).get(url).status_code == 404
    assert job.filename not in client_for(officer_y).get(reverse("cadres:import")).text
    assert client_for(county_admin).get(url).status_code == 200


def test_a_job_is_safe_to_run_twice(client_for, officer_x, village_x, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(officer_x), workbook([good_row(name=f"干部{i}") for i in range(4)]))
    job = CadreImport.objects.get()
    celery_app.tasks["cadres.run_import"].delay(job.pk)
    assert Cadre.objects.count() == 4
    job.refresh_from_db()
    assert job.status == CadreImport.Status.DONE
