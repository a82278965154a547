"""Excel import of cadre files: all rows are validated first, and nothing is written unless all are valid.

Shared by the upload page and ``manage.py import_cadres``. Workbook reading is defensive:
the file may be anything a browser can send.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cadre_mgmt import uploads
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.uploads import WorkbookError

from . import idnumbers
from .models import Cadre, Post, Township, Village

HEADERS = ["乡镇", "村", "姓名", "身份证号", "职务", "任职时间", "联系电话", "政治面貌", "学历"]
MAX_ROWS = 5000
POST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
PHONE_RE = re.compile(r"^[0-9+\-]{5,20}$")

POLITICAL_LABELS = {
    "中共党员": Cadre.PoliticalStatus.PARTY_MEMBER,
    "党员": Cadre.PoliticalStatus.PARTY_MEMBER,
    "中共预备党员": Cadre.PoliticalStatus.PROBATIONARY,
    "预备党员": Cadre.PoliticalStatus.PROBATIONARY,
    "共青团员": Cadre.PoliticalStatus.LEAGUE,
    "民主党派": Cadre.PoliticalStatus.DEMOCRATIC,
    "群众": Cadre.PoliticalStatus.MASSES,
}
EDUCATION_LABELS = {
    "小学": Cadre.Education.PRIMARY,
    "初中": Cadre.Education.JUNIOR,
    "高中": Cadre.Education.SENIOR,
    "中专": Cadre.Education.SENIOR,
    "高中/中专": Cadre.Education.SENIOR,
    "大专": Cadre.Education.COLLEGE,
    "本科": Cadre.Education.BACHELOR,
    "研究生": Cadre.Education.POSTGRADUATE,
}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def build_template():
    """The downloadable template: headers on the first sheet, instructions and allowed values on the second."""
    wb = Workbook()
    ws = wb.active
    ws.title = "村干部"
    ws.append(HEADERS)
    for index, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[get_column_letter(index)].width = 22 if header == "身份证号" else 14
    ws.freeze_panes = "A2"
    political = DataValidation(type="list", formula1='"中共党员,中共预备党员,共青团员,民主党派,群众"', allow_blank=True)
    education = DataValidation(type="list", formula1='"小学,初中,高中/中专,大专,本科,研究生"', allow_blank=True)
    ws.add_data_validation(political)
    ws.add_data_validation(education)
    political.add(f"H2:H{MAX_ROWS + 1}")
    education.add(f"I2:I{MAX_ROWS + 1}")
    help_ws = wb.create_sheet("填写说明")
    lines = [
        "每行一名村干部，从第2行开始填写，不要改动第1行表头。",
        "乡镇、村：必须与系统中的名称完全一致（系统不会自动新建乡镇或村）。",
        "身份证号：18位，系统校验校验位；已存在的身份证号将更新该干部档案。",
        "职务：可填多个，用顿号“、”分隔，如“党组织书记、村委会主任”。",
        "任职时间：日期格式，如 2018-05-01。",
        "政治面貌：中共党员、中共预备党员、共青团员、民主党派、群众。",
        "学历：小学、初中、高中/中专、大专、本科、研究生。",
        "整个文件校验通过后才会导入；任何一行有错误，都不会写入任何数据。",
    ]
    for line in lines:
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 90
    posts_ws = wb.create_sheet("职务列表")
    for post in Post.objects.order_by("sort_order"):
        posts_ws.append([post.name])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Values a cell may hold; anything else (array or data-table formulas) is turned into formula text
# so that every importer's "no formulas" check refuses it.
PLAIN_CELL_TYPES = (str, int, float, bool, datetime.date, datetime.time, datetime.timedelta)
# Formatted-but-empty rows after the data are common; a run this long ends the data ...
MAX_BLANK_RUN = 1000
# ... but the sheet is still scanned this far, so that data after a long gap is reported, not dropped.
MAX_SCANNED_ROWS = 20_000


def _plain(value):
    if value is None or isinstance(value, PLAIN_CELL_TYPES):
        return value
    return "=" + str(getattr(value, "text", "") or "").lstrip("=")


def _is_blank(values):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _data_rows(rows, width, max_rows):
    result = []
    blank_run = 0
    for number, values in enumerate(rows, start=2):
        if number > MAX_SCANNED_ROWS:
            if blank_run <= MAX_BLANK_RUN:
                raise WorkbookError(_("The file has more than %(max)s rows; split it.") % {"max": max_rows})
            break
        values = [_plain(value) for value in values[:width]] + [None] * max(0, width - len(values))
        if _is_blank(values):
            blank_run += 1
            continue
        if result and blank_run > MAX_BLANK_RUN:
            raise WorkbookError(
                _("Row %(row)s has data after more than %(gap)s empty rows; delete the empty rows and retry.")
                % {"row": number, "gap": MAX_BLANK_RUN}
            )
        blank_run = 0
        result.append((number, values))
        if len(result) > max_rows:
            raise WorkbookError(_("The file has more than %(max)s rows; split it.") % {"max": max_rows})
    return result


def read_rows(data: bytes, headers=HEADERS, *, max_rows=MAX_ROWS):
    """(row number, list of cell values) of the first sheet's data rows, after checking the header row.

    Raises WorkbookError, with a message for the user, for anything that is not a sound workbook:
    too large, not a zip, a zip bomb, damaged XML, a wrong header, no data, too many rows.
    """
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise WorkbookError(uploads.too_large_message())
    try:
        uploads.zip_member_names(data)
    except uploads.NotAnArchive as exc:
        raise WorkbookError(_("The file is not an Excel workbook (.xlsx).")) from exc
    except ValidationError as exc:
        raise WorkbookError(exc.messages[0]) from exc
    unreadable = _("The workbook cannot be read; save it again as .xlsx and retry.")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise WorkbookError(unreadable) from exc
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise WorkbookError(_("The workbook has no sheet."))
        # In read-only mode the sheet is parsed while iterating: damage (bad XML, a member larger
        # than it declared, which zipfile stops at with a CRC error) surfaces here.
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        found = [str(value).strip() if value is not None else "" for value in (header or [])]
        while found and found[-1] == "":
            found.pop()
        if found != list(headers):
            raise WorkbookError(
                _("The header row must be exactly: %(expected)s. Download the template and use it.")
                % {"expected": "、".join(headers)}
            )
        result = _data_rows(rows, len(headers), max_rows)
        if not result:
            raise WorkbookError(_("The workbook has a header row but no data."))
        return result
    except WorkbookError:
        raise
    except Exception as exc:  # damaged sheet XML or archive member, found while reading
        raise WorkbookError(unreadable) from exc
    finally:
        wb.close()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def validate_rows(rows, *, user, progress=None):
    """Turn raw rows into validated cadre data, or a list of RowError. Reads the database, writes nothing.

    ``progress(done, total)``, when given, is called every few hundred rows (the import job's progress)."""
    townships = {t.name: t for t in Township.objects.all()}
    villages = {(v.township_id, v.name): v for v in Village.objects.all()}
    posts = {p.name: p for p in Post.objects.all()}
    errors, valid, seen_ids = [], [], {}

    for index, (number, values) in enumerate(rows):
        if progress is not None and index % 200 == 0:
            progress(index, len(rows))
        row_errors = []

        def err(column, message, number=number, row_errors=row_errors):
            row_errors.append(RowError(number, column, message))

        if any(isinstance(value, str) and value.startswith("=") for value in values):
            err("-", _("Formulas are not accepted; paste the values only."))
            errors.extend(row_errors)
            continue
        township_name, village_name, name, id_raw, posts_raw, appointed_raw, phone, political_raw, education_raw = values[:9]
        township = townships.get(_text(township_name))
        if township is None:
            err("乡镇", _("Unknown township “%(name)s”.") % {"name": _text(township_name)})
        elif not township_allowed_for_user(user, township.pk):
            err("乡镇", _("You may only import cadres of your own township."))
        village = None
        if township is not None:
            village = villages.get((township.pk, _text(village_name)))
            if village is None:
                err(
                    "村",
                    _("Unknown village “%(name)s” in %(township)s.") % {"name": _text(village_name), "township": township.name},
                )
        name_text = _text(name)
        if not name_text:
            err("姓名", _("The name is empty."))
        elif len(name_text) > 30:
            err("姓名", _("The name is longer than 30 characters."))
        facts = None
        try:
            facts = idnumbers.parse_id_number(_text(id_raw))
        except ValidationError as exc:
            err("身份证号", exc.messages[0])
        if facts is not None:
            if facts.number in seen_ids:
                err("身份证号", _("The same ID number is also on row %(row)s.") % {"row": seen_ids[facts.number]})
            seen_ids.setdefault(facts.number, number)
        post_names = [part for part in POST_SEPARATORS.split(_text(posts_raw)) if part]
        chosen_posts = []
        if not post_names:
            err("职务", _("Give at least one post."))
        for post_name in post_names:
            if post_name in posts:
                chosen_posts.append(posts[post_name])
            else:
                err("职务", _("Unknown post “%(name)s”.") % {"name": post_name})
        appointed = _date(appointed_raw)
        if appointed is None:
            err("任职时间", _("Not a date; write it like 2018-05-01."))
        elif appointed > datetime.date.today():  # noqa: DTZ011
            err("任职时间", _("The appointment date is in the future."))
        elif facts is not None and appointed < facts.birth_date:
            err("任职时间", _("The appointment date is before the birth date."))
        phone_text = _text(phone)
        if phone_text and not PHONE_RE.match(phone_text):
            err("联系电话", _("Not a phone number."))
        political = POLITICAL_LABELS.get(_text(political_raw)) if _text(political_raw) else Cadre.PoliticalStatus.MASSES
        if political is None:
            err("政治面貌", _("Unknown political status “%(value)s”.") % {"value": _text(political_raw)})
        education = EDUCATION_LABELS.get(_text(education_raw)) if _text(education_raw) else Cadre.Education.SENIOR
        if education is None:
            err("学历", _("Unknown education “%(value)s”.") % {"value": _text(education_raw)})
        if row_errors:
            errors.extend(row_errors)
            continue
        valid.append(
            {
                "row": number,
                "village": village,
                "facts": facts,
                "posts": chosen_posts,
                "fields": {
                    "name": name_text,
                    "first_appointed_on": appointed,
                    "phone": phone_text,
                    "political_status": political,
                    "education": education,
                },
            }
        )

    # Rows that match an existing cadre: that cadre must be one the user may change.
    hashes = {idnumbers.hash_id_number(item["facts"].number): item for item in valid}
    existing = {c.id_number_hash: c for c in Cadre.objects.filter(id_number_hash__in=hashes).prefetch_related("posts")}
    for id_hash, cadre in existing.items():
        item = hashes[id_hash]
        if not township_allowed_for_user(user, cadre.township_id):
            errors.append(RowError(item["row"], "身份证号", _("This ID number belongs to a cadre of another township.")))
        item["existing"] = cadre
    errors.sort(key=lambda e: e.row)
    return valid, errors


def import_cadres(data: bytes, *, user, filename=""):
    """Validate the whole workbook, then write it in one transaction. Raises WorkbookError for unreadable files."""
    if not user.can_edit_cadres:
        raise PermissionDenied
    return import_rows(read_rows(data), user=user, filename=filename)


def import_rows(rows, *, user, filename="", progress=None, writing=None):
    """Validate read rows, then write them all in one transaction, or nothing if any row has a problem.

    ``progress(done, total)`` follows the check; ``writing()`` is called once the check passed, before the write."""
    from .services import cadre_create, cadre_update

    valid, errors = validate_rows(rows, user=user, progress=progress)
    result = ImportResult(errors=errors)
    if errors:
        return result
    if writing is not None:
        writing()
    with transaction.atomic():
        for item in valid:
            cadre = item.get("existing")
            if cadre is None:
                cadre_create(
                    user=user, village=item["village"], id_number=item["facts"].number, posts=item["posts"], **item["fields"]
                )
                result.created += 1
            else:
                changes = cadre_update(user=user, cadre=cadre, village=item["village"], posts=item["posts"], **item["fields"])
                if changes:
                    result.updated += 1
                else:
                    result.unchanged += 1
        audit_record(
            actor=user,
            action=AuditRecord.Action.IMPORT,
            object_type="cadres.Cadre",
            summary=_("Cadre import %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
            % {"file": filename[:80], "created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
    return result
