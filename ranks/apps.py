from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RanksConfig(AppConfig):
    name = "ranks"
    verbose_name = _("Ranks and allowances")

    def ready(self):
        from cadre_mgmt import registry
        from cadre_mgmt.cadres.backup import register_backup_total

        from . import tasks  # noqa: F401 (registers the tasks the services queue by name)
        from .appeals.demo import seed_appeals
        from .appeals.panels import cadre_account_panel
        from .appeals.selectors import can_read_appeals
        from .ladder.demo import seed_rank_history
        from .ladder.panels import cadre_rank_panel
        from .ladder.serializers import register_cadre_hooks
        from .review.demo import seed_promotion_review
        from .review.selectors import cadre_review_panel, can_read_proposals, can_read_reviews

        register_cadre_hooks()  # the API's cadre level, allowance and ?level= filter
        registry.register_nav(registry.NavItem(0, _("Dashboard"), "ranks:dashboard", lambda user: True))
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
        review_group = _("Promotion review")
        registry.register_nav(registry.NavItem(43, _("Proposals"), "ranks:proposals", can_read_proposals, group=review_group))
        registry.register_nav(registry.NavItem(44, _("Review runs"), "ranks:reviews", can_read_reviews, group=review_group))
        registry.register_nav(
            registry.NavItem(
                45, _("Promotion rules"), "ranks:review_settings", lambda user: user.is_county_admin, group=review_group
            )
        )
        # DESIGN §12: a cadre's own pages (shown to cadre accounts only) and the appeals of the staff.
        for order, label, name in (
            (1, _("My file"), "me:file"),
            (2, _("My appeals"), "me:appeals"),
            (3, _("Notices"), "me:notices"),
        ):
            registry.register_nav(registry.NavItem(order, label, name, lambda user: user.is_cadre))
        registry.register_nav(registry.NavItem(46, _("Appeals"), "ranks:appeals", can_read_appeals, group=review_group))
        registry.register_cadre_panel(registry.CadrePanel(90, "appeals/_cadre_account_panel.html", context=cadre_account_panel))
        registry.register_demo_seeder(registry.DemoSeeder(95, "appeals", seed_appeals))
        registry.register_cadre_panel(registry.CadrePanel(30, "ranks/_cadre_panel.html", context=cadre_rank_panel))
        registry.register_cadre_panel(registry.CadrePanel(35, "ranks/_review_cadre_panel.html", context=cadre_review_panel))
        registry.register_demo_seeder(registry.DemoSeeder(40, "ranks", seed_rank_history))
        registry.register_demo_seeder(registry.DemoSeeder(60, "promotion review", seed_promotion_review))
        register_backup_total("promotion proposals", "SELECT COUNT(*) FROM ranks_proposal")
        register_backup_total(
            "promotion proposals decided", "SELECT COUNT(*) FROM ranks_proposal WHERE status IN ('approved', 'rejected')"
        )
