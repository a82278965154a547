"""The ladder and rank history (DESIGN §3): ladder steps, the effective-dated allowance schedule and the
append-only rank history. The level on a date and the allowance of a month are derived from these by
``ranks.ladder.selectors``, never stored on the cadre."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

LOWEST_LEVEL = 13
HIGHEST_LEVEL = 1
level_validators = [MinValueValidator(HIGHEST_LEVEL), MaxValueValidator(LOWEST_LEVEL)]


def first_of_month_check(value, field):
    if value is not None and value.day != 1:
        raise ValidationError({field: _("Give the first day of a month.")})


class LadderStep(models.Model):
    """One promotion step of the 13-level ladder: from ``from_level`` to ``from_level - 1``."""

    class CommendationLevel(models.TextChoices):
        COUNTY = "county", _("County level or higher")
        CITY = "city", _("City level or higher")
        PROVINCE = "province", _("Province level or higher")
        NATIONAL = "national", _("National level")

    from_level = models.PositiveSmallIntegerField(
        _("from level"), unique=True, validators=[MinValueValidator(2), MaxValueValidator(LOWEST_LEVEL)]
    )
    years_required = models.PositiveSmallIntegerField(
        _("years at the level"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    requires_excellent_year = models.BooleanField(_("needs an excellent year at the level"), default=False)
    required_commendation_level = models.CharField(
        _("needs a commendation of at least"), max_length=10, choices=CommendationLevel.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        ordering = ["-from_level"]
        constraints = [
            models.CheckConstraint(name="ladder_step_from_level_2_13", condition=models.Q(from_level__gte=2, from_level__lte=13)),
            models.CheckConstraint(name="ladder_step_years_positive", condition=models.Q(years_required__gte=1)),
        ]

    def __str__(self):
        return f"{self.from_level} → {self.to_level}"

    @property
    def to_level(self):
        return self.from_level - 1


class AllowanceSchedule(models.Model):
    """Yuan per level gained, in force from ``effective_from`` (first day of a month) until the next row."""

    effective_from = models.DateField(_("effective from month"), unique=True)
    amount_per_level = models.DecimalField(
        _("yuan per level per month"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("allowance schedule")
        verbose_name_plural = _("allowance schedule")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(name="allowance_schedule_amount_not_negative", condition=models.Q(amount_per_level__gte=0)),
        ]

    def __str__(self):
        return f"{self.effective_from:%Y-%m} {self.amount_per_level}"

    def clean(self):
        first_of_month_check(self.effective_from, "effective_from")


class RankChange(models.Model):
    """Append-only rank history. A mistaken record is reversed by a new (correction) record, never edited."""

    class Kind(models.TextChoices):
        INITIAL_GRADING = "initial_grading", _("Initial grading")
        PROMOTION = "promotion", _("Promotion")
        OUT_OF_TURN = "out_of_turn", _("Out-of-turn promotion")
        DEMOTION = "demotion", _("Demotion")
        CORRECTION = "correction", _("Correction")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="rank_changes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_level = models.PositiveSmallIntegerField(_("from level"), null=True, blank=True, validators=level_validators)
    to_level = models.PositiveSmallIntegerField(_("to level"), validators=level_validators)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"))
    effective_month = models.DateField(_("effective month"))
    reason = models.CharField(_("reason"), max_length=300)
    source = models.CharField(_("source"), max_length=100, blank=True)
    # A correction (DESIGN §3) names the change it reverses; a change is reversed at most once.
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        db_index=False,  # rank_change_reversed_once indexes it
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rank change")
        verbose_name_plural = _("rank history")
        ordering = ["cadre", "effective_month", "id"]
        constraints = [
            models.CheckConstraint(name="rank_change_to_level_1_13", condition=models.Q(to_level__gte=1, to_level__lte=13)),
            models.CheckConstraint(
                name="rank_change_from_level_1_13",
                condition=models.Q(from_level__isnull=True) | models.Q(from_level__gte=1, from_level__lte=13),
            ),
            models.CheckConstraint(
                name="rank_change_initial_has_no_from_level",
                condition=~models.Q(kind="initial_grading") | models.Q(from_level__isnull=True),
            ),
            models.UniqueConstraint(fields=["reverses"], name="rank_change_reversed_once"),
            models.CheckConstraint(
                name="rank_change_only_a_correction_reverses",
                condition=models.Q(reverses__isnull=True) | models.Q(kind="correction"),
            ),
        ]
        indexes = [
            # rank_states_on / roster generation: the latest change per cadre up to a month; cadre file history.
            models.Index(fields=["cadre", "effective_month", "id"], name="rank_change_cadre_month_idx"),
            # Roster generation: changes recorded after a roster was generated (adjustment lines).
            models.Index(fields=["created_at"], name="rank_change_created_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_kind_display()} → {self.to_level} ({self.effective_month:%Y-%m})"

    def clean(self):
        first_of_month_check(self.effective_month, "effective_month")
