"""The cadre file's section about the cadre's own account (issue, disable), for the township that keeps it."""

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import township_allowed_for_user


def cadre_account_panel(cadre, user):
    may = user.can_edit_cadres and township_allowed_for_user(user, cadre.township_id)
    account = User.objects.filter(cadre=cadre).only("username", "is_active", "must_change_password").first() if may else None
    return {"cadre_id": cadre.pk, "account": account, "can_issue": may}
