"""REST endpoints of the villagers' evaluation, read-only, behind the pages' scoping.

* ``GET /api/v1/evaluation/rounds/`` (``?year=``) and ``/rounds/{id}/``: the rounds the caller may read,
  with the slips' counts (issued, used, voided) — never a code: codes exist only in the download at issue.
* ``GET /api/v1/evaluation/rounds/{id}/results/``: per cadre the ballots, tallies and satisfaction, each
  null below the round's threshold ("too few ballots"), and the source of the score once closed.
  Comments are not served here (the county reads them on the page).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre_mgmt.api.permissions import IsSignedIn
from cadre_mgmt.api.viewsets import Router, ScopedViewSet

from . import selectors
from .models import EvaluationRound


class CanReadEvaluation(permissions.BasePermission):
    message = _("Your role may not do this.")

    def has_permission(self, request, view):
        return selectors.can_read_evaluation(request.user)


class RoundSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    slips = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationRound
        fields = ["id", "township", "village", "village_name", "year", "status", "closes_on", "min_ballots", "slips"]

    def get_slips(self, obj) -> dict:
        return {"issued": obj.slips_issued, "used": obj.slips_used, "voided": obj.slips_voided}


class ResultSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(source="subject.cadre_id")
    cadre_name = serializers.CharField(source="subject.cadre.name")
    shown = serializers.BooleanField()
    ballots = serializers.SerializerMethodField()
    satisfied = serializers.SerializerMethodField()
    basically_satisfied = serializers.SerializerMethodField()
    dissatisfied = serializers.SerializerMethodField()
    satisfaction = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    source = serializers.SerializerMethodField()

    def _count(self, row, name) -> int | None:
        return getattr(row.tally, name) if row.shown else None

    def get_ballots(self, row) -> int | None:
        return self._count(row, "ballots")

    def get_satisfied(self, row) -> int | None:
        return self._count(row, "satisfied")

    def get_basically_satisfied(self, row) -> int | None:
        return self._count(row, "basically")

    def get_dissatisfied(self, row) -> int | None:
        return self._count(row, "dissatisfied")

    def get_source(self, row) -> str:
        return "" if row.subject.round.is_open else row.source


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class RoundFilter(django_filters.FilterSet):
    year = YearFilter(label=_("year"), min_value=2000, max_value=2100)

    class Meta:
        model = EvaluationRound
        fields = ["year"]


@extend_schema(tags=["evaluation"])
@extend_schema_view(
    list=extend_schema(description=_("Evaluation rounds the caller may read, with the slips' counts (never the codes).")),
    retrieve=extend_schema(description=_("One evaluation round; another township's round is a 404.")),
)
class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = RoundSerializer
    selector = selectors.rounds_with_counts
    filterset_class = RoundFilter
    permission_classes = [IsSignedIn, CanReadEvaluation]

    @extend_schema(
        responses={200: ResultSerializer(many=True)},
        description=_("Results per cadre; counts and satisfaction are null below the round's threshold."),
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        round_ = self.get_object()
        rows = selectors.round_results(round_).rows
        for row in rows:
            row.subject.round = round_
        data = ResultSerializer(rows, many=True).data
        return Response({"round": round_.pk, "results": data})


router = Router()
router.register("evaluation/rounds", RoundViewSet, basename="evaluation-round")
urlpatterns = router.urls
