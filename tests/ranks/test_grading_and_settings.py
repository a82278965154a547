import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cadre_mgmt.audit.models import AuditRecord
from ranks.grading import selectors as grading_selectors
from ranks.grading import services as grading_services
from ranks.ladder import rules
from ranks.ladder import services as ladder_services
from ranks.models import AllowanceSchedule, InitialGrading, LadderStep, RankChange

from ..factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_computed_level_follows_years_of_service(village_x):
    today = datetime.date(2026, 6, 1)
    fresh = CadreFactory(village=village_x, first_appointed_on=datetime.date(2025, 1, 1))
    seven = CadreFactory(village=village_x, first_appointed_on=datetime.date(2020, 1, 1), prior_service_years=1)
    veteran = CadreFactory(village=village_x, first_appointed_on=datetime.date(2000, 1, 1))
    levels = grading_selectors.computed_initial_levels(cadres=[fresh, seven, veteran], day=today)
    assert (levels[fresh.pk].level, levels[seven.pk].level, levels[veteran.pk].level) == (13, 11, 10)
    assert levels[seven.pk].years_served == 7


def test_township_sees_its_ungraded_cadres_with_the_computed_level(client_for, officer_x, cadre_x, cadre_y):
    response = client_for(officer_x).get(reverse("ranks:grading"))
    assert response.status_code == 200
    assert [cadre.pk for cadre, _computed in response.context["ungraded"]] == [cadre_x.pk]


def test_grading_page_is_refused_to_finance_and_supervisors(client_for, finance, supervisor):
    for user in (finance, supervisor):
        assert client_for(user).get(reverse("ranks:grading")).status_code == 403


def test_township_submits_another_level_only_with_a_reason(client_for, officer_x, cadre_x):
    client = client_for(officer_x)
    url = reverse("ranks:grading_submit", args=[cadre_x.pk])
    response = client.post(url, {"proposed_level": "9", "reason": ""})
    assert response.status_code == 200 and not InitialGrading.objects.exists()
    assert response.context["form"].errors["reason"]
    response = client.post(url, {"proposed_level": "9", "reason": "长期担任一肩挑"})
    assert response.status_code == 302
    grading = InitialGrading.objects.get()
    assert (grading.proposed_level, grading.computed_level, grading.status) == (9, 10, "submitted")


def test_township_cannot_grade_another_townships_cadre(client_for, officer_x, cadre_y):
    client = client_for(officer_x)
    assert client.get(reverse("ranks:grading_submit", args=[cadre_y.pk])).status_code == 404
    client.post(reverse("ranks:grading_submit_batch"), {"cadre": [cadre_y.pk]})
    assert not InitialGrading.objects.exists()
    with pytest.raises(PermissionDenied):
        grading_services.initial_grading_submit(user=officer_x, cadre=cadre_y)


def test_batch_submit_and_batch_approval_write_history_effective_next_month(client_for, officer_x, county_approver, village_x):
    cadres = [CadreFactory(village=village_x) for _ in range(3)]
    assert client_for(officer_x).post(reverse("ranks:grading_submit_batch"), {"cadre": [c.pk for c in cadres]}).status_code == 302
    assert InitialGrading.objects.filter(status="submitted").count() == 3
    # A township officer may not approve.
    ids = list(InitialGrading.objects.values_list("pk", flat=True))
    assert client_for(officer_x).post(reverse("ranks:grading_approve_batch"), {"grading": ids}).status_code == 403
    assert client_for(county_approver).post(reverse("ranks:grading_approve_batch"), {"grading": ids[:2]}).status_code == 302
    approved = InitialGrading.objects.filter(status="approved")
    assert approved.count() == 2
    change = RankChange.objects.get(cadre=approved.first().cadre)
    assert change.kind == "initial_grading"
    assert change.effective_month == rules.effective_month_after(timezone.localdate(change.approved_at))
    # One by one: the row's own button approves only that grading.
    client_for(county_approver).post(reverse("ranks:grading_approve_batch"), {"single": ids[2], "grading": ids[:2]})
    assert InitialGrading.objects.filter(status="approved").count() == 3


def test_rejection_needs_a_reason_and_the_cadre_can_be_submitted_again(client_for, officer_x, county_approver, cadre_x):
    grading = grading_services.initial_grading_submit(user=officer_x, cadre=cadre_x)
    client = client_for(county_approver)
    response = client.post(reverse("ranks:grading_reject", args=[grading.pk]), {"comment": ""})
    assert response.status_code == 200
    assert client.post(reverse("ranks:grading_reject", args=[grading.pk]), {"comment": "年限有误"}).status_code == 302
    grading.refresh_from_db()
    assert grading.status == "rejected" and not RankChange.objects.exists()
    assert grading_services.initial_grading_submit(user=officer_x, cadre=cadre_x).status == "submitted"


def test_a_decided_grading_cannot_be_decided_again(officer_x, county_approver, cadre_x):
    grading = grading_services.initial_grading_submit(user=officer_x, cadre=cadre_x)
    grading_services.initial_grading_approve(grading=grading, approver=county_approver)
    with pytest.raises(ValidationError):
        grading_services.initial_grading_approve(grading=grading, approver=county_approver)
    assert RankChange.objects.count() == 1


def test_grading_list_query_count_is_bounded(client_for, county_approver, officer_x, village_x, django_assert_max_num_queries):
    for _ in range(10):
        grading_services.initial_grading_submit(user=officer_x, cadre=CadreFactory(village=village_x))
    client = client_for(county_approver)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("ranks:grading")).status_code == 200


# Settings -----------------------------------------------------------------------------------------


def test_ladder_defaults_follow_the_design():
    steps = {step.from_level: step for step in LadderStep.objects.all()}
    assert sorted(steps) == list(range(2, 14))
    assert steps[13].years_required == 2 and steps[8].years_required == 3 and steps[2].years_required == 4
    assert steps[6].requires_excellent_year and not steps[8].requires_excellent_year
    assert steps[4].required_commendation_level == "county" and steps[5].required_commendation_level is None
    assert AllowanceSchedule.objects.get().amount_per_level == Decimal("100.00")


def test_settings_page_is_for_the_county_administrator_only(client_for, county_admin, county_approver, officer_x):
    assert client_for(county_admin).get(reverse("ranks:settings")).status_code == 200
    for user in (county_approver, officer_x):
        client = client_for(user)
        assert client.get(reverse("ranks:settings")).status_code == 403
        assert (
            client.post(reverse("ranks:settings_schedule"), {"effective_from": "2027-01", "amount_per_level": "1"}).status_code
            == 403
        )
    assert AllowanceSchedule.objects.count() == 1


def test_county_admin_changes_a_ladder_step_and_it_is_audited(client_for, county_admin):
    steps = list(LadderStep.objects.order_by("-from_level"))
    data = {"form-TOTAL_FORMS": len(steps), "form-INITIAL_FORMS": len(steps)}
    for index, step in enumerate(steps):
        data[f"form-{index}-id"] = step.pk
        data[f"form-{index}-years_required"] = 5 if step.from_level == 13 else step.years_required
        if step.requires_excellent_year:
            data[f"form-{index}-requires_excellent_year"] = "on"
        data[f"form-{index}-required_commendation_level"] = step.required_commendation_level or ""
    assert client_for(county_admin).post(reverse("ranks:settings_ladder"), data).status_code == 302
    assert LadderStep.objects.get(from_level=13).years_required == 5
    assert AuditRecord.objects.filter(object_type="ranks.LadderStep", action="update").count() == 1


def test_schedule_form_refuses_a_malformed_month(client_for, county_admin):
    response = client_for(county_admin).post(
        reverse("ranks:settings_schedule"), {"effective_from": "2027/01", "amount_per_level": "120"}
    )
    assert response.status_code == 400
    assert AllowanceSchedule.objects.count() == 1


def test_schedule_change_is_audited(county_admin):
    ladder_services.allowance_schedule_set(
        user=county_admin, effective_from=datetime.date(2027, 1, 1), amount_per_level=Decimal("120")
    )
    assert AuditRecord.objects.filter(object_type="ranks.AllowanceSchedule", actor=county_admin).exists()
    with pytest.raises(PermissionDenied):
        ladder_services.allowance_schedule_set(
            user=county_admin.__class__(role="township_staff"), effective_from=datetime.date(2027, 1, 1), amount_per_level=1
        )
