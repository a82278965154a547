"""A reserve whose record has ended takes no more training or assessment; a non-ASCII digit in a filter is ignored."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incentives.reserves import services

from .test_reserves import TODAY, register

pytestmark = pytest.mark.django_db


def test_an_ended_reserve_takes_no_training_or_assessment(officer_x, village_x):
    reserve = register(officer_x, village_x)
    reserve = services.reserve_withdraw(user=officer_x, reserve=reserve, on=TODAY, reason="外出务工")
    with pytest.raises(ValidationError):
        services.reserve_training_record(
            user=officer_x,
            reserve=reserve,
            kind="training",
            course="培训",
            organizer="乡镇",
            hours=Decimal("8"),
            trained_on=TODAY,
        )
    with pytest.raises(ValidationError):
        services.reserve_assessment_save(user=officer_x, reserve=reserve, year=TODAY.year, grade="competent")
    assert not reserve.trainings.exists() and not reserve.assessments.exists()


@pytest.mark.parametrize("url", ["incentives:project_list", "incentives:reserve_overview"])
def test_a_non_ascii_digit_in_a_filter_is_ignored(client_for, county_admin, url):
    for param in ("cadre", "township"):
        assert client_for(county_admin).get(reverse(url), {param: "²"}).status_code == 200
