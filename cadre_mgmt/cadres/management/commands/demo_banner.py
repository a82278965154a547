"""The banner ``make run`` prints before serving: this is a demo, these are its accounts and their password."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cadre_mgmt.cadres.demo import demo_users


class Command(BaseCommand):
    help = "Print what the demo is, where it is served, and the demo accounts with their password."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        rule = "=" * 72
        lines = [
            rule,
            "  演示环境 · 村干部职级管理系统（DEMO）",
            "  这是演示：数据全部为虚构人员，请勿录入真实个人信息，不要用于生产。",
            f"  打开 {url} ，用下列任一演示账号登录；",
            f"  所有演示账号的密码都是：{settings.DEMO_PASSWORD}",
            f"  县级账号登录后还要输入动态验证码：在手机验证器应用中手动添加密钥 {settings.DEMO_TOTP_SECRET}",
            "  （基于时间的 6 位验证码；也可运行 python manage.py demo_code 查看当前验证码）",
            "",
        ]
        lines += [
            f"    {username:<16} {full_name}{'（' + township + '）' if township else ''}"
            for username, _role, township, full_name in demo_users()
        ]
        debug = "开启（Django 调试页面）" if settings.DEBUG else "关闭：出错时显示系统自己的中文错误页面"
        lines += ["", f"  调试页面：{debug}；需要调试页面时运行 make run DEBUG_PAGES=1", rule]
        self.stdout.write("\n".join(lines))
