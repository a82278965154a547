"""The audit log in words: object types by their Chinese name, people by name with the login muted."""

from django import template
from django.utils.html import format_html

from ..selectors import actor_names, object_type_name

register = template.Library()

register.filter("object_type_name", object_type_name)


@register.simple_tag
def actor(record):
    name, login = actor_names(record)
    if not login:
        return name
    return format_html('{} <small class="text-muted">{}</small>', name, login)
