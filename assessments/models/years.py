"""A township's assessment year and the cadres' annual reviews."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import percent_field, score_field


class TownshipYear(models.Model):
    """A township's assessment year: its weights (within the county's bounds) and the grading workflow.

    open → finalized by the township (grades fixed, the excellent cap applied) → confirmed by the county.
    The county may return a finalized year to the township, which reopens it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open for scoring")
        FINALIZED = "finalized", _("Finalized by the township")
        CONFIRMED = "confirmed", _("Confirmed by the county")

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    political_weight = percent_field(_("political performance weight (%)"), "30")
    business_weight = percent_field(_("business ability weight (%)"), "40")
    mass_weight = percent_field(_("mass evaluation weight (%)"), "30")
    ledger_share = percent_field(_("ledger share (%)"), "20")
    quarters_share = percent_field(_("quarterly share (%)"), "40")
    review_share = percent_field(_("year-end review share (%)"), "40")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    excellent_cap = models.PositiveSmallIntegerField(_("excellent places"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalized by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("township assessment year")
        verbose_name_plural = _("township assessment years")
        ordering = ["township__sort_order", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="township_year_unique"),
            models.CheckConstraint(
                name="township_year_weights_sum_100",
                condition=models.Q(political_weight=Decimal("100") - models.F("business_weight") - models.F("mass_weight")),
            ),
            models.CheckConstraint(
                name="township_year_shares_sum_100",
                condition=models.Q(ledger_share=Decimal("100") - models.F("quarters_share") - models.F("review_share")),
            ),
            models.CheckConstraint(
                name="township_year_confirmed_has_who",
                condition=~models.Q(status="confirmed") | models.Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.township} {self.year}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class AnnualReview(models.Model):
    """A cadre's year-end review scores; the computed components, score and grade are stored at finalization."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        COMPETENT = "competent", _("Competent")
        BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
        INCOMPETENT = "incompetent", _("Incompetent")

    township_year = models.ForeignKey(
        TownshipYear, verbose_name=_("assessment year"), on_delete=models.PROTECT, related_name="reviews"
    )
    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="annual_reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    political_score = score_field(_("political performance"), null=True, blank=True)
    business_score = score_field(_("business ability"), null=True, blank=True)
    mass_score = score_field(_("mass evaluation"), null=True, blank=True)
    # Where the mass score came from when the villagers' evaluation set it ("村民测评 43 票，满意度 86.0%"
    # or "乡镇录入：理由…"); empty when the township typed it on the year page.
    # db_default: bulk loads that name no value for it (COPY in bench/generate.py) get "" too.
    mass_source = models.CharField(_("source of the mass evaluation"), max_length=250, blank=True, default="", db_default="")
    # Filled at finalization from rules.annual_breakdown; empty while the year is open.
    ledger_component = score_field(_("ledger component"), null=True, blank=True)
    quarters_component = score_field(_("quarterly component"), null=True, blank=True)
    review_component = score_field(_("year-end review component"), null=True, blank=True)
    score = score_field(_("annual score"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField(_("one-vote veto"), default=False)
    capped = models.BooleanField(
        _("held back by the excellent cap"), default=False, help_text=_("Scored in the excellent band but over the cap.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year"], name="annual_review_unique"),
            models.CheckConstraint(
                name="annual_review_scores_range",
                condition=(models.Q(political_score__isnull=True) | models.Q(political_score__gte=0, political_score__lte=100))
                & (models.Q(business_score__isnull=True) | models.Q(business_score__gte=0, business_score__lte=100))
                & (models.Q(mass_score__isnull=True) | models.Q(mass_score__gte=0, mass_score__lte=100)),
            ),
            models.CheckConstraint(
                name="annual_review_vetoed_not_excellent", condition=~models.Q(vetoed=True, grade="excellent")
            ),
        ]
        indexes = [
            # Year page and overview: the reviews of a township's year.
            models.Index(fields=["township_year", "cadre"], name="annual_review_year_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.year}"
