"""REST endpoints of the daily ledger, the quarterly scores and the year-end review.

Who may call them is what the assessment pages allow: township staff (their township) and the county
approvers and administrator read; township staff and the county administrator write, through the same
services as the pages (locked quarters and finalized years refused with the service's Chinese message).
Supervisors and finance staff, who have no assessment pages, get 403.

* ``GET/POST /api/v1/ledger-entries/`` (``?cadre=&township=&category=&date_from=&date_to=``), and
  ``GET /api/v1/ledger-entries/{id}/``. A POST names one or several cadres (``"cadres": [ids]``): several
  make a bulk entry (one entry each, sharing a batch id), exactly like the page's bulk entry. The body is
  JSON only: attachments are added in the browser (the file checks and the download live with the page);
  ``has_attachment`` and ``attachment_name`` show them. ``GET /api/v1/ledger-categories/`` lists the codes.
* ``GET /api/v1/quarterly-assessments/?year=&quarter=`` (``&township=&village=&cadre=``): every cadre in
  post at the quarter's end with a score per task area and the computed quarter score. ``POST`` sets
  scores ``{"year", "quarter", "township", "scores": [{"cadre", "area", "score"}]}``; an empty ``scores``
  list opens the quarter (creating its task areas) and returns the areas with their ids.
* ``GET /api/v1/annual-assessments/?year=`` (``&township=&village=&cadre=``): the review scores and the
  computed components, annual score and grade (read-only). ``POST`` sets review scores
  ``{"year", "township", "reviews": [{"cadre", "political_score", "business_score", "mass_score"}]}``.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from cadre_mgmt.api.filters import IdFilter
from cadre_mgmt.api.permissions import IsSignedIn, role_required
from cadre_mgmt.api.viewsets import Router, ScopedViewSet
from cadre_mgmt.cadres.selectors import townships_for_user

from . import selectors, services
from .models import TownshipQuarter
from .serializers import (
    AnnualAssessmentSerializer,
    AnnualReviewsWriteSerializer,
    ChangedSerializer,
    LedgerCategorySerializer,
    LedgerEntryCreateSerializer,
    LedgerEntrySerializer,
    QuarterlyAssessmentSerializer,
    QuarterQuerySerializer,
    QuarterScoresResultSerializer,
    QuarterScoresWriteSerializer,
    YearQuerySerializer,
)


class CanReadAssessments(permissions.BasePermission):
    """The assessment pages' rule (``selectors.can_read_assessments``)."""

    message = _("Your role may not do this.")

    def has_permission(self, request, view):
        return selectors.can_read_assessments(request.user)


# Writers as on the pages: ``township_allowed_for_user`` admits township staff and the county administrator;
# the service then refuses another township (403).
CanWrite = role_required("is_township_staff", "is_county_admin")


class AssessmentViewSet(ScopedViewSet):
    parser_classes = [JSONParser]

    def get_permissions(self):
        classes = [IsSignedIn, CanReadAssessments]
        if self.action == "create":
            classes.append(CanWrite)
        return [permission() for permission in classes]


def _ref(obj):
    return {"id": obj.pk, "name": obj.name}


def _townships(user, township_id):
    """The townships a list covers: the one asked for if the caller may read it, else all they may read."""
    townships = townships_for_user(user=user).order_by("sort_order", "name", "id")
    return list(townships.filter(pk=township_id) if township_id is not None else townships)


def _write_township(user, data):
    """The township of a write: as given, else the township staff member's own."""
    township = data.get("township") or (user.township if user.is_township_staff else None)
    if township is None:
        raise exceptions.ValidationError({"township": [_("This field is required.")]})
    return township


# ---------------------------------------------------------------- ledger


class StrictDateField(forms.DateField):
    """A date, where an empty value (``?date_to=``) is an error rather than "no filter"."""

    empty_values = [None]


class DateFilter(django_filters.DateFilter):
    field_class = StrictDateField


class LedgerEntryFilter(django_filters.FilterSet):
    cadre = IdFilter(label=_("cadre"), help_text=_("Cadre id."))
    township = IdFilter(label=_("township"), help_text=_("Township id."))
    category = django_filters.CharFilter(
        field_name="category__code", max_length=30, label=_("category"), help_text=_("Category code.")
    )
    date_from = DateFilter(field_name="date", lookup_expr="gte", label=_("from"), help_text=_("From this date (YYYY-MM-DD)."))
    date_to = DateFilter(field_name="date", lookup_expr="lte", label=_("to"), help_text=_("Up to this date (YYYY-MM-DD)."))


@extend_schema(tags=["assessments"])
@extend_schema_view(
    list=extend_schema(description=_("Ledger entries the caller may read, latest first.")),
    retrieve=extend_schema(description=_("One ledger entry; another township's entry is a 404.")),
    create=extend_schema(
        request=LedgerEntryCreateSerializer,
        responses={201: LedgerEntrySerializer(many=True)},
        description=_(
            "Record a ledger entry for one or several cadres of the caller's township (several: a bulk entry "
            "sharing a batch id). Returns the entries made. A date in a closed quarter is refused. "
            "Attachments are added in the browser."
        ),
    ),
)
class LedgerEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, AssessmentViewSet):
    serializer_class = LedgerEntrySerializer
    selector = selectors.ledger_entries_for_user
    filterset_class = LedgerEntryFilter

    def create(self, request):
        serializer = LedgerEntryCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        entries = services.ledger_entry_create(user=request.user, **serializer.validated_data)
        for entry in entries:
            entry.township = entry.cadre.township  # loaded with the cadre: no query per entry
        return Response(LedgerEntrySerializer(entries, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["assessments"], description=_("Ledger categories in use (their codes are what an entry names)."))
class LedgerCategoryViewSet(mixins.ListModelMixin, AssessmentViewSet):
    serializer_class = LedgerCategorySerializer
    selector = selectors.active_categories


# ---------------------------------------------------------------- quarters


def _quarter_row(row, township, tq, areas, *, year, quarter):
    """One cadre's quarter in the API's shape."""
    return {
        "cadre": _ref(row.cadre),
        "village": _ref(row.cadre.village),
        "township": _ref(township),
        "year": year,
        "quarter": quarter,
        "status": tq.status if tq is not None else "not_opened",
        "scores": [{"id": a.pk, "name": a.name, "weight": a.weight, "score": row.scores.get(a.pk)} for a in areas],
        "quarter_score": row.quarter_score,
        "missing": row.missing,
        "ledger_change": row.ledger_change,
    }


@extend_schema(tags=["assessments"])
@extend_schema_view(
    list=extend_schema(
        parameters=[QuarterQuerySerializer],
        responses=QuarterlyAssessmentSerializer(many=True),
        description=_(
            "Quarterly scores: every cadre in post at the end of the quarter, a score per task area and the "
            "computed quarter score, per township the caller may read."
        ),
    ),
    create=extend_schema(
        request=QuarterScoresWriteSerializer,
        responses={200: QuarterScoresResultSerializer},
        description=_(
            "Set quarterly scores (null removes one). An empty list of scores only opens the quarter, which "
            "creates its task areas and returns them with their ids. A closed quarter is refused."
        ),
    ),
)
class QuarterlyAssessmentViewSet(AssessmentViewSet):
    serializer_class = QuarterlyAssessmentSerializer
    filter_backends = []

    def list(self, request):
        query = QuarterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        year, quarter = params["year"], params["quarter"]
        rows = []
        for township in _townships(request.user, params.get("township")):
            tq = selectors.quarter_or_none(township=township, year=year, quarter=quarter)
            areas, grid = selectors.quarter_grid(township=township, year=year, quarter=quarter, township_quarter=tq)
            for row in grid:
                if params.get("village") not in (None, row.cadre.village_id) or params.get("cadre") not in (None, row.cadre.pk):
                    continue
                rows.append(_quarter_row(row, township, tq, areas, year=year, quarter=quarter))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(QuarterlyAssessmentSerializer(page, many=True).data)

    def create(self, request):
        serializer = QuarterScoresWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        township = _write_township(request.user, data)
        changed = services.quarter_scores_save(
            user=request.user, township=township, year=data["year"], quarter=data["quarter"], scores=data["scores"]
        )
        tq = TownshipQuarter.objects.get(township=township, year=data["year"], quarter=data["quarter"])
        areas = [{"id": a.pk, "name": a.name, "weight": a.weight} for a in tq.areas.all()]
        return Response(QuarterScoresResultSerializer({"changed": changed, "areas": areas}).data)


# ---------------------------------------------------------------- years


@extend_schema(tags=["assessments"])
@extend_schema_view(
    list=extend_schema(
        parameters=[YearQuerySerializer],
        responses=AnnualAssessmentSerializer(many=True),
        description=_(
            "Year-end assessment: every cadre assessed in the year with the review scores and the computed "
            "components, annual score and grade (provisional while the township's year is open)."
        ),
    ),
    create=extend_schema(
        request=AnnualReviewsWriteSerializer,
        responses={200: ChangedSerializer},
        description=_(
            "Set year-end review scores (political performance, business ability, mass evaluation; null clears "
            "one). The annual score and grade are computed, never sent. A finalized year is refused."
        ),
    ),
)
class AnnualAssessmentViewSet(AssessmentViewSet):
    serializer_class = AnnualAssessmentSerializer
    filter_backends = []

    def list(self, request):
        query = YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        year = params["year"]
        policy = selectors.current_policy()
        rows = []
        for township in _townships(request.user, params.get("township")):
            township_year, sheet = selectors.year_sheet(township=township, year=year, policy=policy)
            for row in sheet:
                if params.get("village") not in (None, row.cadre.village_id) or params.get("cadre") not in (None, row.cadre.pk):
                    continue
                rows.append(_year_row(township, township_year, row))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AnnualAssessmentSerializer(page, many=True).data)

    def create(self, request):
        serializer = AnnualReviewsWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        township = _write_township(request.user, data)
        changed = services.annual_reviews_save(user=request.user, township=township, year=data["year"], scores=data["reviews"])
        return Response({"changed": changed})


def _year_row(township, township_year, row):
    review, breakdown = row.review, row.breakdown
    # A finalized year shows what was fixed at finalization; an open one the provisional computation.
    fixed = not township_year.is_open and review is not None and review.score is not None
    return {
        "cadre": _ref(row.cadre),
        "village": _ref(row.cadre.village),
        "township": _ref(township),
        "year": township_year.year,
        "status": township_year.status,
        "political_score": review.political_score if review else None,
        "business_score": review.business_score if review else None,
        "mass_score": review.mass_score if review else None,
        "quarter_scores": row.quarter_columns,
        "ledger_component": review.ledger_component if fixed else breakdown.ledger,
        "quarters_component": review.quarters_component if fixed else breakdown.quarters,
        "review_component": review.review_component if fixed else breakdown.review,
        "score": review.score if fixed else breakdown.score,
        "grade": row.grade,
        "vetoed": review.vetoed if fixed else breakdown.vetoed,
        "capped": row.capped,
    }


router = Router()
router.register("ledger-entries", LedgerEntryViewSet, basename="ledger-entry")
router.register("ledger-categories", LedgerCategoryViewSet, basename="ledger-category")
router.register("quarterly-assessments", QuarterlyAssessmentViewSet, basename="quarterly-assessment")
router.register("annual-assessments", AnnualAssessmentViewSet, basename="annual-assessment")
urlpatterns = router.urls
