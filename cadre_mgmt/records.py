"""Abstract models for what many feature records repeat: who recorded a row and when, and the
append-only steps of a case moving through its statuses.

The field definitions are the ones the apps had written out by hand, so using these bases
changes no column (``makemigrations`` sees nothing new). Abstract: no table of their own.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def user_field(verbose_name, **options):
    """A user who did something to the row: protected from deletion, no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+", **options
    )


def recorded_at_field(verbose_name=None):
    """When the row was written (``auto_now_add``); "recorded at" unless named otherwise."""
    return models.DateTimeField(verbose_name or _("recorded at"), auto_now_add=True)


class Recorded(models.Model):
    """Who recorded it (``recorded_by``) and when (``created_at``)."""

    recorded_by = user_field(_("recorded by"))
    created_at = recorded_at_field()

    class Meta:
        abstract = True


class StatusStep(models.Model):
    """Append-only: one status change of a case, from → to, with who, when and a note.

    Concrete steps add the foreign key to their case, ``from_status``/``to_status`` with the case's
    choices (``status_step_fields``), a ``note`` of their length and whatever else a step carries.
    """

    by = user_field(_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.case_id}: {self.from_status} → {self.to_status}"

    @property
    def case_id(self):
        return getattr(self, f"{self.CASE_FIELD}_id")


def open_or_ends_after(name, *, start, end):
    """The named check that a period's ``end`` is empty (still open) or not before its ``start``."""
    return models.CheckConstraint(
        name=name, condition=models.Q(**{f"{end}__isnull": True}) | models.Q(**{f"{end}__gte": models.F(start)})
    )


def status_step_fields(choices, *, max_length=20):
    """The ``from_status`` and ``to_status`` fields of a step over the case's status ``choices``."""
    return (
        models.CharField(_("from status"), max_length=max_length, choices=choices, blank=True),
        models.CharField(_("to status"), max_length=max_length, choices=choices),
    )
