"""A PostgreSQL dump after seed_demo (issue 21, 密评): no plain ID number, reporter name or phone; the
ciphertexts open with SM4-GCM, checked with ``cryptography`` alone."""

import base64
import os
import re
import subprocess

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.management import call_command
from django.db import connection

from cadre_mgmt.cadres.models import Cadre
from incentives.models import Reserve
from supervision.demo import PETITIONS

from .test_backup_restore import _libpq_env, needs_pg_dump, needs_postgres

KEY = "8f1e2d3c4b5a69788796a5b4c3d2e1f0"
TOKEN = re.compile(r"sm4:[0-9a-f]{8}:[A-Za-z0-9_=-]+")


def _open(token, associated):
    raw = base64.urlsafe_b64decode(token.split(":", 2)[2])
    decryptor = Cipher(algorithms.SM4(bytes.fromhex(KEY)), modes.GCM(raw[:12], raw[-16:])).decryptor()
    decryptor.authenticate_additional_data(associated)
    return (decryptor.update(raw[12:-16]) + decryptor.finalize()).decode()


def _opens(token, associated):
    try:
        return _open(token, associated)
    except InvalidTag:
        return None


@needs_postgres
@needs_pg_dump
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_pg_dump_after_seed_demo_holds_no_plain_id_number_reporter_name_or_phone(settings):
    settings.SM4_KEY = KEY
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False
    # Cadres' and reserve cadres' ID numbers: one implementation, one associated data ("id_number").
    numbers = {cadre.id_number for cadre in Cadre.objects.all()} | {reserve.id_number for reserve in Reserve.objects.all()}
    reporters = [reporter for *_head, reporter, _summary, _days, _steps in PETITIONS if reporter]
    assert len(numbers) > 100 and reporters

    dump = subprocess.run(
        ["pg_dump", "--data-only", "--no-owner", connection.settings_dict["NAME"]],
        env=_libpq_env(connection.settings_dict),
        check=True,
        capture_output=True,
    ).stdout.decode()
    for number in numbers:
        assert number not in dump
    for name, phone in reporters:
        assert name not in dump and phone not in dump

    tokens = TOKEN.findall(dump)
    opened_numbers = {plain for token in tokens if (plain := _opens(token, b"id_number"))}
    assert opened_numbers == numbers
    identities = [plain for token in tokens if (plain := _opens(token, b"petition_reporter"))]
    assert any(reporters[0][0] in identity and reporters[0][1] in identity for identity in identities)
