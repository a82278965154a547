from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cadre_mgmt.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from cadre_mgmt import registry

        from .second_factor.demo import seed_second_factor

        # After the demo accounts exist (cadres, 10): enrol them with the published demo secret.
        registry.register_demo_seeder(registry.DemoSeeder(11, "second_factor", seed_second_factor))
