"""The promotion review (DESIGN §5): rule settings, review runs and their township batches, proposals."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.records import StatusStep, status_step_fields

from .ladder import RankChange, level_validators


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
    # When a worker last started the batch (or the system queued it again): a pending batch of an active
    # run idle past a threshold was lost with its worker (``review_batches_requeue_lost``).
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
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
        # The township closed a returned (rejected) proposal instead of resubmitting it: final.
        CLOSED = "closed", _("Closed by the township")

    # What a re-run of the review never touches: approved, returned to the township (rejected), closed.
    DECIDED = (Status.APPROVED, Status.REJECTED, Status.CLOSED)
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
    def is_returned(self):
        """Rejected by the county and back on the township's to-do list (resubmit or close)."""
        return self.status == self.Status.REJECTED

    @property
    def is_decided(self):
        return self.status in self.DECIDED

    @property
    def needs_decision(self):
        return self.outcome in self.CHANGES


class ProposalStep(StatusStep):
    """Append-only: one step of a proposal's handling (submitted, approved, rejected with the reason,
    resubmitted with added material, closed), with who and when. ``round`` counts the submissions to
    the county: a resubmission after a rejection starts the next round. The proposal page's 办理记录."""

    CASE_FIELD = "proposal"

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted to the county")
        REMARKS = "remarks", _("Remarks changed")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected and returned to the township")
        RESUBMIT = "resubmit", _("Resubmitted with added material")
        CLOSE = "close", _("Closed by the township")

    proposal = models.ForeignKey(Proposal, verbose_name=_("promotion proposal"), on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status, to_status = status_step_fields(Proposal.Status.choices, max_length=10)
    # The reason of a rejection or a closure, the remarks of a submission.
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Material the township added on a (re)submission.
    material = models.TextField(_("added material"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("proposal step")
        verbose_name_plural = _("proposal steps")
        ordering = ["proposal", "at", "id"]
        indexes = [models.Index(fields=["proposal", "at"], name="proposal_step_idx")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("proposal steps are append-only")
        super().save(*args, **kwargs)


class ProposalAttachment(models.Model):
    """A document the township attached to one step of a proposal (a resubmission's material, DESIGN §5).

    Append-only as its step. Stored under MEDIA_ROOT with a random name and served only through a view
    that checks the user may read the proposal (never a public /media/ URL); the types and the size are
    the ledger attachments' (assessments.attachments)."""

    step = models.ForeignKey(ProposalStep, verbose_name=_("proposal step"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("attachment"), upload_to="proposals/", max_length=200)
    name = models.CharField(_("attachment file name"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")
        ordering = ["step", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("proposal attachments are append-only")
        super().save(*args, **kwargs)
