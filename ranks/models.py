"""Rank ladder, effective-dated allowance schedule, append-only rank history, initial grading, rosters.

Everything here is written by ``ranks.services``; the level on a date and the allowance of a month
are derived by ``ranks.selectors`` from the history and the schedule, never stored on the cadre.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

LOWEST_LEVEL = 13
HIGHEST_LEVEL = 1
level_validators = [MinValueValidator(HIGHEST_LEVEL), MaxValueValidator(LOWEST_LEVEL)]


def _first_of_month(value, field):
    if value is not None and value.day != 1:
        raise ValidationError({field: _("Give the first day of a month.")})


class LadderStep(models.Model):
    """One promotion step of the 13-level ladder: from ``from_level`` to ``from_level - 1``."""

    class CommendationLevel(models.TextChoices):
        COUNTY = "county", _("County level or higher")
        CITY = "city", _("City level or higher")
        PROVINCE = "province", _("Province level or higher")
        NATIONAL = "national", _("National level")

    from_level = models.PositiveSmallIntegerField(
        _("from level"), unique=True, validators=[MinValueValidator(2), MaxValueValidator(LOWEST_LEVEL)]
    )
    years_required = models.PositiveSmallIntegerField(
        _("years at the level"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    requires_excellent_year = models.BooleanField(_("needs an excellent year at the level"), default=False)
    required_commendation_level = models.CharField(
        _("needs a commendation of at least"), max_length=10, choices=CommendationLevel.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        ordering = ["-from_level"]
        constraints = [
            models.CheckConstraint(name="ladder_step_from_level_2_13", condition=models.Q(from_level__gte=2, from_level__lte=13)),
            models.CheckConstraint(name="ladder_step_years_positive", condition=models.Q(years_required__gte=1)),
        ]

    def __str__(self):
        return f"{self.from_level} → {self.to_level}"

    @property
    def to_level(self):
        return self.from_level - 1


class AllowanceSchedule(models.Model):
    """Yuan per level gained, in force from ``effective_from`` (first day of a month) until the next row."""

    effective_from = models.DateField(_("effective from month"), unique=True)
    amount_per_level = models.DecimalField(
        _("yuan per level per month"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("allowance schedule")
        verbose_name_plural = _("allowance schedule")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(name="allowance_schedule_amount_not_negative", condition=models.Q(amount_per_level__gte=0)),
        ]

    def __str__(self):
        return f"{self.effective_from:%Y-%m} {self.amount_per_level}"

    def clean(self):
        _first_of_month(self.effective_from, "effective_from")


class InitialGradingRule(models.Model):
    """The county's rule for the level computed from years of service (one row, pk=1)."""

    years_per_level = models.PositiveSmallIntegerField(
        _("full years of service per level"), default=3, validators=[MinValueValidator(1)]
    )
    highest_level = models.PositiveSmallIntegerField(
        _("highest level by initial grading"), default=10, validators=level_validators
    )
    lower_for_basically_competent = models.BooleanField(
        _("one level lower for a basically competent grade in the last 3 years"), default=True
    )

    class Meta:
        verbose_name = _("initial grading rule")
        verbose_name_plural = _("initial grading rule")
        constraints = [
            models.CheckConstraint(
                name="grading_rule_highest_level_1_13", condition=models.Q(highest_level__gte=1, highest_level__lte=13)
            ),
        ]

    def __str__(self):
        return str(_("initial grading rule"))


class RankChange(models.Model):
    """Append-only rank history. A mistaken record is reversed by a new (correction) record, never edited."""

    class Kind(models.TextChoices):
        INITIAL_GRADING = "initial_grading", _("Initial grading")
        PROMOTION = "promotion", _("Promotion")
        OUT_OF_TURN = "out_of_turn", _("Out-of-turn promotion")
        DEMOTION = "demotion", _("Demotion")
        CORRECTION = "correction", _("Correction")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="rank_changes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_level = models.PositiveSmallIntegerField(_("from level"), null=True, blank=True, validators=level_validators)
    to_level = models.PositiveSmallIntegerField(_("to level"), validators=level_validators)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"))
    effective_month = models.DateField(_("effective month"))
    reason = models.CharField(_("reason"), max_length=300)
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rank change")
        verbose_name_plural = _("rank history")
        ordering = ["cadre", "effective_month", "id"]
        constraints = [
            models.CheckConstraint(name="rank_change_to_level_1_13", condition=models.Q(to_level__gte=1, to_level__lte=13)),
            models.CheckConstraint(
                name="rank_change_from_level_1_13",
                condition=models.Q(from_level__isnull=True) | models.Q(from_level__gte=1, from_level__lte=13),
            ),
            models.CheckConstraint(
                name="rank_change_initial_has_no_from_level",
                condition=~models.Q(kind="initial_grading") | models.Q(from_level__isnull=True),
            ),
        ]
        indexes = [
            # rank_states_on / roster generation: the latest change per cadre up to a month; cadre file history.
            models.Index(fields=["cadre", "effective_month", "id"], name="rank_change_cadre_month_idx"),
            # Roster generation: changes recorded after a roster was generated (adjustment lines).
            models.Index(fields=["created_at"], name="rank_change_created_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_kind_display()} → {self.to_level} ({self.effective_month:%Y-%m})"

    def clean(self):
        _first_of_month(self.effective_month, "effective_month")


class InitialGrading(models.Model):
    """A township's proposed initial level for a cadre without one; a county approver decides it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting county approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    cadre = models.ForeignKey("cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="initial_gradings")
    # Kept beside the cadre so the township-scoped lists are one indexed filter.
    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    computed_level = models.PositiveSmallIntegerField(_("computed level"), validators=level_validators)
    proposed_level = models.PositiveSmallIntegerField(_("proposed level"), validators=level_validators)
    years_served = models.PositiveSmallIntegerField(_("full years served"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.CharField(_("decision comment"), max_length=300, blank=True)
    rank_change = models.OneToOneField(
        RankChange, verbose_name=_("rank change"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("initial grading")
        verbose_name_plural = _("initial gradings")
        ordering = ["township", "cadre__village__sort_order", "cadre__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"],
                condition=models.Q(status__in=["submitted", "approved"]),
                name="initial_grading_one_open_per_cadre",
            ),
            models.CheckConstraint(
                name="initial_grading_levels_1_13",
                condition=models.Q(proposed_level__gte=1, proposed_level__lte=13, computed_level__gte=1, computed_level__lte=13),
            ),
        ]
        indexes = [
            # Initial grading page: a township's (or the county's) submitted gradings.
            models.Index(fields=["status", "township"], name="initial_grading_status_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} → {self.proposed_level}"


class Roster(models.Model):
    """The allowance roster of one month. Draft → locked by a county approver → immutable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LOCKED = "locked", _("Locked")

    month = models.DateField(_("month"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("locked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    total_amount = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                name="roster_locked_has_time",
                condition=models.Q(status="draft") | models.Q(locked_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"

    def clean(self):
        _first_of_month(self.month, "month")

    @property
    def is_locked(self):
        return self.status == self.Status.LOCKED


class RosterLine(models.Model):
    """One line as it was fixed: names and amounts are copied so a locked roster stays as it was paid."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Monthly allowance")
        BACK_PAY = "back_pay", _("Back payment")
        RECOVERY = "recovery", _("Recovery")

    # No single-column FK indexes: the composite indexes below cover every lookup, and each extra
    # index slows the insert of a 100,000-line roster.
    roster = models.ForeignKey(Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="lines", db_index=False)
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="roster_lines", db_index=False
    )
    township = models.ForeignKey(
        "cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    position = models.PositiveIntegerField(_("position"))
    township_name = models.CharField(_("township"), max_length=50)
    village_name = models.CharField(_("village"), max_length=50)
    cadre_name = models.CharField(_("name"), max_length=30)
    id_number_masked = models.CharField(_("ID number"), max_length=18)
    posts_text = models.CharField(_("posts"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), validators=level_validators)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    since_month = models.DateField(_("level since"), null=True, blank=True)
    covers_from = models.DateField(_("covers from"), null=True, blank=True)
    covers_to = models.DateField(_("covers to"), null=True, blank=True)
    # Adjustment lines: {"YYYY-MM": "amount"} per month covered, so later adjustments net against them.
    months_detail = models.JSONField(_("amount per month covered"), default=dict, blank=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("roster line")
        verbose_name_plural = _("roster lines")
        ordering = ["roster", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "cadre"], condition=models.Q(kind="regular"), name="roster_line_one_regular_per_cadre"
            ),
            models.CheckConstraint(name="roster_line_level_1_13", condition=models.Q(level__gte=1, level__lte=13)),
        ]
        indexes = [
            # Roster page and export: a month's lines in order, optionally one township's.
            models.Index(fields=["roster", "township", "position"], name="roster_line_page_idx"),
            models.Index(fields=["roster", "position"], name="roster_line_order_idx"),
            # Cadre file allowance history; adjustment computation for the cadres concerned.
            models.Index(fields=["cadre", "roster"], name="roster_line_cadre_idx"),
        ]

    def __str__(self):
        return f"{self.roster} {self.cadre_name} {self.amount}"


class RosterExport(models.Model):
    """A large roster export run as a job; the roster page polls its progress and offers the file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    roster = models.ForeignKey(Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    # None = every township (county users); otherwise the requester's township at request time.
    township = models.ForeignKey(
        "cadres.Township", verbose_name=_("township"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    full_id_numbers = models.BooleanField(_("full ID numbers"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to="exports/rosters/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster export")
        verbose_name_plural = _("roster exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(name="roster_export_progress_0_100", condition=models.Q(progress__lte=100)),
        ]
        indexes = [
            # Roster page: the requester's recent exports of this roster.
            models.Index(fields=["requested_by", "roster", "-created_at"], name="roster_export_user_idx"),
        ]

    def __str__(self):
        return f"{self.roster} {self.get_status_display()}"


# Promotion review (DESIGN §5) -------------------------------------------------------------------


class ReviewSettings(models.Model):
    """The county's promotion rule parameters (one row, pk=1): ``RuleSettings.to_dict()`` as JSON.

    Only the current values are kept; every change is an audit record with before and after, and every
    proposal freezes the parameters its conditions used. The commendation points are not stored here:
    they are the incentives area's table, read when a review starts.
    """

    rules = models.JSONField(_("rule parameters"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("promotion rule settings")
        verbose_name_plural = _("promotion rule settings")

    def __str__(self):
        return str(_("promotion rule settings"))


class PromotionReview(models.Model):
    """One run of the promotion review for an assessment year: who or what started it, its progress and counts.

    A run is split into one batch per township (``ReviewBatch``), each a Celery task. Two runs that write
    cannot overlap: the database allows one queued or running non-dry run per year (constraint
    ``review_one_active_per_year``: a second start at the same moment fails on the insert, it does not
    depend on timing), and each batch locks its own row while it writes, so a batch delivered twice writes once.
    """

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        PAGE = "page", _("Page")
        COMMAND = "command", _("Command")
        API = "api", _("API")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("assessment year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    dry_run = models.BooleanField(_("dry run"), default=False)
    trigger = models.CharField(_("started from"), max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    # The day the conditions are evaluated on: 31 December of the year, or today if that is earlier.
    review_date = models.DateField(_("evaluated on"))
    # Rules and ladder frozen at the start, so every batch of the run applies the same ones.
    parameters = models.JSONField(_("rules used"), default=dict, blank=True)
    batches_total = models.PositiveIntegerField(_("batches"), default=0)
    batches_done = models.PositiveIntegerField(_("batches finished"), default=0)
    # {"outcomes": {outcome: n}, "townships": [{"id", "name", outcome: n, "total"}], "writes": {...}, "total": n}
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.TextField(_("errors"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("promotion review")
        verbose_name_plural = _("promotion reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(dry_run=False, state__in=["queued", "running"]),
                name="review_one_active_per_year",
            ),
            models.CheckConstraint(
                name="review_batches_done_le_total", condition=models.Q(batches_done__lte=models.F("batches_total"))
            ),
        ]
        indexes = [
            # Review runs page (newest first) and the scheduled job's "already ran for this year?" check.
            models.Index(fields=["year", "dry_run", "-created_at"], name="review_year_idx"),
        ]

    def __str__(self):
        return f"{self.year} #{self.pk}"

    @property
    def is_active(self):
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class ReviewBatch(models.Model):
    """One township's part of a review run: one Celery task, written in one transaction (all or nothing)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    review = models.ForeignKey(
        PromotionReview, verbose_name=_("promotion review"), on_delete=models.CASCADE, related_name="batches"
    )
    township = models.ForeignKey("cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # {"outcomes": {outcome: n}, "total": n, "writes": {"created", "updated", "unchanged", "decided_kept"}}
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # Dry runs only: [[cadre id, outcome, from level, to level, [failed condition codes], points used], ...]
    results = models.JSONField(_("dry-run results"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review batch")
        verbose_name_plural = _("review batches")
        ordering = ["review", "township__sort_order", "township__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "township"], name="review_batch_one_per_township"),
        ]

    def __str__(self):
        return f"{self.review} {self.township}"


class Proposal(models.Model):
    """What the review proposes for one cadre in one year, with the explanation frozen as it was evaluated.

    Holds need no decision (status ``no_action``); a promotion, out-of-turn promotion or demotion goes
    pending → submitted by the township (remarks, supporting notes) → approved or rejected by the county.
    An approval writes the rank history record in the same transaction. Re-running the review refreshes
    undecided proposals and never touches a decided one (unique year + cadre).
    """

    class Outcome(models.TextChoices):
        PROMOTE = "promote", _("Promote")
        OUT_OF_TURN = "out_of_turn", _("Out-of-turn promotion")
        HOLD = "hold", _("Hold")
        DEMOTE = "demote", _("Demote")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting township check")
        SUBMITTED = "submitted", _("Awaiting county decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        NO_ACTION = "no_action", _("No change needed")

    DECIDED = (Status.APPROVED, Status.REJECTED)
    CHANGES = (Outcome.PROMOTE, Outcome.OUT_OF_TURN, Outcome.DEMOTE)

    # Nothing reads proposals by their run (runs are never deleted): no index to keep up on 100,000 inserts.
    review = models.ForeignKey(
        PromotionReview,
        verbose_name=_("evaluated by review"),
        on_delete=models.PROTECT,
        related_name="proposals",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("assessment year"))
    # Indexed by proposal_one_per_cadre_and_year, which leads with it.
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="proposals", db_index=False
    )
    # Kept beside the cadre so the township-scoped lists are one indexed filter (proposal_township_idx
    # leads with it, so the foreign key needs no index of its own).
    township = models.ForeignKey(
        "cadres.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    from_level = models.PositiveSmallIntegerField(_("from level"), validators=level_validators)
    to_level = models.PositiveSmallIntegerField(_("to level"), validators=level_validators)
    points_used = models.DecimalField(_("points used"), max_digits=12, decimal_places=2, default=0)
    dismissal_recommended = models.BooleanField(_("dismissal recommended"), default=False)
    review_date = models.DateField(_("evaluated on"))
    explanation = models.JSONField(_("explanation"))
    # Digest of the explanation: a re-run rewrites only the proposals whose explanation changed.
    digest = models.CharField(_("explanation digest"), max_length=32)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    township_remarks = models.CharField(_("township remarks"), max_length=300, blank=True)
    supporting_notes = models.TextField(_("supporting notes"), max_length=2000, blank=True)
    # The two people columns are empty on most rows: partial indexes (Meta) instead of full ones.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.CharField(_("decision comment"), max_length=300, blank=True)
    reject_reason = models.CharField(_("reason for the rejection"), max_length=300, blank=True)
    rank_change = models.OneToOneField(
        RankChange, verbose_name=_("rank change"), null=True, blank=True, on_delete=models.PROTECT, related_name="proposal"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("promotion proposal")
        verbose_name_plural = _("promotion proposals")
        ordering = ["township", "cadre__village__sort_order", "cadre__name", "id"]
        constraints = [
            # Cadre first: it also serves a cadre's proposals (cadre file) and the cadre's foreign key.
            models.UniqueConstraint(fields=["cadre", "year"], name="proposal_one_per_cadre_and_year"),
            models.CheckConstraint(
                name="proposal_levels_1_13",
                condition=models.Q(from_level__gte=1, from_level__lte=13, to_level__gte=1, to_level__lte=13),
            ),
            models.CheckConstraint(
                name="proposal_approved_has_rank_change",
                condition=~models.Q(status="approved") | models.Q(rank_change__isnull=False, decided_at__isnull=False),
            ),
            models.CheckConstraint(
                name="proposal_rejected_has_reason",
                condition=~models.Q(status="rejected") | (~models.Q(reject_reason="") & models.Q(decided_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="proposal_hold_needs_no_action",
                condition=~models.Q(outcome="hold") | models.Q(status="no_action"),
            ),
        ]
        indexes = [
            # Proposals page: a year's proposals by status (township's "to check", county's "to decide"),
            # then township and outcome filters.
            models.Index(fields=["year", "status", "township", "outcome"], name="proposal_page_idx"),
            # Proposals page for one township; the run page's counts per township.
            models.Index(fields=["township", "year", "status"], name="proposal_township_idx"),
            # A person's submissions and decisions (and the check before deleting an account).
            models.Index(
                fields=["submitted_by"], condition=models.Q(submitted_by__isnull=False), name="proposal_submitted_by_idx"
            ),
            models.Index(fields=["decided_by"], condition=models.Q(decided_by__isnull=False), name="proposal_decided_by_idx"),
        ]

    def __str__(self):
        return f"{self.year} {self.cadre} {self.get_outcome_display()}"

    @property
    def is_decided(self):
        return self.status in self.DECIDED

    @property
    def needs_decision(self):
        return self.outcome in self.CHANGES
