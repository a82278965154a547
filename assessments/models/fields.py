"""The decimal fields every assessment model uses: a 0–100 score and a 0–100 percentage."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs)


def percent_field(verbose_name, default, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, default=Decimal(default), validators=PERCENT_VALIDATORS, **kwargs
    )
