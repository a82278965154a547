"""The fields of a training record, shared by a cadre's training (``TrainingRecord``) and a reserve's
training and practice (``ReserveTraining``): one definition, two owners. Abstract: no table of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingFields(models.Model):
    course = models.CharField(_("course"), max_length=200)
    organizer = models.CharField(_("organizer"), max_length=100)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    trained_on = models.DateField(_("date"))

    class Meta:
        abstract = True
