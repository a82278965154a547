"""The project's URLs plus one view that fails, to see what a user gets when the code breaks."""

from django.urls import path

from cadre_mgmt.urls import urlpatterns as project_urlpatterns


def broken_view(request):
    raise RuntimeError("secret internal detail: SELECT * FROM cadres_cadre")


urlpatterns = [path("broken/", broken_view), *project_urlpatterns]
