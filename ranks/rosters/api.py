"""REST endpoints of the monthly rosters (read-only), scoped like the pages.

* ``GET /api/v1/rosters/`` — the months that have a roster and their state (draft / locked).
* ``GET /api/v1/rosters/{YYYY-MM}/`` — the roster's state, the caller's per-township totals and grand
  total, and one page of lines (``?township=`` for one township, ``?page=``, ``?page_size=``). A township
  user reads only their township's lines; asking for another township is a 404.
* ``GET /api/v1/rosters/{YYYY-MM}/export.xlsx`` — the workbook of the roster page, built by the same
  service (``roster_export_now``: the caller's township only, full ID numbers only for those who may see
  them, audited as an export). The API builds it within the request whatever the size (the page queues
  a job above ``EXPORT_ASYNC_ROWS`` lines; a county-wide roster of a few thousand lines takes seconds)."""

import re

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cadre_mgmt.api.filters import MAX_ID
from cadre_mgmt.api.viewsets import Router, ScopedViewSet
from cadre_mgmt.cadres.selectors import townships_for_user
from cadre_mgmt.web import XLSX, xlsx_response

from ..ladder import rules
from . import exports, selectors
from .serializers import RosterPageSerializer, RosterSerializer

# Every string the pattern admits is a month the service accepts (2000-01 to 2100-12), so the schema is exact.
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"


MONTH_PARAMETER = OpenApiParameter(
    "month",
    str,
    OpenApiParameter.PATH,
    pattern=MONTH_PATTERN,
    description=gettext_lazy("The roster's month, YYYY-MM (for example 2026-03)."),
)


@extend_schema(tags=["ranks"], description=gettext_lazy("The months that have a roster, latest first, with their state."))
class RosterViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = RosterSerializer
    selector = selectors.rosters_for_user


def _month_or_400(raw):
    if not re.fullmatch(MONTH_PATTERN, raw):
        raise exceptions.ValidationError({"month": [_("Enter a month as YYYY-MM, for example 2026-03.")]})
    return rules.parse_month(raw)


def _roster_or_404(raw):
    month = _month_or_400(raw)
    roster = selectors.roster_for_month(month=month)
    if roster is None:
        raise exceptions.NotFound(_("There is no roster for %(month)s.") % {"month": f"{month:%Y-%m}"})
    return roster


@extend_schema(
    tags=["ranks"],
    parameters=[
        MONTH_PARAMETER,
        OpenApiParameter(
            "township",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            description=gettext_lazy("Only this township's lines (a township the caller may read, else 404)."),
        ),
        OpenApiParameter("page", {"type": "integer", "minimum": 1}, description=gettext_lazy("Page of lines, from 1.")),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": 200},
            description=gettext_lazy("Lines per page, 1 to 200 (default 50)."),
        ),
    ],
    responses={200: RosterPageSerializer},
    description=gettext_lazy(
        "The roster of a month: its state, per-township totals and grand total over the lines the caller "
        "may read, and one page of those lines in roster order."
    ),
)
class RosterView(generics.GenericAPIView):
    serializer_class = RosterPageSerializer
    filter_backends = []

    def get(self, request, month):
        roster = _roster_or_404(month)
        township = self._township(request)
        totals, grand = selectors.roster_totals(roster=roster, user=request.user)
        page = self.paginate_queryset(selectors.roster_lines(roster=roster, user=request.user, township=township))
        body = {
            "month": f"{roster.month:%Y-%m}",
            "status": roster.status,
            "generated_at": roster.generated_at,
            "locked_at": roster.locked_at,
            "totals": totals,
            "grand_total": grand,
            "count": self.paginator.page.paginator.count,
            "next": self.paginator.get_next_link(),
            "previous": self.paginator.get_previous_link(),
            "results": page,
        }
        return Response(RosterPageSerializer(body).data)

    def _township(self, request):
        raw = request.query_params.get("township")
        if raw is None:
            return None
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
            raise exceptions.ValidationError({"township": [_("Enter a whole number from 1.")]})
        township = townships_for_user(user=request.user).filter(pk=int(raw)).first()
        if township is None:
            raise exceptions.NotFound
        return township


class JsonErrorsNegotiation(DefaultContentNegotiation):
    """The workbook is the only success body; anything else (an error) is JSON whatever the Accept header."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class RosterExportView(APIView):
    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(
        tags=["ranks"],
        operation_id="rosters_export",
        parameters=[MONTH_PARAMETER],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("The roster workbook."))},
        description=gettext_lazy(
            "The roster workbook in the government form, as the roster page gives it: the caller's township only, "
            "ID numbers in full only for those who may see them. Audited as an export."
        ),
    )
    def get(self, request, month):
        roster = _roster_or_404(month)
        content = exports.roster_export_now(roster=roster, user=request.user)
        return xlsx_response(content, f"roster-{roster.month:%Y-%m}.xlsx")


router = Router()


router.register("rosters", RosterViewSet, basename="roster")


urlpatterns = [
    *router.urls,
    # <str:month> never holds a "/", so ".../export.xlsx" is never read as a month.
    path("rosters/<str:month>/", RosterView.as_view(), name="roster-detail"),
    path("rosters/<str:month>/export.xlsx", RosterExportView.as_view(), name="roster-export"),
]
