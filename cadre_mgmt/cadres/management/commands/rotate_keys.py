"""``manage.py rotate_keys``: every encrypted value re-encrypted under SM4_KEY (from an old key or Fernet)."""

from django.core.management.base import BaseCommand

from cadre_mgmt import keyrotation
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column (ID numbers, reporters) under the current SM4_KEY, in batches, each "
        "in its own transaction. Safe to run while the app serves and to run again after an interruption."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=keyrotation.BATCH_SIZE)

    def handle(self, *args, batch_size, **options):
        total, unreadable = 0, 0
        for column in keyrotation.columns():
            progress = keyrotation.rotate(column, batch_size=max(1, batch_size))
            total += progress.rotated
            unreadable += len(progress.unreadable)
            self.stdout.write(f"{column.model}.{column.field}: 重新加密 {progress.rotated} 条（{progress.batches} 批）")
            if progress.unreadable:
                self.stderr.write(f"  无法用现有密钥解密（保持原样）：主键 {progress.unreadable[:20]}")
        audit_record(
            actor=None,
            action=AuditRecord.Action.OTHER,
            object_type="keys",
            summary=f"rotate_keys: {total} values re-encrypted under the current SM4 key, {unreadable} unreadable",
        )
        self.stdout.write(self.style.SUCCESS(f"完成：共重新加密 {total} 条。"))
