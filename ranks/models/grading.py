"""Initial grading (DESIGN §3, 初始定级): the county's rule and the townships' proposed first levels."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .ladder import RankChange, level_validators


class InitialGradingRule(models.Model):
    """The county's rule for the level computed from years of service (one row, pk=1)."""

    years_per_level = models.PositiveSmallIntegerField(
        _("full years of service per level"), default=3, validators=[MinValueValidator(1)]
    )
    highest_level = models.PositiveSmallIntegerField(
        _("highest level by initial grading"), default=10, validators=level_validators
    )
    lower_for_basically_competent = models.BooleanField(
        _("one level lower for a basically competent grade in the last 3 years"), default=True
    )

    class Meta:
        verbose_name = _("initial grading rule")
        verbose_name_plural = _("initial grading rule")
        constraints = [
            models.CheckConstraint(
                name="grading_rule_highest_level_1_13", condition=models.Q(highest_level__gte=1, highest_level__lte=13)
            ),
        ]

    def __str__(self):
        return str(_("initial grading rule"))


class InitialGrading(models.Model):
    """A township's proposed initial level for a cadre without one; a county approver decides it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting county approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="initial_gradings")
    # Kept beside the cadre so the township-scoped lists are one indexed filter.
    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    computed_level = models.PositiveSmallIntegerField(_("computed level"), validators=level_validators)
    proposed_level = models.PositiveSmallIntegerField(_("proposed level"), validators=level_validators)
    years_served = models.PositiveSmallIntegerField(_("full years served"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.CharField(_("decision comment"), max_length=300, blank=True)
    rank_change = models.OneToOneField(
        RankChange, verbose_name=_("rank change"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("initial grading")
        verbose_name_plural = _("initial gradings")
        ordering = ["township", "cadre__village__sort_order", "cadre__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"],
                condition=models.Q(status__in=["submitted", "approved"]),
                name="initial_grading_one_open_per_cadre",
            ),
            models.CheckConstraint(
                name="initial_grading_levels_1_13",
                condition=models.Q(proposed_level__gte=1, proposed_level__lte=13, computed_level__gte=1, computed_level__lte=13),
            ),
        ]
        indexes = [
            # Initial grading page: a township's (or the county's) submitted gradings.
            models.Index(fields=["status", "township"], name="initial_grading_status_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} → {self.proposed_level}"
