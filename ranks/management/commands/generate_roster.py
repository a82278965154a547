from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ranks.ladder import rules
from ranks.rosters import services as rosters_services


class Command(BaseCommand):
    help = "Generate (or regenerate, while still a draft) the allowance roster of a month."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="the month as YYYY-MM (default: this month)")

    def handle(self, *args, **options):
        try:
            month = rules.parse_month(options["month"]) if options["month"] else rules.first_of_month(timezone.localdate())
        except ValueError as exc:
            raise CommandError(f"月份格式错误：{options['month']!r}，应为 YYYY-MM，例如 2026-03。") from exc
        try:
            roster = rosters_services.roster_generate(month=month)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        summary = f"{month:%Y-%m} 花名册已生成：{roster.line_count} 行，合计 {roster.total_amount} 元"
        self.stdout.write(self.style.SUCCESS(f"{summary}（{roster.get_status_display()}）。"))
