"""The reserve talent pool (后备干部库, DESIGN §13): reserve cadres of a village, their steps, training and
practice, and their yearly assessment.

The resident ID number is the cadre's own implementation, not a copy: the three stored columns are clones
of ``Cadre``'s fields and the methods that fill and read them are ``Cadre``'s functions (validation,
encryption, hashing and masking all live in ``cadre_mgmt.cadres.idnumbers``).
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.records import Recorded, StatusStep, status_step_fields, user_field

from ..training_fields import TrainingFields


def cadre_field(name):
    """A fresh copy of the cadre's field ``name`` (same type, length, choices, label)."""
    return Cadre._meta.get_field(name).clone()


class Reserve(models.Model):
    class Source(models.TextChoices):
        GRADUATE = "graduate", _("Returned graduate")
        ENTREPRENEUR = "entrepreneur", _("Returned entrepreneur")
        VETERAN = "veteran", _("Demobilized soldier")
        TALENT = "talent", _("Village talent")
        OTHER = "other", _("Other source")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CULTIVATING = "cultivating", _("In cultivation")
        APPOINTED = "appointed", _("Appointed")
        WITHDRAWN = "withdrawn", _("Withdrawn from the pool")

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("cadres.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="reserves")
    name = cadre_field("name")
    gender = cadre_field("gender")
    birth_date = cadre_field("birth_date")
    id_number_encrypted = cadre_field("id_number_encrypted")
    id_number_hash = cadre_field("id_number_hash")
    id_number_masked = cadre_field("id_number_masked")
    phone = cadre_field("phone")
    political_status = cadre_field("political_status")
    education = cadre_field("education")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    target_post = models.ForeignKey(
        "cadres.Post", verbose_name=_("post prepared for"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    mentor = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentees", null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    registered_on = models.DateField(_("registered on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)
    cadre = models.OneToOneField(
        "cadres.Cadre", verbose_name=_("appointed as"), on_delete=models.PROTECT, related_name="reserve", null=True, blank=True
    )
    recorded_by = user_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # The cadre's functions, shared (not copied): they read and write the fields cloned above.
    # (typed Any: the type checker would insist on a Cadre as ``self``; they only read the cloned fields).
    assign_id_number: Any = Cadre.assign_id_number
    id_number: Any = Cadre.id_number
    id_number_for: Any = Cadre.id_number_for

    class Meta:
        verbose_name = _("reserve cadre")
        verbose_name_plural = _("reserve cadres")
        ordering = ["township__sort_order", "village__sort_order", "village__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="reserve_unique_id_number"),
            models.CheckConstraint(
                name="reserve_ended_has_date",
                condition=models.Q(status__in=["registered", "cultivating"], ended_on__isnull=True)
                | models.Q(status__in=["appointed", "withdrawn"], ended_on__isnull=False),
            ),
            models.CheckConstraint(
                name="reserve_withdrawn_has_reason",
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawal_reason=""),
            ),
            models.CheckConstraint(
                name="reserve_appointed_has_cadre",
                condition=~models.Q(status="appointed") | models.Q(cadre__isnull=False),
            ),
        ]
        indexes = [
            # Pool overview and list: a township's reserves by village and status.
            models.Index(fields=["township", "village", "status"], name="reserve_township_village_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status in {self.Status.REGISTERED, self.Status.CULTIVATING}


class ReserveStep(StatusStep):
    """Append-only: each status step of a reserve (registered → in cultivation → appointed / withdrawn)."""

    CASE_FIELD = "reserve"

    reserve = models.ForeignKey(Reserve, verbose_name=_("reserve cadre"), on_delete=models.CASCADE, related_name="steps")
    from_status, to_status = status_step_fields(Reserve.Status.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reserve step")
        verbose_name_plural = _("reserve steps")
        ordering = ["reserve", "at", "id"]
        indexes = [models.Index(fields=["reserve", "at"], name="reserve_step_idx")]


class ReserveTraining(Recorded, TrainingFields):
    """A reserve's training course or practice post (the training record's fields, for a reserve)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        PRACTICE = "practice", _("Practice")

    reserve = models.ForeignKey(Reserve, verbose_name=_("reserve cadre"), on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TRAINING)

    class Meta:
        verbose_name = _("reserve training")
        verbose_name_plural = _("reserve trainings")
        ordering = ["-trained_on", "-id"]
        constraints = [models.CheckConstraint(name="reserve_training_hours_positive", condition=models.Q(hours__gt=0))]
        indexes = [models.Index(fields=["reserve", "trained_on"], name="reserve_training_idx")]

    def __str__(self):
        return f"{self.reserve} {self.course}"


class ReserveAssessment(Recorded):
    """One assessment per reserve and year (优秀 / 称职 / 基本称职 / 不称职) with a comment."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        COMPETENT = "competent", _("Competent")
        BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
        INCOMPETENT = "incompetent", _("Incompetent")

    reserve = models.ForeignKey(Reserve, verbose_name=_("reserve cadre"), on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    comment = models.CharField(_("assessment comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reserve assessment")
        verbose_name_plural = _("reserve assessments")
        ordering = ["reserve", "-year"]
        constraints = [models.UniqueConstraint(fields=["reserve", "year"], name="reserve_assessment_one_per_year")]

    def __str__(self):
        return f"{self.reserve} {self.year}"


class ReservePoolSetting(models.Model):
    """The county's minimum number of reserves per village (one row, pk=1)."""

    minimum_per_village = models.PositiveSmallIntegerField(_("minimum reserves per village"), default=2)

    class Meta:
        verbose_name = _("reserve pool setting")
        verbose_name_plural = _("reserve pool settings")

    def __str__(self):
        return str(self.minimum_per_village)
