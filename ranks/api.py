"""The ranks app's REST endpoints (``/api/v1/``), one module per section: rank history, rosters, the
promotion review. Listed once in ``cadre_mgmt.api.urls.V1_MODULES``."""

from .ladder.api import urlpatterns as ladder_patterns
from .review.api import urlpatterns as review_patterns
from .rosters.api import urlpatterns as roster_patterns

urlpatterns = [*ladder_patterns, *roster_patterns, *review_patterns]
