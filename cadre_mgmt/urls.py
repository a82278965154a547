from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Village cadre rank management")
admin.site.site_title = _("Village cadre rank management")
admin.site.index_title = _("Administration")


@login_required
def home(request):
    return redirect("cadres:list")


urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("cadre_mgmt.accounts.urls")),
    path("cadres/", include("cadre_mgmt.cadres.urls")),
    path("audit/", include("cadre_mgmt.audit.urls")),
    path("ranks/", include("ranks.urls")),
    path("assessments/", include("assessments.urls")),
    path("incentives/", include("incentives.urls")),
    path("supervision/", include("supervision.urls")),
    path("api/", include("cadre_mgmt.api.urls")),
    path("admin/", admin.site.urls),
]
