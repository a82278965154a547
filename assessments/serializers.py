"""API representations of the ledger, the quarterly scores and the year-end review.

Write serializers only check the shape and range of the input and resolve ids within the caller's scope;
every rule (locked quarters, finalized years, cadres in post, the township of the caller) is the
service's, as on the pages.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cadre_mgmt.accounts.scoping import writable_for_user
from cadre_mgmt.api.filters import MAX_ID
from cadre_mgmt.cadres.selectors import cadres_for_user, townships_for_user

from . import selectors
from .models import AnnualReview, LedgerCategory, LedgerEntry, TownshipQuarter, TownshipYear

MAX_CADRES_PER_ENTRY = 500
MAX_CELLS = 10000
SCORE = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


def _id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class TownshipField(serializers.PrimaryKeyRelatedField):
    """A township id the caller may write to (another township's id is "does not exist", revealing nothing)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", _id_field())
        super().__init__(**kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return writable_for_user(townships_for_user(user=user), user, township_field="pk")


class Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# ---------------------------------------------------------------- ledger


class LedgerCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerCategory
        fields = ["id", "code", "name", "kind"]
        read_only_fields = fields


class LedgerEntryListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        entries = list(data.all() if hasattr(data, "all") else data)
        _mark_locked(entries)
        return super().to_representation(entries)


def _mark_locked(entries):
    """Set ``locked`` on each entry from its township's closed quarters: one query for the whole page."""
    closed = selectors.closed_quarters(township_ids={entry.township_id for entry in entries}) if entries else set()
    for entry in entries:
        entry.locked = selectors.date_is_locked(township_id=entry.township_id, day=entry.date, closed=closed)


class LedgerEntrySerializer(serializers.ModelSerializer):
    cadre = Ref(read_only=True)
    township = Ref(read_only=True)
    category = LedgerCategorySerializer(read_only=True)
    recorded_by = serializers.StringRelatedField()
    has_attachment = serializers.SerializerMethodField(help_text=gettext_lazy("An attachment was added in the browser."))
    locked = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("The entry's quarter is closed: it can no longer change.")
    )

    class Meta:
        model = LedgerEntry
        list_serializer_class = LedgerEntryListSerializer
        fields = [
            "id",
            "cadre",
            "township",
            "category",
            "date",
            "description",
            "outcome",
            "score_change",
            "leave_days",
            "has_attachment",
            "attachment_name",
            "batch",
            "recorded_by",
            "created_at",
            "locked",
        ]
        read_only_fields = fields

    def get_has_attachment(self, entry) -> bool:
        return bool(entry.attachment)

    def to_representation(self, instance):
        if not hasattr(instance, "locked"):  # a single entry, not marked by the list
            _mark_locked([instance])
        return super().to_representation(instance)


class LedgerEntryCreateSerializer(serializers.Serializer):
    """One entry per cadre: several cadres (a meeting) make a bulk entry sharing a batch id, as on the page."""

    cadres = serializers.ListField(
        child=_id_field(),
        min_length=1,
        max_length=MAX_CADRES_PER_ENTRY,
        help_text=gettext_lazy("Ids of the cadres (one or several: a bulk entry, e.g. a meeting)."),
    )
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=LedgerCategory.objects.all(),
        help_text=gettext_lazy("Code of the ledger category (see /api/v1/ledger-categories/)."),
    )
    date = serializers.DateField()
    description = serializers.CharField(max_length=500)
    outcome = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    score_change = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=-100, max_value=100, required=False, allow_null=True, default=None
    )
    leave_days = serializers.IntegerField(min_value=1, max_value=366, required=False, allow_null=True, default=None)

    def validate_cadres(self, ids):
        ids = list(dict.fromkeys(ids))
        user = self.context["request"].user
        found = {cadre.pk: cadre for cadre in writable_for_user(cadres_for_user(user=user), user).filter(pk__in=ids)}
        unknown = [str(pk) for pk in ids if pk not in found]
        if unknown:
            raise serializers.ValidationError(_("No cadre you may read has the id %(ids)s.") % {"ids": "、".join(unknown[:20])})
        return [found[pk] for pk in ids]


# ---------------------------------------------------------------- quarters


class QuarterQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    township = _id_field(required=False, help_text=gettext_lazy("Township id (default: every township the caller may read)."))
    village = _id_field(required=False, help_text=gettext_lazy("Village id."))
    cadre = _id_field(required=False, help_text=gettext_lazy("Cadre id."))


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=gettext_lazy("Weight in %."))


class AreaScoreSerializer(AreaSerializer):
    score = serializers.DecimalField(**SCORE, allow_null=True)


QUARTER_STATUS = [*TownshipQuarter.Status.choices, ("not_opened", gettext_lazy("Not opened"))]


class QuarterlyAssessmentSerializer(serializers.Serializer):
    """A cadre's quarter: a score per task area and the computed quarter score (read-only)."""

    cadre = Ref()
    village = Ref()
    township = Ref()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QUARTER_STATUS, help_text=gettext_lazy("Closed quarters are locked."))
    scores = AreaScoreSerializer(many=True)
    quarter_score = serializers.DecimalField(
        **SCORE, allow_null=True, help_text=gettext_lazy("Weighted score, once every area is scored (computed).")
    )
    missing = serializers.IntegerField(help_text=gettext_lazy("Task areas not yet scored."))
    ledger_change = serializers.DecimalField(
        max_digits=7, decimal_places=2, help_text=gettext_lazy("Sum of the score changes of the quarter's ledger entries.")
    )


class QuarterScoreItemSerializer(serializers.Serializer):
    cadre = _id_field()
    area = _id_field(help_text=gettext_lazy("Task area id (listed once the quarter is open)."))
    score = serializers.DecimalField(**SCORE, allow_null=True, help_text=gettext_lazy("0–100; null removes the score."))


class QuarterScoresWriteSerializer(serializers.Serializer):
    township = TownshipField(required=False, help_text=gettext_lazy("Township id (township staff: their own by default)."))
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    scores = QuarterScoreItemSerializer(
        many=True,
        allow_empty=True,
        max_length=MAX_CELLS,
        help_text=gettext_lazy("Scores to set. An empty list only opens the quarter, which lists its task areas."),
    )

    def validate_scores(self, items):
        cells = {}
        for item in items:
            key = (item["cadre"], item["area"])
            if key in cells:
                raise serializers.ValidationError(_("The same cadre and task area are given twice."))
            cells[key] = item["score"]
        return cells


class QuarterScoresResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text=gettext_lazy("Scores changed."))
    areas = AreaSerializer(many=True, help_text=gettext_lazy("The quarter's task areas."))


# ---------------------------------------------------------------- years


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    township = _id_field(required=False, help_text=gettext_lazy("Township id (default: every township the caller may read)."))
    village = _id_field(required=False, help_text=gettext_lazy("Village id."))
    cadre = _id_field(required=False, help_text=gettext_lazy("Cadre id."))


class AnnualAssessmentSerializer(serializers.Serializer):
    """A cadre's year: the three review scores (entered) and everything computed from the figures entered once."""

    cadre = Ref()
    village = Ref()
    township = Ref()
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=TownshipYear.Status.choices)
    political_score = serializers.DecimalField(**SCORE, allow_null=True)
    business_score = serializers.DecimalField(**SCORE, allow_null=True)
    mass_score = serializers.DecimalField(**SCORE, allow_null=True)
    quarter_scores = serializers.ListField(
        child=serializers.DecimalField(**SCORE, allow_null=True),
        help_text=gettext_lazy("Quarters 1–4 (null: not completely scored)."),
    )
    ledger_component = serializers.DecimalField(**SCORE, allow_null=True)
    quarters_component = serializers.DecimalField(**SCORE, allow_null=True)
    review_component = serializers.DecimalField(**SCORE, allow_null=True)
    score = serializers.DecimalField(**SCORE, allow_null=True, help_text=gettext_lazy("Annual score (computed)."))
    grade = serializers.ChoiceField(
        choices=AnnualReview.Grade.choices,
        allow_null=True,
        help_text=gettext_lazy("Grade (computed): provisional while the year is open, fixed once finalized."),
    )
    vetoed = serializers.BooleanField(help_text=gettext_lazy("A one-vote veto this year."))
    capped = serializers.BooleanField(help_text=gettext_lazy("Held back from excellent by the cap."))


class AnnualReviewItemSerializer(serializers.Serializer):
    cadre = _id_field()
    political_score = serializers.DecimalField(**SCORE, allow_null=True)
    business_score = serializers.DecimalField(**SCORE, allow_null=True)
    mass_score = serializers.DecimalField(**SCORE, allow_null=True)


class AnnualReviewsWriteSerializer(serializers.Serializer):
    township = TownshipField(required=False, help_text=gettext_lazy("Township id (township staff: their own by default)."))
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    reviews = AnnualReviewItemSerializer(
        many=True,
        allow_empty=True,
        max_length=MAX_CELLS,
        help_text=gettext_lazy("Review scores to set. An empty list only opens the township's assessment year."),
    )

    def validate_reviews(self, items):
        scores = {}
        for item in items:
            if item["cadre"] in scores:
                raise serializers.ValidationError(_("The same cadre is given twice."))
            scores[item["cadre"]] = (item["political_score"], item["business_score"], item["mass_score"])
        return scores


class ChangedSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text=gettext_lazy("Cadres whose scores changed."))
