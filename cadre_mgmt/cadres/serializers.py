"""API representations of the organisation and of cadres.

Cadre fields that other areas compute — the current rank level and the monthly rank allowance — come
through *annotators*, so that the core imports no feature app. An annotator is a function

    annotator(*, cadres: list[Cadre], day: date, user) -> dict[int, dict[str, object]]

returning, per cadre id, values for any of ``ANNOTATED_FIELDS``. It is called once per response with the
whole page of cadres (not once per cadre), so it must answer in a bounded number of queries. The ranks
app registers one in its ``AppConfig.ready()``:

    from cadre_mgmt.cadres.serializers import register_cadre_annotator

    def rank_fields(*, cadres, day, user):
        states = rank_states_on(cadre_ids=[c.pk for c in cadres], day=day)
        month = day.replace(day=1)
        allowance = functools.cache(lambda level: allowance_for(level, month))
        return {pk: {"current_level": s.level, "level_since": s.since, "monthly_allowance": allowance(s.level)}
                for pk, s in states.items()}

    register_cadre_annotator(rank_fields)

Without an annotator (or for a cadre it leaves out) the fields are null.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Cadre, Post, Township, Village

ANNOTATED_FIELDS = ("current_level", "level_since", "monthly_allowance")

cadre_annotators = []


def register_cadre_annotator(annotator):
    if annotator not in cadre_annotators:
        cadre_annotators.append(annotator)


def annotate_cadres(cadres, *, user, day=None):
    """Set ``api_<field>`` on each cadre from every registered annotator (one call each for the whole list)."""
    day = day or timezone.localdate()
    for cadre in cadres:
        for field in ANNOTATED_FIELDS:
            setattr(cadre, f"api_{field}", None)
    if not cadres:
        return
    by_id = {cadre.pk: cadre for cadre in cadres}
    for annotator in cadre_annotators:
        for cadre_id, values in annotator(cadres=list(cadres), day=day, user=user).items():
            cadre = by_id.get(cadre_id)
            if cadre is None:
                continue
            for field, value in values.items():
                if field in ANNOTATED_FIELDS:
                    setattr(cadre, f"api_{field}", value)


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["id", "name"]


class VillageRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["id", "name"]


class VillageSerializer(serializers.ModelSerializer):
    township = TownshipSerializer(read_only=True)

    class Meta:
        model = Village
        fields = ["id", "name", "kind", "township"]


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "code", "name", "is_paid"]


class CadreListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        cadres = list(data.all() if hasattr(data, "all") else data)
        annotate_cadres(cadres, user=self.context["request"].user)
        return super().to_representation(cadres)


class CadreSerializer(serializers.ModelSerializer):
    township = TownshipSerializer(read_only=True)
    village = VillageRefSerializer(read_only=True)
    posts = PostSerializer(many=True, read_only=True)
    id_number = serializers.SerializerMethodField(
        help_text=_("Resident ID number; masked (1101**********1234) unless the caller may see it in full.")
    )
    current_level = serializers.IntegerField(
        source="api_current_level",
        read_only=True,
        allow_null=True,
        min_value=1,
        max_value=13,
        help_text=_("Rank level today (1–13)."),
    )
    level_since = serializers.DateField(
        source="api_level_since", read_only=True, allow_null=True, help_text=_("Effective date of the current level.")
    )
    monthly_allowance = serializers.DecimalField(
        source="api_monthly_allowance",
        max_digits=12,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("Monthly rank allowance this month, in yuan."),
    )

    class Meta:
        model = Cadre
        list_serializer_class = CadreListSerializer
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "phone",
            "political_status",
            "education",
            "township",
            "village",
            "posts",
            "first_appointed_on",
            "prior_service_years",
            "status",
            "left_on",
            "left_reason",
            "current_level",
            "level_since",
            "monthly_allowance",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_id_number(self, cadre):
        return cadre.id_number_for(self.context["request"].user)

    def to_representation(self, instance):
        if not hasattr(instance, "api_current_level"):  # a single cadre, not annotated by the list
            annotate_cadres([instance], user=self.context["request"].user)
        return super().to_representation(instance)
