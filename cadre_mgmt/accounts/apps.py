from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cadre_mgmt.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from cadre_mgmt import registry

        from .password_ageing import on_login
        from .second_factor.demo import seed_second_factor

        user_logged_in.connect(on_login, dispatch_uid="accounts.password_ageing")

        # After the demo accounts exist (cadres, 10): enrol them with the published demo secret.
        registry.register_demo_seeder(registry.DemoSeeder(11, "second_factor", seed_second_factor))
