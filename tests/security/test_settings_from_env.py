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


# --- the cache: Redis in production, shared by every worker (item 8) -------------------------------

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"


def test_without_a_redis_url_the_cache_is_the_process_memory():
    caches = settings_in_a_fresh_process(["CACHES"])["CACHES"]
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("variable", ["REDIS_URL", "CACHE_URL"])
def test_a_redis_url_selects_the_redis_cache(variable):
    caches = settings_in_a_fresh_process(["CACHES"], **{variable: "redis://cache.example:6379/1"})["CACHES"]
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://cache.example:6379/1"


def test_a_cache_url_that_is_not_redis_stops_the_start():
    with pytest.raises(RuntimeError, match="CACHE_URL / REDIS_URL must be a redis://"):
        settings_in_a_fresh_process(["CACHES"], REDIS_URL="memcached://x:11211")


def _redis_cache():
    from django.core.cache.backends.redis import RedisCache

    return RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": "cadre-throttle-test"})


def _token_request():
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    return Request(APIRequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="10.1.2.3"))


def _throttle_with(cache):
    """The token endpoint's throttle as one web worker has it: with that worker's own cache client."""
    from cadre_mgmt.api.throttling import ScopedRateThrottle

    class WorkerThrottle(ScopedRateThrottle):
        THROTTLE_RATES = {"token": "3/minute"}

    WorkerThrottle.cache = cache
    return WorkerThrottle()


class _TokenView:
    throttle_scope = "token"


def test_two_workers_with_the_redis_cache_share_one_throttle_count():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    worker_a, worker_b = _redis_cache(), _redis_cache()
    assert worker_a is not worker_b
    # Only this test's key is removed: database 14 may hold another test run's Celery queue (never FLUSHDB).
    key = "throttle_token_10.1.2.3"
    worker_a.delete(key)
    try:
        for _attempt in range(3):
            assert _throttle_with(worker_a).allow_request(_token_request(), _TokenView())
        # The fourth request reaches the other worker, which sees the three counted by the first.
        assert not _throttle_with(worker_b).allow_request(_token_request(), _TokenView())
    finally:
        worker_a.delete(key)


def test_two_workers_with_memory_caches_count_apart():
    """Why production needs Redis: each worker's memory cache counts on its own."""
    from django.core.cache.backends.locmem import LocMemCache

    worker_a, worker_b = LocMemCache("worker-a", {}), LocMemCache("worker-b", {})
    for _attempt in range(3):
        assert _throttle_with(worker_a).allow_request(_token_request(), _TokenView())
    assert not _throttle_with(worker_a).allow_request(_token_request(), _TokenView())
    assert _throttle_with(worker_b).allow_request(_token_request(), _TokenView())


# --- API token lifetime (item 4) ------------------------------------------------------------------

TOKEN_LIMITS = ["API_TOKEN_IDLE_MINUTES", "API_TOKEN_MAX_AGE_DAYS"]


def test_api_tokens_last_eight_idle_hours_and_thirty_days_by_default_and_are_configurable():
    assert settings_in_a_fresh_process(TOKEN_LIMITS) == {"API_TOKEN_IDLE_MINUTES": 480, "API_TOKEN_MAX_AGE_DAYS": 30}
    custom = settings_in_a_fresh_process(TOKEN_LIMITS, API_TOKEN_IDLE_MINUTES="60", API_TOKEN_MAX_AGE_DAYS="7")
    assert custom == {"API_TOKEN_IDLE_MINUTES": 60, "API_TOKEN_MAX_AGE_DAYS": 7}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"API_TOKEN_IDLE_MINUTES": "8h"}, "API_TOKEN_IDLE_MINUTES must be an integer"),
        ({"API_TOKEN_IDLE_MINUTES": "0"}, "API_TOKEN_IDLE_MINUTES must be at least 1"),
        ({"API_TOKEN_MAX_AGE_DAYS": "-3"}, "API_TOKEN_MAX_AGE_DAYS must be at least 1"),
        ({"API_TOKEN_IDLE_MINUTES": "2000", "API_TOKEN_MAX_AGE_DAYS": "1"}, "must not exceed API_TOKEN_MAX_AGE_DAYS"),
    ],
)
def test_bad_token_limits_stop_the_start(env, message):
    with pytest.raises(RuntimeError, match=message):
        settings_in_a_fresh_process(TOKEN_LIMITS, **env)
