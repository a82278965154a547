"""REST endpoints of the reserve pool (read-only), scoped like the pages: county roles and township staff
(their township) read; supervisors and finance staff get 403. Writes go through the pages.

* ``GET /api/v1/reserves/`` (``?village=&status=``) and ``GET /api/v1/reserves/{id}/``: the reserve's file
  with the masked ID number (never the number itself), its status and, once appointed, its cadre's id.
* ``GET /api/v1/reserve-pool/`` (``?township=``): the pool overview, one row per village with its open
  reserves, whether it is below the county's minimum, and the counts by status, age band, education and source.
"""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, serializers
from rest_framework.response import Response

from cadre_mgmt.api.filters import MAX_ID, IdFilter
from cadre_mgmt.api.permissions import IsSignedIn, role_required
from cadre_mgmt.api.viewsets import Router, ScopedViewSet

from .models import Reserve
from .selectors import pool_overview, reserves_for_user

CanRead = role_required("is_county_approver", "is_township_staff")


class ReserveSerializer(serializers.ModelSerializer):
    township = serializers.CharField(source="township.name", read_only=True)
    village = serializers.CharField(source="village.name", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True, help_text=_("Masked ID number."))
    target_post = serializers.CharField(source="target_post.name", read_only=True, allow_null=True, default=None)
    mentor = serializers.IntegerField(source="mentor_id", read_only=True, allow_null=True)
    cadre = serializers.IntegerField(source="cadre_id", read_only=True, allow_null=True)

    class Meta:
        model = Reserve
        fields = (
            "id",
            "township",
            "village",
            "name",
            "id_number",
            "birth_date",
            "gender",
            "education",
            "political_status",
            "source",
            "target_post",
            "mentor",
            "status",
            "registered_on",
            "ended_on",
            "withdrawal_reason",
            "cadre",
        )
        read_only_fields = fields


class PoolRowSerializer(serializers.Serializer):
    township = serializers.CharField(source="village.township.name")
    village = serializers.CharField(source="village.name")
    village_id = serializers.IntegerField(source="village.pk")
    open = serializers.IntegerField()
    below_minimum = serializers.BooleanField(source="below")
    counts = serializers.DictField(child=serializers.IntegerField())


class PoolSerializer(serializers.Serializer):
    minimum = serializers.IntegerField(help_text=_("The county's minimum of open reserves per village."))
    villages = PoolRowSerializer(many=True)


class ReserveFilter(django_filters.FilterSet):
    village = IdFilter(label=_("village"), help_text=_("Village id."))
    status = django_filters.ChoiceFilter(choices=Reserve.Status.choices, label=_("status"))


class PoolFilter(django_filters.FilterSet):
    township = IdFilter(label=_("township"), help_text=_("Township id."))


class _ReaderViewSet(ScopedViewSet):
    permission_classes = [IsSignedIn, CanRead]


@extend_schema(tags=["reserves"])
@extend_schema_view(
    list=extend_schema(description=_("Reserve cadres the caller may read.")),
    retrieve=extend_schema(description=_("One reserve cadre; another township's is a 404.")),
)
class ReserveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _ReaderViewSet):
    serializer_class = ReserveSerializer
    selector = reserves_for_user
    filterset_class = ReserveFilter


class ReservePoolView(generics.GenericAPIView):
    permission_classes = [IsSignedIn, CanRead]
    serializer_class = PoolSerializer
    filterset_class = None

    @extend_schema(
        tags=["reserves"],
        parameters=[
            OpenApiParameter("township", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, description=_("Township id."))
        ],
        responses=PoolSerializer,
        description=_("The reserve pool per village, with the villages below the minimum flagged."),
    )
    def get(self, request):
        filters = PoolFilter(request.query_params, queryset=Reserve.objects.none())
        if not filters.is_valid():
            raise exceptions.ValidationError(filters.errors)
        overview = pool_overview(user=request.user, township_id=filters.form.cleaned_data.get("township"))
        return Response(PoolSerializer(overview).data)


router = Router()
router.register("reserves", ReserveViewSet, basename="reserve")
urlpatterns = [*router.urls, path("reserve-pool/", ReservePoolView.as_view(), name="reserve-pool")]
