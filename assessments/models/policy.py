"""The county's assessment settings and its default quarterly task areas."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import percent_field, score_field


class AssessmentPolicy(models.Model):
    """The county's assessment settings: one row, edited by the county administrator in the admin.

    Townships set their own weights for a year within ``weight_tolerance`` points of these defaults.
    """

    default_political_weight = percent_field(_("political performance weight (%)"), "30")
    default_business_weight = percent_field(_("business ability weight (%)"), "40")
    default_mass_weight = percent_field(_("mass evaluation weight (%)"), "30")
    default_ledger_share = percent_field(_("ledger share of the annual score (%)"), "20")
    default_quarters_share = percent_field(_("quarterly share of the annual score (%)"), "40")
    default_review_share = percent_field(_("year-end review share of the annual score (%)"), "40")
    weight_tolerance = percent_field(
        _("township tolerance (points)"),
        "10",
        help_text=_("A township may move each weight and share at most this many points away from the county default."),
    )
    excellent_min = score_field(_("excellent from (score)"), default=Decimal("90"))
    competent_min = score_field(_("competent from (score)"), default=Decimal("75"))
    basically_competent_min = score_field(_("basically competent from (score)"), default=Decimal("60"))
    excellent_cap_percent = percent_field(
        _("excellent cap (% of a township's cadres)"),
        "20",
        help_text=_("The number of excellent grades is this share of the cadres assessed, rounded down."),
    )
    ledger_base_score = score_field(
        _("ledger base score"),
        default=Decimal("80"),
        help_text=_(
            "Ledger component of the annual score = this base + the sum of the score changes of the cadre's "
            "ledger entries dated in the year, kept between 0 and 100."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment policy")
        verbose_name_plural = _("assessment policy")
        constraints = [
            models.CheckConstraint(
                name="assessment_policy_review_weights_sum_100",
                condition=models.Q(
                    default_political_weight=Decimal("100")
                    - models.F("default_business_weight")
                    - models.F("default_mass_weight")
                ),
            ),
            models.CheckConstraint(
                name="assessment_policy_shares_sum_100",
                condition=models.Q(
                    default_ledger_share=Decimal("100") - models.F("default_quarters_share") - models.F("default_review_share")
                ),
            ),
            models.CheckConstraint(
                name="assessment_policy_bands_ordered",
                condition=models.Q(excellent_min__gt=models.F("competent_min"))
                & models.Q(competent_min__gt=models.F("basically_competent_min")),
            ),
        ]

    def __str__(self):
        return str(_("Assessment policy"))


class DefaultQuarterArea(models.Model):
    """The county's default task areas of a quarter; a township's first quarter starts from these,
    later quarters from the township's previous quarter."""

    name = models.CharField(_("task area"), max_length=40, unique=True)
    weight = percent_field(_("weight (%)"), "20")
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("default quarterly task area")
        verbose_name_plural = _("default quarterly task areas")
        ordering = ["sort_order", "id"]
        constraints = [models.CheckConstraint(name="default_area_weight_positive", condition=models.Q(weight__gt=0))]

    def __str__(self):
        return self.name
