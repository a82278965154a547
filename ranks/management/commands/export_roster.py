from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from ranks.ladder import rules
from ranks.rosters import selectors as rosters_selectors
from ranks.rosters.workbook import roster_workbook


class Command(BaseCommand):
    help = "Write a month's allowance roster as an .xlsx in the government form (ID numbers masked unless --user may see them)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the month as YYYY-MM")
        parser.add_argument("--output", required=True, help="path of the .xlsx file to write")
        parser.add_argument("--user", help="export as this user: their township scope and ID-number rights apply")

    def handle(self, *args, **options):
        try:
            month = rules.parse_month(options["month"])
        except ValueError as exc:
            raise CommandError(f"月份格式错误：{options['month']!r}，应为 YYYY-MM，例如 2026-03。") from exc
        roster = rosters_selectors.roster_for_month(month=month)
        if roster is None:
            raise CommandError(f"{month:%Y-%m} 还没有花名册，请先运行 generate_roster --month {month:%Y-%m}。")
        user = None
        township_id = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"], is_active=True)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"找不到用户：{options['user']}") from exc
            if not user.sees_all_townships:
                if user.township_id is None:
                    raise CommandError(f"用户 {user.username} 无权导出花名册。")
                township_id = user.township_id
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"目录不存在：{output.parent}")
        content, rows = roster_workbook(
            roster=roster, township_id=township_id, full_id_numbers=bool(user and user.can_see_full_id_numbers)
        )
        output.write_bytes(content)
        audit_record(
            actor=user, action=AuditRecord.Action.EXPORT, obj=roster, summary=f"命令行导出花名册 {month:%Y-%m}：{rows} 行"
        )
        self.stdout.write(self.style.SUCCESS(f"已写入 {output}：{rows} 行。"))
