import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from ranks.ladder import rules
from ranks.ladder import selectors as ladder_selectors
from ranks.ladder import services as ladder_services
from ranks.models import RankChange

from ..conftest import at
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("approved", "effective"),
    [
        (at(2026, 3, 31, 23, 59), datetime.date(2026, 4, 1)),
        (at(2026, 12, 15), datetime.date(2027, 1, 1)),
        (at(2026, 3, 1, 0, 5), datetime.date(2026, 4, 1)),
    ],
)
def test_approval_takes_effect_the_first_day_of_next_month(grade, cadre_x, approved, effective):
    change = grade(cadre_x, 11, approved=approved)
    assert change.effective_month == effective


def test_approval_date_is_taken_in_shanghai_not_utc(grade, cadre_x):
    # 2026-03-31 17:00 UTC is already 1 April in Shanghai: effective 1 May.
    utc_evening = datetime.datetime(2026, 3, 31, 17, 0, tzinfo=datetime.UTC)
    assert grade(cadre_x, 12, approved=utc_evening).effective_month == datetime.date(2026, 5, 1)


def test_level_on_a_date_follows_history(grade, cadre_x, county_approver):
    grade(cadre_x, 12, approved=at(2025, 3, 31))
    ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=11, approved_by=county_approver, approved_at=at(2026, 3, 31), reason="晋升"
    )
    assert ladder_selectors.cadre_level_on(cadre=cadre_x, day=datetime.date(2025, 3, 31)) == 13
    assert ladder_selectors.cadre_level_on(cadre=cadre_x, day=datetime.date(2025, 4, 1)) == 12
    assert ladder_selectors.cadre_level_on(cadre=cadre_x, day=datetime.date(2026, 3, 31)) == 12
    assert ladder_selectors.cadre_level_on(cadre=cadre_x, day=datetime.date(2026, 4, 1)) == 11
    state = ladder_selectors.rank_states_on(cadre_ids=[cadre_x.pk], day=datetime.date(2026, 6, 1))[cadre_x.pk]
    assert state == ladder_selectors.RankState(level=11, since=datetime.date(2026, 4, 1), graded=True)


def test_ungraded_cadre_is_level_13_since_none(cadre_x):
    assert ladder_selectors.rank_states_on(cadre_ids=[cadre_x.pk], day=datetime.date(2026, 1, 1))[
        cadre_x.pk
    ] == ladder_selectors.RankState(13, None, False)


def test_rank_states_of_many_cadres_take_a_bounded_number_of_queries(grade, village_x, django_assert_max_num_queries):
    cadres = [CadreFactory(village=village_x) for _ in range(30)]
    for index, cadre in enumerate(cadres):
        grade(cadre, 13 - index % 5)
    with django_assert_max_num_queries(1):
        states = ladder_selectors.rank_states_on(cadre_ids=[c.pk for c in cadres], day=datetime.date(2027, 1, 1))
    assert [states[c.pk].level for c in cadres] == [13 - i % 5 for i in range(30)]


@pytest.mark.parametrize("level", [0, 14, -1])
def test_levels_outside_1_to_13_are_refused(grade, cadre_x, level):
    with pytest.raises(ValidationError):
        grade(cadre_x, level)
    assert not RankChange.objects.exists()


def test_promotion_goes_up_exactly_one_level(grade, cadre_x, county_approver):
    grade(cadre_x, 12)
    with pytest.raises(ValidationError):
        ladder_services.rank_change_record(
            cadre=cadre_x, kind="promotion", to_level=10, approved_by=county_approver, approved_at=at(2026, 2, 1), reason="x"
        )
    with pytest.raises(ValidationError):
        ladder_services.rank_change_record(
            cadre=cadre_x, kind="demotion", to_level=11, approved_by=county_approver, approved_at=at(2026, 2, 1), reason="x"
        )


def test_second_initial_grading_is_refused(grade, cadre_x):
    grade(cadre_x, 12)
    with pytest.raises(ValidationError):
        grade(cadre_x, 11)


def test_only_county_approvers_record_rank_changes(cadre_x, officer_x):
    with pytest.raises(PermissionDenied):
        ladder_services.rank_change_record(
            cadre=cadre_x, kind="initial_grading", to_level=12, approved_by=officer_x, approved_at=at(2026, 1, 5), reason="x"
        )


def test_rank_change_writes_an_audit_record(grade, cadre_x, county_approver):
    change = grade(cadre_x, 12)
    record = AuditRecord.objects.get(object_type="ranks.RankChange", object_id=str(change.pk))
    assert record.actor == county_approver
    assert record.changes["after"]["to_level"] == 12


def test_a_mistake_is_reversed_by_a_new_record_and_the_old_one_stays(grade, cadre_x, county_approver):
    grade(cadre_x, 12, approved=at(2025, 12, 1))
    wrong = ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=11, approved_by=county_approver, approved_at=at(2026, 2, 10), reason="误录"
    )
    correction = ladder_services.rank_change_reverse(change=wrong, approved_by=county_approver, reason="撤销误录的晋升")
    assert correction.kind == "correction"
    assert correction.effective_month == wrong.effective_month == datetime.date(2026, 3, 1)
    assert (correction.from_level, correction.to_level) == (11, 12)
    wrong.refresh_from_db()
    assert wrong.to_level == 11
    assert ladder_selectors.cadre_level_on(cadre=cadre_x, day=datetime.date(2026, 4, 1)) == 12


def test_only_a_correction_may_name_an_earlier_effective_month(grade, cadre_x, county_approver):
    grade(cadre_x, 12)
    with pytest.raises(ValidationError):
        ladder_services.rank_change_record(
            cadre=cadre_x,
            kind="promotion",
            to_level=11,
            approved_by=county_approver,
            approved_at=at(2026, 5, 1),
            reason="x",
            effective_month=datetime.date(2026, 2, 1),
        )


def test_rank_history_cannot_be_edited_or_deleted_in_the_admin(grade, cadre_x, client_for, county_admin):
    county_admin.is_staff = True
    county_admin.save()
    change = grade(cadre_x, 12)
    client = client_for(county_admin)
    url = reverse("admin:ranks_rankchange_change", args=[change.pk])
    response = client.post(url, {"to_level": 1, "reason": "篡改"})
    assert response.status_code == 403
    assert client.post(reverse("admin:ranks_rankchange_delete", args=[change.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:ranks_rankchange_changelist")).status_code == 200
    change.refresh_from_db()
    assert change.to_level == 12


def test_allowance_for_uses_the_schedule_row_in_force(county_admin):
    assert ladder_selectors.allowance_for(10, datetime.date(2026, 3, 1)) == Decimal("300.00")
    ladder_services.allowance_schedule_set(
        user=county_admin, effective_from=datetime.date(2026, 7, 1), amount_per_level=Decimal("120")
    )
    assert ladder_selectors.allowance_for(10, datetime.date(2026, 6, 1)) == Decimal("300.00")
    assert ladder_selectors.allowance_for(10, datetime.date(2026, 7, 1)) == Decimal("360.00")
    assert ladder_selectors.allowance_for(13, datetime.date(2026, 7, 1)) == Decimal("0.00")


def test_rule_functions_stay_within_the_ladder():
    assert rules.effective_month_after(datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 1)
    assert rules.initial_level(years_served=0, years_per_level=3, highest_level=10, basically_competent_recently=False) == 13
    assert rules.initial_level(years_served=7, years_per_level=3, highest_level=10, basically_competent_recently=False) == 11
    assert rules.initial_level(years_served=30, years_per_level=3, highest_level=10, basically_competent_recently=False) == 10
    assert rules.initial_level(years_served=30, years_per_level=3, highest_level=10, basically_competent_recently=True) == 11
    assert rules.initial_level(years_served=1, years_per_level=3, highest_level=10, basically_competent_recently=True) == 13
    with pytest.raises(ValueError):
        rules.allowance_amount(14, Decimal(100))
    with pytest.raises(ValueError):
        rules.parse_month("2026-13")
