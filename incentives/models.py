"""Incentives (激励保障, DESIGN §6): commendations and their points table, training, social insurance and
housing fund, political recommendations, hardship aid, and the county's pay scale."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import Recorded, StatusStep, recorded_at_field, status_step_fields, user_field

from .training_fields import TrainingFields

MONEY = {"max_digits": 12, "decimal_places": 2}


class CommendationLevel(models.TextChoices):
    COUNTY = "county", _("County level")
    CITY = "city", _("City level")
    PROVINCE = "province", _("Province level")
    NATIONAL = "national", _("National level")


class CommendationPoints(models.Model):
    """The county's points table for commendations (DESIGN §5), edited by the county administrator."""

    level = models.CharField(_("commendation level"), max_length=10, choices=CommendationLevel.choices, unique=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commendation points")
        verbose_name_plural = _("commendation points")
        ordering = ["points"]
        constraints = [models.CheckConstraint(name="commendation_points_not_negative", condition=models.Q(points__gte=0))]

    def __str__(self):
        return f"{self.get_level_display()}: {self.points}"


class Commendation(Recorded):
    """A commendation of a cadre, or of a village (collective honour: counted for its secretary and director)."""

    Level = CommendationLevel

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), null=True, blank=True, on_delete=models.PROTECT, related_name="commendations"
    )
    village = models.ForeignKey(
        "cadres.Village",
        verbose_name=_("village (collective honour)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    level = models.CharField(_("commendation level"), max_length=10, choices=CommendationLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=100)
    awarded_on = models.DateField(_("awarded on"))

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="commendation_cadre_or_village",
                condition=(models.Q(cadre__isnull=False) & models.Q(village__isnull=True))
                | (models.Q(cadre__isnull=True) & models.Q(village__isnull=False)),
            ),
        ]
        indexes = [
            # commendations_for (promotion review points): a set of cadres' honours up to a day.
            models.Index(fields=["cadre", "awarded_on"], name="commendation_cadre_idx"),
            # commendations_for: collective honours of the cadres' villages.
            models.Index(fields=["village", "awarded_on"], name="commendation_village_idx"),
            # Commendation list: a township's honours, newest first.
            models.Index(fields=["township", "-awarded_on"], name="commendation_township_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def collective(self):
        return self.village_id is not None


class TrainingRecord(Recorded, TrainingFields):
    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="trainings")

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-trained_on", "-id"]
        constraints = [models.CheckConstraint(name="training_hours_positive", condition=models.Q(hours__gt=0))]
        indexes = [
            # Training list and yearly totals: a cadre's records by date.
            models.Index(fields=["cadre", "trained_on"], name="training_cadre_date_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.course}"


class InsuranceEnrolment(models.Model):
    """Social insurance or housing fund enrolment of a cadre: one row per scheme."""

    class Scheme(models.TextChoices):
        PENSION = "pension", _("Basic pension insurance")
        MEDICAL = "medical", _("Basic medical insurance")
        WORK_INJURY = "work_injury", _("Work injury insurance")
        ACCIDENT = "accident", _("Personal accident insurance")
        HOUSING_FUND = "housing_fund", _("Housing provident fund")

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="insurances")
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    start_month = models.DateField(_("start month"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = user_field(_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("insurance enrolment")
        verbose_name_plural = _("insurance enrolments")
        ordering = ["cadre", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "scheme"], name="insurance_one_per_scheme"),
            models.CheckConstraint(name="insurance_start_first_of_month", condition=models.Q(start_month__day=1)),
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_scheme_display()}"


class PoliticalRecommendation(models.Model):
    """Recommendation of a cadre as Party congress delegate, people's congress deputy or CPPCC member."""

    class Kind(models.TextChoices):
        PARTY_CONGRESS = "party_congress", _("Party congress delegate")
        PEOPLES_CONGRESS = "peoples_congress", _("People's congress deputy")
        CPPCC = "cppcc", _("CPPCC member")

    class Level(models.TextChoices):
        TOWNSHIP = "township", _("Township level")
        COUNTY = "county", _("County level")
        CITY = "city", _("City level")
        PROVINCE = "province", _("Province level")

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended")
        ELECTED = "elected", _("Elected")
        NOT_ELECTED = "not_elected", _("Not elected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="recommendations")
    kind = models.CharField(_("recommended as"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("recommendation level"), max_length=10, choices=Level.choices)
    recommended_on = models.DateField(_("recommended on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECOMMENDED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = user_field(_("recorded by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("political recommendation")
        verbose_name_plural = _("political recommendations")
        ordering = ["-recommended_on", "-id"]

    def __str__(self):
        return f"{self.cadre} {self.get_kind_display()}"


class HardshipAid(models.Model):
    """Hardship aid (困难帮扶): application → township review → county approval with the amount granted → paid."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        TOWNSHIP_APPROVED = "township_approved", _("Approved by the township")
        TOWNSHIP_REJECTED = "township_rejected", _("Rejected by the township")
        COUNTY_APPROVED = "county_approved", _("Approved by the county")
        COUNTY_REJECTED = "county_rejected", _("Rejected by the county")
        PAID = "paid", _("Paid")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="hardship_aids")
    reason = models.CharField(_("reason"), max_length=300)
    amount_requested = models.DecimalField(_("amount requested"), **MONEY)
    supporting_note = models.TextField(_("supporting note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    amount_granted = models.DecimalField(_("amount granted"), null=True, blank=True, **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    applied_by = user_field(_("applied by"))
    created_at = recorded_at_field(_("applied at"))

    class Meta:
        verbose_name = _("hardship aid")
        verbose_name_plural = _("hardship aid")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="hardship_aid_requested_positive", condition=models.Q(amount_requested__gt=0)),
            models.CheckConstraint(
                name="hardship_aid_granted_when_approved",
                condition=~models.Q(status__in=["county_approved", "paid"])
                | (models.Q(amount_granted__isnull=False) & models.Q(amount_granted__gt=0)),
            ),
            models.CheckConstraint(
                name="hardship_aid_paid_has_date",
                condition=models.Q(status="paid", paid_on__isnull=False)
                | (~models.Q(status="paid") & models.Q(paid_on__isnull=True)),
            ),
        ]
        indexes = [
            # Hardship aid list: cases by status (the county's queue), newest first.
            models.Index(fields=["status", "-created_at"], name="hardship_aid_status_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.reason}"

    def get_absolute_url(self):
        return reverse("incentives:aid_detail", args=[self.pk])


class HardshipAidStep(StatusStep):
    """Append-only: each step of a hardship aid case, with who and when."""

    CASE_FIELD = "aid"

    aid = models.ForeignKey(HardshipAid, verbose_name=_("hardship aid"), on_delete=models.CASCADE, related_name="steps")
    from_status, to_status = status_step_fields(HardshipAid.Status.choices)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hardship aid step")
        verbose_name_plural = _("hardship aid steps")
        ordering = ["aid", "at", "id"]
        indexes = [
            # Hardship aid detail: the history of one case.
            models.Index(fields=["aid", "at"], name="hardship_aid_step_idx"),
        ]


class PayScale(models.Model):
    """The county's monthly base and performance pay, effective-dated, per post (empty post: every paid post).

    A row applies from ``effective_from`` until a later row for the same post; a past month is never
    changed: a new amount is a new row from a later month.
    """

    effective_from = models.DateField(_("effective from"), help_text=_("First day of a month."))
    post = models.ForeignKey(
        "cadres.Post",
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the default of every paid post."),
    )
    base_pay = models.DecimalField(_("base pay"), **MONEY)
    performance_pay = models.DecimalField(_("performance pay"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = user_field(_("recorded by"))
    created_at = recorded_at_field()

    class Meta:
        verbose_name = _("pay scale")
        verbose_name_plural = _("pay scales")
        ordering = ["-effective_from", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from", "post"], condition=models.Q(post__isnull=False), name="pay_scale_unique_post_month"
            ),
            models.UniqueConstraint(
                fields=["effective_from"], condition=models.Q(post__isnull=True), name="pay_scale_unique_default_month"
            ),
            models.CheckConstraint(name="pay_scale_first_of_month", condition=models.Q(effective_from__day=1)),
            models.CheckConstraint(
                name="pay_scale_not_negative", condition=models.Q(base_pay__gte=0) & models.Q(performance_pay__gte=0)
            ),
        ]
        indexes = [
            # pay_components: the latest row on or before a month.
            models.Index(fields=["post", "-effective_from"], name="pay_scale_post_month_idx"),
        ]

    def __str__(self):
        return f"{self.effective_from:%Y-%m} {self.post or _('All paid posts')}"


# The packages' models (reserve pool, Party-branch meetings, revitalization projects) belong to this app.
from .branches.models import BranchMeeting, RevitalizationProject  # noqa: E402, F401
from .reserves.models import Reserve, ReserveAssessment, ReservePoolSetting, ReserveStep, ReserveTraining  # noqa: E402, F401
