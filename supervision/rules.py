"""Pure rules of the supervision area: no ORM, plain values in and out."""

import datetime

# Petition workflow (DESIGN §7): strictly in order, one step at a time.
PETITION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("assigned",),
    "assigned": ("investigating",),
    "investigating": ("concluded",),
    "concluded": ("closed",),
    "closed": (),
}
PETITION_OPEN = frozenset({"received", "assigned", "investigating"})

# Rectification items of an inspection.
RECTIFICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "done"),
    "in_progress": ("done",),
    "done": (),
}

# Effect period (影响期) in months by sanction type, used when the decision gives none.
# None: no end (expulsion, dismissal). From the Party discipline regulations, the law on
# government sanctions of public officials and the rules on admonition; the form may override.
DEFAULT_EFFECT_MONTHS: dict[str, int | None] = {
    "admonition": 6,
    "org_measure": 12,
    "party_warning": 12,
    "party_serious_warning": 18,
    "party_removal": 24,
    "party_probation": 24,
    "party_expulsion": None,
    "gov_warning": 6,
    "gov_demerit": 12,
    "gov_major_demerit": 18,
    "gov_demotion": 24,
    "gov_dismissal": None,
}

SANCTION_KINDS = {
    "admonition": "admonition",
    "org_measure": "org_measure",
    "party_warning": "party",
    "party_serious_warning": "party",
    "party_removal": "party",
    "party_probation": "party",
    "party_expulsion": "party",
    "gov_warning": "government",
    "gov_demerit": "government",
    "gov_major_demerit": "government",
    "gov_demotion": "government",
    "gov_dismissal": "government",
}


def petition_transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in PETITION_TRANSITIONS.get(from_status, ())


def petition_next_statuses(status: str) -> tuple[str, ...]:
    return PETITION_TRANSITIONS.get(status, ())


def petition_deadline(received_on: datetime.date, days: int) -> datetime.date:
    """The last day to conclude a petition received on ``received_on`` (day of receipt is day 0)."""
    return received_on + datetime.timedelta(days=days)


def petition_is_overdue(*, status: str, deadline: datetime.date, day: datetime.date) -> bool:
    """Still open the day after its deadline. The deadline day itself is not overdue."""
    return status in PETITION_OPEN and day > deadline


def rectification_transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in RECTIFICATION_TRANSITIONS.get(from_status, ())


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, clamped to the month's last day (2026-01-31 + 1 → 2026-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month_first - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def sanction_default_until(severity: str, decided_on: datetime.date) -> datetime.date | None:
    """Last day of the default effect period: ``decided_on`` + N months − 1 day; None for no end."""
    months = DEFAULT_EFFECT_MONTHS[severity]
    if months is None:
        return None
    return add_months(decided_on, months) - datetime.timedelta(days=1)


def sanction_active_on(*, decided_on: datetime.date, effective_until: datetime.date | None, day: datetime.date) -> bool:
    """In effect from the decision day through ``effective_until`` inclusive (no end if None)."""
    return decided_on <= day and (effective_until is None or day <= effective_until)


def investigation_open_on(*, opened_on: datetime.date, closed_on: datetime.date | None, day: datetime.date) -> bool:
    return opened_on <= day and (closed_on is None or day < closed_on)


def period_start_for(day: datetime.date, months: int) -> datetime.date:
    """First day of the disclosure period containing ``day``; periods start in January."""
    month = (day.month - 1) // months * months + 1
    return datetime.date(day.year, month, 1)


def period_end(period_start: datetime.date, months: int) -> datetime.date:
    return add_months(period_start, months) - datetime.timedelta(days=1)


def disclosure_due_on(period_start: datetime.date, months: int, due_days: int) -> datetime.date:
    """The last day a period's disclosure may be published on time."""
    return period_end(period_start, months) + datetime.timedelta(days=due_days)


def periods_due_by(day: datetime.date, months: int, due_days: int, count: int) -> list[datetime.date]:
    """Starts of the ``count`` most recent periods whose due date has passed on ``day``, newest first."""
    start = period_start_for(day, months)
    result: list[datetime.date] = []
    while len(result) < count:
        if disclosure_due_on(start, months, due_days) < day:
            result.append(start)
        start = add_months(start, -months)
    return result


def disclosure_problem(*, published_on: datetime.date | None, due_on: datetime.date, day: datetime.date) -> str | None:
    """ "missing" (not published and past due), "late" (published after the due date) or None."""
    if published_on is None:
        return "missing" if day > due_on else None
    return "late" if published_on > due_on else None
