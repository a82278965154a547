"""Warning education sessions (警示教育)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import Recorded


class WarningEducationSession(Recorded):
    """A warning education session (警示教育) and the cadres who attended."""

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    location = models.CharField(_("location"), max_length=100, blank=True)
    content = models.TextField(_("content"), blank=True)
    attendees = models.ManyToManyField("cadres.Cadre", verbose_name=_("attendees"), related_name="warning_sessions", blank=True)

    class Meta:
        verbose_name = _("warning education session")
        verbose_name_plural = _("warning education sessions")
        ordering = ["-held_on", "-id"]
        indexes = [
            # Warning education list: a township's sessions, newest first.
            models.Index(fields=["township", "-held_on"], name="warning_session_township_idx"),
        ]

    def __str__(self):
        return self.title
