"""REST endpoint of the rank history (read-only), scoped like the pages.

* ``GET /api/v1/rank-changes/?cadre=&township=&kind=`` — the append-only rank history of the cadres the
  caller may read (the rank section of the cadre file shows the same records)."""

import django_filters
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins

from cadre_mgmt.api.filters import IdFilter
from cadre_mgmt.api.viewsets import Router, ScopedViewSet

from ..models import RankChange
from . import selectors
from .serializers import RankChangeSerializer


class RankChangeFilter(django_filters.FilterSet):
    cadre = IdFilter(label=gettext_lazy("cadre"), help_text=gettext_lazy("Cadre id."))
    township = IdFilter(field_name="cadre__township", label=gettext_lazy("township"), help_text=gettext_lazy("Township id."))
    kind = django_filters.ChoiceFilter(choices=RankChange.Kind.choices, label=gettext_lazy("kind"))


@extend_schema(
    tags=["ranks"],
    description=gettext_lazy(
        "Rank history (initial grading, promotion, out-of-turn promotion, demotion, correction) of the cadres "
        "the caller may read, latest first. Append-only: a mistake is reversed by a correction record."
    ),
)
class RankChangeViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = RankChangeSerializer
    selector = selectors.rank_changes_for_user
    filterset_class = RankChangeFilter


router = Router()
router.register("rank-changes", RankChangeViewSet, basename="rank-change")
urlpatterns = router.urls
