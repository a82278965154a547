"""Issue 17 item 4 (DESIGN §5): a rejected proposal returns to the township, which resubmits or closes it;
every round is a ProposalStep row, append-only (a PostgreSQL trigger, as 0010 does for the rank history)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


GUARD = r"""
CREATE OR REPLACE FUNCTION ranks_proposalstep_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'proposal step % is append-only and cannot be changed or deleted', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ranks_proposalstep_append_only
    BEFORE UPDATE OR DELETE ON ranks_proposalstep
    FOR EACH ROW EXECUTE FUNCTION ranks_proposalstep_append_only();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS ranks_proposalstep_append_only ON ranks_proposalstep;
DROP FUNCTION IF EXISTS ranks_proposalstep_append_only();
"""


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ranks", "0010_append_only_history_guards"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="proposal",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting township check"),
                    ("submitted", "Awaiting county decision"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("no_action", "No change needed"),
                    ("closed", "Closed by the township"),
                ],
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="ProposalStep",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="at")),
                ("round", models.PositiveSmallIntegerField(default=1, verbose_name="round")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("submit", "Submitted to the county"),
                            ("remarks", "Remarks changed"),
                            ("approve", "Approved"),
                            ("reject", "Rejected and returned to the township"),
                            ("resubmit", "Resubmitted with added material"),
                            ("close", "Closed by the township"),
                        ],
                        max_length=10,
                        verbose_name="action",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("pending", "Awaiting township check"),
                            ("submitted", "Awaiting county decision"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("no_action", "No change needed"),
                            ("closed", "Closed by the township"),
                        ],
                        max_length=10,
                        verbose_name="from status",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting township check"),
                            ("submitted", "Awaiting county decision"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("no_action", "No change needed"),
                            ("closed", "Closed by the township"),
                        ],
                        max_length=10,
                        verbose_name="to status",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                ("material", models.TextField(blank=True, max_length=2000, verbose_name="added material")),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="ranks.proposal",
                        verbose_name="promotion proposal",
                    ),
                ),
            ],
            options={
                "verbose_name": "proposal step",
                "verbose_name_plural": "proposal steps",
                "ordering": ["proposal", "at", "id"],
                "indexes": [models.Index(fields=["proposal", "at"], name="proposal_step_idx")],
            },
        ),
        migrations.RunPython(create_guard, drop_guard, elidable=False),
    ]
