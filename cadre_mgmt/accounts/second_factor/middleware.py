from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services


class SecondFactorMiddleware:
    """A signed-in user whose role needs a second factor reaches nothing but enrolment (no device yet) or the
    code page (a device) until the session is verified. Signed-out visitors (the public ballot pages, the
    sign-in page) and API token requests are not touched: DRF authenticates those in the view, and the token
    endpoint asks for the code itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or services.is_verified(request) or not services.required_for(user):
            return self.get_response(request)
        enrol, verify = reverse("accounts:second_factor_enrol"), reverse("accounts:second_factor_verify")
        allowed = {enrol, reverse("accounts:second_factor_qr"), verify, reverse("accounts:logout")}
        if user.must_change_password:
            allowed.add(reverse("accounts:password_change"))
        if request.path in allowed or request.path.startswith("/static/"):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Enter your second-factor code in the browser first.")}, status=403)
        return redirect(verify if services.has_device(user) else enrol)
