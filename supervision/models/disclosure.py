"""Village affairs disclosure (村务公开) and the daily job's flags."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import Recorded


class AffairsDisclosure(Recorded):
    """One category of village affairs published (村务公开) for one village and period."""

    class Category(models.TextChoices):
        FINANCE = "finance", _("Finance")
        MAJOR_DECISIONS = "major_decisions", _("Major decisions")
        POLICY_BENEFITS = "policy_benefits", _("Policy benefits")

    village = models.ForeignKey("cadres.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="disclosures")
    period_start = models.DateField(_("period"), help_text=_("First day of the disclosure period."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    published_on = models.DateField(_("published on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("affairs disclosure")
        verbose_name_plural = _("affairs disclosures")
        ordering = ["-period_start", "village", "category"]
        constraints = [
            models.UniqueConstraint(fields=["village", "period_start", "category"], name="disclosure_unique_per_period"),
        ]
        indexes = [
            # Disclosure page and daily job: all villages' disclosures of one period.
            models.Index(fields=["period_start", "village"], name="disclosure_period_idx"),
        ]

    def __str__(self):
        return f"{self.village} {self.period_start:%Y-%m} {self.get_category_display()}"


class DisclosureFlag(models.Model):
    """Written by the daily job: a category of a village's disclosure that is missing or was published late."""

    class Kind(models.TextChoices):
        MISSING = "missing", _("Missing")
        LATE = "late", _("Late")

    village = models.ForeignKey("cadres.Village", verbose_name=_("village"), on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("period"))
    category = models.CharField(_("category"), max_length=20, choices=AffairsDisclosure.Category.choices)
    kind = models.CharField(_("problem"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    flagged_on = models.DateField(_("flagged on"))

    class Meta:
        verbose_name = _("disclosure flag")
        verbose_name_plural = _("disclosure flags")
        ordering = ["-period_start", "village", "category"]
        constraints = [
            models.UniqueConstraint(fields=["village", "period_start", "category"], name="disclosure_flag_unique"),
        ]
        indexes = [
            # Disclosure page: the flags of one period.
            models.Index(fields=["period_start", "kind"], name="disclosure_flag_period_idx"),
        ]

    def __str__(self):
        return f"{self.village} {self.period_start:%Y-%m} {self.get_kind_display()}"
