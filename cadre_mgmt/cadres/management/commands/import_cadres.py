from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cadre_mgmt.cadres import importing


class Command(BaseCommand):
    help = "Import cadre files from an .xlsx made from the template; all rows are checked before anything is written."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .xlsx workbook")
        parser.add_argument("--user", default="county_admin", help="username recorded as the importer (default county_admin)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"找不到用户：{options['user']}") from exc
        try:
            result = importing.import_cadres(path.read_bytes(), user=user, filename=path.name)
        except importing.WorkbookError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"导入失败：共 {len(result.errors)} 处错误，未写入任何数据。")
        self.stdout.write(
            self.style.SUCCESS(f"导入完成：新建 {result.created}，更新 {result.updated}，未变 {result.unchanged}。")
        )
