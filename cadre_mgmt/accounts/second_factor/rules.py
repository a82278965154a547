"""Who needs a second factor: pure questions, no ORM."""

# The roles that must sign in with a code; the setting SECOND_FACTOR_ALL_STAFF adds these.
COUNTY_ROLES = frozenset({"county_admin", "county_approver", "supervisor"})
TOWNSHIP_ROLES = frozenset({"township_staff", "finance"})

RECOVERY_CODES = 10
CODE_DIGITS = 6


def requires_second_factor(*, role: str, is_superuser: bool, all_staff: bool) -> bool:
    """County administrators, approvers and supervisors always; township staff and finance when the
    county turns the setting on. Other roles (added later) never, unless they are superusers."""
    if is_superuser or role in COUNTY_ROLES:
        return True
    return all_staff and role in TOWNSHIP_ROLES


def normalise_code(raw: str) -> str:
    """What a person types: spaces and dashes dropped ("123 456", "abcd-efgh")."""
    return "".join(raw.split()).replace("-", "").lower()[:16]
