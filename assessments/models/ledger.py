"""The daily ledger: its categories and entries."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
