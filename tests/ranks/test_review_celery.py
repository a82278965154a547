"""The promotion review through a real Celery worker on Redis, against the test database.

Needs CELERY_BROKER_URL (CI sets Redis) and PostgreSQL (the worker is another process and must reach the
same database; the SQLite test database lives in memory). Skipped otherwise, with the reason.
"""

import os
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from cadre_mgmt.celery import app as celery_app
from ranks.models import PromotionReview, Proposal
from ranks.review import services as review_services

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="CELERY_BROKER_URL is not set: no broker for a real worker"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a worker process cannot reach the in-memory SQLite test database"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _database_url():
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A solo worker on a queue of its own (other test runs may share the broker), stopped afterwards."""
    queue = f"review-test-{uuid.uuid4().hex[:12]}"
    before = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own virtualenv's celery
            [str(ROOT / ".venv/bin/celery"), "-A", "cadre_mgmt", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield log
    finally:
        celery_app.conf.task_default_queue = before
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_review_runs_through_a_real_worker_and_writes_the_proposals(worker, promotable, cadre_x, cadre_y, county_admin):
    promotable(cadre_x, 12)
    promotable(cadre_y, 11, grades={2024: "competent", 2025: "incompetent"})
    review = review_services.review_start(year=2025, user=county_admin, trigger=PromotionReview.Trigger.PAGE)
    assert review.state == PromotionReview.State.QUEUED  # returned at once; the worker does the work

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        review.refresh_from_db()
        if not review.is_active:
            break
        time.sleep(0.5)
    assert review.state == PromotionReview.State.DONE, worker.read_text()[-3000:]
    outcomes = dict(Proposal.objects.values_list("cadre_id", "outcome"))
    assert outcomes == {cadre_x.pk: "promote", cadre_y.pk: "demote"}
    assert review.counts["outcomes"] == {"promote": 1, "out_of_turn": 0, "hold": 0, "demote": 1}
    assert review.batches_done == review.batches_total == 2
    # The explanation was written by the worker in Chinese (the default language), like in a request.
    proposal = Proposal.objects.get(cadre=cadre_y)
    assert any(c["code"] == "demote_incompetent" and not c["passed"] for c in proposal.explanation["conditions"])
    assert "不称职" in " ".join(line for c in proposal.explanation["conditions"] for line in c["evidence"])
