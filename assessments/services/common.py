"""What every assessment write checks first."""

from django.core.exceptions import PermissionDenied

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import township_allowed_for_user


def require_township(user: User, township_id: int) -> None:
    """Refuse (403) a write to a township the user may not write to."""
    if not township_allowed_for_user(user, township_id):
        raise PermissionDenied
