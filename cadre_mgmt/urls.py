from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import server_error

admin.site.site_header = _("Village cadre rank management")
admin.site.site_title = _("Village cadre rank management")
admin.site.index_title = _("Administration")


@login_required
def home(request):
    if request.user.is_cadre:
        return redirect("me:file")  # a cadre's home is their own file (DESIGN §12)
    return redirect("ranks:dashboard")


urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links; answer with the app's own icon, not a 404.
    path("favicon.ico", lambda request: redirect(static("img/favicon.ico"), permanent=True), name="favicon"),
    path("", home, name="home"),
    path("accounts/", include("cadre_mgmt.accounts.urls")),
    path("cadres/", include("cadre_mgmt.cadres.urls")),
    path("audit/", include("cadre_mgmt.audit.urls")),
    path("ranks/", include("ranks.urls")),
    path("me/", include("ranks.selfservice.urls")),  # a cadre's own pages (DESIGN §12)
    path("assessments/", include("assessments.urls")),
    path("incentives/", include("incentives.urls")),
    path("supervision/", include("supervision.urls")),
    path("api/", include("cadre_mgmt.api.urls")),
    # The villagers' ballot (assessments/evaluation): a short public address printed on the slips, no sign-in.
    path("v/", include("assessments.evaluation.ballot_urls")),
    path("admin/", admin.site.urls),
]


def handler500(request, *args, **kwargs):
    """Never a stack trace; the API gets JSON like all its other errors, pages get the Chinese 500 page."""
    if request.path.startswith("/api/"):
        body = {"detail": gettext("Something went wrong on our side"), "errors": {}}
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
    return server_error(request, *args, **kwargs)
