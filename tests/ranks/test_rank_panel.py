"""The rank section of the cadre file takes the current level from the history it lists (no third query)."""

import datetime

import pytest

from cadre_mgmt.cadres.selectors import cadres_for_user
from ranks.ladder import selectors as ladder_selectors
from ranks.ladder import services as ladder_services
from ranks.ladder.panels import cadre_rank_panel

from ..conftest import at

pytestmark = pytest.mark.django_db


def test_level_from_the_listed_history_is_the_level_of_rank_states_on(grade, cadre_x, county_approver):
    grade(cadre_x, 12, approved=at(2025, 3, 31))
    ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=11, approved_by=county_approver, approved_at=at(2026, 3, 31), reason="晋升"
    )
    # Two changes effective the same month: the later record is in force.
    ladder_services.rank_change_record(
        cadre=cadre_x,
        kind="correction",
        to_level=12,
        approved_by=county_approver,
        approved_at=at(2026, 4, 2),
        reason="更正",
        effective_month=datetime.date(2026, 4, 1),
    )
    # Approved in December: not in force before 1 January.
    ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=11, approved_by=county_approver, approved_at=at(2026, 12, 1), reason="晋升"
    )
    history = ladder_selectors.cadre_rank_history(cadre=cadre_x)
    for day in [
        datetime.date(2025, 1, 1),
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 1),
    ]:
        expected = ladder_selectors.rank_states_on(cadre_ids=[cadre_x.pk], day=day)[cadre_x.pk]
        assert ladder_selectors.rank_state_from_history(history, day=day) == expected, day
    assert ladder_selectors.rank_state_from_history(history, day=datetime.date(2026, 4, 1)).level == 12


def test_rank_panel_reads_two_queries(grade, cadre_x, officer_x, django_assert_num_queries):
    grade(cadre_x, 12, approved=at(2025, 3, 31))
    # The cadre file reads the cadre through cadres_for_user, which prefetches the posts (rank system reason).
    cadre_x = cadres_for_user(user=officer_x).get(pk=cadre_x.pk)
    with django_assert_num_queries(2):
        panel = cadre_rank_panel(cadre_x, officer_x)
    assert panel["state"] == ladder_selectors.RankState(level=12, since=datetime.date(2025, 4, 1), graded=True)
    assert [change.to_level for change in panel["history"]] == [12]
