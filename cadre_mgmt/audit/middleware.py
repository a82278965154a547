"""Keeps the current request's address at hand so audit records can say where a write came from."""

from contextvars import ContextVar

_current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def client_ip(request):
    # Behind the county's reverse proxy the app sees the proxy; trust X-Forwarded-For only when told to.
    from django.conf import settings

    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


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
