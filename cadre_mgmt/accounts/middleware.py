from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


class ForcePasswordChangeMiddleware:
    """Accounts an administrator created must choose their own password before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            # The API answers such users itself (a JSON 403 from its permission class), never a redirect.
            if request.path not in allowed and not request.path.startswith(("/static/", "/api/")):
                return redirect("accounts:password_change")
        return self.get_response(request)


# What a cadre account may open (DESIGN §12): their own pages (the ``me`` namespace), signing in and out, the
# password page, and the API, whose permission class admits a cadre to the ``me/`` endpoints only. Any other
# page of the project — today's and every one added later — is a 403 for them: default deny.
CADRE_URL_NAMESPACES = {"me"}
CADRE_URL_NAMES = {
    "home",
    "favicon",
    "accounts:login",
    "accounts:logout",
    "accounts:logout_everywhere",
    "accounts:password_change",
}


class CadreConfinementMiddleware:
    """A cadre account reaches nothing but the pages named above, whatever a view's own checks say."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_cadre:
            return None
        match = request.resolver_match
        namespaces = set(match.namespaces) if match else set()
        if namespaces & CADRE_URL_NAMESPACES or (match and match.view_name in CADRE_URL_NAMES):
            return None
        if match and match.namespaces[:1] == ["api"] and match.url_name != "docs":
            return None  # the API's permission class decides (cadre_mgmt/api/permissions.py)
        raise PermissionDenied
