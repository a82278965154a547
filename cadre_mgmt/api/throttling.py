from rest_framework import throttling

from cadre_mgmt.audit.middleware import client_ip


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle keyed by the client address the audit log and the lockout use.

    DRF's own ``get_ident`` believes any X-Forwarded-For header when NUM_PROXIES is unset, so a client
    could pick a fresh address per request and never be throttled; ``client_ip`` trusts the header only
    when the deployment says a proxy sets it (TRUST_X_FORWARDED_FOR).
    """

    def get_ident(self, request):
        return client_ip(request) or "unknown"
