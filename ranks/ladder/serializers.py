"""API representation of the rank history, and the ranks hooks of the cadre endpoints.

The core's cadre endpoints (``cadre_mgmt/cadres/api.py``) import no feature app: the ranks app plugs in
``cadre_rank_fields`` (current level, level since, monthly allowance) and ``cadres_at_level`` (the
``?level=`` filter) from ``RanksConfig.ready()`` through ``register_cadre_hooks``."""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cadre_mgmt.cadres.api import register_cadre_level_filter
from cadre_mgmt.cadres.serializers import register_cadre_annotator

from ..models import RankChange
from . import rules, selectors


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
        paid = (cadre.left_on is None or cadre.left_on >= month) and any(
            post.in_rank_system_on(month) for post in cadre.posts.all()
        )
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
