"""Mass evaluation by villagers (DESIGN §11).

Anonymity is kept by the shape of the tables, not by discretion: a ``Ballot`` has no reference to the
``EvaluationCode`` that let it in and no time finer than the day; a code only says "used on day D";
codes are stored as keyed hashes (HMAC), never in the clear. Pages read the tallies per cadre
(``RoundCadre``), which the vote increments in the same transaction as the ballot is stored.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def score_field(verbose_name, **kwargs):
    # Like assessments.models.fields.score_field (not imported: that package imports this module).
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **kwargs,
    )


MAX_SLIPS_PER_VILLAGE = 500


class EvaluationRound(models.Model):
    """One village's evaluation for one year; the cadres in post at opening are the ones rated."""

    class Status(models.TextChoices):
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Closed, results frozen")

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("cadres.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    closes_on = models.DateField(_("closes on"))
    min_ballots = models.PositiveSmallIntegerField(
        _("fewest ballots to show a result"), default=5, validators=[MinValueValidator(3), MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mass evaluation round")
        verbose_name_plural = _("mass evaluation rounds")
        ordering = ["-year", "village__sort_order", "village__name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="evaluation_round_village_year_unique"),
            models.CheckConstraint(name="evaluation_round_min_ballots_3", condition=models.Q(min_ballots__gte=3)),
            models.CheckConstraint(
                name="evaluation_round_closed_has_when",
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
            ),
        ]
        indexes = [
            # Round list: a township's rounds, newest year first.
            models.Index(fields=["township", "-year"], name="evaluation_round_township_idx"),
        ]

    def __str__(self):
        return f"{self.village} {self.year}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class RoundCadre(models.Model):
    """A cadre rated in a round, with the online tallies and, once closed, the frozen result."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="subjects")
    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basically = models.PositiveIntegerField(_("basically satisfied"), default=0)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)
    # Frozen at closing: ballots counted (online and confirmed paper) and the satisfaction, or None below the threshold.
    final_ballots = models.PositiveIntegerField(_("ballots"), null=True, blank=True)
    final_satisfaction = score_field(_("satisfaction (%)"), null=True, blank=True)
    override_score = score_field(_("score entered by the township"), null=True, blank=True)
    override_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rated cadre")
        verbose_name_plural = _("rated cadres")
        constraints = [
            models.UniqueConstraint(fields=["round", "cadre"], name="round_cadre_unique"),
            models.CheckConstraint(
                name="round_cadre_override_has_reason",
                condition=models.Q(override_score__isnull=True) | ~models.Q(override_reason=""),
            ),
        ]

    def __str__(self):
        return f"{self.round} {self.cadre}"


class SlipBatch(models.Model):
    """Slips issued at one time; the codes are shown once, in that download, and never again."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveSmallIntegerField(_("batch"))
    count = models.PositiveSmallIntegerField(_("slips"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("batch of slips")
        verbose_name_plural = _("batches of slips")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="slip_batch_round_number_unique"),
            models.CheckConstraint(name="slip_batch_count_positive", condition=models.Q(count__gte=1)),
        ]

    def __str__(self):
        return f"{self.round} #{self.number}"


class EvaluationCode(models.Model):
    """A one-time code, stored only as its keyed hash. It records that it was used and on which day, nothing more."""

    class Status(models.TextChoices):
        UNUSED = "unused", _("Unused")
        USED = "used", _("Used")
        VOIDED = "voided", _("Voided")

    batch = models.ForeignKey(SlipBatch, on_delete=models.CASCADE, related_name="codes")
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNUSED)
    used_on = models.DateField(_("used on"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation code")
        verbose_name_plural = _("evaluation codes")
        constraints = [
            models.CheckConstraint(
                name="evaluation_code_used_has_day",
                condition=~models.Q(status="used") | models.Q(used_on__isnull=False),
            ),
        ]
        indexes = [
            # Round page: used / unused / voided counts per batch.
            models.Index(fields=["round", "batch", "status"], name="evaluation_code_counts_idx"),
        ]

    def __str__(self):
        return f"{self.round} ({self.get_status_display()})"


class Ballot(models.Model):
    """One villager's answers. No code, no address, no time finer than the day; a random id so that
    the order of the rows says nothing about the order of the votes."""

    class Rating(models.TextChoices):
        SATISFIED = "s", _("Satisfied")
        BASICALLY = "b", _("Basically satisfied")
        DISSATISFIED = "d", _("Dissatisfied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="ballots")
    cast_on = models.DateField(_("cast on"))
    # {cadre id: "s" | "b" | "d"}: the cadres the villager rated (skipping one is allowed).
    ratings = models.JSONField(_("ratings"), default=dict)
    comment = models.TextField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return f"{self.round} {self.cast_on}"


class PaperTally(models.Model):
    """Paper ballots of one cadre, counted by hand: entered by one township user, confirmed by another."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="paper_tallies")
    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basically = models.PositiveIntegerField(_("basically satisfied"))
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")
        constraints = [
            models.UniqueConstraint(fields=["round", "cadre"], name="paper_tally_round_cadre_unique"),
            models.CheckConstraint(
                name="paper_tally_two_people",
                condition=models.Q(confirmed_by__isnull=True) | ~models.Q(confirmed_by=models.F("entered_by")),
            ),
        ]

    def __str__(self):
        return f"{self.round} {self.cadre}"

    @property
    def is_confirmed(self):
        return self.confirmed_by_id is not None
