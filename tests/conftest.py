"""Fixtures named after the people who use the product."""

import pytest

from cadre_mgmt.accounts.models import User

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
