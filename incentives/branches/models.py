"""Party-branch records (三会一课, theme education) and revitalization projects of a village (DESIGN §13).

Both are evidence beside the scores (the year-end political performance, the quarter's task areas);
neither computes a score.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import Recorded, open_or_ends_after

MONEY = {"max_digits": 12, "decimal_places": 2}


class BranchMeeting(Recorded):
    """A meeting or lesson of a village's Party branch and which of the village's cadres attended."""

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Branch members' meeting")
        COMMITTEE = "committee", _("Branch committee meeting")
        GROUP = "group", _("Party group meeting")
        LESSON = "lesson", _("Party lesson")
        THEME = "theme", _("Theme education")

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "cadres.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="branch_meetings"
    )
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField("cadres.Cadre", verbose_name=_("attendees"), related_name="branch_meetings", blank=True)

    class Meta:
        verbose_name = _("Party-branch meeting")
        verbose_name_plural = _("Party-branch meetings")
        ordering = ["-held_on", "-id"]
        indexes = [
            # Meeting list and attendance rates: a village's meetings by date.
            models.Index(fields=["village", "held_on"], name="branch_meeting_village_idx"),
            models.Index(fields=["township", "-held_on"], name="branch_meeting_township_idx"),
        ]

    def __str__(self):
        return self.topic


class RevitalizationProject(Recorded):
    """A village's rural revitalization project with the cadres responsible."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        ENVIRONMENT = "environment", _("Living environment")
        OTHER = "other", _("Other project")

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "cadres.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="revitalization_projects"
    )
    name = models.CharField(_("project"), max_length=200)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    budget = models.DecimalField(_("budget (yuan)"), **MONEY)
    progress = models.TextField(_("progress notes"), blank=True)
    responsible = models.ManyToManyField(
        "cadres.Cadre", verbose_name=_("cadres responsible"), related_name="revitalization_projects"
    )

    class Meta:
        verbose_name = _("revitalization project")
        verbose_name_plural = _("revitalization projects")
        ordering = ["-starts_on", "-id"]
        constraints = [
            open_or_ends_after("revitalization_project_period", start="starts_on", end="ends_on"),
            models.CheckConstraint(name="revitalization_project_budget", condition=models.Q(budget__gte=0)),
        ]
        indexes = [models.Index(fields=["township", "village", "starts_on"], name="revitalization_village_idx")]

    def __str__(self):
        return self.name
