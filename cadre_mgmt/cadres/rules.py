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
