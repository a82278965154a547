from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RanksConfig(AppConfig):
    name = "ranks"
    verbose_name = _("Ranks and allowances")
