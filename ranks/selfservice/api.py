"""A cadre's own endpoints (``/api/v1/me/...``, DESIGN §12), and the appeals list of the staff.

A cadre's token reaches these and nothing else (``cadre_self_service``, checked by ``IsSignedIn``); any other
role gets a 403 here. Nothing returned names a petition, its reporter or an investigation.
"""

from django.urls import path
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cadre_mgmt.api.viewsets import Router, ScopedViewSet

from ..appeals import selectors as appeal_selectors
from ..models import Appeal
from . import selectors


class MeView(APIView):
    cadre_self_service = True

    def cadre(self):
        if not self.request.user.is_cadre:
            raise exceptions.PermissionDenied(gettext_lazy("Only a cadre's own account may use this endpoint."))
        return selectors.own_cadre(self.request.user)


def _level(state):
    return {"level": state.level if state.graded else None, "since": state.since}


@extend_schema(tags=["me"], responses=OpenApiTypes.OBJECT, description=gettext_lazy("The cadre's own file."))
class MeFileView(MeView):
    def get(self, request):
        return Response(file_json(selectors.own_file(cadre=self.cadre())))


def file_json(data):
    cadre = data["cadre"]
    history = [
        {
            "kind": c.kind,
            "from_level": c.from_level,
            "to_level": c.to_level,
            "effective_month": c.effective_month,
            "reason": c.reason,
        }
        for c in data["history"]
    ]
    return {
        "name": cadre.name,
        "township": cadre.township.name,
        "village": cadre.village.name,
        "posts": [post.name for post in cadre.posts.all()],
        **_level(data["state"]),
        "history": history,
        "grades": [{"year": r.year, "grade": r.grade, "score": r.score} for r in data["grades"]],
        "commendations": [{"title": c.title, "level": c.level, "awarded_on": c.awarded_on} for c in data["commendations"]],
        "trainings": [{"course": t.course, "hours": t.hours, "trained_on": t.trained_on} for t in data["trainings"]],
    }


@extend_schema(tags=["me"], responses=OpenApiTypes.OBJECT, description=gettext_lazy("The cadre's allowance, last 24 months."))
class MeAllowanceView(MeView):
    def get(self, request):
        lines = selectors.allowance_lines(cadre=self.cadre())
        return Response(
            [{"month": line.roster.month, "kind": line.kind, "level": line.level, "amount": line.amount} for line in lines]
        )


@extend_schema(
    tags=["me"], responses=OpenApiTypes.OBJECT, description=gettext_lazy("The cadre's proposals with their explanation.")
)
class MeProposalsView(MeView):
    def get(self, request):
        rows = selectors.own_proposals(cadre=self.cadre())
        return Response(
            [
                {
                    "year": p.year,
                    "outcome": p.outcome,
                    "status": p.status,
                    "explanation": selectors.cadre_explanation(p.explanation)["lines"],
                }
                for p in rows
            ]
        )


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = [
            "id", "cadre", "township", "subject_kind", "subject_label", "subject_decided_on", "reasons", "filed_at",
            "comment_due", "decision_due", "status", "township_comment", "outcome", "decision_reasons", "remedy", "overdue",
        ]  # fmt: skip


@extend_schema(tags=["me"], responses=AppealSerializer(many=True), description=gettext_lazy("The cadre's own appeals."))
class MeAppealsView(MeView):
    def get(self, request):
        return Response(AppealSerializer(appeal_selectors.own_appeals(cadre=self.cadre()), many=True).data)


@extend_schema(tags=["ranks"], description=gettext_lazy("Appeals the caller may read (township staff: their township's)."))
class AppealViewSet(ScopedViewSet):
    serializer_class = AppealSerializer
    selector = appeal_selectors.appeals_for_user

    def list(self, request):
        if not appeal_selectors.can_read_appeals(request.user):
            raise exceptions.PermissionDenied
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AppealSerializer(page, many=True).data)


router = Router()
router.register("appeals", AppealViewSet, basename="appeal")

urlpatterns = [
    path("me/file/", MeFileView.as_view(), name="me-file"),
    path("me/allowance/", MeAllowanceView.as_view(), name="me-allowance"),
    path("me/proposals/", MeProposalsView.as_view(), name="me-proposals"),
    path("me/appeals/", MeAppealsView.as_view(), name="me-appeals"),
    *router.urls,
]
