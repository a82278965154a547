"""API representations of the monthly rosters."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Roster, RosterLine
from .columns import API_FIELDS


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
        fields = API_FIELDS
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
