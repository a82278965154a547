"""``manage.py create_county_admin <username>``: the first county administrator.

The password comes from ``--password-file`` (its first line), else the environment variable
COUNTY_ADMIN_PASSWORD, else a prompt (typed twice). It must pass the password rules, and the new
administrator changes it at first sign-in.
"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cadre_mgmt.accounts import services
from cadre_mgmt.accounts.models import User

PASSWORD_ENV = "COUNTY_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = "Create a county administrator (no township; the password must be changed at first sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-file", help=f"a file whose first line is the password (else ${PASSWORD_ENV}, else a prompt)"
        )

    def handle(self, *args, username, full_name, email, password_file, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(_("An account named “%(username)s” already exists.") % {"username": username})
        password = self._password(password_file)
        try:
            user = services.county_admin_create(username=username, password=password, full_name=full_name, email=email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("County administrator “%(username)s” created; the password must be changed at first sign-in.")
                % {"username": user.username}
            )
        )

    def _password(self, password_file):
        if password_file:
            try:
                with open(password_file, encoding="utf-8") as handle:
                    password = handle.readline().rstrip("\r\n")
            except OSError as exc:
                raise CommandError(_("The password file cannot be read: %(error)s") % {"error": exc}) from exc
            if not password:
                raise CommandError(_("The password file is empty."))
            return password
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV]
        first = getpass.getpass(_("Password: "))
        second = getpass.getpass(_("Password (again): "))
        if first != second:
            raise CommandError(_("The two passwords differ."))
        if not first:
            raise CommandError(_("The password may not be empty."))
        return first
