from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """Append-only: who did what, when, from where, with the values before and after.

    Written by services through ``cadre_mgmt.audit.services.audit_record``; never edited.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        DECIDE = "decide", _("Decision")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        OTHER = "other", _("Other")

    # Set by the chain (cadre_mgmt/audit/chain.py) before the hash is computed, hence not auto_now_add.
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The tamper-evident chain (issue 21): one chain per day and partition; the hash is HMAC-SM3 over the
    # record's content and the previous record's hash, under a key the database never holds. Records from
    # before the chain have none (verify_audit starts where the chain starts).
    chain_day = models.DateField(_("chain day"), null=True, blank=True, editable=False)
    chain_partition = models.PositiveSmallIntegerField(_("chain partition"), null=True, blank=True, editable=False)
    chain_seq = models.PositiveIntegerField(_("position in the chain"), null=True, blank=True, editable=False)
    chain_hash = models.CharField(_("chain hash"), max_length=64, blank=True, db_default="", editable=False)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-id"]
        indexes = [
            # The audit viewer filters by object ("what happened to this cadre").
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # The audit viewer filters by user.
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain_day", "chain_partition", "chain_seq"], name="audit_chain_position_unique"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"


class AuditChainHead(models.Model):
    """The end of one chain: the last position and hash. Writers lock one head row each (a free one, SKIP
    LOCKED), so concurrent transactions append to different chains instead of waiting for each other."""

    day = models.DateField(_("day"))
    partition = models.PositiveSmallIntegerField(_("partition"))
    seq = models.PositiveIntegerField(_("last position"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        constraints = [models.UniqueConstraint(fields=["day", "partition"], name="audit_chain_head_unique")]

    def __str__(self):
        return f"{self.day} #{self.partition}: {self.seq}"


class AuditVerification(models.Model):
    """One run of ``verify_audit`` (the daily job or the command): the audit page shows the latest."""

    ran_at = models.DateTimeField(_("checked at"), default=timezone.now)
    since = models.DateField(_("checked from"), null=True, blank=True)
    ok = models.BooleanField(_("chain intact"))
    checked = models.PositiveIntegerField(_("records checked"), default=0)
    first_broken = models.BigIntegerField(_("first broken record"), null=True, blank=True)
    message = models.CharField(_("result"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit chain check")
        verbose_name_plural = _("audit chain checks")
        ordering = ["-ran_at", "-pk"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'}"
