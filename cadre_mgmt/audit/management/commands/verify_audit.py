"""``manage.py verify_audit [--since YYYY-MM-DD]``: walk the audit log's hash chain; exit 1 at the first broken link."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from cadre_mgmt.audit.services import audit_verify


def _date(raw):
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--since 应为日期，如 2026-06-01：{raw}") from exc


class Command(BaseCommand):
    help = "Verify the tamper-evident hash chain of the audit log; exit status 1 at the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_date, default=None, help="first day to check (default: every kept day)")

    def handle(self, *args, since, **options):
        result = audit_verify(since=since)
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"审计日志哈希链完整：已校验 {result.checked} 条记录。"))
            return
        where = f"（记录 #{result.first_broken}）" if result.first_broken else ""
        self.stderr.write(self.style.ERROR(f"审计日志哈希链断裂{where}：{result.message}"))
        raise SystemExit(1)
