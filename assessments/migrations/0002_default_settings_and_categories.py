"""The county's default assessment settings (DESIGN §4), ledger categories and quarterly task areas.

All of them are rows the county administrator edits in the admin; these are only the starting values.
"""

from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    # (code, name, kind)
    ("duty_shift", "值班值守", "general"),
    ("household_visit", "入户走访", "general"),
    ("meeting", "会议", "general"),
    ("assigned_task", "交办任务", "general"),
    ("dispute_mediation", "矛盾调解", "general"),
    ("urgent_task", "急难险重任务", "general"),
    ("leave", "请假", "leave"),
    ("absence", "无故脱岗", "absence"),
    ("commendation", "表扬奖励", "general"),
    ("discipline", "违纪违规", "general"),
]
AREAS = [
    ("党的建设", Decimal("20")),
    ("乡村振兴与集体经济", Decimal("20")),
    ("信访维稳", Decimal("20")),
    ("安全生产", Decimal("20")),
    ("生态与人居环境", Decimal("20")),
]


def create_defaults(apps, schema_editor):
    AssessmentPolicy = apps.get_model("assessments", "AssessmentPolicy")
    LedgerCategory = apps.get_model("assessments", "LedgerCategory")
    DefaultQuarterArea = apps.get_model("assessments", "DefaultQuarterArea")
    if not AssessmentPolicy.objects.exists():
        AssessmentPolicy.objects.create()
    for order, (code, name, kind) in enumerate(CATEGORIES):
        LedgerCategory.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "sort_order": order})
    for order, (name, weight) in enumerate(AREAS):
        DefaultQuarterArea.objects.get_or_create(name=name, defaults={"weight": weight, "sort_order": order})


def remove_defaults(apps, schema_editor):
    apps.get_model("assessments", "DefaultQuarterArea").objects.filter(name__in=[name for name, _w in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_ledger_quarters_years")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
