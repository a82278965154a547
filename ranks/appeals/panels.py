"""The cadre file's section about the cadre's own account (issue, disable), for the township that keeps it.

The account's user name and state ride on the query that loads the cadre (``with_cadre_figures``): no query
of its own on the cadre file."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.registry import with_cadre_figures

FIGURES = ("username", "is_active", "must_change_password")


@dataclass(frozen=True)
class AccountState:
    username: str
    is_active: bool
    must_change_password: bool


def _figures(user):
    if not user.can_edit_cadres:
        return {}
    accounts = User.objects.filter(cadre=OuterRef("pk"))
    return {f"appeals_account_{name}": Subquery(accounts.values(name)[:1]) for name in FIGURES}


@with_cadre_figures(_figures)
def cadre_account_panel(cadre, user):
    may = user.can_edit_cadres and township_allowed_for_user(user, cadre.township_id)
    if not may:
        return {"cadre_id": cadre.pk, "account": None, "can_issue": False}
    if hasattr(cadre, "appeals_account_username"):
        values = [getattr(cadre, f"appeals_account_{name}") for name in FIGURES]
        account = AccountState(*values) if values[0] is not None else None
    else:
        account = User.objects.filter(cadre=cadre).only(*FIGURES).first()
    return {"cadre_id": cadre.pk, "account": account, "can_issue": True}
