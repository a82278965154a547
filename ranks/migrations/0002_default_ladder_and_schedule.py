import datetime
from decimal import Decimal

from django.db import migrations

# DESIGN §3 defaults: (from_level, years at the level, needs an excellent year, needs a commendation of at least).
LADDER = [
    *[(level, 2, False, None) for level in (13, 12, 11)],
    *[(level, 3, False, None) for level in (10, 9, 8)],
    *[(level, 3, True, None) for level in (7, 6, 5)],
    *[(level, 4, True, "county") for level in (4, 3, 2)],
]


def add_defaults(apps, schema_editor):
    LadderStep = apps.get_model("ranks", "LadderStep")
    AllowanceSchedule = apps.get_model("ranks", "AllowanceSchedule")
    InitialGradingRule = apps.get_model("ranks", "InitialGradingRule")
    for from_level, years, excellent, commendation in LADDER:
        LadderStep.objects.get_or_create(
            from_level=from_level,
            defaults={"years_required": years, "requires_excellent_year": excellent, "required_commendation_level": commendation},
        )
    AllowanceSchedule.objects.get_or_create(
        effective_from=datetime.date(2000, 1, 1), defaults={"amount_per_level": Decimal("100.00"), "note": "默认：每升一级每月100元"}
    )
    InitialGradingRule.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("ranks", "0001_rank_ladder_history_rosters")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
