"""Excel import of reserve cadres, on the cadre import's framework: the same workbook reader (size, zip-bomb,
header and row checks), the same row problems and result, the same upload page; nothing is written unless
every row is valid."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record
from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.importing import (
    EDUCATION_LABELS,
    PHONE_RE,
    POLITICAL_LABELS,
    ImportResult,
    RowError,
    _date,
    _text,
    read_rows,
)
from cadre_mgmt.cadres.models import Cadre, Post, Township, Village

from .models import Reserve
from .selectors import can_write_reserves
from .services import reserve_register

HEADERS = ["乡镇", "村", "姓名", "身份证号", "联系电话", "政治面貌", "学历", "来源", "拟培养职务", "登记日期"]
SOURCE_LABELS = {
    "返乡大学生": Reserve.Source.GRADUATE,
    "返乡创业人员": Reserve.Source.ENTREPRENEUR,
    "退役军人": Reserve.Source.VETERAN,
    "本村能人": Reserve.Source.TALENT,
    "其他": Reserve.Source.OTHER,
}
MAX_ROWS = 2000


def build_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "后备干部"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["D"].width = 22
    help_ws = wb.create_sheet("填写说明")
    for line in (
        "每行一名后备干部，从第2行开始填写，不要改动第1行表头。",
        "乡镇、村：必须与系统中的名称完全一致。身份证号：18位，系统校验校验位，已登记的不能重复登记。",
        "政治面貌：中共党员、中共预备党员、共青团员、民主党派、群众。学历：小学、初中、高中/中专、大专、本科、研究生。",
        "来源："
        + "、".join(SOURCE_LABELS)
        + "。拟培养职务：可空，填写时须与系统职务名称一致。登记日期：如 2026-03-01，可空（当天）。",
        "整个文件校验通过后才会导入；任何一行有错误，都不会写入任何数据。",
    ):
        help_ws.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class _Lookups:
    def __init__(self):
        self.townships = {t.name: t for t in Township.objects.all()}
        self.villages = {(v.township_id, v.name): v for v in Village.objects.all()}
        self.posts = {p.name: p for p in Post.objects.all()}


def _choice(err, column, raw, labels, default):
    text = _text(raw)
    if not text:
        return default
    if text not in labels:
        err(column, _("Unknown value “%(value)s”.") % {"value": text})
    return labels.get(text)


def _place(err, lookups, user, township_raw, village_raw):
    township = lookups.townships.get(_text(township_raw))
    if township is None:
        err("乡镇", _("Unknown township “%(name)s”.") % {"name": _text(township_raw)})
        return None
    if not township_allowed_for_user(user, township.pk):
        err("乡镇", _("You may only import reserves of your own township."))
    village = lookups.villages.get((township.pk, _text(village_raw)))
    if village is None:
        err("村", _("Unknown village “%(name)s” in %(township)s.") % {"name": _text(village_raw), "township": township.name})
    return village


def _person(err, values):
    name = _text(values[2])
    if not name or len(name) > 30:
        err("姓名", _("The name is empty or longer than 30 characters."))
    facts = None
    try:
        facts = idnumbers.parse_id_number(_text(values[3]))
    except ValidationError as exc:
        err("身份证号", exc.messages[0])
    phone = _text(values[4])
    if phone and not PHONE_RE.match(phone):
        err("联系电话", _("Not a phone number."))
    return name, facts, phone


def _row(number, values, *, user, lookups, today):
    errors = []

    def err(column, message):
        errors.append(RowError(number, column, message))

    if any(isinstance(value, str) and value.startswith("=") for value in values):
        return None, [RowError(number, "-", _("Formulas are not accepted; paste the values only."))]
    village = _place(err, lookups, user, values[0], values[1])
    name, facts, phone = _person(err, values)
    political = _choice(err, "政治面貌", values[5], POLITICAL_LABELS, Cadre.PoliticalStatus.MASSES)
    education = _choice(err, "学历", values[6], EDUCATION_LABELS, Cadre.Education.SENIOR)
    source = _choice(err, "来源", values[7], SOURCE_LABELS, None)
    if not _text(values[7]):
        err("来源", _("Give the source."))
    post = _choice(err, "拟培养职务", values[8], lookups.posts, None)
    registered = _date(values[9]) if _text(values[9]) else today
    if registered is None or registered > today:
        err("登记日期", _("Not a date of the past; write it like 2026-03-01."))
    fields = {"name": name, "phone": phone, "political_status": political, "education": education, "source": source}
    item = {"row": number, "village": village, "facts": facts, "target_post": post, "registered_on": registered, **fields}
    return (None if errors else item), errors


def validate_rows(rows, *, user):
    """Validated reserve rows, or every row's problems (row and column). Reads the database, writes nothing."""
    lookups, today = _Lookups(), timezone.localdate()
    valid, errors, seen = [], [], {}
    for number, values in rows:
        item, row_errors = _row(number, values, user=user, lookups=lookups, today=today)
        errors.extend(row_errors)
        if item is not None:
            if item["facts"].number in seen:
                errors.append(
                    RowError(
                        number, "身份证号", _("The same ID number is also on row %(row)s.") % {"row": seen[item["facts"].number]}
                    )
                )
            seen.setdefault(item["facts"].number, number)
            valid.append(item)
    hashes = {idnumbers.hash_id_number(item["facts"].number): item for item in valid}
    for id_hash in Reserve.objects.filter(id_number_hash__in=hashes).values_list("id_number_hash", flat=True):
        errors.append(
            RowError(hashes[id_hash]["row"], "身份证号", _("A reserve cadre with this resident ID number is already registered."))
        )
    errors.sort(key=lambda e: e.row)
    return valid, errors


def import_reserves(data: bytes, *, user, filename: str = "") -> ImportResult:
    """Validate the whole workbook, then register every row in one transaction (or nothing)."""
    if not can_write_reserves(user):
        raise PermissionDenied
    valid, errors = validate_rows(read_rows(data, HEADERS, max_rows=MAX_ROWS), user=user)
    result = ImportResult(errors=errors)
    if errors:
        return result
    with transaction.atomic():
        for item in valid:
            item.pop("row")
            facts = item.pop("facts")
            reserve_register(user=user, id_number=facts.number, **item)
            result.created += 1
        summary = _("Reserve import %(file)s: %(created)s registered") % {"file": filename[:80], "created": result.created}
        audit_record(actor=user, action=AuditRecord.Action.IMPORT, object_type="incentives.Reserve", summary=summary)
    return result
