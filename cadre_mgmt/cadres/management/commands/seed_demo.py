from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cadre_mgmt import registry
from cadre_mgmt.cadres.demo import demo_users


class Command(BaseCommand):
    help = "Fill the database with demo data (invented people). Running it twice changes nothing."

    def handle(self, *args, **options):
        # The demo settings (make run) switch DEBUG off to show the product's error pages and say DEMO.
        if not settings.DEBUG and not getattr(settings, "DEMO", False):
            raise CommandError("seed_demo 只能在 DEBUG=True 的开发/演示环境运行，拒绝向生产数据库写入演示数据。")
        self.stdout.write("正在生成演示数据……")
        with transaction.atomic():
            for seeder in registry.demo_seeders:
                seeder.run(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（密码均为 DEMO_PASSWORD）："))
        for username, _role, township, full_name in demo_users():
            self.stdout.write(f"  {username:<16} {full_name}{'（' + township + '）' if township else ''}")
        self.stdout.write(f"  密码：{settings.DEMO_PASSWORD}")
