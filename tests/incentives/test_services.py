import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone as tz

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Post
from cadre_mgmt.cadres.services import cadre_mark_left
from incentives import rules, services
from incentives.models import CommendationPoints, HardshipAid, PayScale
from incentives.selectors import commendation_points_table, commendations_for, pay_components, training_totals

from ..factories import CadreFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def _post(code):
    return Post.objects.get(code=code)


# --- Commendations ------------------------------------------------------------------------------


def test_points_table_has_the_design_defaults_and_follows_the_county(county_admin):
    assert commendation_points_table() == {
        "county": Decimal("2"),
        "city": Decimal("4"),
        "province": Decimal("6"),
        "national": Decimal("10"),
    }
    services.commendation_points_save(user=county_admin, level="city", points=Decimal("5"))
    assert commendation_points_table()["city"] == Decimal("5")
    assert CommendationPoints.objects.get(level="city").points == Decimal("5")
    assert AuditRecord.objects.filter(object_type="incentives.CommendationPoints").exists()


def test_only_the_county_administrator_changes_the_points(officer_x, county_approver):
    for user in (officer_x, county_approver):
        with pytest.raises(PermissionDenied):
            services.commendation_points_save(user=user, level="city", points=Decimal("9"))


def test_collective_honour_is_listed_for_the_secretary_and_director_only(officer_x, village_x):
    secretary = CadreFactory(village=village_x, posts=[_post("party_secretary")])
    director = CadreFactory(village=village_x, posts=[_post("director")])
    both = CadreFactory(village=village_x, posts=[_post("party_secretary"), _post("director")])
    member = CadreFactory(village=village_x, posts=[_post("member")])
    services.commendation_record(
        user=officer_x, village=village_x, level="city", title="全市乡村治理示范村", issuer="市委", awarded_on=D(2025, 10, 15)
    )
    services.commendation_record(
        user=officer_x, cadre=member, level="county", title="全县优秀党员", issuer="县委", awarded_on=D(2025, 6, 30)
    )
    facts = commendations_for(cadre_ids=[secretary.pk, director.pk, both.pk, member.pk], up_to=D(2025, 12, 31))
    for cadre in (secretary, director, both):
        assert [(f.title, f.collective, f.level) for f in facts[cadre.pk]] == [("全市乡村治理示范村", True, "city")]
    assert [(f.title, f.collective) for f in facts[member.pk]] == [("全县优秀党员", False)]


def test_commendations_after_the_day_are_not_listed(officer_x, cadre_x):
    services.commendation_record(
        user=officer_x, cadre=cadre_x, level="county", title="A", issuer="县委", awarded_on=D(2026, 2, 1)
    )
    assert commendations_for(cadre_ids=[cadre_x.pk], up_to=D(2026, 1, 31))[cadre_x.pk] == []
    assert len(commendations_for(cadre_ids=[cadre_x.pk], up_to=D(2026, 2, 1))[cadre_x.pk]) == 1


def test_same_honour_at_two_levels_shares_its_key(officer_x, cadre_x):
    services.commendation_record(
        user=officer_x, cadre=cadre_x, level="county", title="全县优秀村党组织书记", issuer="县委", awarded_on=D(2024, 6, 28)
    )
    services.commendation_record(
        user=officer_x, cadre=cadre_x, level="city", title="全市 优秀村党组织书记", issuer="市委", awarded_on=D(2024, 6, 30)
    )
    keys = {f.honour_key for f in commendations_for(cadre_ids=[cadre_x.pk], up_to=D(2024, 12, 31))[cadre_x.pk]}
    assert len(keys) == 1
    assert rules.honour_key("全县优秀村党组织书记", 2024) != rules.honour_key("全县优秀村党组织书记", 2025)


def test_commendations_for_costs_a_bounded_number_of_queries(officer_x, village_x, django_assert_max_num_queries):
    cadres = [CadreFactory(village=village_x, posts=[_post("party_secretary")]) for _ in range(10)]
    for cadre in cadres:
        services.commendation_record(user=officer_x, cadre=cadre, level="county", title="X", issuer="Y", awarded_on=D(2025, 1, 1))
    with django_assert_max_num_queries(3):
        commendations_for(cadre_ids=[c.pk for c in cadres], up_to=D(2025, 12, 31))


def test_a_commendation_goes_to_a_cadre_or_a_village_not_both(officer_x, cadre_x, village_x):
    with pytest.raises(ValidationError):
        services.commendation_record(
            user=officer_x, cadre=cadre_x, village=village_x, level="county", title="X", issuer="Y", awarded_on=D(2025, 1, 1)
        )


def test_township_staff_cannot_record_for_another_township(officer_y, cadre_x):
    with pytest.raises(PermissionDenied):
        services.commendation_record(
            user=officer_y, cadre=cadre_x, level="county", title="X", issuer="Y", awarded_on=D(2025, 1, 1)
        )


# --- Training ------------------------------------------------------------------------------------


def test_training_total_per_cadre_and_year(officer_x, cadre_x):
    for hours, day in ((Decimal("8.0"), D(2025, 3, 1)), (Decimal("4.5"), D(2025, 9, 1)), (Decimal("6.0"), D(2026, 1, 5))):
        services.training_record(user=officer_x, cadre=cadre_x, course="c", organizer="o", hours=hours, trained_on=day)
    assert training_totals(cadre_ids=[cadre_x.pk], year=2025) == {cadre_x.pk: Decimal("12.5")}
    assert training_totals(cadre_ids=[cadre_x.pk], year=2024) == {cadre_x.pk: Decimal("0.0")}


# --- Insurance and recommendations -------------------------------------------------------------


def test_insurance_is_one_row_per_scheme_and_updates_are_audited(officer_x, cadre_x):
    first = services.insurance_save(
        user=officer_x, cadre=cadre_x, scheme="pension", start_month=D(2024, 3, 17), status="enrolled"
    )
    assert first.start_month == D(2024, 3, 1)
    second = services.insurance_save(
        user=officer_x, cadre=cadre_x, scheme="pension", start_month=D(2024, 3, 1), status="suspended"
    )
    assert second.pk == first.pk and second.status == "suspended"
    assert AuditRecord.objects.filter(object_type="incentives.InsuranceEnrolment").count() == 2


def test_recommendation_outcome_is_recorded_once(officer_x, cadre_x):
    recommendation = services.recommendation_record(
        user=officer_x, cadre=cadre_x, kind="cppcc", level="county", recommended_on=D(2026, 4, 1)
    )
    services.recommendation_set_status(user=officer_x, recommendation=recommendation, status="elected")
    with pytest.raises(ValidationError):
        services.recommendation_set_status(user=officer_x, recommendation=recommendation, status="not_elected")


# --- Hardship aid -------------------------------------------------------------------------------


@pytest.fixture
def aid(officer_x, cadre_x):
    return services.aid_apply(user=officer_x, cadre=cadre_x, reason="大病", amount_requested=Decimal("5000.00"))


def test_hardship_aid_cannot_be_paid_before_county_approval(aid, officer_x, county_approver):
    with pytest.raises(ValidationError) as exc:
        services.aid_step(user=county_approver, aid=aid, to_status="paid", paid_on=D(2026, 5, 1))
    assert "县级审批" in exc.value.messages[0] or "county" in exc.value.messages[0]
    services.aid_step(user=officer_x, aid=aid, to_status="township_approved")
    with pytest.raises(ValidationError):
        services.aid_step(user=county_approver, aid=aid, to_status="paid", paid_on=D(2026, 5, 1))
    aid.refresh_from_db()
    assert aid.status == "township_approved" and aid.paid_on is None


def test_hardship_aid_full_path_records_who_and_when(aid, officer_x, county_approver, finance):
    services.aid_step(user=officer_x, aid=aid, to_status="township_approved", note="属实")
    services.aid_step(user=county_approver, aid=aid, to_status="county_approved", amount_granted=Decimal("3000.00"))
    services.aid_step(user=finance, aid=aid, to_status="paid", paid_on=tz.localdate())
    aid.refresh_from_db()
    assert (aid.status, aid.amount_granted) == ("paid", Decimal("3000.00"))
    steps = list(aid.steps.order_by("at", "id"))
    assert [(s.to_status, s.by) for s in steps] == [
        ("applied", officer_x),
        ("township_approved", officer_x),
        ("county_approved", county_approver),
        ("paid", finance),
    ]
    assert all(s.at for s in steps)


def test_county_approval_needs_an_amount_and_a_county_approver(aid, officer_x, county_approver):
    services.aid_step(user=officer_x, aid=aid, to_status="township_approved")
    with pytest.raises(PermissionDenied):
        services.aid_step(user=officer_x, aid=aid, to_status="county_approved", amount_granted=Decimal("1"))
    with pytest.raises(ValidationError):
        services.aid_step(user=county_approver, aid=aid, to_status="county_approved")


def test_township_of_another_cadre_cannot_review(aid, officer_y):
    with pytest.raises(PermissionDenied):
        services.aid_step(user=officer_y, aid=aid, to_status="township_approved")


def test_rejected_aid_goes_no_further(aid, officer_x, county_approver):
    services.aid_step(user=officer_x, aid=aid, to_status="township_rejected")
    with pytest.raises(ValidationError):
        services.aid_step(user=county_approver, aid=aid, to_status="county_approved", amount_granted=Decimal("1"))
    assert HardshipAid.objects.get(pk=aid.pk).status == "township_rejected"


# --- Pay -------------------------------------------------------------------------------------------


def test_pay_components_follow_the_effective_dated_scale_and_the_best_paid_post(county_admin, village_x):
    services.pay_scale_seed(
        user=county_admin, effective_from=D(2025, 1, 1), base_pay=Decimal("1800"), performance_pay=Decimal("600")
    )
    services.pay_scale_seed(
        user=county_admin,
        effective_from=D(2025, 1, 1),
        post=_post("party_secretary"),
        base_pay=Decimal("2600"),
        performance_pay=Decimal("1000"),
    )
    services.pay_scale_seed(
        user=county_admin, effective_from=D(2026, 7, 1), base_pay=Decimal("1900"), performance_pay=Decimal("650")
    )
    member = CadreFactory(village=village_x, posts=[_post("member")])
    secretary = CadreFactory(village=village_x, posts=[_post("member"), _post("party_secretary")])
    assert pay_components(cadre=member, month=D(2026, 6, 1))["base_pay"] == Decimal("1800")
    july = pay_components(cadre=member, month=D(2026, 7, 15))
    assert (july["base_pay"], july["performance_pay"], july["total"]) == (Decimal("1900"), Decimal("650"), Decimal("2550"))
    assert pay_components(cadre=secretary, month=D(2026, 7, 1))["base_pay"] == Decimal("2600")
    assert isinstance(july["base_pay"], Decimal)
    assert pay_components(cadre=member, month=D(2024, 12, 1))["base_pay"] == Decimal("0.00")


def test_no_pay_from_the_month_after_leaving(county_admin, officer_x, village_x):
    services.pay_scale_seed(
        user=county_admin, effective_from=D(2025, 1, 1), base_pay=Decimal("1800"), performance_pay=Decimal("600")
    )
    cadre = CadreFactory(village=village_x, posts=[_post("member")])
    cadre_mark_left(user=officer_x, cadre=cadre, left_on=D(2026, 3, 31), reason="辞职")
    cadre.refresh_from_db()
    assert pay_components(cadre=cadre, month=D(2026, 3, 1))["base_pay"] == Decimal("1800")
    assert pay_components(cadre=cadre, month=D(2026, 4, 1))["in_post"] is False
    assert pay_components(cadre=cadre, month=D(2026, 4, 1))["total"] == Decimal("0.00")


def test_pay_scale_in_force_cannot_be_changed(county_admin):
    row = services.pay_scale_seed(
        user=county_admin, effective_from=D(2025, 1, 1), base_pay=Decimal("1800"), performance_pay=Decimal("600")
    )
    row.base_pay = Decimal("9999")
    with pytest.raises(ValidationError):
        services.pay_scale_save(user=county_admin, scale=row)
    assert PayScale.objects.get(pk=row.pk).base_pay == Decimal("1800")
    back_dated = PayScale(effective_from=D(2025, 6, 1), base_pay=Decimal("1"), performance_pay=Decimal("1"))
    with pytest.raises(ValidationError):
        services.pay_scale_save(user=county_admin, scale=back_dated)


def test_a_future_pay_scale_can_be_added_by_the_county_administrator_only(county_admin, officer_x):
    services.pay_scale_seed(
        user=county_admin, effective_from=D(2025, 1, 1), base_pay=Decimal("1800"), performance_pay=Decimal("600")
    )
    next_month = (tz.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    row = PayScale(effective_from=next_month, base_pay=Decimal("2000"), performance_pay=Decimal("700"))
    with pytest.raises(PermissionDenied):
        services.pay_scale_save(user=officer_x, scale=row)
    services.pay_scale_save(user=county_admin, scale=row)
    assert PayScale.objects.filter(effective_from=next_month).exists()
