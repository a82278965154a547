"""The tamper-evident audit log (issue 21): a keyed SM3 hash chain, one chain per day and partition."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cadre_mgmt.audit import chain
from cadre_mgmt.audit.models import AuditChainHead, AuditRecord, AuditVerification
from cadre_mgmt.audit.services import AUDIT_MIN_KEEP_DAYS, audit_prune, audit_record
from cadre_mgmt.audit.tasks import audit_verify_task

from .test_concurrency import all_at_once

pytestmark = pytest.mark.django_db


def _write(count, actor=None, prefix="记录"):
    return [
        audit_record(actor=actor, action=AuditRecord.Action.OTHER, summary=f"{prefix}{n}", changes={"n": n}) for n in range(count)
    ]


def _as_superuser(sql, params):
    """What the database superuser can do: the append-only trigger switched off for one statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off for this session
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def _verify(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, out.getvalue()


def test_an_untouched_log_verifies(county_admin):
    _write(30, actor=county_admin)
    code, text = _verify()
    assert code == 0 and "30" in text
    assert AuditRecord.objects.exclude(chain_hash="").count() == 30


def test_a_changed_record_breaks_the_chain_at_that_record(county_admin):
    records = _write(12, actor=county_admin)
    target = records[6]
    _as_superuser("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", ["改写", target.pk])
    code, text = _verify()
    assert code == 1 and f"#{target.pk}" in text
    assert AuditVerification.objects.get().first_broken == target.pk


def test_a_rewritten_hash_without_the_key_does_not_verify(county_admin, settings):
    records = _write(5, actor=county_admin)
    settings.AUDIT_CHAIN_KEY = "ab" * 32  # someone recomputes with a key of their own
    record = AuditRecord.objects.get(pk=records[2].pk)
    record.summary = "改写"
    forged = chain.record_hash(records[1].chain_hash, record)
    settings.AUDIT_CHAIN_KEY = None
    _as_superuser("UPDATE audit_auditrecord SET summary = %s, chain_hash = %s WHERE id = %s", ["改写", forged, record.pk])
    code, text = _verify()
    assert code == 1 and f"#{record.pk}" in text


def test_a_deleted_record_breaks_the_chain_at_the_next_one(county_admin):
    records = _write(10, actor=county_admin)
    _as_superuser("DELETE FROM audit_auditrecord WHERE id = %s", [records[4].pk])
    code, text = _verify()
    assert code == 1 and f"#{records[5].pk}" in text
    assert AuditVerification.objects.get().first_broken == records[5].pk


def test_a_deleted_tail_is_found_by_the_chain_head(county_admin):
    records = _write(6, actor=county_admin)
    _as_superuser("DELETE FROM audit_auditrecord WHERE id >= %s", [records[4].pk])
    code, text = _verify()
    assert code == 1 and "missing" in text


def test_since_checks_from_that_day_only(county_admin):
    _write(3, actor=county_admin)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    code, text = _verify("--since", tomorrow.isoformat())
    assert code == 0 and "0" in text


def test_bulk_records_are_chained_like_single_ones(county_admin):
    records = [AuditRecord(actor=county_admin, actor_name="x", action="other", summary=f"批量{n}") for n in range(50)]
    with transaction.atomic():
        chain.append(records)
        _write(2)
    assert _verify()[0] == 0
    assert list(
        AuditRecord.objects.filter(summary__startswith="批量").order_by("chain_seq").values_list("chain_seq", flat=True)
    ) == list(range(1, 51))


def test_pruning_keeps_the_chain_verifiable_from_the_first_kept_record(monkeypatch):
    real_now = timezone.now

    def at(days_ago):
        monkeypatch.setattr(timezone, "now", lambda: real_now() - datetime.timedelta(days=days_ago))

    for days_ago in (400, AUDIT_MIN_KEEP_DAYS + 2, AUDIT_MIN_KEEP_DAYS - 1, 1):
        at(days_ago)
        _write(3, prefix=f"{days_ago}天前")
    monkeypatch.setattr(timezone, "now", real_now)
    assert audit_prune(keep_days=AUDIT_MIN_KEEP_DAYS) == 6
    assert not AuditRecord.objects.filter(summary__startswith="400天前").exists()
    assert AuditRecord.objects.filter(summary__startswith=f"{AUDIT_MIN_KEEP_DAYS - 1}天前").count() == 3
    assert not AuditChainHead.objects.filter(day__lt=timezone.localdate() - datetime.timedelta(days=AUDIT_MIN_KEEP_DAYS)).exists()
    code, text = _verify()
    assert code == 0, text


def test_the_daily_job_shows_its_result_on_the_audit_page(county_admin, client_for):
    _write(4, actor=county_admin)
    assert audit_verify_task.apply().get()["ok"] is True
    page = client_for(county_admin).get(reverse("audit:list"))
    assert "哈希链完整" in page.text
    records = AuditRecord.objects.order_by("pk")
    _as_superuser("UPDATE audit_auditrecord SET actor_name = %s WHERE id = %s", ["别人", records[1].pk])
    assert audit_verify_task.apply().get()["first_broken"] == records[1].pk
    page = client_for(county_admin).get(reverse("audit:list"))
    assert "哈希链已断裂" in page.text and f"#{records[1].pk}" in page.text


def test_the_daily_job_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="audit.verify")
    assert task.enabled and task.crontab.hour == "2" and str(task.crontab.timezone) == "Asia/Shanghai"


WRITERS, PER_WRITER, PER_TRANSACTION = 8, 1250, 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL row locks")
def test_ten_thousand_records_from_eight_concurrent_writers_keep_the_chain_valid():
    def writer():
        for _batch in range(PER_WRITER // PER_TRANSACTION):
            with transaction.atomic():
                _write(PER_TRANSACTION, prefix="并发")
        return True

    results, errors = all_at_once(writer, WRITERS)
    assert not errors and len(results) == WRITERS
    assert AuditRecord.objects.filter(summary__startswith="并发").count() == WRITERS * PER_WRITER
    # The writers spread over the partitions instead of queueing on one chain.
    assert AuditRecord.objects.values("chain_partition").distinct().count() > 1
    verdict = chain.verify()
    assert verdict.ok, verdict.message
    assert verdict.checked >= WRITERS * PER_WRITER
