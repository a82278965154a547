"""The demo's current sign-in code (DEBUG only): what an authenticator app with the demo secret shows now."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from cadre_mgmt.accounts.second_factor.demo import demo_key_hex


class Command(BaseCommand):
    help = "Print the demo accounts' current 6-digit sign-in code (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code 只用于演示环境（DEBUG）。")
        self.stdout.write(f"{totp(bytes.fromhex(demo_key_hex())):06d}")
