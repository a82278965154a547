"""ID numbers from Fernet/HMAC-SHA256 to SM4-GCM/HMAC-SM3 (密评), in batches (cadre_mgmt/keyrotation.py)."""

from django.db import migrations


def to_sm4(apps, schema_editor):
    from cadre_mgmt import keyrotation
    from cadre_mgmt.cadres import idnumbers

    column = keyrotation.EncryptedColumn(
        "cadres.Cadre", "id_number_encrypted", idnumbers.PURPOSE, "id_number_hash", idnumbers.decrypt_id_number
    )
    keyrotation.rotate(column, model=apps.get_model("cadres", "Cadre"))


class Migration(migrations.Migration):
    atomic = False  # each batch commits on its own, as rotate_keys does

    dependencies = [("cadres", "0005_merge_import_jobs_and_rank_system_posts")]

    operations = [migrations.RunPython(to_sm4, migrations.RunPython.noop)]
