"""Measurements of the promotion review of every cadre: in one process, and with two Celery workers on Redis.

The review is started through its service, ``ranks.review.services.review_start``: for the one-process
measurement as the command does it (``enqueue=False``, then ``review_run_now`` runs every township batch
here), for the two-worker one as the page does it (a child process with the Redis broker queues one task
per township after commit, and two ``--pool=solo`` workers take them).
Between the two runs the proposals and runs of the first are deleted (bench database only), so that the
second does the same work instead of finding everything unchanged.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from .measure import Timer

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
WORKER_READY_SECONDS = 120
REVIEW_TIMEOUT_SECONDS = 3600


def available():
    try:
        from ranks.review import services as review_services  # noqa: F401
    except ImportError:
        return False
    return True


def review_year():
    """The last finished assessment year: what the January review looks at."""
    return timezone.localdate().year - 1


def _models():
    from ranks.models import PromotionReview, Proposal, ReviewBatch

    return PromotionReview, ReviewBatch, Proposal


def clear_reviews():
    """Delete every review run and proposal (the bench database's own data, never the product's way).

    On PostgreSQL the proposal rounds (ProposalStep) are append-only: migration 0011's row trigger
    (BEFORE UPDATE OR DELETE ... FOR EACH ROW) refuses deleting them, and so a cascading delete of the
    proposals. TRUNCATE fires no row trigger, so the five tables of the review (round attachments too) go in one TRUNCATE
    naming all of them (no CASCADE: a table of another part referencing them would make it fail, not be
    emptied with them). Elsewhere (SQLite, no trigger) the ORM deletes them."""
    PromotionReview, ReviewBatch, Proposal = _models()
    step = Proposal.steps.rel.related_model
    attachment = step.attachments.rel.related_model
    with transaction.atomic():
        if connection.vendor == "postgresql":
            models = (attachment, step, Proposal, ReviewBatch, PromotionReview)
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
            with connection.cursor() as cursor:
                # Deferred foreign-key checks of rows written in this transaction would make TRUNCATE
                # refuse ("pending trigger events"): run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {tables}")
            return
        Proposal.objects.all().delete()
        ReviewBatch.objects.all().delete()
        PromotionReview.objects.all().delete()


def _latest_run():
    PromotionReview, _batch, _proposal = _models()
    return PromotionReview.objects.filter(dry_run=False).order_by("-created_at", "-id").first()


def _summary(run):
    _review, _batch, Proposal = _models()
    return {
        "review_state": run.state if run else None,
        "review_batches": run.batches_total if run else 0,
        "review_proposals": Proposal.objects.count(),
        "review_counts": (run.counts or {}).get("outcomes", {}) if run else {},
    }


def measure_review(*, approver, admin):
    """One process, as ``manage.py run_promotion_review`` does it: start the run, then every batch here."""
    if not available():
        return {"review_note": "the promotion review (ranks.review.services) is not there yet"}
    from ranks.models import PromotionReview
    from ranks.review import services as review_services

    clear_reviews()
    cpu = time.process_time()
    with Timer() as timer:
        run = review_services.review_start(year=review_year(), trigger=PromotionReview.Trigger.COMMAND, user=admin, enqueue=False)
        run = review_services.review_run_now(review=run)
    # The Python side's own CPU time; the rest of the seconds is PostgreSQL and waiting for a core.
    cpu = time.process_time() - cpu
    return {
        "review_seconds": round(timer.seconds, 1),
        "review_queries": timer.queries,
        "review_cpu_seconds": round(cpu, 1),
        **_summary(run),
    }


def production_env():
    """The workers run as in production: DEBUG off (no query log kept per query), with the settings a
    production start requires (throwaway keys for this database of invented people: the review never
    reads the encrypted ID numbers)."""
    return {
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "ID_NUMBER_KEY": os.environ.get("ID_NUMBER_KEY") or secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS") or "localhost",
        "LOG_LEVEL": "INFO",
    }


def _purge(broker):
    import redis

    redis.Redis.from_url(broker).flushdb()


def _start_workers(env, log_dir):
    workers = []
    for number in range(1, WORKERS + 1):
        log = open(log_dir / f"bench-worker-{number}.log", "w")  # noqa: SIM115 - closed with the worker
        command = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "cadre_mgmt",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            f"bench{number}@%h",
        ]
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        workers.append((process, log))
    deadline = time.monotonic() + WORKER_READY_SECONDS
    for number in range(1, WORKERS + 1):
        path = log_dir / f"bench-worker-{number}.log"
        while "ready." not in path.read_text(errors="replace"):
            if time.monotonic() > deadline or workers[number - 1][0].poll() is not None:
                _stop_workers(workers)
                raise RuntimeError(f"Celery worker {number} did not start; see {path}")
            time.sleep(0.5)
    return workers


def _stop_workers(workers):
    for process, _log in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process, log in workers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def start_review_child(*, username):
    """bench/run.py --child start-review, with CELERY_BROKER_URL set: start the run as the page does;
    its batches are queued on Redis when the start commits."""
    from cadre_mgmt.accounts.models import User
    from ranks.models import PromotionReview
    from ranks.review import services as review_services

    review_services.review_start(
        year=review_year(), trigger=PromotionReview.Trigger.PAGE, user=User.objects.get(username=username)
    )


def measure_review_workers(*, approver, admin, env, broker, log_dir=None):
    """Two Celery workers on Redis take one batch per township; the time is from the run's creation to
    its last batch, read from the run's own timestamps (and the wall time around it)."""
    if not available():
        return {"review_workers_note": "the promotion review (ranks.review.services) is not there yet"}
    PromotionReview, _batch, _proposal = _models()
    log_dir = Path(log_dir or "/tmp")
    clear_reviews()
    _purge(broker)
    worker_env = {**env, **production_env(), "CELERY_BROKER_URL": broker}
    workers = _start_workers(worker_env, log_dir)
    try:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "run.py"), "--child", "start-review", "--user", admin.username],
            env=worker_env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        deadline = time.monotonic() + REVIEW_TIMEOUT_SECONDS
        run = _latest_run()
        while run is None or run.state in (PromotionReview.State.QUEUED, PromotionReview.State.RUNNING):
            if time.monotonic() > deadline:
                raise RuntimeError("the two-worker review did not finish within the timeout")
            time.sleep(0.5)
            run = _latest_run()
        wall = time.perf_counter() - started
    finally:
        _stop_workers(workers)
    seconds = (run.finished_at - run.created_at).total_seconds() if run.finished_at else wall
    summary = _summary(run)
    return {
        "review_seconds_2_workers": round(seconds, 1),
        "review_seconds_2_workers_wall": round(wall, 1),
        "review_state_2_workers": summary["review_state"],
        "review_proposals_2_workers": summary["review_proposals"],
    }
