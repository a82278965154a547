"""Filters shared by every endpoint's FilterSet."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """An id of a related row (``?township=3``): a whole number, else a 400.

    An id the caller may not read, or that does not exist, simply matches nothing — the list is already
    scoped, so another township's id yields an empty list and reveals nothing.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
