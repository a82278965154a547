"""Petitions' reporter (Fernet) and full text (plain) to SM4-GCM (密评), in batches (cadre_mgmt/keyrotation.py)."""

from django.db import migrations


def to_sm4(apps, schema_editor):
    from cadre_mgmt import keyrotation
    from supervision import crypto

    model = apps.get_model("supervision", "Petition")
    for field, purpose, legacy in (
        ("reporter_encrypted", crypto.REPORTER, crypto.legacy_identity),
        ("content", crypto.CONTENT, crypto.legacy_content),
    ):
        keyrotation.rotate(keyrotation.EncryptedColumn("supervision.Petition", field, purpose, legacy=legacy), model=model)


class Migration(migrations.Migration):
    atomic = False  # each batch commits on its own, as rotate_keys does

    dependencies = [("supervision", "0005_labels_name_their_kind")]

    operations = [migrations.RunPython(to_sm4, migrations.RunPython.noop)]
