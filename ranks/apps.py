from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RanksConfig(AppConfig):
    name = "ranks"
    verbose_name = _("Ranks and allowances")

    def ready(self):
        from cadre_mgmt import registry

        from .demo import seed_rank_history
        from .panels import cadre_rank_panel
        from .serializers import register_cadre_hooks

        register_cadre_hooks()  # the API's cadre level, allowance and ?level= filter
        group = _("Ranks and allowances")
        registry.register_nav(registry.NavItem(40, _("Allowance rosters"), "ranks:roster", lambda user: True, group=group))
        registry.register_nav(
            registry.NavItem(
                41,
                _("Initial grading"),
                "ranks:grading",
                lambda user: user.is_township_staff or user.is_county_approver,
                group=group,
            )
        )
        registry.register_nav(
            registry.NavItem(42, _("Ladder settings"), "ranks:settings", lambda user: user.is_county_admin, group=group)
        )
        registry.register_cadre_panel(registry.CadrePanel(30, "ranks/_cadre_panel.html", context=cadre_rank_panel))
        registry.register_demo_seeder(registry.DemoSeeder(40, "ranks", seed_rank_history))
