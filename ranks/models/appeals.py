"""Appeals (申诉, DESIGN §12) and the cadre's in-app notices.

An appeal contests one decision about the cadre (a confirmed annual grade, a decided proposal, a demotion,
a sanction): filed → township comment → county decision (upheld / partly upheld / dismissed). The subject
is named by kind and id and its text is frozen at filing, so the appeal reads the same whatever follows.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .ladder import RankChange

DAYS = [MinValueValidator(1), MaxValueValidator(365)]


class AppealSettings(models.Model):
    """The three deadlines of DESIGN §12 (one row, pk=1), changed by the county administrator in the admin."""

    filing_days = models.PositiveSmallIntegerField(_("days to file an appeal after a decision"), default=15, validators=DAYS)
    comment_days = models.PositiveSmallIntegerField(_("days for the township's comment"), default=10, validators=DAYS)
    decision_days = models.PositiveSmallIntegerField(_("days for the county's decision from filing"), default=30, validators=DAYS)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("appeal deadlines")
        verbose_name_plural = _("appeal deadlines")

    def __str__(self):
        return str(_("appeal deadlines"))


class Appeal(models.Model):
    class Subject(models.TextChoices):
        GRADE = "grade", _("Annual grade")
        PROPOSAL = "proposal", _("Promotion review decision")
        DEMOTION = "demotion", _("Demotion")
        SANCTION = "sanction", _("Sanction")

    class Status(models.TextChoices):
        FILED = "filed", _("Awaiting the township's comment")
        COMMENTED = "commented", _("Awaiting the county's decision")
        DECIDED = "decided", _("Decided")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
        DISMISSED = "dismissed", _("Dismissed")

    class Remedy(models.TextChoices):
        NONE = "", _("None")
        CORRECTION = "correction", _("Correction of the rank change")
        PROPOSAL = "proposal", _("Proposal sent to the county again")
        REGRADE = "regrade", _("Regrade by the county")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="appeals")
    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    subject_kind = models.CharField(_("appeal against"), max_length=10, choices=Subject.choices)
    subject_id = models.PositiveIntegerField(_("decision record"))
    subject_label = models.CharField(_("appealed decision"), max_length=300)
    subject_decided_on = models.DateField(_("decided on"))
    reasons = models.TextField(_("reasons"), max_length=3000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))
    comment_due = models.DateField(_("township comment due"))
    decision_due = models.DateField(_("county decision due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.FILED)
    township_comment = models.TextField(_("township comment"), max_length=2000, blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commented by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commented_at = models.DateTimeField(_("commented at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    remedy = models.CharField(_("what follows"), max_length=10, choices=Remedy.choices, blank=True)
    correction = models.OneToOneField(
        RankChange, verbose_name=_("correction"), null=True, blank=True, on_delete=models.PROTECT, related_name="appeal"
    )
    # Set by the county's decision on a grade appeal: the grade is to be done again; if the promotion review
    # already used it, the next review must look at the cadre again.
    regrade_required = models.BooleanField(_("regrade required"), default=False)
    # Set by the daily job (ranks.flag_overdue_appeals) when the step that is due is past its date.
    overdue = models.BooleanField(_("overdue"), default=False)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-id"]
        constraints = [
            # One open appeal per decision: a second one waits for the first to be decided.
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id"],
                condition=~models.Q(status="decided"),
                name="appeal_one_open_per_decision",
            ),
            models.CheckConstraint(
                name="appeal_decided_has_outcome",
                condition=~models.Q(status="decided") | (~models.Q(outcome="") & models.Q(decided_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="appeal_remedy_only_if_upheld",
                condition=models.Q(remedy="") | models.Q(outcome__in=["upheld", "partly_upheld"]),
            ),
        ]
        indexes = [
            # The waiting lists of the dashboards and the daily overdue job: open appeals by township.
            models.Index(fields=["status", "township"], name="appeal_status_township_idx"),
            # The cadre's own appeals page.
            models.Index(fields=["cadre", "-filed_at"], name="appeal_cadre_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.subject_label}"

    @property
    def is_open(self):
        return self.status != self.Status.DECIDED


class AppealAttachment(models.Model):
    """A file the cadre adds to an appeal: the ledger's checks (type by extension and content, size)."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="appeals/", max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal attachment")
        verbose_name_plural = _("appeal attachments")
        ordering = ["appeal", "id"]

    def __str__(self):
        return self.name


class Notice(models.Model):
    """What the cadre is told in the app (a new proposal about them, a decision, an appeal's progress)."""

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(_("notice"), max_length=300)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        # The cadre's notices page and the unread count in the header.
        indexes = [models.Index(fields=["cadre", "-created_at"], name="notice_cadre_idx")]

    def __str__(self):
        return self.text
