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
