"""seed_demo (DEBUG only): the demo accounts are enrolled with the published demo secret, so the demo and
the browser journeys sign in; ``make run``'s banner prints the secret to add to an authenticator app."""

import base64

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import APP_DEVICE


def demo_key_hex() -> str:
    return base64.b32decode(settings.DEMO_TOTP_SECRET.replace(" ", "").upper()).hex()


def seed_second_factor(stdout):
    from cadre_mgmt.cadres.demo import demo_users

    users = get_user_model().objects.filter(username__in=[row[0] for row in demo_users()])
    for user in users:
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=True, key=demo_key_hex())
