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
        self._ready_packages(registry)

    def _ready_packages(self, registry):
        """The reserve pool, Party-branch meetings and revitalization projects (DESIGN §13)."""
        from .branches.demo import seed_branches
        from .branches.panels import branch_panel_context
        from .branches.selectors import can_read_branches
        from .reserves.demo import seed_reserves
        from .reserves.selectors import can_read_reserves

        group = _("Talent & Party building")
        registry.register_nav(
            registry.NavItem(61, _("Reserve cadres"), "incentives:reserve_list", can_read_reserves, group=group)
        )
        registry.register_nav(
            registry.NavItem(62, _("Reserve pool overview"), "incentives:reserve_overview", can_read_reserves, group=group)
        )
        registry.register_nav(
            registry.NavItem(63, _("Party-branch meetings"), "incentives:meeting_list", can_read_branches, group=group)
        )
        registry.register_nav(
            registry.NavItem(64, _("Revitalization projects"), "incentives:project_list", can_read_branches, group=group)
        )
        registry.register_cadre_panel(registry.CadrePanel(55, "incentives/branches/_cadre_panel.html", branch_panel_context))
        registry.register_demo_seeder(registry.DemoSeeder(25, "reserves", seed_reserves))
        registry.register_demo_seeder(registry.DemoSeeder(26, "branches", seed_branches))
