"""Keeps the current request's address at hand so audit records can say where a write came from."""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

_current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's address; also the address django-axes counts failed sign-ins by.

    Behind the county's reverse proxy the app sees the proxy. With TRUST_X_FORWARDED_FOR the
    address is the last X-Forwarded-For entry: the one the proxy itself added, which a client
    cannot forge (earlier entries come from the client). Anything that is not an address is ignored.
    """
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = _valid_ip(forwarded.split(",")[-1])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR") or "")


def current_ip():
    return _current_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)
