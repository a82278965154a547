"""Sanctions, investigations and one-vote vetoes: the inputs of disqualifiers 2–4 and the demotion triggers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import Recorded, open_or_ends_after, user_field

from .inspections import Inspection
from .petitions import Petition


class Sanction(Recorded):
    """A disciplinary sanction, admonition (诫勉) or organizational measure, with its effect period."""

    class Severity(models.TextChoices):
        ADMONITION = "admonition", _("Admonition")
        ORG_MEASURE = "org_measure", _("Organizational measure")
        PARTY_WARNING = "party_warning", _("Party warning")
        PARTY_SERIOUS_WARNING = "party_serious_warning", _("Party serious warning")
        PARTY_REMOVAL = "party_removal", _("Removal from Party post")
        PARTY_PROBATION = "party_probation", _("Party probation")
        PARTY_EXPULSION = "party_expulsion", _("Expulsion from the Party")
        GOV_WARNING = "gov_warning", _("Government warning")
        GOV_DEMERIT = "gov_demerit", _("Government demerit")
        GOV_MAJOR_DEMERIT = "gov_major_demerit", _("Government major demerit")
        GOV_DEMOTION = "gov_demotion", _("Government demotion")
        GOV_DISMISSAL = "gov_dismissal", _("Government dismissal")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="sanctions")
    severity = models.CharField(_("type"), max_length=30, choices=Severity.choices)
    decided_on = models.DateField(_("decided on"))
    # Last day of the effect period (影响期), inclusive; empty = no end (expulsion, dismissal).
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    decided_by_body = models.CharField(_("deciding authority"), max_length=100, blank=True)
    description = models.TextField(_("description"))
    petition = models.ForeignKey(
        Petition, verbose_name=_("linked petition"), null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("linked inspection"), null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-decided_on", "-id"]
        constraints = [open_or_ends_after("sanction_period_after_decision", start="decided_on", end="effective_until")]
        indexes = [
            # review_facts and the cadre's sanctions: by cadre and decision date.
            models.Index(fields=["cadre", "decided_on"], name="sanction_cadre_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_severity_display()} {self.decided_on:%Y-%m-%d}"


class Investigation(Recorded):
    """A case under investigation (立案审查调查). Open until concluded; may suspend the cadre meanwhile."""

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="investigations")
    opened_on = models.DateField(_("opened on"))
    description = models.TextField(_("description"))
    suspended = models.BooleanField(
        _("suspended from post"), default=False, help_text=_("The cadre is suspended (停职) while it is open.")
    )
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("linked petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investigations",
    )
    closed_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    closed_by = user_field(_("concluded by"), null=True, blank=True)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-opened_on", "-id"]
        constraints = [open_or_ends_after("investigation_closed_after_opened", start="opened_on", end="closed_on")]
        indexes = [
            # review_facts: a cadre's investigations open on a day.
            models.Index(fields=["cadre", "opened_on"], name="investigation_cadre_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.opened_on:%Y-%m-%d}"


class VetoEvent(Recorded):
    """A one-vote veto (一票否决) charged to a cadre for an assessment year.

    ``year`` is the assessment year the veto counts against; it usually equals the year of
    ``occurred_on`` but a case concluded in January may be charged to the year before. A veto
    recorded in error is revoked (kept, with who and why), never deleted.
    """

    class Kind(models.TextChoices):
        SAFETY_ACCIDENT = "safety_accident", _("Serious safety accident")
        PETITION_SUBSTANTIATED = "petition_substantiated", _("Major petition found substantiated")
        MASS_INCIDENT = "mass_incident", _("Mass incident")
        OTHER = "other", _("Other")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="veto_events")
    year = models.PositiveSmallIntegerField(_("assessment year"))
    occurred_on = models.DateField(_("occurred on"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    reason = models.TextField(_("reason"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = user_field(_("revoked by"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("veto event")
        verbose_name_plural = _("veto events")
        ordering = ["-year", "-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(name="veto_year_plausible", condition=models.Q(year__gte=2000) & models.Q(year__lte=2100)),
            models.CheckConstraint(
                name="veto_revoked_has_who",
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_by__isnull=False),
            ),
        ]
        indexes = [
            # cadre_ids_with_veto / review_facts: the vetoes of a year for a set of cadres.
            models.Index(fields=["year", "cadre"], name="veto_year_cadre_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.year} {self.get_kind_display()}"

    @property
    def is_active(self):
        return self.revoked_at is None
