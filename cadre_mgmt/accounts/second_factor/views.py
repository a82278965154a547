import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import services
from .forms import CodeForm


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if safe else "home"


@never_cache
@login_required
def enrol_view(request):
    """First sign-in of a role that needs a second factor: scan the QR code, type the first code, keep the
    ten recovery codes (shown on this response only)."""
    if services.has_device(request.user):
        return redirect("accounts:second_factor_verify")
    device = services.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.enrol_confirm(request=request, user=request.user, code=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/second_factor_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("The code is not correct. Check the time on your phone and try again."))
    secret = services.base32_secret(device)
    return render(request, "accounts/second_factor_enrol.html", {"form": form, "secret": secret, "next": _next(request)})


@never_cache
@login_required
def qr_view(request):
    """The enrolment QR code as SVG, drawn here (segno): the secret never leaves the server for a QR service."""
    if services.has_device(request.user):
        raise Http404
    buffer = io.BytesIO()
    segno.make(services.pending_device(request.user).config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@never_cache
@login_required
def verify_view(request):
    """After the password: the code from the app (or a recovery code)."""
    if services.is_verified(request):
        return redirect(_next(request))
    if not services.has_device(request.user):
        return redirect("accounts:second_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify(request=request, user=request.user, code=form.cleaned_data["code"]):
            messages.success(request, _("Signed in."))
            return redirect(_next(request))
        if not request.user.is_authenticated:  # locked out and signed out: django-axes answers with its page
            return redirect("accounts:login")
        form.add_error("code", _("The code is not correct. After 5 failures the account is locked for 15 minutes."))
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next(request)})
