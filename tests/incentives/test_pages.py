import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre_mgmt.cadres.models import Post
from incentives import services
from incentives.models import Commendation, HardshipAid, PayScale

from ..factories import CadreFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def incentive_rows(officer_x, officer_y, cadre_x, cadre_y, village_x, village_y, county_approver):
    for cadre, village, officer in ((cadre_x, village_x, officer_x), (cadre_y, village_y, officer_y)):
        for n in range(3):
            other = CadreFactory(village=village, name=f"{cadre.name}{n}")
            services.commendation_record(
                user=officer, cadre=other, level="county", title=f"{cadre.name}荣誉{n}", issuer="县委", awarded_on=D(2026, 1, 5)
            )
            services.training_record(
                user=officer, cadre=other, course="培训", organizer="县委组织部", hours=Decimal("8.0"), trained_on=D(2026, 3, 1)
            )
            services.insurance_save(user=officer, cadre=other, scheme="pension", start_month=D(2024, 1, 1), status="enrolled")
            services.recommendation_record(user=officer, cadre=other, kind="cppcc", level="county", recommended_on=D(2026, 4, 1))
            aid = services.aid_apply(
                user=officer, cadre=other, reason=f"{cadre.name}困难{n}", amount_requested=Decimal("1000.00")
            )
            services.aid_step(user=officer, aid=aid, to_status="township_approved")
        services.commendation_record(
            user=officer, village=village, level="city", title=f"{village.name}示范村", issuer="市委", awarded_on=D(2026, 2, 1)
        )


LIST_PAGES = [
    "incentives:commendation_list",
    "incentives:training_list",
    "incentives:insurance_list",
    "incentives:recommendation_list",
    "incentives:aid_list",
]


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_list_pages_are_scoped_to_the_township_and_bounded(
    client_for, officer_x, cadre_x, cadre_y, incentive_rows, url_name, django_assert_max_num_queries
):
    client = client_for(officer_x)
    url = reverse(url_name) + ("?year=2026" if url_name == "incentives:training_list" else "")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert f"{cadre_x.name}0" in response.text
    assert cadre_y.name not in response.text


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_list_pages_show_every_township_to_the_county(
    client_for, county_approver, cadre_x, cadre_y, incentive_rows, url_name, django_assert_max_num_queries
):
    client = client_for(county_approver)
    url = reverse(url_name) + ("?year=2026" if url_name == "incentives:training_list" else "")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert f"{cadre_x.name}0" in response.text and f"{cadre_y.name}0" in response.text


@pytest.mark.parametrize("url_name", [*LIST_PAGES, "incentives:pay_scale_list"])
def test_list_pages_refuse_supervisors(client_for, supervisor, url_name):
    assert client_for(supervisor).get(reverse(url_name)).status_code == 403


def test_training_page_totals_hours_per_cadre(client_for, officer_x, cadre_x, incentive_rows):
    response = client_for(officer_x).get(reverse("incentives:training_list") + "?year=2026")
    assert 'data-testid="training-totals"' in response.text and "8.0" in response.text


@pytest.mark.parametrize(
    "url_name", ["commendation_create", "training_create", "insurance_create", "recommendation_create", "aid_create"]
)
def test_record_forms_for_township_staff_not_finance(client_for, officer_x, finance, url_name):
    assert client_for(officer_x).get(reverse(f"incentives:{url_name}")).status_code == 200
    assert client_for(finance).get(reverse(f"incentives:{url_name}")).status_code == 403


def test_officer_records_a_collective_commendation(client_for, officer_x, village_x):
    response = client_for(officer_x).post(
        reverse("incentives:commendation_create"),
        {"village": village_x.pk, "level": "province", "title": "全省文明村", "issuer": "省文明委", "awarded_on": "2025-12-01"},
    )
    assert response.status_code == 302
    assert Commendation.objects.get().collective


def test_officer_cannot_record_for_another_townships_cadre(client_for, officer_x, cadre_y):
    response = client_for(officer_x).post(
        reverse("incentives:training_create"),
        {"cadre": cadre_y.pk, "course": "x", "organizer": "y", "hours": "2", "trained_on": "2026-01-01"},
    )
    assert response.status_code == 200  # not a choice: the form refuses it
    assert not cadre_y.trainings.exists()


def test_bad_amount_gets_a_chinese_message_and_writes_nothing(client_for, officer_x, cadre_x):
    response = client_for(officer_x).post(
        reverse("incentives:aid_create"), {"cadre": cadre_x.pk, "reason": "x", "amount_requested": "-5"}
    )
    assert response.status_code == 200
    assert not HardshipAid.objects.exists()
    assert "确保该值大于或等于" in response.text


def test_aid_detail_is_404_for_another_township(client_for, officer_x, incentive_rows):
    other = HardshipAid.objects.exclude(cadre__township=officer_x.township).first()
    own = HardshipAid.objects.filter(cadre__township=officer_x.township).first()
    client = client_for(officer_x)
    assert client.get(reverse("incentives:aid_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("incentives:aid_step", args=[other.pk]), {"to_status": "township_approved"}).status_code == 404
    assert client.get(reverse("incentives:aid_detail", args=[own.pk])).status_code == 200


def test_aid_is_approved_by_the_county_and_paid_through_the_pages(client_for, officer_x, county_approver, incentive_rows):
    aid = HardshipAid.objects.filter(cadre__township=officer_x.township).first()
    client = client_for(officer_x)
    assert (
        client.post(
            reverse("incentives:aid_step", args=[aid.pk]), {"to_status": "county_approved", "amount_granted": "1"}
        ).status_code
        == 403
    )
    client = client_for(county_approver)
    client.post(reverse("incentives:aid_step", args=[aid.pk]), {"to_status": "county_approved", "amount_granted": "800.00"})
    client.post(reverse("incentives:aid_step", args=[aid.pk]), {"to_status": "paid", "paid_on": timezone.localdate().isoformat()})
    aid.refresh_from_db()
    assert (aid.status, aid.amount_granted) == ("paid", Decimal("800.00"))


def test_pay_page_and_cadre_panel_show_the_configured_pay(client_for, county_admin, officer_x, finance, village_x):
    services.pay_scale_seed(
        user=county_admin, effective_from=D(2025, 1, 1), base_pay=Decimal("1800.00"), performance_pay=Decimal("600.00")
    )
    services.pay_scale_seed(
        user=county_admin,
        effective_from=D(2025, 1, 1),
        post=Post.objects.get(code="party_secretary"),
        base_pay=Decimal("2600.00"),
        performance_pay=Decimal("1000.00"),
    )
    cadre = CadreFactory(village=village_x, posts=[Post.objects.get(code="party_secretary")])
    assert "2600.00" in client_for(finance).get(reverse("incentives:pay_scale_list")).text
    response = client_for(officer_x).get(reverse("cadres:detail", args=[cadre.pk]))
    assert 'data-testid="pay-panel"' in response.text
    assert '<dd class="col-7 col-md-4" data-testid="base-pay">2600.00</dd>' in response.text
    assert '<dd class="col-7 col-md-4" data-testid="performance-pay">1000.00</dd>' in response.text


def test_pay_scale_in_force_cannot_be_edited_in_the_admin(client_for, county_admin):
    county_admin.is_staff = True
    county_admin.save()
    row = services.pay_scale_seed(
        user=county_admin, effective_from=D(2025, 1, 1), base_pay=Decimal("1800.00"), performance_pay=Decimal("600.00")
    )
    response = client_for(county_admin).post(
        reverse("admin:incentives_payscale_change", args=[row.pk]),
        {"effective_from": "2025-01-01", "base_pay": "9999.00", "performance_pay": "600.00", "note": ""},
    )
    assert response.status_code == 200
    assert PayScale.objects.get(pk=row.pk).base_pay == Decimal("1800.00")


def test_county_admin_changes_commendation_points_in_the_admin(client_for, county_admin):
    from incentives.models import CommendationPoints

    county_admin.is_staff = True
    county_admin.save()
    row = CommendationPoints.objects.get(level="national")
    response = client_for(county_admin).post(
        reverse("admin:incentives_commendationpoints_change", args=[row.pk]), {"points": "12"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.points == Decimal("12")


def test_pay_panel_stays_within_three_queries(county_admin, village_x, django_assert_max_num_queries):
    from cadre_mgmt.cadres.selectors import cadres_for_user
    from incentives.panels import pay_panel_context

    secretary = CadreFactory(village=village_x, posts=[Post.objects.get(code="party_secretary")])
    services.commendation_record(
        user=county_admin, village=village_x, level="city", title="示范村", issuer="市委", awarded_on=D(2025, 1, 1)
    )
    cadre = cadres_for_user(user=county_admin).get(pk=secretary.pk)
    list(cadre.posts.all())
    with django_assert_max_num_queries(3):
        context = pay_panel_context(cadre, county_admin)
    assert [c.collective for c in context["commendations"]] == [True]


def test_level_columns_name_their_kind_not_the_rank_level(client_for, officer_x, incentive_rows):
    """Issue 17 #10: 职级 is the rank level; a commendation's level is 表彰级别, a recommendation's 推荐层级."""
    client = client_for(officer_x)
    commendations = client.get(reverse("incentives:commendation_list")).text
    recommendations = client.get(reverse("incentives:recommendation_list")).text
    assert "<th>表彰级别</th>" in commendations and "<th>职级</th>" not in commendations
    assert "<th>推荐层级</th>" in recommendations and "<th>职级</th>" not in recommendations
