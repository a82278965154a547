"""Posts in the rank system (DESIGN §2): a county setting per post, on by default except for the clerk and
the women's federation chair."""

from django.db import migrations, models

OUTSIDE_RANK_SYSTEM = ("clerk", "women_chair")


def set_defaults(apps, schema_editor):
    Post = apps.get_model("cadres", "Post")
    Post.objects.filter(code__in=OUTSIDE_RANK_SYSTEM).update(in_rank_system=False, was_in_rank_system=False)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0003_cadre_list_order_township_index")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="in_rank_system",
            field=models.BooleanField(default=True, verbose_name="in the rank system"),
        ),
        migrations.AddField(
            model_name="post",
            name="in_rank_system_from",
            field=models.DateField(blank=True, null=True, verbose_name="rank system setting in force from"),
        ),
        migrations.AddField(
            model_name="post",
            name="was_in_rank_system",
            field=models.BooleanField(default=True, verbose_name="in the rank system before that month"),
        ),
        migrations.RunPython(set_defaults, migrations.RunPython.noop),
    ]
