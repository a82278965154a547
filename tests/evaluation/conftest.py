import datetime

import pytest
from django.utils import timezone

from assessments.evaluation import services
from cadre_mgmt.accounts.models import User
from tests.factories import CadreFactory, UserFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def cadres_x(village_x):
    return [CadreFactory(village=village_x, name=name) for name in ("王一", "王二", "王三")]


@pytest.fixture
def second_officer_x(township_x):
    return UserFactory(username="township_x2", role=User.Role.TOWNSHIP_STAFF, township=township_x)


@pytest.fixture
def round_x(officer_x, village_x, cadres_x, today):
    return services.round_open(user=officer_x, village=village_x, year=today.year, closes_on=today + datetime.timedelta(days=10))


@pytest.fixture
def codes_x(officer_x, round_x):
    _batch, codes = services.slips_issue(user=officer_x, round_=round_x, count=10)
    return codes


def vote(codes, cadres, rating="s", comment=""):
    for code in codes:
        services.ballot_cast(code=code, ratings={c.pk: rating for c in cadres}, comment=comment)
