"""API representations of the rank history and the rosters, and the ranks hooks of the cadre endpoints.

The core's cadre endpoints (``cadre_mgmt/cadres/api.py``) import no feature app: the ranks app plugs in
``cadre_rank_fields`` (current level, level since, monthly allowance) and ``cadres_at_level`` (the
``?level=`` filter) from ``RanksConfig.ready()`` through ``register_cadre_hooks``.
"""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import rules, selectors
from .models import RankChange, Roster, RosterLine


def cadre_rank_fields(*, cadres, day, user):
    """Annotator of the cadre endpoints: 2 queries for a whole page (rank states, allowance schedule).

    The allowance is that of the cadre's level under this month's schedule row, for a cadre this month's
    roster would pay (not left before the month, holding a paid post); null for anyone else. The posts
    come from the cadre selector's prefetch, so the paid-post question costs no query.
    """
    month = rules.first_of_month(day)
    states = selectors.rank_states_on(cadre_ids=[cadre.pk for cadre in cadres], day=day)
    schedule = selectors.allowance_schedule()
    values = {}
    for cadre in cadres:
        state = states[cadre.pk]
        paid = (cadre.left_on is None or cadre.left_on >= month) and any(post.is_paid for post in cadre.posts.all())
        values[cadre.pk] = {
            "current_level": state.level,
            "level_since": state.since,
            "monthly_allowance": schedule.allowance(state.level, month) if paid else None,
        }
    return values


def cadres_at_level(queryset, *, level, day):
    """The ``?level=`` filter: cadres whose level on ``day`` is ``level`` (no rank history = level 13).

    One correlated subquery per cadre row, served by the index rank_change_cadre_month_idx — the same
    "latest effective change up to the day, then the latest recorded" order as ``selectors.latest_changes``.
    """
    in_force = (
        RankChange.objects.filter(cadre=OuterRef("pk"), effective_month__lte=day)
        .order_by("-effective_month", "-id")
        .values("to_level")[:1]
    )
    return queryset.annotate(rank_level_on_day=Coalesce(Subquery(in_force), Value(rules.LOWEST_LEVEL))).filter(
        rank_level_on_day=level
    )


def register_cadre_hooks():
    from cadre_mgmt.cadres.api import register_cadre_level_filter
    from cadre_mgmt.cadres.serializers import register_cadre_annotator

    register_cadre_annotator(cadre_rank_fields)
    register_cadre_level_filter(cadres_at_level)


class CadreRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RankChangeSerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    township = serializers.IntegerField(source="cadre.township_id", read_only=True, help_text=_("Township id."))
    approved_by = serializers.StringRelatedField(help_text=_("Who approved it."))

    class Meta:
        model = RankChange
        fields = [
            "id",
            "cadre",
            "township",
            "kind",
            "from_level",
            "to_level",
            "effective_month",
            "approved_at",
            "approved_by",
            "reason",
            "source",
            "created_at",
        ]
        read_only_fields = fields


class RosterSerializer(serializers.ModelSerializer):
    """A roster's month and state (its county-wide line count and total are not shown: township users
    read only their township's totals, on the roster itself)."""

    month = serializers.SerializerMethodField(help_text=_("The month, YYYY-MM."))

    class Meta:
        model = Roster
        fields = ["month", "status", "generated_at", "locked_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$"})
    def get_month(self, roster):
        return f"{roster.month:%Y-%m}"


class RosterLineSerializer(serializers.ModelSerializer):
    """A line as the roster page shows it (the ID number is always the masked form, as on the page)."""

    class Meta:
        model = RosterLine
        fields = [
            "position",
            "kind",
            "cadre",
            "township",
            "township_name",
            "village_name",
            "cadre_name",
            "id_number_masked",
            "posts_text",
            "level",
            "amount",
            "since_month",
            "covers_from",
            "covers_to",
            "remarks",
        ]
        read_only_fields = fields


class RosterTotalSerializer(serializers.Serializer):
    township_id = serializers.IntegerField()
    township_name = serializers.CharField()
    lines = serializers.IntegerField(help_text=_("Lines, adjustment lines included."))
    people = serializers.IntegerField(help_text=_("Cadres paid (regular lines)."))
    total = serializers.DecimalField(max_digits=12, decimal_places=2, help_text=_("Total in yuan."))


class GrandTotalSerializer(serializers.Serializer):
    lines = serializers.IntegerField()
    people = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class RosterPageSerializer(serializers.Serializer):
    """Schema of ``GET /api/v1/rosters/{month}/``: the roster, the caller's totals and one page of lines."""

    month = serializers.CharField(help_text=_("The month, YYYY-MM."))
    status = serializers.ChoiceField(choices=Roster.Status.choices)
    generated_at = serializers.DateTimeField(allow_null=True)
    locked_at = serializers.DateTimeField(allow_null=True)
    totals = RosterTotalSerializer(many=True, help_text=_("Per township the caller may read, in roster order."))
    grand_total = GrandTotalSerializer(help_text=_("Over the lines the caller may read."))
    count = serializers.IntegerField(help_text=_("Number of lines (of the chosen township, if any)."))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RosterLineSerializer(many=True)
