"""Plausibility rules for a cadre file, over plain data (no ORM)."""

import datetime

from django.utils.translation import gettext as _

# A village cadre does not bring more years of earlier service than a working life holds.
MAX_PRIOR_SERVICE_YEARS = 50


def cadre_fact_problems(
    *, birth_date: datetime.date, first_appointed_on: datetime.date, prior_service_years: int, today: datetime.date
) -> dict[str, str]:
    """{field: message} for facts that cannot be true; empty when the file is plausible."""
    problems = {}
    if first_appointed_on > today:
        problems["first_appointed_on"] = _("The appointment date is in the future.")
    elif first_appointed_on < birth_date:
        problems["first_appointed_on"] = _("The appointment date is before the birth date.")
    if prior_service_years > MAX_PRIOR_SERVICE_YEARS:
        problems["prior_service_years"] = _("At most %(max)s years of earlier service.") % {"max": MAX_PRIOR_SERVICE_YEARS}
    return problems


def post_in_rank_system_on(
    *, in_rank_system: bool, in_force_from: datetime.date | None, before: bool, month: datetime.date
) -> bool:
    """The post's "in the rank system" setting for the roster of ``month`` (DESIGN §2): a change made in one
    month is in force from the next month's roster; before that the earlier value holds."""
    return in_rank_system if in_force_from is None or month >= in_force_from else before


def rank_system_exclusion(*, posts: list[tuple[str, bool]]) -> str:
    """Why a cadre in post is outside the rank system (no level, not on the roster), or "" when they are in it.

    ``posts``: (post name, in the rank system that month) for each post the cadre holds."""
    if any(inside for _name, inside in posts):
        return ""
    if not posts:
        return _("No post recorded.")
    names = "、".join(name for name, _inside in posts)
    return _("Holds only %(posts)s (posts outside the rank system).") % {"posts": names}
