"""The tamper-evident audit log (等保 2.0 level 3, audit; issue 21).

Each record carries ``chain_hash`` = HMAC-SM3(key, previous hash ‖ the record's content), the key coming
from the environment (``AUDIT_CHAIN_KEY``), never from the database: whoever holds the database superuser
can still delete or rewrite rows with the trigger disabled, but cannot write hashes that verify.

Chains: one per day (Asia/Shanghai) and partition. A writer locks the head of one free partition of the day
(``SELECT … FOR UPDATE SKIP LOCKED``), so up to ``AUDIT_CHAIN_PARTITIONS`` transactions append at once without waiting;
the head row also records each chain's last position, so a deleted tail is found too. Pruning removes whole
days (chains and heads together), so every kept chain is verifiable from its first record.
"""

import datetime
import ipaddress
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cadre_mgmt import crypto

from .models import AuditChainHead, AuditRecord


def partitions() -> int:
    return max(1, int(getattr(settings, "AUDIT_CHAIN_PARTITIONS", 8)))


GENESIS_LABEL = "cadre-audit-chain-genesis"


def chain_key() -> bytes:
    raw = getattr(settings, "AUDIT_CHAIN_KEY", None)
    return bytes.fromhex(raw) if raw else crypto.derived_key("cadre-audit-chain")


def _ip(value: str | None) -> str:
    if not value:
        return ""
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return str(value)


def content(record: AuditRecord) -> bytes:
    """What the hash covers: everything the record says (not the link to the account, which the database
    clears when an account is deleted; the user name stays and is covered)."""
    at = record.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    fields = [
        str(record.chain_day),
        record.chain_partition,
        record.chain_seq,
        at,
        record.actor_name,
        _ip(record.ip_address),
        record.action,
        record.object_type,
        record.object_id,
        record.object_repr,
        record.summary,
        record.changes,
    ]
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def genesis(day: datetime.date, partition: int) -> str:
    return crypto.hmac_sm3(chain_key(), f"{GENESIS_LABEL}:{day}:{partition}".encode())


def record_hash(previous: str, record: AuditRecord) -> str:
    return crypto.hmac_sm3(chain_key(), previous.encode() + b"\n" + content(record))


def _lock_head(day: datetime.date) -> AuditChainHead:
    heads = AuditChainHead.objects.filter(day=day).order_by("partition")
    if not connection.features.has_select_for_update_skip_locked:  # SQLite: one writer at a time anyway
        return heads.select_for_update().get_or_create(day=day, partition=0)[0]
    for _attempt in range(2):
        head = heads.select_for_update(skip_locked=True).first()
        if head is not None:
            return head
        if heads.exists():
            break  # every partition is busy: wait for one below
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(day=day, partition=p) for p in range(partitions())], ignore_conflicts=True
        )
    # More writers than partitions: wait for the one this connection's backend maps to.
    return heads.select_for_update().get(partition=zlib.crc32(str(id(connection)).encode()) % partitions())


def append(records: list[AuditRecord]) -> list[AuditRecord]:
    """Chain and insert ``records`` (in the caller's transaction; the head stays locked until it commits)."""
    with transaction.atomic(savepoint=False):
        now = timezone.now()
        day = timezone.localdate(now)
        head = _lock_head(day)
        previous = head.last_hash or genesis(day, head.partition)
        for record in records:
            head.seq += 1
            record.at = now
            record.chain_day, record.chain_partition, record.chain_seq = day, head.partition, head.seq
            record.chain_hash = previous = record_hash(previous, record)
        if len(records) == 1:
            records[0].save(force_insert=True)
        else:
            AuditRecord.objects.bulk_create(records)
        head.last_hash = previous
        AuditChainHead.objects.filter(pk=head.pk).update(seq=head.seq, last_hash=previous)
    return records


@dataclass
class Verdict:
    ok: bool
    checked: int
    first_broken: int | None = None  # the id of the first record that does not verify (or follows a gap)
    message: str = ""


def _chains(since: datetime.date | None) -> Iterator[tuple[tuple, list]]:
    records = AuditRecord.objects.filter(chain_day__isnull=False)
    if since is not None:
        records = records.filter(chain_day__gte=since)
    current, chain = None, []
    fields = ["id", "at", "actor_name", "ip_address", "action", "object_type", "object_id", "object_repr", "summary"]
    rows = records.order_by("chain_day", "chain_partition", "chain_seq").only(
        *fields, "changes", "chain_day", "chain_partition", "chain_seq", "chain_hash"
    )
    for record in rows.iterator(chunk_size=2000):
        key = (record.chain_day, record.chain_partition)
        if key != current and chain:
            yield current, chain
            chain = []
        current = key
        chain.append(record)
    if chain:
        yield current, chain


def _check_chain(day, partition, chain: Iterable[AuditRecord]) -> tuple[int, int | None, str]:
    expected_seq, previous, checked = 1, genesis(day, partition), 0
    for record in chain:
        checked += 1
        if record.chain_seq != expected_seq:
            return checked, record.pk, f"missing records before #{record.pk} ({day} chain {partition}, position {expected_seq})"
        if record_hash(previous, record) != record.chain_hash:
            return checked, record.pk, f"record #{record.pk} was changed ({day} chain {partition}, position {expected_seq})"
        previous, expected_seq = record.chain_hash, expected_seq + 1
    head = AuditChainHead.objects.filter(day=day, partition=partition).first()
    if head is not None and (head.seq != expected_seq - 1 or head.last_hash != previous):
        return checked, None, f"records after position {expected_seq - 1} are missing ({day} chain {partition})"
    return checked, None, ""


def verify(since: datetime.date | None = None) -> Verdict:
    """Walk every chain from ``since`` (default: all kept); the first broken link, in chain order, stops it."""
    total = 0
    seen = set()
    for (day, partition), chain in _chains(since):
        seen.add((day, partition))
        checked, broken, message = _check_chain(day, partition, chain)
        total += checked
        if message:
            return Verdict(False, total, broken, message)
    heads = AuditChainHead.objects.filter(seq__gt=0)
    if since is not None:
        heads = heads.filter(day__gte=since)
    for head in heads.order_by("day", "partition"):
        if (head.day, head.partition) not in seen:
            return Verdict(False, total, None, f"every record of {head.day} chain {head.partition} is missing")
    return Verdict(True, total, None, f"{total} records verified")
