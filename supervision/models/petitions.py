"""Petitions and reports (信访举报) and their status steps."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import Recorded, StatusStep, status_step_fields

from .. import crypto

SUMMARY_WARNING = _("The summary is shown to the township: do not write the reporter's identity in it.")
NO_SUMMARY = _("(No summary given by the discipline inspection commission)")


class Petition(Recorded):
    """A petition or report (信访举报). The reporter's identity is stored encrypted; see ``reporter_for``."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        VISIT = "visit", _("Visit in person")
        PHONE = "phone", _("Telephone")
        ONLINE = "online", _("Online platform")
        REFERRED = "referred", _("Referred by a higher authority")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        INVESTIGATING = "investigating", _("Investigating")
        CONCLUDED = "concluded", _("Concluded")
        CLOSED = "closed", _("Closed")

    class Conclusion(models.TextChoices):
        SUBSTANTIATED = "substantiated", _("Substantiated")
        PARTLY = "partly", _("Partly substantiated")
        UNFOUNDED = "unfounded", _("Unfounded")

    OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.INVESTIGATING)

    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "cadres.Village", verbose_name=_("village"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("subject cadre"), null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # Name, phone and address of a named reporter, SM4-encrypted (crypto.py). Never rendered,
    # exported or serialized except through reporter_for() for a supervisor.
    reporter_encrypted = models.TextField(_("reporter (encrypted)"), blank=True, editable=False)
    # What the township reads (list, detail, export, the cadre file): never the reporter's identity.
    summary = models.CharField(_("summary"), max_length=200, help_text=SUMMARY_WARNING)
    # The petition as received. Shown and exported to supervisors only, through content_for(): a reporter is
    # often named in it ("举报人王某反映…"), and the accused's township must not read that. SM4-encrypted.
    content = models.TextField(_("full text"), help_text=_("Seen by the discipline inspection commission only."))
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.CharField(_("assigned to"), max_length=100, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices, blank=True)
    # Set by the daily job (supervision.tasks.flag_overdue_petitions) the first day a case is past its deadline.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="petition_has_subject", condition=models.Q(cadre__isnull=False) | models.Q(village__isnull=False)
            ),
            models.CheckConstraint(
                name="petition_deadline_after_receipt", condition=models.Q(deadline__gte=models.F("received_on"))
            ),
            models.CheckConstraint(
                name="petition_concluded_has_conclusion",
                condition=~models.Q(status__in=["concluded", "closed"]) | ~models.Q(conclusion=""),
            ),
            models.CheckConstraint(
                name="petition_anonymous_has_no_reporter", condition=models.Q(anonymous=False) | models.Q(reporter_encrypted="")
            ),
        ]
        indexes = [
            # Petition list: a township's petitions by status, newest first.
            models.Index(fields=["township", "status", "-received_on"], name="petition_township_status_idx"),
            # Daily overdue job: open cases by deadline.
            models.Index(fields=["status", "deadline"], name="petition_status_deadline_idx"),
        ]

    def __str__(self):
        return self.summary_shown

    @property
    def summary_shown(self) -> str:
        """The summary, or a placeholder when none was written: never the full text in its place."""
        return self.summary.strip() or str(NO_SUMMARY)

    def get_absolute_url(self):
        return reverse("supervision:petition_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def reporter_for(self, user) -> dict | None:
        """The reporter's identity ({"name", "phone", "address"}) for a supervisor; None for anyone else.

        The one place that reveals a petitioner: pages, exports and the admin all go through it.
        """
        if self.anonymous or user is None or not user.is_supervisor:
            return None
        return crypto.decrypt_identity(self.reporter_encrypted) or None

    def content_for(self, user) -> str | None:
        """The full text for a supervisor; None for anyone else (township staff, county users)."""
        if user is None or not user.is_supervisor:
            return None
        return crypto.decrypt_content(self.content)


class PetitionStep(StatusStep):
    """Append-only: each status change of a petition, with who and when."""

    CASE_FIELD = "petition"

    petition = models.ForeignKey(Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="steps")
    from_status, to_status = status_step_fields(Petition.Status.choices)
    assigned_to = models.CharField(_("assigned to"), max_length=100, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Petition.Conclusion.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("petition step")
        verbose_name_plural = _("petition steps")
        ordering = ["petition", "at", "id"]
        indexes = [
            # Petition detail: the history of one case.
            models.Index(fields=["petition", "at"], name="petition_step_petition_idx"),
        ]
