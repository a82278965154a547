"""Settings read from the environment: defaults, overrides and loud failures (issue "Robustness")."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ("CELERY_", "REDIS_URL", "CACHE_URL", "API_TOKEN_")


def settings_in_a_fresh_process(names, **env):
    """The named settings as a fresh process computes them from this environment (JSON values)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
    code = f"import json; from cadre_mgmt import settings as s; print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)


# --- Celery: a lost task comes back (item 3) -----------------------------------------------------

CELERY = [
    "CELERY_TASK_ACKS_LATE",
    "CELERY_TASK_REJECT_ON_WORKER_LOST",
    "CELERY_WORKER_PREFETCH_MULTIPLIER",
    "CELERY_TASK_SOFT_TIME_LIMIT",
    "CELERY_TASK_TIME_LIMIT",
    "CELERY_BROKER_TRANSPORT_OPTIONS",
]


def test_celery_acknowledges_late_requeues_lost_tasks_and_limits_their_time():
    values = settings_in_a_fresh_process(CELERY)
    assert values == {
        "CELERY_TASK_ACKS_LATE": True,
        "CELERY_TASK_REJECT_ON_WORKER_LOST": True,
        "CELERY_WORKER_PREFETCH_MULTIPLIER": 1,
        "CELERY_TASK_SOFT_TIME_LIMIT": 55 * 60,
        "CELERY_TASK_TIME_LIMIT": 60 * 60,
        "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 2 * 60 * 60},
    }


def test_the_celery_app_reads_the_delivery_options():
    from cadre_mgmt.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert (app.conf.task_soft_time_limit, app.conf.task_time_limit) == (55 * 60, 60 * 60)
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit


def test_celery_time_limits_come_from_the_environment():
    values = settings_in_a_fresh_process(
        CELERY, CELERY_TASK_TIME_LIMIT="600", CELERY_TASK_SOFT_TIME_LIMIT="540", CELERY_BROKER_VISIBILITY_TIMEOUT="900"
    )
    assert values["CELERY_TASK_TIME_LIMIT"] == 600
    assert values["CELERY_TASK_SOFT_TIME_LIMIT"] == 540
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"] == {"visibility_timeout": 900}
    # The soft limit follows a shorter hard limit when it is not given.
    assert settings_in_a_fresh_process(CELERY, CELERY_TASK_TIME_LIMIT="100")["CELERY_TASK_SOFT_TIME_LIMIT"] == 90


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CELERY_TASK_TIME_LIMIT": "an hour"}, "CELERY_TASK_TIME_LIMIT must be an integer"),
        ({"CELERY_TASK_TIME_LIMIT": "3"}, "CELERY_TASK_TIME_LIMIT must be at least 10"),
        ({"CELERY_TASK_SOFT_TIME_LIMIT": "3600"}, "must be below CELERY_TASK_TIME_LIMIT"),
        ({"CELERY_BROKER_VISIBILITY_TIMEOUT": "1800"}, "must exceed CELERY_TASK_TIME_LIMIT"),
    ],
)
def test_bad_celery_limits_stop_the_start(env, message):
    with pytest.raises(RuntimeError, match=message):
        settings_in_a_fresh_process(CELERY, **env)
