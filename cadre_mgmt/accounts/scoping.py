"""The one place where "township staff see only their township" is written.

Every queryset of township data passes through ``scope_for_user`` before a view, export
or API lists it; ``get_object_for_user`` is the access helper that detail views use.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def scope_for_user(queryset, user, *, township_field="township"):
    """Rows of ``queryset`` the user may read; ``township_field`` is the lookup path to the township."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_all_townships:
        return queryset
    if user.township_id is not None:
        return queryset.filter(**{township_field: user.township_id})
    return queryset.none()


def get_object_for_user(queryset, user, *, township_field="township", **lookup):
    """The object if the user may read it; 404 otherwise, so that another township's ids reveal nothing."""
    try:
        return scope_for_user(queryset, user, township_field=township_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def township_allowed_for_user(user, township_id):
    """May the user write data belonging to this township?"""
    if user.is_county_admin:
        return True
    return user.is_township_staff and user.township_id == township_id


def require(condition):
    if not condition:
        raise PermissionDenied


def writable_for_user(queryset, user, *, township_field="township"):
    """Rows of ``queryset`` the user may write to: every form and serializer that offers townships,
    villages or cadres takes its choices from here, so the rule is ``township_allowed_for_user``'s."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_county_admin:
        return queryset
    if user.is_township_staff and user.township_id is not None:
        return queryset.filter(**{township_field: user.township_id})
    return queryset.none()
