import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre_mgmt.cadres.models import Post
from ranks import tasks
from ranks.ladder import services as ladder_services
from ranks.models import Roster, RosterLine
from ranks.rosters import services as rosters_services

from ..conftest import at
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR = (datetime.date(2026, m, 1) for m in (1, 2, 3, 4))


def _lines(roster):
    return list(
        RosterLine.objects.filter(roster=roster)
        .order_by("position")
        .values_list("position", "cadre_id", "kind", "level", "amount", "since_month", "remarks", "months_detail")
    )


def _generate_and_lock(month, approver):
    roster = rosters_services.roster_generate(month=month, user=approver)
    return rosters_services.roster_lock(roster=roster, user=approver)


def test_roster_fixes_level_and_allowance_of_each_in_post_cadre(grade, cadre_x, cadre_y, county_approver):
    grade(cadre_x, 11, approved=at(2025, 12, 10))
    roster = rosters_services.roster_generate(month=JAN, user=county_approver)
    lines = {line.cadre_id: line for line in roster.lines.all()}
    assert lines[cadre_x.pk].level == 11 and lines[cadre_x.pk].amount == Decimal("200.00")
    assert lines[cadre_x.pk].since_month == JAN
    assert lines[cadre_y.pk].level == 13 and lines[cadre_y.pk].amount == Decimal("0.00")
    assert lines[cadre_x.pk].township_name == "X镇" and lines[cadre_x.pk].cadre_name == "张建国"
    assert roster.total_amount == Decimal("200.00") and roster.line_count == 2


def test_who_is_on_the_roster_of_a_month(village_x, county_approver):
    clerk = Post.objects.get(code="clerk")
    on = CadreFactory(village=village_x, first_appointed_on=datetime.date(2026, 3, 31))
    later = CadreFactory(village=village_x, first_appointed_on=datetime.date(2026, 4, 1))
    left_in_march = CadreFactory(
        village=village_x, status="left", left_on=datetime.date(2026, 3, 20), first_appointed_on=datetime.date(2020, 1, 1)
    )
    left_in_february = CadreFactory(
        village=village_x, status="left", left_on=datetime.date(2026, 2, 28), first_appointed_on=datetime.date(2020, 1, 1)
    )
    unpaid = CadreFactory(village=village_x, posts=[clerk])
    march = {line.cadre_id for line in rosters_services.roster_generate(month=MAR, user=county_approver).lines.all()}
    assert on.pk in march and left_in_march.pk in march
    assert later.pk not in march and left_in_february.pk not in march and unpaid.pk not in march
    april = {line.cadre_id for line in rosters_services.roster_generate(month=APR, user=county_approver).lines.all()}
    assert left_in_march.pk not in april and later.pk in april


def test_regenerating_a_draft_gives_the_same_lines(grade, cadre_x, cadre_y, county_approver):
    grade(cadre_x, 10)
    first = _lines(rosters_services.roster_generate(month=FEB, user=county_approver))
    second = _lines(rosters_services.roster_generate(month=FEB, user=county_approver))
    assert first == second
    assert Roster.objects.filter(month=FEB).count() == 1


def test_a_locked_roster_refuses_any_change(grade, cadre_x, county_approver, county_admin):
    grade(cadre_x, 12)
    roster = _generate_and_lock(JAN, county_approver)
    before = _lines(roster)
    with pytest.raises(ValidationError):
        rosters_services.roster_generate(month=JAN, user=county_approver)
    with pytest.raises(ValidationError):
        rosters_services.roster_lock(roster=roster, user=county_approver)
    with pytest.raises(ValidationError):
        ladder_services.allowance_schedule_set(user=county_admin, effective_from=JAN, amount_per_level=Decimal(150))
    assert _lines(roster) == before


def test_only_county_approvers_generate_and_lock(cadre_x, officer_x, finance, county_approver):
    with pytest.raises(PermissionDenied):
        rosters_services.roster_generate(month=JAN, user=officer_x)
    roster = rosters_services.roster_generate(month=JAN, user=county_approver)
    with pytest.raises(PermissionDenied):
        rosters_services.roster_lock(roster=roster, user=finance)


def test_schedule_change_from_month_m_changes_m_onward_only(grade, cadre_x, county_admin, county_approver):
    grade(cadre_x, 10)  # effective January: 3 levels gained
    ladder_services.allowance_schedule_set(
        user=county_admin, effective_from=datetime.date(2026, 3, 15), amount_per_level=Decimal(150)
    )
    amounts = {}
    for month in (JAN, FEB, MAR, APR):
        amounts[month] = rosters_services.roster_generate(month=month, user=county_approver).lines.get(cadre=cadre_x).amount
    assert amounts == {JAN: Decimal(300), FEB: Decimal(300), MAR: Decimal(450), APR: Decimal(450)}


def test_correction_after_lock_appears_as_recovery_line_in_next_roster(grade, cadre_x, cadre_y, county_approver):
    grade(cadre_x, 11, approved=at(2025, 12, 10))  # level 11 from January: 200 a month
    grade(cadre_y, 12, approved=at(2025, 12, 10))
    _generate_and_lock(JAN, county_approver)
    _generate_and_lock(FEB, county_approver)
    ladder_services.rank_change_record(
        cadre=cadre_x,
        kind="correction",
        to_level=12,
        approved_by=county_approver,
        approved_at=at(2026, 2, 25),
        reason="初始定级年限计算有误",
        effective_month=JAN,
    )
    march = rosters_services.roster_generate(month=MAR, user=county_approver)
    regular = march.lines.get(cadre=cadre_x, kind="regular")
    assert (regular.level, regular.amount) == (12, Decimal(100))
    adjustment = march.lines.get(cadre=cadre_x, kind="recovery")
    assert adjustment.amount == Decimal("-200.00")
    assert (adjustment.covers_from, adjustment.covers_to) == (JAN, FEB)
    assert adjustment.months_detail == {"2026-01": "-100.00", "2026-02": "-100.00"}
    assert "2026-01" in adjustment.remarks and "2026-02" in adjustment.remarks
    assert not march.lines.filter(cadre=cadre_y).exclude(kind="regular").exists()
    assert march.total_amount == Decimal(100) + Decimal(100) - Decimal(200)
    # Locked months stay as they were paid.
    assert Roster.objects.get(month=JAN).lines.get(cadre=cadre_x).amount == Decimal(200)
    # Regenerating the draft gives the same adjustment; the next roster does not repeat it.
    assert _lines(rosters_services.roster_generate(month=MAR, user=county_approver)) == _lines(march)
    rosters_services.roster_lock(roster=march, user=county_approver)
    april = rosters_services.roster_generate(month=APR, user=county_approver)
    assert not april.lines.exclude(kind="regular").exists()


def test_promotion_recorded_late_gives_back_pay_for_the_locked_months(grade, cadre_x, county_approver):
    grade(cadre_x, 12, approved=at(2025, 12, 10))
    _generate_and_lock(JAN, county_approver)
    _generate_and_lock(FEB, county_approver)
    _generate_and_lock(MAR, county_approver)
    # Approved on paper on 20 January (effective February), entered only after March was locked.
    ladder_services.rank_change_record(
        cadre=cadre_x, kind="promotion", to_level=11, approved_by=county_approver, approved_at=at(2026, 1, 20), reason="晋升"
    )
    april = rosters_services.roster_generate(month=APR, user=county_approver)
    back_pay = april.lines.get(cadre=cadre_x, kind="back_pay")
    assert back_pay.amount == Decimal("200.00")
    assert (back_pay.covers_from, back_pay.covers_to) == (FEB, MAR)
    assert april.lines.get(cadre=cadre_x, kind="regular").amount == Decimal(200)


def _cadres(village, count, grade):
    for index in range(count):
        cadre = CadreFactory(village=village)
        if index % 2:
            grade(cadre, 12 - index % 4, approved=at(2025, 11, 10))


def _generation_queries(month, approver):
    with CaptureQueriesContext(connection) as captured:
        rosters_services.roster_generate(month=month, user=approver)
    return [q["sql"] for q in captured.captured_queries]


def test_roster_generation_queries_do_not_grow_with_the_number_of_cadres(
    grade, village_x, village_y, county_approver, django_assert_max_num_queries
):
    # January is locked before anyone is graded, so both sizes also go through the adjustment check.
    _generate_and_lock(JAN, county_approver)
    _cadres(village_x, 5, grade)
    # 27: the generation's audit record costs the hash chain's head lock and update (issue 21).
    with django_assert_max_num_queries(27):
        rosters_services.roster_generate(month=FEB, user=county_approver)
    small = _generation_queries(FEB, county_approver)
    # 40 lines stay within one INSERT batch even on SQLite (the only part that grows: one INSERT per batch).
    _cadres(village_y, 35, grade)
    with django_assert_max_num_queries(27):
        rosters_services.roster_generate(month=FEB, user=county_approver)
    large = _generation_queries(FEB, county_approver)
    assert Roster.objects.get(month=FEB).line_count == 40
    assert len(small) == len(large)


def test_monthly_job_is_safe_to_run_twice_and_leaves_a_locked_roster_alone(cadre_x, county_approver):
    tasks.generate_monthly_roster()
    tasks.generate_monthly_roster()
    roster = Roster.objects.get()
    assert roster.line_count == 1
    rosters_services.roster_lock(roster=roster, user=county_approver)
    tasks.generate_monthly_roster()
    roster.refresh_from_db()
    assert roster.is_locked


def test_roster_lines_cannot_be_edited_in_the_admin(cadre_x, county_approver, county_admin, client_for):
    county_admin.is_staff = True
    county_admin.save()
    roster = _generate_and_lock(JAN, county_approver)
    line = roster.lines.get()
    client = client_for(county_admin)
    assert client.post(reverse("admin:ranks_rosterline_change", args=[line.pk]), {"amount": "9999"}).status_code == 403
    assert client.post(reverse("admin:ranks_roster_delete", args=[roster.pk]), {"post": "yes"}).status_code == 403
    line.refresh_from_db()
    assert line.amount == Decimal(0)
