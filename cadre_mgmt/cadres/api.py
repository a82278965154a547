"""REST endpoints of the organisation and the cadre files (read-only), scoped like the pages."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins

from cadre_mgmt.api.filters import IdFilter
from cadre_mgmt.api.viewsets import Router, ScopedViewSet

from .models import Cadre
from .selectors import cadre_search, cadres_for_user, townships_for_user, villages_for_user
from .serializers import CadreSerializer, TownshipSerializer, VillageSerializer
from .views import get_cadre_for_user

# ``?level=`` needs the rank history, which the core cannot import: the ranks app registers a function
# ``level_filter(queryset, *, level, day) -> queryset`` here from its AppConfig.ready()
# (``ranks.serializers.cadres_at_level``). Without one the parameter is validated and ignored.
cadre_level_filters = []


def register_cadre_level_filter(level_filter):
    if level_filter not in cadre_level_filters:
        cadre_level_filters.append(level_filter)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 13})
class LevelFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=13, **kwargs)


class VillageFilter(django_filters.FilterSet):
    township = IdFilter(field_name="township", label=_("township"), help_text=_("Township id."))


class CadreFilter(django_filters.FilterSet):
    township = IdFilter(label=_("township"), help_text=_("Township id."))
    village = IdFilter(label=_("village"), help_text=_("Village id."))
    post = IdFilter(label=_("post"), help_text=_("Post id."))
    status = django_filters.ChoiceFilter(choices=Cadre.Status.choices, label=_("status"))
    level = LevelFilter(label=_("level"), help_text=_("Rank level today (1–13)."))
    search = django_filters.CharFilter(
        max_length=30, label=_("Name or ID tail"), help_text=_("Part of the name, or the last digits of the ID number.")
    )

    def filter_queryset(self, queryset):
        # The list rules (ID-tail search, scoping) live in the selector the cadre list page calls;
        # the FilterSet only validates the parameters. ``queryset`` is that same scoped list.
        data = self.form.cleaned_data
        cadres = cadre_search(
            user=self.request.user,
            q=data.get("search") or "",
            township=data.get("township"),
            village=data.get("village"),
            post=data.get("post"),
            status=data.get("status") or None,
        )
        if data.get("level") is not None:
            for level_filter in cadre_level_filters:
                cadres = level_filter(cadres, level=data["level"], day=timezone.localdate())
        return cadres


@extend_schema(tags=["organisation"], description=_("Townships the caller may read (township staff: their own)."))
class TownshipViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = TownshipSerializer
    selector = townships_for_user


@extend_schema(tags=["organisation"], description=_("Villages and communities the caller may read, optionally of one township."))
class VillageViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = VillageSerializer
    selector = villages_for_user
    filterset_class = VillageFilter


@extend_schema(tags=["cadres"])
@extend_schema_view(
    list=extend_schema(description=_("Cadres the caller may read, with their current rank level and monthly allowance.")),
    retrieve=extend_schema(description=_("One cadre file; another township's cadre is a 404.")),
)
class CadreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = CadreSerializer
    selector = cadres_for_user
    filterset_class = CadreFilter

    def get_object(self):
        return get_cadre_for_user(self.request.user, self.kwargs["pk"])


router = Router()
router.register("townships", TownshipViewSet, basename="township")
router.register("villages", VillageViewSet, basename="village")
router.register("cadres", CadreViewSet, basename="cadre")
urlpatterns = router.urls
