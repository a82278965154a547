"""Re-encrypt every encrypted column under the current SM4 key (``manage.py rotate_keys``, and the data
migration from Fernet). In batches, each in its own transaction, in primary-key order: a run that is killed
loses at most the batch it was in (rolled back), and the next run starts again from what is left, because it
selects only the values not yet under the current key. The app reads old and new values meanwhile.

The columns: every model with ``id_number_encrypted`` and ``id_number_hash`` (cadres, and any later model
that stores ID numbers the same way), and those a feature registers with ``register_column``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from . import crypto

BATCH_SIZE = 2000


@dataclass(frozen=True)
class EncryptedColumn:
    model: str  # app_label.ModelName
    field: str  # the ciphertext column
    purpose: str  # associated data of SM4-GCM, and the HMAC's label
    hash_field: str | None = None  # its HMAC-SM3 lookup column, recomputed with it
    legacy: Callable[[str], str] | None = field(default=None, compare=False)  # reads a value from before SM4


_registered: list[EncryptedColumn] = []


def register_column(column: EncryptedColumn) -> None:
    if column not in _registered:
        _registered.append(column)


def columns() -> list[EncryptedColumn]:
    from .cadres import idnumbers

    found = [
        EncryptedColumn(
            model._meta.label, "id_number_encrypted", idnumbers.PURPOSE, "id_number_hash", idnumbers.decrypt_id_number
        )
        for model in apps.get_models()
        if {"id_number_encrypted", "id_number_hash"} <= {f.name for f in model._meta.get_fields()}
    ]
    return found + [column for column in _registered if column not in found]


def read(column: EncryptedColumn, token: str) -> str | None:
    plain = crypto.decrypt(token, purpose=column.purpose)
    if plain is None and column.legacy is not None:
        plain = column.legacy(token) or None
    return plain


@dataclass
class Progress:
    rotated: int = 0
    unreadable: list = field(default_factory=list)  # primary keys no key reads (left as they are)
    batches: int = 0


def rotate(column: EncryptedColumn, *, model: type[models.Model] | None = None, batch_size: int = BATCH_SIZE) -> Progress:
    """Re-encrypt what is not under the current key. ``model`` is the historical model in a migration."""
    model = model or apps.get_model(column.model)
    manager = model._base_manager
    current = f"{crypto.PREFIX}:{crypto.key_id(crypto.current_key())}:"
    progress, last_pk = Progress(), None
    while True:
        with transaction.atomic():
            pending = manager.exclude(**{f"{column.field}__startswith": current}).exclude(**{column.field: ""})
            if last_pk is not None:
                pending = pending.filter(pk__gt=last_pk)
            rows = list(pending.select_for_update().order_by("pk")[:batch_size])
            if not rows:
                return progress
            changed = _reencrypt(column, rows, progress)
            fields = [column.field] + ([column.hash_field] if column.hash_field else [])
            if changed:
                manager.bulk_update(changed, fields, batch_size=500)
        last_pk = rows[-1].pk
        progress.rotated += len(changed)
        progress.batches += 1


def _reencrypt(column: EncryptedColumn, rows: list, progress: Progress) -> list:
    changed = []
    for row in rows:
        plain = read(column, getattr(row, column.field))
        if plain is None:
            progress.unreadable.append(row.pk)
            continue
        setattr(row, column.field, crypto.encrypt(plain, purpose=column.purpose))
        if column.hash_field:
            setattr(row, column.hash_field, crypto.lookup_hash(plain, purpose=column.purpose))
        changed.append(row)
    return changed
