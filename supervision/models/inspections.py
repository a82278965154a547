"""Inspections (巡查) and their rectification items."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import Recorded, user_field


class Inspection(Recorded):
    """An inspection (巡查) of villages of one township by a team."""

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    villages = models.ManyToManyField("cadres.Village", verbose_name=_("villages"), related_name="inspections")
    inspected_on = models.DateField(_("inspected on"))
    team = models.CharField(_("team"), max_length=100)
    findings = models.TextField(_("findings"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            # Inspection list: a township's inspections, newest first.
            models.Index(fields=["township", "-inspected_on"], name="inspection_township_idx"),
        ]

    def __str__(self):
        return f"{self.inspected_on:%Y-%m-%d} {self.team}"

    def get_absolute_url(self):
        return reverse("supervision:inspection_detail", args=[self.pk])


class RectificationItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Rectification not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Rectified")

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="items")
    village = models.ForeignKey(
        "cadres.Village", verbose_name=_("village"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("rectification item"), max_length=300)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("rectified on"), null=True, blank=True)
    updated_by = user_field(_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                name="rectification_done_has_date",
                condition=models.Q(status="done", done_on__isnull=False)
                | (~models.Q(status="done") & models.Q(done_on__isnull=True)),
            ),
        ]
        indexes = [
            # Inspection list: open items past their deadline.
            models.Index(fields=["status", "deadline"], name="rectification_status_idx"),
        ]

    def __str__(self):
        return self.description
