"""Fixtures named after the people who use the product."""

import datetime
import zoneinfo

import pytest

from cadre_mgmt.accounts.models import User
from ranks.ladder import services as ladder_services
from ranks.models import RankChange

from .factories import CadreFactory, TownshipFactory, UserFactory, VillageFactory

PASSWORD = "Test@Password2026"


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A fast hasher: tests create many users; the production hasher is proved in tests/accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(request, monkeypatch):
    """A test client signed in by ``force_login`` (client_for and the tests that call it directly) is signed in
    the whole way: its session carries the second factor too. Tests of the second factor itself sign in
    through the pages, or mark themselves ``real_second_factor`` to keep force_login password-only."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test import Client

    from .second_factor import mark_verified

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def township_x(db):
    return TownshipFactory(name="X镇")


@pytest.fixture
def township_y(db):
    return TownshipFactory(name="Y镇")


@pytest.fixture
def village_x(township_x):
    return VillageFactory(township=township_x, name="东岭村")


@pytest.fixture
def village_y(township_y):
    return VillageFactory(township=township_y, name="白鹭村")


@pytest.fixture
def county_admin(db):
    return UserFactory(username="county_admin", role=User.Role.COUNTY_ADMIN)


@pytest.fixture
def county_approver(db):
    return UserFactory(username="county_approver", role=User.Role.COUNTY_APPROVER)


@pytest.fixture
def officer_x(township_x):
    return UserFactory(username="township_x", role=User.Role.TOWNSHIP_STAFF, township=township_x)


@pytest.fixture
def officer_y(township_y):
    return UserFactory(username="township_y", role=User.Role.TOWNSHIP_STAFF, township=township_y)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor", role=User.Role.SUPERVISOR)


@pytest.fixture
def finance(db):
    return UserFactory(username="finance", role=User.Role.FINANCE)


@pytest.fixture
def cadre_x(village_x):
    return CadreFactory(village=village_x, name="张建国")


@pytest.fixture
def cadre_y(village_y):
    return CadreFactory(village=village_y, name="李秀英")


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client signed in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# Ranks: aware approval times in Asia/Shanghai, grading a cadre, a promotable cadre. Shared by the
# ranks, API and security tests.

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def grade(county_approver):
    """grade(cadre, level, approved=at(...)) → the initial grading record."""

    def _grade(cadre, level, approved=None):
        return ladder_services.rank_change_record(
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
