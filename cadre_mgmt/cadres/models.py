from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import idnumbers, rules


class Township(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["sort_order", "name"]
        indexes = [
            # Cadre list: townships read in this order let PostgreSQL walk the county township by
            # township and sort only the first township's cadres for a page (incremental sort).
            models.Index(fields=["sort_order", "name"], name="township_order_idx"),
        ]

    def __str__(self):
        return self.name


class Village(models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    township = models.ForeignKey(Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["township__sort_order", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="village_unique_name_in_township")]

    def __str__(self):
        return self.name


class Post(models.Model):
    """A village post (职务). The paid posts ("三职") carry the rank allowance."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    is_paid = models.BooleanField(_("paid post"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    # The county setting "in the rank system" (DESIGN §2): only a cadre holding at least one such post is
    # graded, reviewed and paid a rank allowance. A change takes effect from the next month's roster, so the
    # setting is kept as the value in force from ``in_rank_system_from`` on and the value before that month.
    in_rank_system = models.BooleanField(_("in the rank system"), default=True)
    in_rank_system_from = models.DateField(_("rank system setting in force from"), null=True, blank=True)
    was_in_rank_system = models.BooleanField(_("in the rank system before that month"), default=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def in_rank_system_on(self, month):
        """Whether the post is in the rank system for the roster of ``month`` (a first of month)."""
        return rules.post_in_rank_system_on(
            in_rank_system=self.in_rank_system,
            in_force_from=self.in_rank_system_from,
            before=self.was_in_rank_system,
            month=month,
        )


class Cadre(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class PoliticalStatus(models.TextChoices):
        PARTY_MEMBER = "party_member", _("CPC member")
        PROBATIONARY = "probationary", _("CPC probationary member")
        LEAGUE = "league", _("CYL member")
        DEMOCRATIC = "democratic", _("Democratic party member")
        MASSES = "masses", _("Ordinary citizen")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary / vocational")
        COLLEGE = "college", _("Junior college")
        BACHELOR = "bachelor", _("Bachelor")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    class Status(models.TextChoices):
        IN_POST = "in_post", _("In post")
        LEFT = "left", _("Left post")

    # The township is kept beside the village so that every township-scoped query is one
    # indexed filter; cadre services set it from the village and the check below keeps them equal.
    township = models.ForeignKey(Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="cadres")
    village = models.ForeignKey(Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="cadres")
    name = models.CharField(_("full name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    # The resident ID number is never stored in plain text (see idnumbers.py).
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), editable=False)
    id_number_hash = models.CharField(_("ID number hash"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.PARTY_MEMBER
    )
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, default=Education.SENIOR)
    posts = models.ManyToManyField(Post, verbose_name=_("posts"), related_name="cadres")
    first_appointed_on = models.DateField(_("first appointed on"))
    prior_service_years = models.PositiveSmallIntegerField(
        _("prior years of service"),
        default=0,
        help_text=_("Years served as a village cadre before the first appointment recorded here."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_POST)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        # Township → village → name. The township's name breaks sort-order ties (as Township.Meta
        # does), so townships never interleave and the list is served by township_order_idx.
        ordering = ["township__sort_order", "township__name", "village__sort_order", "village__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="cadre_unique_id_number"),
            models.CheckConstraint(
                name="cadre_left_has_date",
                condition=models.Q(status="in_post", left_on__isnull=True) | models.Q(status="left", left_on__isnull=False),
            ),
        ]
        indexes = [
            # Cadre list: a township's cadres in post, in name order.
            models.Index(fields=["township", "status", "name"], name="cadre_township_status_idx"),
            # Cadre list: filter by village.
            models.Index(fields=["village", "status"], name="cadre_village_status_idx"),
            # Cadre list: search by the last digits of the ID number.
            models.Index(fields=["id_number_masked"], name="cadre_id_masked_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.village_id and self.township_id and self.village.township_id != self.township_id:
            raise ValidationError({"village": _("The village does not belong to the cadre's township.")})

    @property
    def id_number(self):
        """The plain number. Show it only to users with ``can_see_full_id_numbers``."""
        return idnumbers.decrypt_id_number(self.id_number_encrypted) if self.id_number_encrypted else ""

    def assign_id_number(self, facts: idnumbers.IdFacts):
        self.id_number_encrypted = idnumbers.encrypt_id_number(facts.number)
        self.id_number_hash = idnumbers.hash_id_number(facts.number)
        self.id_number_masked = idnumbers.mask_id_number(facts.number)
        self.birth_date = facts.birth_date
        self.gender = facts.gender

    def id_number_for(self, user):
        return self.id_number if user.can_see_full_id_numbers else self.id_number_masked

    @property
    def is_in_post(self):
        return self.status == self.Status.IN_POST

    @property
    def posts_display(self):
        return "、".join(post.name for post in self.posts.all())


class CadreImport(models.Model):
    """A large cadre import run as a job (all rows or none, as in the request); its page polls the progress.

    The uploaded workbook is kept under MEDIA_ROOT/imports/cadres/ while the job runs and deleted after.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CHECKING = "checking", _("Checking rows")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to="imports/cadres/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # The refusal: a message for the file as a whole, or every row's problem as [row, column, message].
    error = models.CharField(_("error"), max_length=300, blank=True)
    row_errors = models.JSONField(_("row problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cadre import")
        verbose_name_plural = _("cadre imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="cadre_import_progress_0_100", condition=models.Q(progress__lte=100)),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="cadre_import_user_idx")]

    def __str__(self):
        return f"{self.filename} {self.get_status_display()}"

    @property
    def is_running(self):
        return self.status in {self.Status.PENDING, self.Status.CHECKING, self.Status.WRITING}
