"""SM4-GCM and HMAC-SM3 for ID numbers (issue 21, 密评): checked with ``cryptography`` directly, the Fernet
values from before, the data migration and an interrupted ``rotate_keys``."""

import base64
import datetime
import importlib
import os
import signal
import subprocess
import sys
import time

import pytest
from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from cadre_mgmt import crypto, keyrotation
from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.models import Cadre
from tests.factories import CadreFactory, make_id_number

pytestmark = pytest.mark.django_db

OLD_KEY = "00112233445566778899aabbccddeeff"
NEW_KEY = "ffeeddccbbaa99887766554433221100"
LOOKUP = "0f" * 32


def sm4_gcm_open(token, key_hex, associated):
    """Decrypt a stored value with cryptography alone, as an assessor's tool would."""
    prefix, _kid, body = token.split(":", 2)
    assert prefix == "sm4"
    raw = base64.urlsafe_b64decode(body)
    nonce, ciphertext, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(bytes.fromhex(key_hex)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated)
    return (decryptor.update(ciphertext) + decryptor.finalize()).decode()


def test_a_stored_id_number_is_sm4_gcm_with_the_field_name_as_associated_data(settings, village_x):
    settings.SM4_KEY, settings.LOOKUP_KEY = NEW_KEY, LOOKUP
    number = make_id_number()
    cadre = CadreFactory(village=village_x, id_number=number)
    stored = Cadre.objects.values_list("id_number_encrypted", "id_number_hash").get(pk=cadre.pk)
    assert number not in stored[0]
    assert sm4_gcm_open(stored[0], NEW_KEY, b"id_number") == number
    with pytest.raises(InvalidTag):  # copied into another column, it does not open
        sm4_gcm_open(stored[0], NEW_KEY, b"reporter_name")
    mac = hmac.HMAC(bytes.fromhex(LOOKUP), hashes.SM3())
    mac.update(b"id_number\x00" + number.encode())
    assert stored[1] == mac.finalize().hex()


def test_each_value_has_its_own_nonce(settings):
    settings.SM4_KEY = NEW_KEY
    first, second = idnumbers.encrypt_id_number("11010519491231002X"), idnumbers.encrypt_id_number("11010519491231002X")
    assert first != second and first.split(":")[1] == second.split(":")[1]
    assert idnumbers.decrypt_id_number(first) == idnumbers.decrypt_id_number(second) == "11010519491231002X"


def test_a_tampered_value_reads_as_nothing(settings):
    settings.SM4_KEY = NEW_KEY
    token = idnumbers.encrypt_id_number("11010519491231002X")
    body = bytearray(base64.urlsafe_b64decode(token.split(":", 2)[2]))
    body[14] ^= 1
    tampered = token.rsplit(":", 1)[0] + ":" + base64.urlsafe_b64encode(bytes(body)).decode()
    assert idnumbers.decrypt_id_number(tampered) == ""


def _fernet_rows(village, count):
    """Cadres as the database held them before SM4: Fernet ciphertext and the HMAC-SHA256 hash."""
    import hashlib
    import hmac as std_hmac

    key = base64.urlsafe_b64decode(crypto.legacy_fernet_key())
    numbers = {}
    for _n in range(count):
        number = make_id_number()
        cadre = CadreFactory(village=village, id_number=number)
        Cadre.objects.filter(pk=cadre.pk).update(
            id_number_encrypted=Fernet(crypto.legacy_fernet_key()).encrypt(number.encode()).decode(),
            id_number_hash=std_hmac.new(key, number.encode(), hashlib.sha256).hexdigest(),
        )
        numbers[cadre.pk] = number
    return numbers


def test_a_fernet_value_from_before_is_still_read(village_x):
    numbers = _fernet_rows(village_x, 1)
    cadre = Cadre.objects.get()
    assert cadre.id_number_encrypted.startswith("gAAAA")
    assert cadre.id_number == numbers[cadre.pk]


def test_the_data_migration_turns_a_fernet_database_into_sm4_and_every_row_reads_the_same(village_x):
    numbers = _fernet_rows(village_x, 25)
    migration = importlib.import_module("cadre_mgmt.cadres.migrations.0006_id_numbers_sm4")
    migration.to_sm4(apps, None)
    for cadre in Cadre.objects.all():
        assert crypto.is_current(cadre.id_number_encrypted)
        assert cadre.id_number == numbers[cadre.pk]
        assert cadre.id_number_hash == idnumbers.hash_id_number(numbers[cadre.pk])
    # Lookups (the duplicate check of the form and the import) find the migrated rows.
    assert Cadre.objects.filter(id_number_hash=idnumbers.hash_id_number(numbers[min(numbers)])).count() == 1


def test_rotate_keys_killed_half_way_and_run_again_leaves_everything_under_the_new_key(settings, village_x, monkeypatch):
    settings.SM4_KEY = OLD_KEY
    numbers = {CadreFactory(village=village_x, id_number=n).pk: n for n in (make_id_number() for _ in range(25))}
    settings.SM4_KEY, settings.SM4_OLD_KEYS = NEW_KEY, [OLD_KEY]
    real, calls = keyrotation._reencrypt, []

    def killed_in_the_third_batch(column, rows, progress):
        calls.append(len(rows))
        if len(calls) == 3:
            raise KeyboardInterrupt  # the operator's Ctrl-C or a kill, in the middle of a batch
        return real(column, rows, progress)

    monkeypatch.setattr(keyrotation, "_reencrypt", killed_in_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        call_command("rotate_keys", "--batch-size", "10")
    stored = dict(Cadre.objects.values_list("pk", "id_number_encrypted"))
    new_prefix, old_prefix = (f"sm4:{crypto.key_id(bytes.fromhex(k))}:" for k in (NEW_KEY, OLD_KEY))
    assert sum(v.startswith(new_prefix) for v in stored.values()) == 20  # two batches committed, the third rolled back
    assert all(idnumbers.decrypt_id_number(v) == numbers[pk] for pk, v in stored.items())  # the app reads both meanwhile
    monkeypatch.setattr(keyrotation, "_reencrypt", real)
    call_command("rotate_keys", "--batch-size", "10")
    settings.SM4_OLD_KEYS = []
    for pk, token in Cadre.objects.values_list("pk", "id_number_encrypted"):
        assert token.startswith(new_prefix) and not token.startswith(old_prefix)
        assert sm4_gcm_open(token, NEW_KEY, b"id_number") == numbers[pk]
        with pytest.raises(InvalidTag):
            sm4_gcm_open(token, OLD_KEY, b"id_number")


def test_the_start_up_check_refuses_an_openssl_without_sm4(monkeypatch):
    crypto.check_available()

    def unsupported(*args, **kwargs):
        raise UnsupportedAlgorithm("no SM4 here")

    monkeypatch.setattr(crypto.algorithms, "SM4", unsupported)
    with pytest.raises(ImproperlyConfigured, match="SM4"):
        crypto.check_available()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process on the same database needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rotate_keys_killed_by_sigkill_and_run_again(settings, village_x):
    """A real kill: ``rotate_keys`` in its own process, SIGKILLed once some batches have committed."""
    settings.SM4_KEY = OLD_KEY
    numbers = [make_id_number(datetime.date(1960, 1, 1) + datetime.timedelta(days=n)) for n in range(3000)]
    cadres = []
    for number in numbers:
        cadre = Cadre(village=village_x, township=village_x.township, name="轮换", first_appointed_on=datetime.date(2015, 3, 1))
        cadre.assign_id_number(idnumbers.parse_id_number(number))
        cadres.append(cadre)
    Cadre.objects.bulk_create(cadres, batch_size=1000)
    plain = dict(zip(Cadre.objects.order_by("pk").values_list("pk", flat=True), numbers, strict=True))
    new_prefix = f"sm4:{crypto.key_id(bytes.fromhex(NEW_KEY))}:"
    env = {**os.environ, "SM4_KEY": NEW_KEY, "SM4_OLD_KEYS": OLD_KEY, "DATABASE_URL": _url(connection.settings_dict)}
    command = [sys.executable, "manage.py", "rotate_keys", "--batch-size", "5"]
    process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while Cadre.objects.filter(id_number_encrypted__startswith=new_prefix).count() < 50 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    rotated = Cadre.objects.filter(id_number_encrypted__startswith=new_prefix).count()
    assert 50 <= rotated < len(numbers), "killed half-way"
    settings.SM4_KEY, settings.SM4_OLD_KEYS = NEW_KEY, [OLD_KEY]
    assert all(idnumbers.decrypt_id_number(v) == plain[pk] for pk, v in Cadre.objects.values_list("pk", "id_number_encrypted"))
    subprocess.run([*command[:-1], "2000"], env=env, cwd=settings.BASE_DIR, check=True, capture_output=True)
    settings.SM4_OLD_KEYS = []
    for pk, token in Cadre.objects.values_list("pk", "id_number_encrypted"):
        assert token.startswith(new_prefix) and idnumbers.decrypt_id_number(token) == plain[pk]


def _url(db):
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{db.get('USER') or 'postgres'}{password}@{host}/{db['NAME']}"
