from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from cadre_mgmt import keyrotation, registry

        from . import crypto
        from .demo import seed_supervision
        from .panels import supervision_panel_context
        from .selectors import can_read_supervision

        registry.register_nav(registry.NavItem(70, _("Supervision"), "supervision:petition_list", can_read_supervision))
        registry.register_cadre_panel(registry.CadrePanel(70, "supervision/_cadre_panel.html", supervision_panel_context))
        registry.register_demo_seeder(registry.DemoSeeder(20, "supervision", seed_supervision))
        # rotate_keys re-encrypts the reporter and the full text of petitions with the ID numbers.
        for field, purpose, legacy in (
            ("reporter_encrypted", crypto.REPORTER, crypto.legacy_identity),
            ("content", crypto.CONTENT, crypto.legacy_content),
        ):
            keyrotation.register_column(keyrotation.EncryptedColumn("supervision.Petition", field, purpose, legacy=legacy))
