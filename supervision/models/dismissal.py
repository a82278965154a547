"""Dismissal (清退)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import recorded_at_field, user_field

from .sanctions import Sanction


class Dismissal(models.Model):
    """Dismissal (清退): ends the cadre's post; the rank allowance stops from the next month."""

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="dismissals")
    dismissed_on = models.DateField(_("dismissed on"))
    reason = models.CharField(_("reason"), max_length=300)
    sanction = models.ForeignKey(
        Sanction, verbose_name=_("linked sanction"), null=True, blank=True, on_delete=models.PROTECT, related_name="dismissals"
    )
    decided_by = user_field(_("recorded by"))
    created_at = recorded_at_field()

    class Meta:
        verbose_name = _("dismissal")
        verbose_name_plural = _("dismissals")
        ordering = ["-dismissed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["cadre"], name="dismissal_once_per_cadre")]

    def __str__(self):
        return f"{self.cadre} {self.dismissed_on:%Y-%m-%d}"
