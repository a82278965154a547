"""A roster export whose worker is killed with SIGKILL mid-task (issue 16 item 3), through a real Celery worker
on Redis against PostgreSQL: the job does not stay "running" for ever — past its time limit it is failed with a
Chinese message, is started again by its requester, and a new worker finishes it (one job row, one file)."""

import datetime
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cadre_mgmt.celery import app as celery_app
from ranks.models import RosterExport, RosterLine
from ranks.rosters import exports
from ranks.rosters import services as rosters_services

ROOT = Path(__file__).resolve().parents[2]
LINES = 12000

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="CELERY_BROKER_URL is not set: no broker for a real worker"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a worker process cannot reach the in-memory SQLite test database"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _worker_env():
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}


@pytest.fixture
def start_worker(tmp_path):
    """start_worker() → a solo worker process on this test's own queue; every one is stopped afterwards."""
    queue = f"export-test-{uuid.uuid4().hex[:12]}"
    before, celery_app.conf.task_default_queue = celery_app.conf.task_default_queue, queue
    started = []

    def start():
        log = (tmp_path / f"worker{len(started)}.log").open("w")
        command = [str(ROOT / ".venv/bin/celery"), "-A", "cadre_mgmt", "worker", "--pool=solo", "-Q", queue]
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own virtualenv's celery
            [*command, "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=_worker_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    celery_app.conf.task_default_queue = before
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=20)


def _wait_for(export, statuses, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status in statuses:
            return export
        time.sleep(0.05)
    raise AssertionError(f"export still {export.status}")


def test_an_export_whose_worker_is_killed_is_failed_then_restarted_and_finished(
    start_worker, grade, cadre_x, county_approver, finance
):
    grade(cadre_x, 12)
    roster = rosters_services.roster_generate(month=datetime.date(2026, 2, 1), user=county_approver)
    template = RosterLine.objects.get(roster=roster, cadre=cadre_x)
    RosterLine.objects.bulk_create(
        RosterLine(
            roster=roster,
            cadre=cadre_x,
            township_id=template.township_id,
            kind=RosterLine.Kind.BACK_PAY,
            position=template.position + n,
            township_name=template.township_name,
            village_name=template.village_name,
            cadre_name=template.cadre_name,
            id_number_masked=template.id_number_masked,
            posts_text=template.posts_text,
            level=12,
            amount=1,
            remarks="补发",
        )
        for n in range(1, LINES)
    )
    worker = start_worker()
    export = exports.roster_export_request(roster=roster, user=finance)
    _wait_for(export, {"running"})
    time.sleep(0.5)
    os.kill(worker.pid, signal.SIGKILL)  # the worker dies mid-task
    worker.wait(timeout=20)
    export.refresh_from_db()
    assert export.status == "running" and not export.file  # lost: nobody will finish it

    # The beat job fails it past its time limit, in Chinese; the requester starts it again.
    assert exports.roster_exports_expire(now=timezone.now() + exports.export_time_limit()) == 1
    export.refresh_from_db()
    assert export.status == "failed" and "请重新导出" in export.error
    start_worker()
    exports.roster_export_restart(export=export, user=finance)
    _wait_for(export, {"done", "failed"}, seconds=300)
    assert export.status == "done", export.error
    assert export.total_rows == LINES and export.file
    assert RosterExport.objects.filter(roster=roster).count() == 1
