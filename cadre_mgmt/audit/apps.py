from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "cadre_mgmt.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from cadre_mgmt import registry

        registry.register_nav(
            registry.NavItem(90, _("Audit log"), "audit:list", lambda user: user.is_county_admin, group=_("System"))
        )
