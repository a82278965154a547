from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """``manage.py createsuperuser`` makes a county administrator: the role that needs no township (the
        default role, township staff, must have one, so a plain superuser could not be saved). As with
        ``create_county_admin``, the password is changed at first sign-in."""
        extra_fields.setdefault("role", User.Role.COUNTY_ADMIN)
        extra_fields.setdefault("township", None)
        extra_fields.setdefault("must_change_password", True)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. The role decides what they see; township staff are bound to one township."""

    class Role(models.TextChoices):
        COUNTY_ADMIN = "county_admin", _("County administrator")
        COUNTY_APPROVER = "county_approver", _("County approver")
        TOWNSHIP_STAFF = "township_staff", _("Township staff")
        SUPERVISOR = "supervisor", _("Supervisor")
        FINANCE = "finance", _("Finance")
        # A village cadre reading their own file (DESIGN §12): bound to one cadre, never to a township, so
        # every township-scoped queryset (scope_for_user) gives them nothing.
        CADRE = "cadre", _("Cadre")

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TOWNSHIP_STAFF)
    # Township staff work in exactly one township; finance may be bound to one (township accountant)
    # or to none (county finance). County roles and supervisors are never bound.
    township = models.ForeignKey(
        "cadres.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    must_change_password = models.BooleanField(
        _("must change password at next login"),
        default=False,
        help_text=_("Set for accounts an administrator created; cleared when the user picks a password."),
    )

    # The cadre whose own file a cadre account reads (role ``cadre`` only); issued by the township.
    cadre = models.OneToOneField(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_township_staff_has_township",
                condition=~models.Q(role="township_staff") | models.Q(township__isnull=False),
            ),
            models.CheckConstraint(
                name="user_county_roles_have_no_township",
                condition=~models.Q(role__in=["county_admin", "county_approver", "supervisor"]) | models.Q(township__isnull=True),
            ),
            # A cadre account is bound to its cadre and to no township; only cadre accounts name a cadre.
            models.CheckConstraint(
                name="user_cadre_role_bound_to_cadre_only",
                condition=(
                    models.Q(role="cadre", cadre__isnull=False, township__isnull=True, is_staff=False, is_superuser=False)
                    | (~models.Q(role="cadre") & models.Q(cadre__isnull=True))
                ),
                violation_error_message=_(
                    "A cadre account is issued from the cadre file: it names its cadre and no township; "
                    "other accounts name no cadre."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    # A new password (whatever set it: the password page, the admin's password form, ``manage.py
    # changepassword``, a service) ends the user's API tokens and goes into their password history; their
    # other sessions end by Django's session hash. Django's ``_password`` holds the new raw password from
    # ``set_password`` until the save; a hash upgrade at sign-in clears it first (not a change).
    def save(self, *args, **kwargs):
        password_changed = self._password is not None
        existing = not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            if existing:
                self.revoke_api_tokens()
            PasswordHistory.record(self)

    def revoke_api_tokens(self):
        """End every API token of the user (their use records go with them)."""
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=self).delete()

    # Role questions, asked everywhere through these names only.
    @property
    def is_county_admin(self):
        return self.is_active and (self.role == self.Role.COUNTY_ADMIN or self.is_superuser)

    @property
    def is_county_approver(self):
        return self.is_active and (self.role == self.Role.COUNTY_APPROVER or self.is_county_admin)

    @property
    def is_township_staff(self):
        return self.is_active and self.role == self.Role.TOWNSHIP_STAFF and not self.is_superuser

    @property
    def is_supervisor(self):
        return self.is_active and (self.role == self.Role.SUPERVISOR or self.is_superuser)

    @property
    def is_finance(self):
        return self.is_active and self.role == self.Role.FINANCE

    @property
    def is_cadre(self):
        """A cadre's own account: it reaches their own pages (``me:``) and nothing else."""
        return self.role == self.Role.CADRE

    @property
    def sees_all_townships(self):
        """County roles and supervisors read every township; others only their own."""
        if not self.is_active:
            return False
        if self.is_superuser or self.role in {self.Role.COUNTY_ADMIN, self.Role.COUNTY_APPROVER, self.Role.SUPERVISOR}:
            return True
        return self.role == self.Role.FINANCE and self.township_id is None

    @property
    def can_edit_cadres(self):
        """Township staff keep the files of their township; the county administrator keeps all."""
        return self.is_township_staff or self.is_county_admin

    @property
    def can_see_full_id_numbers(self):
        """Full resident ID numbers: the officers who keep the files and the county administrator."""
        return self.is_township_staff or self.is_county_admin


class ApiTokenUse(models.Model):
    """When an API token (DRF's ``authtoken.Token``, one per user) was last used: the idle limit counts from
    here (``cadre_mgmt/accounts/tokens.py``). Written at most once a minute per token."""

    token = models.OneToOneField(
        "authtoken.Token", verbose_name=_("API token"), primary_key=True, on_delete=models.CASCADE, related_name="use"
    )
    last_used = models.DateTimeField(_("last used"))

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")

    def __str__(self):
        return f"{self.token_id[:8]}… {self.last_used:%Y-%m-%d %H:%M}"


class PasswordHistory(models.Model):
    """The hashes of a user's last passwords (the current one included), so that none is chosen again
    (``validators.PasswordHistoryValidator``). Only the latest ``KEEP`` are kept."""

    KEEP = 5

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password"), max_length=128)
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("password history")
        verbose_name_plural = _("password history")
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["user", "-set_at"], name="password_history_user")]

    def __str__(self):
        return f"{self.user_id} {self.set_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, user):
        if not user.has_usable_password():
            return
        cls.objects.create(user=user, password=user.password)
        older = cls.objects.filter(user=user).order_by("-set_at", "-pk").values_list("pk", flat=True)[cls.KEEP :]
        cls.objects.filter(pk__in=list(older)).delete()

    @classmethod
    def recent_hashes(cls, user):
        return list(cls.objects.filter(user=user).order_by("-set_at", "-pk").values_list("password", flat=True)[: cls.KEEP])
