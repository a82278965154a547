"""Helpers for the ranks tests: aware approval times in Asia/Shanghai and a quick way to grade a cadre."""

import datetime
import zoneinfo

import pytest

from ranks import services
from ranks.models import RankChange

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def grade(county_approver):
    """grade(cadre, level, approved=at(...)) → the initial grading record."""

    def _grade(cadre, level, approved=None):
        return services.rank_change_record(
            cadre=cadre,
            kind=RankChange.Kind.INITIAL_GRADING,
            to_level=level,
            approved_by=county_approver,
            approved_at=approved or at(2025, 12, 10),
            reason="初始定级",
        )

    return _grade


# Promotion review ----------------------------------------------------------------------------------


def confirmed_grades(cadre, approver, grades, *, mass_score="80"):
    """County-confirmed annual grades for ``cadre``: {year: grade}. Written directly (the assessment
    workflow has its own tests); the review reads only confirmed years."""
    from decimal import Decimal

    from django.utils import timezone

    from assessments.models import AnnualReview, TownshipYear

    for year, grade in grades.items():
        township_year, _created = TownshipYear.objects.get_or_create(
            township_id=cadre.township_id,
            year=year,
            defaults={"status": TownshipYear.Status.CONFIRMED, "confirmed_by": approver, "confirmed_at": timezone.now()},
        )
        AnnualReview.objects.update_or_create(
            cadre=cadre,
            year=year,
            defaults={
                "township_year": township_year,
                "grade": grade,
                "score": Decimal("85"),
                "mass_score": Decimal(mass_score),
            },
        )


@pytest.fixture
def promotable(grade, county_approver):
    """promotable(cadre, level=12): graded at ``level`` from January 2024, competent in 2024 and 2025."""

    def _make(cadre, level=12, grades=None):
        grade(cadre, level, approved=at(2023, 12, 10))
        confirmed_grades(cadre, county_approver, grades or {2024: "competent", 2025: "competent"})
        return cadre

    return _make
