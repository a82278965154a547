from django import template

register = template.Library()


@register.filter
def minutes(delta):
    """A timedelta as whole minutes (the lockout page says how long to wait)."""
    return int(delta.total_seconds() // 60) if delta is not None else ""
