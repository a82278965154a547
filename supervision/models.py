"""Supervision (监督制约, DESIGN §7): petitions, inspections, affairs disclosure, warning education,
sanctions, investigations, one-vote vetoes and dismissals.

Sanctions, investigations and vetoes are the inputs of disqualifiers 2–4 and of the demotion
triggers; the promotion review reads them through ``supervision.selectors.review_facts``.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import Recorded, StatusStep, recorded_at_field, status_step_fields, user_field

from . import crypto


class SupervisionSettings(models.Model):
    """The county's supervision settings: one row, edited by the county administrator in the admin."""

    class PeriodMonths(models.IntegerChoices):
        MONTHLY = 1, _("Monthly")
        QUARTERLY = 3, _("Quarterly")
        HALF_YEARLY = 6, _("Half-yearly")
        YEARLY = 12, _("Yearly")

    petition_deadline_days = models.PositiveSmallIntegerField(
        _("petition deadline (days)"), default=60, help_text=_("Days from receipt within which a petition must be concluded.")
    )
    disclosure_period_months = models.PositiveSmallIntegerField(
        _("affairs disclosure period"), choices=PeriodMonths.choices, default=PeriodMonths.QUARTERLY
    )
    disclosure_due_days = models.PositiveSmallIntegerField(
        _("disclosure due (days after the period)"),
        default=10,
        help_text=_("A disclosure published later than this many days after its period ends is late."),
    )

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")
        constraints = [
            models.CheckConstraint(name="supervision_settings_single_row", condition=models.Q(pk=1)),
            models.CheckConstraint(
                name="supervision_settings_deadline_positive", condition=models.Q(petition_deadline_days__gte=1)
            ),
        ]

    def __str__(self):
        return str(_("supervision settings"))


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
    # Name, phone and address of a named reporter, Fernet-encrypted (crypto.py). Never rendered,
    # exported or serialized except through reporter_for() for a supervisor.
    reporter_encrypted = models.TextField(_("reporter (encrypted)"), blank=True, editable=False)
    summary = models.CharField(_("summary"), max_length=200)
    content = models.TextField(_("content"))
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
        return self.summary

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
        OPEN = "open", _("Not started")
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


class AffairsDisclosure(Recorded):
    """One category of village affairs published (村务公开) for one village and period."""

    class Category(models.TextChoices):
        FINANCE = "finance", _("Finance")
        MAJOR_DECISIONS = "major_decisions", _("Major decisions")
        POLICY_BENEFITS = "policy_benefits", _("Policy benefits")

    village = models.ForeignKey("cadres.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="disclosures")
    period_start = models.DateField(_("period"), help_text=_("First day of the disclosure period."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    published_on = models.DateField(_("published on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("affairs disclosure")
        verbose_name_plural = _("affairs disclosures")
        ordering = ["-period_start", "village", "category"]
        constraints = [
            models.UniqueConstraint(fields=["village", "period_start", "category"], name="disclosure_unique_per_period"),
        ]
        indexes = [
            # Disclosure page and daily job: all villages' disclosures of one period.
            models.Index(fields=["period_start", "village"], name="disclosure_period_idx"),
        ]

    def __str__(self):
        return f"{self.village} {self.period_start:%Y-%m} {self.get_category_display()}"


class DisclosureFlag(models.Model):
    """Written by the daily job: a category of a village's disclosure that is missing or was published late."""

    class Kind(models.TextChoices):
        MISSING = "missing", _("Missing")
        LATE = "late", _("Late")

    village = models.ForeignKey("cadres.Village", verbose_name=_("village"), on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("period"))
    category = models.CharField(_("category"), max_length=20, choices=AffairsDisclosure.Category.choices)
    kind = models.CharField(_("problem"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    flagged_on = models.DateField(_("flagged on"))

    class Meta:
        verbose_name = _("disclosure flag")
        verbose_name_plural = _("disclosure flags")
        ordering = ["-period_start", "village", "category"]
        constraints = [
            models.UniqueConstraint(fields=["village", "period_start", "category"], name="disclosure_flag_unique"),
        ]
        indexes = [
            # Disclosure page: the flags of one period.
            models.Index(fields=["period_start", "kind"], name="disclosure_flag_period_idx"),
        ]

    def __str__(self):
        return f"{self.village} {self.period_start:%Y-%m} {self.get_kind_display()}"


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
    decided_by_body = models.CharField(_("decided by"), max_length=100, blank=True)
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
        constraints = [
            models.CheckConstraint(
                name="sanction_period_after_decision",
                condition=models.Q(effective_until__isnull=True) | models.Q(effective_until__gte=models.F("decided_on")),
            ),
        ]
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
        constraints = [
            models.CheckConstraint(
                name="investigation_closed_after_opened",
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
            ),
        ]
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


class Dismissal(models.Model):
    """Dismissal (清退): ends the cadre's post; the rank allowance stops from the next month."""

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="dismissals")
    dismissed_on = models.DateField(_("dismissed on"))
    reason = models.CharField(_("reason"), max_length=300)
    sanction = models.ForeignKey(
        Sanction, verbose_name=_("linked sanction"), null=True, blank=True, on_delete=models.PROTECT, related_name="dismissals"
    )
    decided_by = user_field(_("recorded by"))
    created_at = recorded_at_field()

    class Meta:
        verbose_name = _("dismissal")
        verbose_name_plural = _("dismissals")
        ordering = ["-dismissed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["cadre"], name="dismissal_once_per_cadre")]

    def __str__(self):
        return f"{self.cadre} {self.dismissed_on:%Y-%m-%d}"
