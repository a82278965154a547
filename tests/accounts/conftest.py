import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests sign in and change passwords hundreds of times; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
