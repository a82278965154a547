"""The second factor in tests: sessions made by ``force_login`` are verified as a code would verify them,
and the browser journeys type a real code computed from the user's device (tests/e2e/helpers.login)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadre_mgmt.accounts.second_factor.demo import demo_key_hex


def device_of(user):
    """The user's confirmed app device, made with the demo's secret if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True, key=demo_key_hex())


def mark_verified(client, user):
    """The session of a test client signed in by force_login passes the second factor (django_otp.login's key)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(user).persistent_id
    session.save()


def current_code(device):
    """The code the user's app shows now; the next one when this one was used already (django-otp refuses a
    code twice and accepts the next step), so two sign-ins within 30 seconds both work."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():
        totp.drift = device.last_t - totp.t() + 1 + device.drift
    return f"{totp.token():0{device.digits}d}"
