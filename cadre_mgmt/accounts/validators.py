"""Password rules (AUTH_PASSWORD_VALIDATORS). Every message is the product's own msgid, so all of them are
Chinese — Django's catalog lags behind its messages (its length rule was English in 5.2).

They apply when a person chooses a password: the password page, the admin's password and account forms,
``createsuperuser`` and ``create_county_admin``. Code that sets a password itself (``seed_demo``'s demo
accounts, test factories) calls ``set_password`` and is not judged by them.
"""

import re

from django.conf import settings
from django.contrib.auth import hashers, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Passwords printed in this product's documentation: refused whatever DEMO_PASSWORD is set to.
PUBLISHED_PASSWORDS = ("Demo@County2026",)


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("The password is too similar to your %(verbose_name)s.")

    def get_help_text(self):
        return _("Your password may not resemble your user name, name or e-mail address.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("This password is too short: it must have at least %(min_length)s characters.") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("Your password must have at least %(min_length)s characters.") % {"min_length": self.min_length}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords."""

    def get_error_message(self):
        return _("This password is too common.")

    def get_help_text(self):
        return _("Your password may not be a commonly used password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is entirely numeric.")

    def get_help_text(self):
        return _("Your password may not be entirely numeric.")


class CharacterClassValidator:
    """At least three of: lower-case letters, upper-case letters, digits, other characters."""

    classes = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for pattern in self.classes if re.search(pattern, password))
        if present < self.min_classes:
            raise ValidationError(
                _("The password must mix at least three of: lower-case letters, upper-case letters, digits, symbols."),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("Your password must mix at least three of: lower-case letters, upper-case letters, digits, symbols.")


class PublishedPasswordValidator:
    """The demo password (settings.DEMO_PASSWORD, and the one the README prints) may not be chosen: anyone
    who has read the documentation knows it."""

    def validate(self, password, user=None):
        published = {settings.DEMO_PASSWORD, *PUBLISHED_PASSWORDS}
        if password.casefold() in {p.casefold() for p in published if p}:
            raise ValidationError(
                _("This password is published (it is the demo password): choose another."), code="password_published"
            )

    def get_help_text(self):
        return _("Your password may not be the demo password.")


class PasswordHistoryValidator:
    """None of the user's last ``keep`` passwords (the current one included) may be chosen again."""

    def __init__(self, keep=5):
        self.keep = keep

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        previous = [user.password, *PasswordHistory.recent_hashes(user)[: self.keep]]
        if any(
            encoded and hashers.is_password_usable(encoded) and hashers.check_password(password, encoded) for encoded in previous
        ):
            raise ValidationError(
                _("You have used this password recently: choose one you have not used for your last %(keep)s passwords.")
                % {"keep": self.keep},
                code="password_reused",
            )

    def get_help_text(self):
        return _("Your password may not be one of your last %(keep)s passwords.") % {"keep": self.keep}
