"""Helpers for the assessment tests: score a whole year through the services."""

import datetime
from decimal import Decimal

import pytest

from assessments import services
from assessments.models import LedgerCategory

from ..factories import CadreFactory

YEAR = 2025  # a finished year: its quarters can be closed


@pytest.fixture
def categories(db):
    return {c.code: c for c in LedgerCategory.objects.all()}


@pytest.fixture
def ten_cadres_x(village_x):
    return [CadreFactory(village=village_x, name=f"甲{i:02d}") for i in range(10)]


def score_quarters(user, township, cadres, *, year=YEAR, scores=None, close=True):
    """Every area of the four quarters: scores[cadre pk] (default 80) for each cadre."""
    for quarter in range(1, 5):
        tq = services.quarter_open(user=user, township=township, year=year, quarter=quarter)
        grid = {
            (cadre.pk, area.pk): Decimal(str((scores or {}).get(cadre.pk, 80))) for cadre in cadres for area in tq.areas.all()
        }
        services.quarter_scores_save(user=user, township=township, year=year, quarter=quarter, scores=grid)
        if close:
            services.quarter_close(user=user, township=township, year=year, quarter=quarter)


def review_all(user, township, cadres, *, year=YEAR, scores=None):
    values = {}
    for cadre in cadres:
        s = Decimal(str((scores or {}).get(cadre.pk, 80)))
        values[cadre.pk] = (s, s, s)
    services.annual_reviews_save(user=user, township=township, year=year, scores=values)


def day(month, d, year=YEAR):
    return datetime.date(year, month, d)
