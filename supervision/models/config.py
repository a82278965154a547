"""The county's supervision settings (one row)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionSettings(models.Model):
    """The county's supervision settings: one row, edited by the county administrator in the admin."""

    class PeriodMonths(models.IntegerChoices):
        MONTHLY = 1, _("Monthly")
        QUARTERLY = 3, _("Quarterly")
        HALF_YEARLY = 6, _("Half-yearly")
        YEARLY = 12, _("Yearly")

    petition_deadline_days = models.PositiveSmallIntegerField(
        _("petition deadline (days)"), default=60, help_text=_("Days from receipt within which a petition must be concluded.")
    )
    disclosure_period_months = models.PositiveSmallIntegerField(
        _("affairs disclosure period"), choices=PeriodMonths.choices, default=PeriodMonths.QUARTERLY
    )
    disclosure_due_days = models.PositiveSmallIntegerField(
        _("disclosure due (days after the period)"),
        default=10,
        help_text=_("A disclosure published later than this many days after its period ends is late."),
    )

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")
        constraints = [
            models.CheckConstraint(name="supervision_settings_single_row", condition=models.Q(pk=1)),
            models.CheckConstraint(
                name="supervision_settings_deadline_positive", condition=models.Q(petition_deadline_days__gte=1)
            ),
        ]

    def __str__(self):
        return str(_("supervision settings"))
