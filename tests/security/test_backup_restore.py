"""Backup and restore (docs/backup.md): a pg_dump -Fc restored with pg_restore gives the same totals."""

import os
import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from cadre_mgmt.cadres import backup, idnumbers
from cadre_mgmt.cadres.backup import compute_totals, register_backup_total, totals_that_must_survive
from tests.factories import CadreFactory, TownshipFactory, UserFactory, VillageFactory

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore need PostgreSQL")
needs_pg_dump = pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")


def _libpq_env(settings_dict):
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": settings_dict.get("HOST") or "127.0.0.1",
            "PGPORT": str(settings_dict.get("PORT") or 5432),
            "PGUSER": settings_dict.get("USER") or "postgres",
        }
    )
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _admin_connection(settings_dict, dbname):
    import psycopg2

    conn = psycopg2.connect(
        dbname=dbname,
        host=settings_dict.get("HOST") or "127.0.0.1",
        port=settings_dict.get("PORT") or 5432,
        user=settings_dict.get("USER") or "postgres",
        password=settings_dict.get("PASSWORD") or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def restored_database():
    """Name of an empty database for the restore; dropped afterwards whatever happens."""
    settings_dict = connection.settings_dict
    name = f"restore_check_{uuid.uuid4().hex[:12]}"
    admin = _admin_connection(settings_dict, "postgres")
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgres
@needs_postgres
@needs_pg_dump
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dump_restored_into_a_new_database_has_the_same_totals(tmp_path, restored_database):
    # Committed data (pg_dump reads from its own connection).
    township = TownshipFactory(name="备份镇")
    villages = [VillageFactory(township=township, name=f"备份{n}村") for n in range(3)]
    cadres = [CadreFactory(village=villages[n % 3], prior_service_years=n % 5) for n in range(25)]
    UserFactory(username="backup_officer", role="township_staff", township=township)
    with connection.cursor() as cursor:
        before = compute_totals(cursor)
    assert before["cadres"] == "25"

    settings_dict = connection.settings_dict
    env = _libpq_env(settings_dict)
    dump = tmp_path / "cadre.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), settings_dict["NAME"]], env=env, check=True, capture_output=True
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", restored_database, str(dump)],
        env=env,
        check=True,
        capture_output=True,
    )

    restored = _admin_connection(settings_dict, restored_database)
    try:
        with restored.cursor() as cursor:
            after = compute_totals(cursor)
            # With the same ID_NUMBER_KEY the restored ciphertext still reads back.
            cursor.execute("SELECT id_number_encrypted FROM cadres_cadre WHERE id = %s", [cadres[0].pk])
            (token,) = cursor.fetchone()
            # The append-only guard came back with the data.
            cursor.execute("SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'audit_auditrecord_append_only'")
            (triggers,) = cursor.fetchone()
    finally:
        restored.close()
    assert after == before
    assert idnumbers.decrypt_id_number(token) == cadres[0].id_number
    assert triggers == 1


def test_feature_apps_can_add_totals_that_must_survive(monkeypatch):
    monkeypatch.setattr(backup, "_registered", [])
    register_backup_total("test: townships again", "SELECT COUNT(*) FROM cadres_township")
    register_backup_total("test: townships again", "SELECT 1")
    labels = [label for label, _sql in totals_that_must_survive()]
    assert labels[0] == "cadres"
    assert labels.count("test: townships again") == 1


@pytest.mark.django_db
def test_backup_totals_command_prints_every_total(cadre_x):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("backup_totals", stdout=out)
    lines = dict(line.split("\t") for line in out.getvalue().splitlines())
    assert lines["cadres"] == "1"
    assert set(lines) == {label for label, _sql in totals_that_must_survive()}
