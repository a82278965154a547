from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadre_mgmt.cadres"
    label = "cadres"
    verbose_name = _("Cadres")

    def ready(self):
        from cadre_mgmt import crypto, registry

        # Refuse to start without SM4-GCM and SM3: ID numbers are never stored with anything weaker.
        crypto.check_available()

        from . import tasks  # noqa: F401 (registers the import job, which the upload queues by name)
        from .demo import seed_cadres

        registry.register_nav(registry.NavItem(10, _("Cadres"), "cadres:list", lambda user: True))
        registry.register_demo_seeder(registry.DemoSeeder(10, "cadres", seed_cadres))
