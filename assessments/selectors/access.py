"""Who may read and write assessment data: predicates the views and the API hand to their templates and
permissions, so that no page or template checks a role itself."""

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import township_allowed_for_user
from cadre_mgmt.cadres.models import Township

from ..models import TownshipQuarter, TownshipYear


def can_read_assessments(user: User) -> bool:
    """The ledger and assessment pages: township staff (their township) and the county approvers."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_approver)


def can_write_quarter(user: User, township: Township, township_quarter: TownshipQuarter | None = None) -> bool:
    """May the user change the quarter's areas and scores (its township's writer, the quarter not closed)?"""
    return township_allowed_for_user(user, township.pk) and not (township_quarter and township_quarter.is_closed)


def can_write_year(user: User, township: Township, township_year: TownshipYear) -> bool:
    """May the user change the year's weights and review scores, or finalize it (the year still open)?"""
    return township_allowed_for_user(user, township.pk) and township_year.is_open


def can_confirm_year(user: User, township_year: TownshipYear) -> bool:
    """May the user confirm the township's finalized grades (a county approver, the year finalized)?"""
    return user.is_county_approver and township_year.status == TownshipYear.Status.FINALIZED


def can_return_year(user: User) -> bool:
    """May the user confirm or return a township's grades at all (the county approvers)?"""
    return user.is_county_approver


def can_write_ledger(user: User, township_id: int) -> bool:
    """May the user record, change or delete ledger entries of this township?"""
    return township_allowed_for_user(user, township_id)
