from decimal import Decimal

from django.db import migrations

# DESIGN §5 defaults; the county administrator changes them in the admin.
DEFAULT_POINTS = {"county": Decimal("2"), "city": Decimal("4"), "province": Decimal("6"), "national": Decimal("10")}


def add_points(apps, schema_editor):
    CommendationPoints = apps.get_model("incentives", "CommendationPoints")
    for level, points in DEFAULT_POINTS.items():
        CommendationPoints.objects.get_or_create(level=level, defaults={"points": points})


class Migration(migrations.Migration):
    dependencies = [("incentives", "0001_commendations_training_aid_pay")]
    operations = [migrations.RunPython(add_points, migrations.RunPython.noop)]
