from django.core.management.base import BaseCommand
from django.db import connections

from cadre_mgmt.cadres.backup import compute_totals


class Command(BaseCommand):
    help = "Print the totals a restored backup must reproduce (run before pg_dump and after pg_restore; compare)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, **options):
        with connections[options["database"]].cursor() as cursor:
            for label, value in compute_totals(cursor).items():
                self.stdout.write(f"{label}\t{value}")
