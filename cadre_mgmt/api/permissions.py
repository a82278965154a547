"""Who may call an endpoint. The role questions are the User properties the pages ask.

* ``IsSignedIn`` is the default for every endpoint (REST_FRAMEWORK settings).
* ``role_required("is_county_approver")`` gives a permission class for a role property:
  ``permission_classes = [IsSignedIn, role_required("is_county_approver")]``.
* ``require_township(user, township_id)`` inside a view or action refuses a write to another township
  with a 403, as ``township_allowed_for_user`` does for the pages.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from cadre_mgmt.accounts.scoping import township_allowed_for_user


class IsSignedIn(permissions.IsAuthenticated):
    """Signed in (token or session) and not waiting to replace an administrator-set password."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.user.must_change_password:
            raise exceptions.PermissionDenied(_("Change your password in the browser before using the API."))
        # A cadre's token reaches only the endpoints about themselves (``me/``, marked ``cadre_self_service``).
        if request.user.is_cadre and not getattr(view, "cadre_self_service", False):
            raise exceptions.PermissionDenied(_("Your role may not do this."))
        return True


def role_required(*role_properties):
    """A permission class that admits users for whom any of the named User properties is true."""

    class HasRole(permissions.BasePermission):
        message = _("Your role may not do this.")

        def has_permission(self, request, view):
            return any(getattr(request.user, name) for name in role_properties)

    HasRole.__name__ = "HasRole_" + "_or_".join(role_properties)
    return HasRole


def require_township(user, township_id):
    if not township_allowed_for_user(user, township_id):
        raise exceptions.PermissionDenied(_("You may not change another township's data."))
