from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from cadre_mgmt import registry

        from .demo import seed_assessments
        from .evaluation.demo import seed_evaluation
        from .evaluation.selectors import can_read_evaluation
        from .selectors import cadre_panel, can_read_assessments

        registry.register_nav(
            registry.NavItem(30, _("Ledger"), "assessments:ledger", can_read_assessments, group=_("Assessments"))
        )
        registry.register_nav(
            registry.NavItem(31, _("Assessments"), "assessments:overview", can_read_assessments, group=_("Assessments"))
        )
        registry.register_nav(
            registry.NavItem(
                32, _("Villagers' evaluation"), "assessments:evaluation_list", can_read_evaluation, group=_("Assessments")
            )
        )
        registry.register_cadre_panel(registry.CadrePanel(40, "assessments/_cadre_panel.html", context=cadre_panel))
        registry.register_demo_seeder(registry.DemoSeeder(30, "assessments", seed_assessments))
        registry.register_demo_seeder(registry.DemoSeeder(31, "evaluation", seed_evaluation))
