"""Daily ledger, quarterly performance and annual comprehensive assessment (DESIGN §4).

Figures are entered once and reused: ledger score changes feed the ledger component of the
year, quarter scores feed the quarter mean, and the annual score and grade are computed from
them (``rules.py``), never typed. A quarter closed by its township locks its scores and the
ledger entries dated in it; a finalized year locks its review scores and settings.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs)


def percent_field(verbose_name, default, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, default=Decimal(default), validators=PERCENT_VALIDATORS, **kwargs
    )


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


class LedgerCategory(models.Model):
    """A kind of ledger entry (duty shift, household visit, meeting ...). The county administrator edits the list."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        LEAVE = "leave", _("Leave (carries a number of days)")
        ABSENCE = "absence", _("Absence without leave")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("ledger category")
        verbose_name_plural = _("ledger categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class LedgerEntry(models.Model):
    """One record of what a cadre did. Editable by its township until the quarter of ``date`` is closed."""

    # Denormalized from the cadre by the service so that the ledger page is one indexed filter.
    township = models.ForeignKey(
        "cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="ledger_entries")
    category = models.ForeignKey(LedgerCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    score_change = models.DecimalField(
        _("score change"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
    )
    leave_days = models.PositiveSmallIntegerField(_("days of leave"), null=True, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="ledger/", blank=True, max_length=200)
    attachment_name = models.CharField(_("attachment file name"), max_length=120, blank=True)
    # Entries made together for several cadres (a meeting) share a batch id.
    batch = models.UUIDField(_("batch"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="ledger_score_change_bounded",
                condition=models.Q(score_change__isnull=True)
                | (models.Q(score_change__gte=Decimal("-100")) & models.Q(score_change__lte=Decimal("100"))),
            ),
            models.CheckConstraint(
                name="ledger_leave_days_plausible",
                condition=models.Q(leave_days__isnull=True) | (models.Q(leave_days__gte=1) & models.Q(leave_days__lte=366)),
            ),
        ]
        indexes = [
            # Ledger page: the latest entries of one township, paged by (date, id) keyset.
            models.Index(fields=["township", "-date", "-id"], name="ledger_township_date_idx"),
            # Cadre file panel, ledger component of the annual score, attendance facts: one cadre's entries by date.
            models.Index(fields=["cadre", "date"], name="ledger_cadre_date_idx"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.cadre} {self.category}"


class TownshipQuarter(models.Model):
    """A township's quarter: its task areas and weights, open for scoring until the township closes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
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
        return f"{self.township} {self.year}Q{self.quarter}"

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


class TownshipYear(models.Model):
    """A township's assessment year: its weights (within the county's bounds) and the grading workflow.

    open → finalized by the township (grades fixed, the excellent cap applied) → confirmed by the county.
    The county may return a finalized year to the township, which reopens it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
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
