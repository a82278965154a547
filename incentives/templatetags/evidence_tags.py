"""``{{ mapping|of:key }}``: a value of a dict keyed by id (the evidence beside a score grid's rows)."""

from django import template

register = template.Library()


@register.filter
def of(mapping, key):
    return mapping.get(key) if mapping else None
