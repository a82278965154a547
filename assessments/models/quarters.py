"""A township's quarters, their task areas and the cadres' scores on them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .fields import percent_field, score_field


class TownshipQuarter(models.Model):
    """A township's quarter: its task areas and weights, open for scoring until the township closes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for scoring")
        CLOSED = "closed", _("Closed")

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("township quarter")
        verbose_name_plural = _("township quarters")
        ordering = ["township__sort_order", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "quarter"], name="township_quarter_unique"),
            models.CheckConstraint(name="township_quarter_valid", condition=models.Q(quarter__gte=1, quarter__lte=4)),
            models.CheckConstraint(
                name="township_quarter_closed_has_who",
                condition=models.Q(status="open") | models.Q(closed_by__isnull=False, closed_at__isnull=False),
            ),
        ]
        # Lookups (township, year[, quarter]) use the unique constraint's index.

    def __str__(self):
        return f"{self.township} " + gettext("Quarter %(quarter)s of %(year)s") % {"quarter": self.quarter, "year": self.year}

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED


class QuarterArea(models.Model):
    """A task area of a township's quarter and its weight (the weights of a quarter add up to 100)."""

    township_quarter = models.ForeignKey(
        TownshipQuarter, verbose_name=_("quarter"), on_delete=models.CASCADE, related_name="areas"
    )
    name = models.CharField(_("task area"), max_length=40)
    weight = percent_field(_("weight (%)"), "20")
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("quarterly task area")
        verbose_name_plural = _("quarterly task areas")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["township_quarter", "name"], name="quarter_area_unique_name"),
            models.CheckConstraint(name="quarter_area_weight_positive", condition=models.Q(weight__gt=0)),
        ]

    def __str__(self):
        return self.name


class QuarterScore(models.Model):
    """A cadre's 0–100 score on one task area of a quarter."""

    area = models.ForeignKey(QuarterArea, verbose_name=_("task area"), on_delete=models.CASCADE, related_name="scores")
    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="quarter_scores")
    score = score_field(_("score"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quarterly score")
        verbose_name_plural = _("quarterly scores")
        constraints = [
            models.UniqueConstraint(fields=["area", "cadre"], name="quarter_score_unique"),
            models.CheckConstraint(name="quarter_score_range", condition=models.Q(score__gte=0, score__lte=100)),
        ]
        indexes = [
            # Cadre file panel and annual_results: one cadre's quarter scores.
            models.Index(fields=["cadre", "area"], name="quarter_score_cadre_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.area} {self.score}"
