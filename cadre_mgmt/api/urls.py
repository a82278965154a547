"""/api/: the schema, its documentation page and version 1 of the REST API.

Each area keeps its endpoints in its own ``api.py`` (beside ``views.py``) with a module-level
``urlpatterns`` (usually ``cadre_mgmt.api.viewsets.Router().urls``). Adding an area's endpoints is one line in
``V1_MODULES``; they are included by string, so the core imports no feature app.
"""

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import errors, views

app_name = "api"

V1_MODULES = [
    "cadre_mgmt.cadres.api",
    "assessments.api",
    "assessments.evaluation.api",
    "ranks.api",
    "ranks.selfservice.api",  # a cadre's own me/ endpoints and the appeals (DESIGN §12)
    "incentives.reserves.api",
]

v1_patterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    *(path("", include(module)) for module in V1_MODULES),
]

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.docs_view, name="docs"),
    path("v1/", include(v1_patterns)),
    # Anything else under /api/ is a JSON 404, never the HTML page.
    # Exempt from CSRF: an unknown address answers a JSON 404 whatever the method, never the HTML CSRF page.
    re_path(r"", csrf_exempt(errors.not_found)),
]
