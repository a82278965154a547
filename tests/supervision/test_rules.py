import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervision import rules

D = datetime.date


def test_petition_steps_only_go_forward_one_at_a_time():
    assert rules.petition_transition_allowed("received", "assigned")
    assert rules.petition_transition_allowed("assigned", "investigating")
    assert rules.petition_transition_allowed("investigating", "concluded")
    assert rules.petition_transition_allowed("concluded", "closed")
    assert not rules.petition_transition_allowed("received", "investigating")
    assert not rules.petition_transition_allowed("received", "closed")
    assert not rules.petition_transition_allowed("investigating", "assigned")
    assert not rules.petition_transition_allowed("closed", "received")


def test_default_petition_deadline_is_sixty_days_after_receipt():
    assert rules.petition_deadline(D(2026, 1, 5), 60) == D(2026, 3, 6)


@pytest.mark.parametrize(
    ("status", "day", "overdue"),
    [
        ("investigating", D(2026, 3, 6), False),  # the deadline day itself
        ("investigating", D(2026, 3, 7), True),
        ("received", D(2026, 5, 1), True),
        ("concluded", D(2026, 5, 1), False),
        ("closed", D(2026, 5, 1), False),
    ],
)
def test_petition_overdue_on_worked_dates(status, day, overdue):
    assert rules.petition_is_overdue(status=status, deadline=D(2026, 3, 6), day=day) is overdue


def test_sanction_active_inside_its_period_and_not_after():
    until = rules.sanction_default_until("party_warning", D(2025, 3, 10))
    assert until == D(2026, 3, 9)
    assert not rules.sanction_active_on(decided_on=D(2025, 3, 10), effective_until=until, day=D(2025, 3, 9))
    assert rules.sanction_active_on(decided_on=D(2025, 3, 10), effective_until=until, day=D(2025, 3, 10))
    assert rules.sanction_active_on(decided_on=D(2025, 3, 10), effective_until=until, day=D(2026, 3, 9))
    assert not rules.sanction_active_on(decided_on=D(2025, 3, 10), effective_until=until, day=D(2026, 3, 10))


def test_expulsion_has_no_end():
    assert rules.sanction_default_until("party_expulsion", D(2020, 1, 1)) is None
    assert rules.sanction_active_on(decided_on=D(2020, 1, 1), effective_until=None, day=D(2040, 1, 1))


def test_add_months_clamps_to_month_end():
    assert rules.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert rules.add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert rules.add_months(D(2026, 1, 1), -3) == D(2025, 10, 1)


@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2090, 12, 31)), st.integers(min_value=-36, max_value=36))
def test_add_months_round_trip_keeps_first_of_month(day, months):
    first = day.replace(day=1)
    assert rules.add_months(rules.add_months(first, months), -months) == first


def test_quarterly_disclosure_due_ten_days_after_the_quarter():
    assert rules.period_start_for(D(2026, 5, 20), 3) == D(2026, 4, 1)
    assert rules.disclosure_due_on(D(2026, 1, 1), 3, 10) == D(2026, 4, 10)
    assert rules.periods_due_by(D(2026, 4, 10), 3, 10, 1) == [D(2025, 10, 1)]
    assert rules.periods_due_by(D(2026, 4, 11), 3, 10, 2) == [D(2026, 1, 1), D(2025, 10, 1)]


def test_disclosure_missing_late_or_fine():
    due = D(2026, 4, 10)
    assert rules.disclosure_problem(published_on=None, due_on=due, day=D(2026, 4, 10)) is None
    assert rules.disclosure_problem(published_on=None, due_on=due, day=D(2026, 4, 11)) == "missing"
    assert rules.disclosure_problem(published_on=D(2026, 4, 10), due_on=due, day=D(2026, 6, 1)) is None
    assert rules.disclosure_problem(published_on=D(2026, 4, 11), due_on=due, day=D(2026, 6, 1)) == "late"
