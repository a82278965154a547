from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = _("Incentives")

    def ready(self):
        from cadre_mgmt import registry

        from .demo import seed_incentives
        from .panels import pay_panel_context
        from .selectors import can_read_incentives

        registry.register_nav(registry.NavItem(60, _("Incentives"), "incentives:commendation_list", can_read_incentives))
        registry.register_cadre_panel(registry.CadrePanel(50, "incentives/_cadre_panel.html", pay_panel_context))
        registry.register_demo_seeder(registry.DemoSeeder(20, "incentives", seed_incentives))
