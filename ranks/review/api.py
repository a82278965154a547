"""REST endpoints of the promotion review: runs (start and follow) and the proposal workflow.

Who may do what is what the review pages allow (``review_views``), through the same selectors and services:

* ``POST /api/v1/promotion-reviews/`` ``{"year": 2025, "dry_run": false}`` — county administrators. Returns at
  once (202) with the run's id and state (``queued``; trigger ``api``); its township batches are queued after
  commit. A second non-dry run of a year while one is queued or running is a 400 with the service's message.
* ``GET /api/v1/promotion-reviews/`` (``?year=&state=``) and ``GET /api/v1/promotion-reviews/{id}/`` — follow a
  run: state, batches done of total, progress, counts by outcome and by township. As on the run pages, county
  approvers and administrators only: the counts cover every township, so township staff, supervisors and
  finance get 403 (township staff follow their township's proposals instead).
* ``GET /api/v1/proposals/`` (``?review=&year=&township=&cadre=&outcome=&status=``) and
  ``GET /api/v1/proposals/{id}/`` — proposals with outcome, from/to level, status, the township's remarks, the
  county's decision, the rank change an approval wrote, and the frozen explanation as lines. Township staff
  read their township's only (another township's proposal is a 404); county approvers and administrators
  read all; supervisors and finance get 403, as on the proposals page.
* ``POST /api/v1/proposals/{id}/submit/`` ``{"remarks": "…", "notes": "…"}`` — township staff of the
  proposal's township, or the county administrator (as the page); a county approver gets 403.
* ``POST /api/v1/proposals/{id}/approve/`` ``{"comment": ""}`` and ``POST /api/v1/proposals/{id}/reject/``
  ``{"reason": "…"}`` — county approvers (administrators included); anyone else gets 403. Approval returns the
  proposal with its rank change (effective the first day of the next month). A decided proposal, or one the
  township has not submitted, is a 400 with the service's message.
"""

import django_filters
from django import forms
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from cadre_mgmt.api.errors import not_found
from cadre_mgmt.api.filters import IdFilter
from cadre_mgmt.api.permissions import IsSignedIn, role_required
from cadre_mgmt.api.viewsets import Router, ScopedViewSet

from ..ladder.serializers import RankChangeSerializer
from ..models import PromotionReview, Proposal
from . import decisions, selectors, services
from . import rules as review_rules

FIRST_YEAR, LAST_YEAR = 2000, 2100


# ---------------------------------------------------------------- serializers


class ReviewRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OutcomeCountsSerializer(serializers.Serializer):
    promote = serializers.IntegerField()
    out_of_turn = serializers.IntegerField()
    hold = serializers.IntegerField()
    demote = serializers.IntegerField()


class TownshipCountsSerializer(OutcomeCountsSerializer):
    id = serializers.IntegerField(help_text=_("Township id."))
    name = serializers.CharField()
    state = serializers.CharField(help_text=_("State of the township's batch: pending, done or failed."))
    total = serializers.IntegerField()


class ReviewCountsSerializer(serializers.Serializer):
    outcomes = OutcomeCountsSerializer(help_text=_("Cadres evaluated, by outcome."))
    townships = TownshipCountsSerializer(many=True, help_text=_("Per township, in township order."))
    total = serializers.IntegerField(help_text=_("Cadres evaluated."))
    dismissal = serializers.IntegerField(help_text=_("Cadres for whom dismissal is recommended."))


def _counts(review):
    """The run's counts in one shape whatever its state (a queued run has none yet)."""
    counts = review.counts or {}
    outcomes = {outcome: 0 for outcome in review_rules.OUTCOMES}
    outcomes.update(counts.get("outcomes") or {})
    townships = [
        {"id": row["id"], "name": row["name"], "state": row["state"], "total": row.get("total", 0)}
        | {outcome: row.get(outcome, 0) for outcome in review_rules.OUTCOMES}
        for row in counts.get("townships") or []
    ]
    return {
        "outcomes": outcomes,
        "townships": townships,
        "total": counts.get("total", 0),
        "dismissal": counts.get("dismissal", 0),
    }


class PromotionReviewSerializer(serializers.ModelSerializer):
    started_by = serializers.StringRelatedField(allow_null=True, help_text=_("Who started it (null: the schedule)."))
    progress = serializers.SerializerMethodField(help_text=_("Batches finished, in per cent."))
    counts = serializers.SerializerMethodField()
    batch_errors = serializers.CharField(source="errors", help_text=_("Errors of failed township batches, one per line."))

    class Meta:
        model = PromotionReview
        fields = [
            "id",
            "year",
            "dry_run",
            "trigger",
            "state",
            "started_by",
            "review_date",
            "batches_total",
            "batches_done",
            "progress",
            "counts",
            "batch_errors",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "integer", "minimum": 0, "maximum": 100})
    def get_progress(self, review):
        if not review.batches_total:
            return 100 if review.state == PromotionReview.State.DONE else 0
        return review.batches_done * 100 // review.batches_total

    @extend_schema_field(ReviewCountsSerializer)
    def get_counts(self, review):
        return ReviewCountsSerializer(_counts(review)).data


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: DRF's own field also takes 0, 1, "yes" or "off", which the schema does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class ReviewStartSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        label=_("Assessment year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text=_("A year up to this year.")
    )
    dry_run = StrictBooleanField(label=_("dry run"), default=False, help_text=_("Only compute the outcomes; write no proposals."))


class ProposalSerializer(serializers.ModelSerializer):
    review = serializers.IntegerField(source="review_id", help_text=_("The review run that evaluated it last."))
    cadre = ReviewRefSerializer(read_only=True)
    village = ReviewRefSerializer(source="cadre.village", read_only=True)
    township = ReviewRefSerializer(read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display")
    status_label = serializers.CharField(source="get_status_display")
    explanation = serializers.SerializerMethodField(
        help_text=_("The frozen explanation: the outcome line, then each condition with ✔ / ✘ and its evidence.")
    )
    submitted_by = serializers.StringRelatedField(allow_null=True)
    decided_by = serializers.StringRelatedField(allow_null=True)
    rank_change = RankChangeSerializer(read_only=True, allow_null=True, help_text=_("The rank history record an approval wrote."))

    class Meta:
        model = Proposal
        fields = [
            "id",
            "review",
            "year",
            "cadre",
            "village",
            "township",
            "outcome",
            "outcome_label",
            "from_level",
            "to_level",
            "points_used",
            "dismissal_recommended",
            "review_date",
            "status",
            "status_label",
            "explanation",
            "township_remarks",
            "supporting_notes",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_comment",
            "reject_reason",
            "rank_change",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_explanation(self, proposal):
        return [str(line) for line in review_rules.Evaluation.from_dict(proposal.explanation).explain_lines()]


class ProposalSubmitSerializer(serializers.Serializer):
    remarks = serializers.CharField(label=_("Township remarks"), max_length=300, allow_blank=True, default="")
    notes = serializers.CharField(label=_("supporting notes"), max_length=2000, allow_blank=True, default="")


class ProposalApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(label=_("Comment (optional)"), max_length=200, allow_blank=True, default="")


class ProposalRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason for the rejection"), max_length=300)


# ---------------------------------------------------------------- filters


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


class PromotionReviewFilter(django_filters.FilterSet):
    year = YearFilter(label=_("assessment year"))
    state = django_filters.ChoiceFilter(choices=PromotionReview.State.choices, label=_("state"))


class ProposalFilter(django_filters.FilterSet):
    review = IdFilter(label=_("promotion review"), help_text=_("Review run id."))
    year = YearFilter(label=_("assessment year"))
    township = IdFilter(label=_("township"), help_text=_("Township id."))
    cadre = IdFilter(label=_("cadre"), help_text=_("Cadre id."))
    outcome = django_filters.ChoiceFilter(choices=Proposal.Outcome.choices, label=_("outcome"))
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices, label=_("status"))


# ---------------------------------------------------------------- permissions and selectors


class CanReadReviews(permissions.BasePermission):
    """The run pages' rule (``selectors.can_read_reviews``)."""

    message = _("Your role may not do this.")

    def has_permission(self, request, view):
        return selectors.can_read_reviews(request.user)


class CanReadProposals(permissions.BasePermission):
    """The proposals pages' rule (``selectors.can_read_proposals``)."""

    message = _("Your role may not do this.")

    def has_permission(self, request, view):
        return selectors.can_read_proposals(request.user)


# ---------------------------------------------------------------- views


@extend_schema(tags=["promotion review"])
@extend_schema_view(
    list=extend_schema(description=_("Promotion review runs, newest first (county approvers and administrators).")),
    retrieve=extend_schema(
        description=_("Follow one run: state, batches finished, progress and counts by outcome and by township.")
    ),
    create=extend_schema(
        request=ReviewStartSerializer,
        responses={202: PromotionReviewSerializer},
        description=_(
            "Start the promotion review of a year (county administrators). Returns at once with the run's id and "
            "state; its township batches run in the background. A second run of a year while one is going is refused."
        ),
    ),
)
class PromotionReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = PromotionReviewSerializer
    selector = selectors.reviews_for_user
    filterset_class = PromotionReviewFilter
    parser_classes = [JSONParser]

    def get_permissions(self):
        classes = [IsSignedIn, CanReadReviews]
        if self.action == "create":
            classes.append(role_required("is_county_admin"))
        return [permission() for permission in classes]

    def create(self, request):
        serializer = ReviewStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_start(
            year=serializer.validated_data["year"],
            dry_run=serializer.validated_data["dry_run"],
            user=request.user,
            trigger=PromotionReview.Trigger.API,
        )
        return Response(PromotionReviewSerializer(review).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["promotion review"])
@extend_schema_view(
    list=extend_schema(
        description=_(
            "Proposals of the promotion review with outcome, levels, status and the frozen explanation; township "
            "staff read their township's only."
        )
    ),
    retrieve=extend_schema(description=_("One proposal; another township's proposal is a 404.")),
    submit=extend_schema(
        request=ProposalSubmitSerializer,
        responses={200: ProposalSerializer},
        description=_(
            "The township has checked the proposal: submit it to the county with remarks and supporting notes "
            "(township staff of its township, or the county administrator). It may be submitted again until decided."
        ),
    ),
    approve=extend_schema(
        request=ProposalApproveSerializer,
        responses={200: ProposalSerializer},
        description=_(
            "Approve a submitted proposal (county approvers): the rank change is written at once, effective the "
            "first day of next month, and returned with the proposal."
        ),
    ),
    reject=extend_schema(
        request=ProposalRejectSerializer,
        responses={200: ProposalSerializer},
        description=_("Reject a submitted proposal with the reason the township will read (county approvers)."),
    ),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = ProposalSerializer
    selector = selectors.proposal_listing
    filterset_class = ProposalFilter
    parser_classes = [JSONParser]

    ROLES = {
        "submit": role_required("is_township_staff", "is_county_admin"),
        "approve": role_required("is_county_approver"),
        "reject": role_required("is_county_approver"),
    }

    def get_permissions(self):
        classes = [IsSignedIn, CanReadProposals]
        if self.action in self.ROLES:
            classes.append(self.ROLES[self.action])
        return [permission() for permission in classes]

    def _act(self, request, serializer_class, decide):
        # Role first (403), then the proposal among the caller's (404 for another township's), then the body.
        proposal = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        decide(proposal, **serializer.validated_data)
        return Response(ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(
            request,
            ProposalSubmitSerializer,
            lambda proposal, remarks, notes: decisions.proposal_submit(
                proposal=proposal, user=request.user, remarks=remarks, notes=notes
            ),
        )

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(
            request,
            ProposalApproveSerializer,
            lambda proposal, comment: decisions.proposal_approve(proposal=proposal, approver=request.user, comment=comment),
        )

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(
            request,
            ProposalRejectSerializer,
            lambda proposal, reason: decisions.proposal_reject(proposal=proposal, approver=request.user, reason=reason),
        )


router = Router()
router.register("promotion-reviews", PromotionReviewViewSet, basename="promotion-review")
router.register("proposals", ProposalViewSet, basename="proposal")
urlpatterns = [
    *router.urls,
    # An action on an id that is not a number matches no route above; the API's catch-all would answer a POST
    # with Django's HTML CSRF page (it is a plain view), so these addresses get the JSON 404 here.
    re_path(r"^proposals/[^/]+/(?:submit|approve|reject)/$", csrf_exempt(not_found)),
]
