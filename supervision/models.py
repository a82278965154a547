from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VetoEvent(models.Model):
    """A one-vote veto (一票否决) charged to a cadre for an assessment year.

    ``year`` is the assessment year the veto counts against; it usually equals the year of
    ``occurred_on`` but a case concluded in January may be charged to the year before. A veto
    recorded in error is revoked (kept, with who and why), never deleted.
    """

    class Kind(models.TextChoices):
        SAFETY_ACCIDENT = "safety_accident", _("Serious safety accident")
        PETITION_SUBSTANTIATED = "petition_substantiated", _("Major petition found substantiated")
        MASS_INCIDENT = "mass_incident", _("Mass incident")
        OTHER = "other", _("Other")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="veto_events")
    year = models.PositiveSmallIntegerField(_("assessment year"))
    occurred_on = models.DateField(_("occurred on"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("veto event")
        verbose_name_plural = _("veto events")
        ordering = ["-year", "-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(name="veto_year_plausible", condition=models.Q(year__gte=2000) & models.Q(year__lte=2100)),
            models.CheckConstraint(
                name="veto_revoked_has_who",
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_by__isnull=False),
            ),
        ]
        indexes = [
            # cadre_ids_with_veto / review_facts: the vetoes of a year for a set of cadres.
            models.Index(fields=["year", "cadre"], name="veto_year_cadre_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.year} {self.get_kind_display()}"

    @property
    def is_active(self):
        return self.revoked_at is None
