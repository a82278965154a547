"""The reserve pool: the shared ID number implementation, the status flow, appointment, the minimum flag."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.models import Cadre, Post
from incentives.reserves import services
from incentives.reserves.models import Reserve, ReserveStep
from incentives.reserves.selectors import pool_overview
from incentives.training_fields import TrainingFields
from ranks.grading.selectors import ungraded_cadres_for
from tests.factories import CadreFactory, VillageFactory, make_id_number

TODAY = datetime.date.today()


def register(officer, village, **extra):
    data = {
        "name": "陈思远",
        "phone": "13900000000",
        "political_status": "party_member",
        "education": "bachelor",
        "source": "graduate",
        "target_post": None,
        "registered_on": TODAY - datetime.timedelta(days=100),
    }
    data.update(extra)
    number = data.pop("id_number", None) or make_id_number(datetime.date(1995, 3, 4))
    return services.reserve_register(user=officer, village=village, id_number=number, **data)


def cultivating(officer, village, **extra):
    reserve = register(officer, village, **extra)
    return services.reserve_start_cultivation(user=officer, reserve=reserve, on=TODAY - datetime.timedelta(days=50))


# --- the ID number: one implementation with the cadre's ------------------------------------------------


def test_the_reserve_uses_the_cadres_id_number_fields_and_functions():
    # Every stored column of the cadre's ID number (a new one, e.g. a key version, must be cloned too).
    id_columns = [f.name for f in Cadre._meta.concrete_fields if f.name.startswith("id_number")]
    assert len(id_columns) >= 3
    for name in (*id_columns, "birth_date", "gender"):
        ours, theirs = Reserve._meta.get_field(name), Cadre._meta.get_field(name)
        assert ours.deconstruct()[1:] == theirs.deconstruct()[1:], name
    assert Reserve.assign_id_number is Cadre.assign_id_number
    assert Reserve.id_number is Cadre.id_number
    assert Reserve.id_number_for is Cadre.id_number_for
    from incentives.models import TrainingRecord
    from incentives.reserves.models import ReserveTraining

    shared = {f.name for f in TrainingFields._meta.fields}
    assert shared <= {f.name for f in TrainingRecord._meta.fields} & {f.name for f in ReserveTraining._meta.fields}


def test_registration_validates_encrypts_and_masks_the_id_number(officer_x, village_x, county_admin):
    number = make_id_number(datetime.date(1996, 7, 8), female=True)
    reserve = register(officer_x, village_x, id_number=number)
    reserve.refresh_from_db()
    assert number not in reserve.id_number_encrypted
    assert reserve.id_number_hash == idnumbers.hash_id_number(number)
    assert reserve.id_number_masked == idnumbers.mask_id_number(number)
    assert reserve.id_number == number
    assert (reserve.birth_date, reserve.gender) == (datetime.date(1996, 7, 8), "female")
    assert reserve.id_number_for(type("U", (), {"can_see_full_id_numbers": False})()) == reserve.id_number_masked
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        register(officer_x, village_x, id_number=wrong)
    assert "校验位" in str(exc.value) or "check digit" in str(exc.value)
    with pytest.raises(ValidationError):
        register(officer_x, village_x, id_number=number)  # registered once already
    assert Reserve.objects.count() == 1


def test_another_townships_staff_cannot_register(officer_y, village_x):
    with pytest.raises(PermissionDenied):
        register(officer_y, village_x)
    assert not Reserve.objects.exists()


# --- status flow, mentor, training, assessment ---------------------------------------------------------


def test_the_status_flow_is_audited_step_by_step(officer_x, village_x):
    reserve = register(officer_x, village_x)
    services.reserve_start_cultivation(user=officer_x, reserve=reserve, on=TODAY)
    with pytest.raises(ValidationError):
        services.reserve_withdraw(user=officer_x, reserve=reserve, on=TODAY, reason="  ")
    services.reserve_withdraw(user=officer_x, reserve=reserve, on=TODAY, reason="外出务工")
    reserve.refresh_from_db()
    assert (reserve.status, reserve.ended_on, reserve.withdrawal_reason) == ("withdrawn", TODAY, "外出务工")
    steps = list(ReserveStep.objects.filter(reserve=reserve).values_list("from_status", "to_status"))
    assert steps == [("", "registered"), ("registered", "cultivating"), ("cultivating", "withdrawn")]
    records = AuditRecord.objects.filter(object_type="incentives.Reserve", object_id=str(reserve.pk))
    assert records.count() == 3
    with pytest.raises(ValidationError):
        services.reserve_start_cultivation(user=officer_x, reserve=reserve, on=TODAY)


def test_the_mentor_is_a_cadre_in_post_of_the_village(officer_x, village_x, cadre_x, cadre_y):
    reserve = register(officer_x, village_x)
    with pytest.raises(ValidationError):
        services.reserve_update(user=officer_x, reserve=reserve, mentor=cadre_y)
    changes = services.reserve_update(user=officer_x, reserve=reserve, mentor=cadre_x)
    assert changes["mentor"][1] == str(cadre_x.pk)
    reserve.refresh_from_db()
    assert reserve.mentor == cadre_x


def test_training_and_one_assessment_per_year(officer_x, village_x):
    reserve = register(officer_x, village_x)
    services.reserve_training_record(
        user=officer_x,
        reserve=reserve,
        kind="practice",
        course="跟班学习",
        organizer="本村",
        hours=Decimal("40"),
        trained_on=TODAY,
    )
    services.reserve_assessment_save(user=officer_x, reserve=reserve, year=TODAY.year, grade="competent")
    services.reserve_assessment_save(user=officer_x, reserve=reserve, year=TODAY.year, grade="excellent", comment="突出")
    assert list(reserve.assessments.values_list("year", "grade")) == [(TODAY.year, "excellent")]
    assert reserve.trainings.get().kind == "practice"
    with pytest.raises(ValidationError):
        services.reserve_assessment_save(user=officer_x, reserve=reserve, year=TODAY.year + 1, grade="competent")


# --- appointment ---------------------------------------------------------------------------------------


def test_appointment_creates_one_cadre_moves_the_id_and_opens_the_initial_grading(officer_x, village_x):
    number = make_id_number(datetime.date(1992, 1, 2))
    reserve = cultivating(officer_x, village_x, id_number=number, name="李晓雯")
    for kind, course in (("training", "示范培训班"), ("practice", "跟班学习")):
        services.reserve_training_record(
            user=officer_x,
            reserve=reserve,
            kind=kind,
            course=course,
            organizer="县委组织部",
            hours=Decimal("16"),
            trained_on=TODAY,
        )
    member = Post.objects.get(code="member")
    before = Cadre.objects.count()
    cadre = services.reserve_appoint(user=officer_x, reserve=reserve, posts=[member], appointed_on=TODAY)
    assert Cadre.objects.count() == before + 1
    assert (cadre.name, cadre.id_number, cadre.village, cadre.first_appointed_on) == ("李晓雯", number, village_x, TODAY)
    assert cadre.id_number_hash == reserve.id_number_hash
    reserve.refresh_from_db()
    assert (reserve.status, reserve.cadre, reserve.ended_on) == ("appointed", cadre, TODAY)
    assert cadre in ungraded_cadres_for(user=officer_x)
    assert list(cadre.trainings.values_list("course", "hours")) == [("示范培训班", Decimal("16.0"))]  # training, not practice
    with pytest.raises(ValidationError):
        services.reserve_appoint(user=officer_x, reserve=reserve, posts=[member], appointed_on=TODAY)
    assert Cadre.objects.count() == before + 1


def test_appointing_a_person_already_a_cadre_is_refused(officer_x, village_x):
    number = make_id_number(datetime.date(1990, 5, 6))
    reserve = cultivating(officer_x, village_x, id_number=number)
    CadreFactory(village=village_x, id_number=number)
    before = Cadre.objects.count()
    with pytest.raises(ValidationError):
        services.reserve_appoint(user=officer_x, reserve=reserve, posts=[Post.objects.get(code="member")], appointed_on=TODAY)
    assert Cadre.objects.count() == before
    reserve.refresh_from_db()
    assert reserve.status == "cultivating"


def test_only_a_reserve_in_cultivation_is_appointed(officer_x, village_x):
    reserve = register(officer_x, village_x)
    with pytest.raises(ValidationError):
        services.reserve_appoint(user=officer_x, reserve=reserve, posts=[Post.objects.get(code="member")], appointed_on=TODAY)
    assert not Cadre.objects.filter(id_number_hash=reserve.id_number_hash).exists()


def test_the_appointment_page_posts_no_id_number_and_lands_on_the_cadre(client_for, officer_x, village_x):
    reserve = cultivating(officer_x, village_x)
    client = client_for(officer_x)
    page = client.get(reverse("incentives:reserve_appoint", args=[reserve.pk]))
    assert page.status_code == 200
    assert reserve.id_number not in page.content.decode()
    member = Post.objects.get(code="member")
    response = client.post(
        reverse("incentives:reserve_appoint", args=[reserve.pk]), {"posts": [member.pk], "appointed_on": TODAY.isoformat()}
    )
    cadre = Cadre.objects.get(id_number_hash=reserve.id_number_hash)
    assert response.status_code == 302 and response.url == reverse("cadres:detail", args=[cadre.pk])
    again = client.post(
        reverse("incentives:reserve_appoint", args=[reserve.pk]), {"posts": [member.pk], "appointed_on": TODAY.isoformat()}
    )
    assert again.status_code == 200  # refused on the form, with its reason
    assert "already a cadre" in again.content.decode() or "已是村干部" in again.content.decode()
    assert Cadre.objects.filter(id_number_hash=reserve.id_number_hash).count() == 1


# --- pool overview -------------------------------------------------------------------------------------


def test_the_minimum_flag_counts_open_reserves_only(officer_x, village_x, county_admin):
    other = VillageFactory(township=village_x.township, name="西河村")
    register(officer_x, village_x)
    second = register(officer_x, village_x, id_number=make_id_number(datetime.date(1994, 2, 2)))
    register(officer_x, other, id_number=make_id_number(datetime.date(1993, 2, 2)))
    rows = {row.village.pk: row for row in pool_overview(user=officer_x).villages}
    assert (rows[village_x.pk].open, rows[village_x.pk].below) == (2, False)
    assert (rows[other.pk].open, rows[other.pk].below) == (1, True)
    services.reserve_withdraw(user=officer_x, reserve=second, on=TODAY, reason="退出")
    rows = {row.village.pk: row for row in pool_overview(user=officer_x).villages}
    assert rows[village_x.pk].below is True
    services.pool_minimum_update(user=county_admin, minimum_per_village=1)
    overview = pool_overview(user=officer_x)
    assert overview.minimum == 1 and overview.below_count == 0


def test_the_overview_counts_by_age_education_and_source(officer_x, village_x):
    register(officer_x, village_x, id_number=make_id_number(datetime.date(TODAY.year - 25, 1, 1)), source="veteran")
    register(officer_x, village_x, id_number=make_id_number(datetime.date(TODAY.year - 45, 1, 1)), education="college")
    overview = pool_overview(user=officer_x)
    row = next(row for row in overview.villages if row.village == village_x)
    assert row.counts["age_to30"] == 1 and row.counts["age_over40"] == 1
    assert row.counts["source_veteran"] == 1 and row.counts["education_college"] == 1 and row.counts["education_bachelor"] == 1
    assert overview.totals[[key for _g, key, _l in overview.columns].index("registered")] == 2


def test_the_overview_is_scoped_and_its_queries_bounded(
    officer_x, officer_y, village_x, village_y, django_assert_max_num_queries
):
    register(officer_x, village_x)
    assert {row.village.pk for row in pool_overview(user=officer_y).villages} == {village_y.pk}
    with django_assert_max_num_queries(3):
        pool_overview(user=officer_x)


def test_the_overview_page_and_export(client_for, officer_x, village_x):
    register(officer_x, village_x)
    client = client_for(officer_x)
    page = client.get(reverse("incentives:reserve_overview"))
    assert page.status_code == 200
    assert "reserve-pool-data" in page.content.decode()
    export = client.get(reverse("incentives:reserve_overview_export"))
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT, object_type="incentives.Reserve").exists()


def test_the_countys_view_sums_the_villages_per_township(
    officer_x, officer_y, village_x, village_y, county_approver, client_for, django_assert_max_num_queries
):
    from incentives.reserves.selectors import county_pool_overview

    register(officer_x, village_x)
    register(officer_x, village_x, id_number=make_id_number(datetime.date(1991, 1, 1)))
    register(officer_y, village_y, id_number=make_id_number(datetime.date(1992, 1, 1)), source="veteran")
    VillageFactory(township=village_y.township, name="空白村")
    register(officer_y, village_y, id_number=make_id_number(datetime.date(TODAY.year - 45, 1, 1)), education="college")
    register(officer_y, village_y, id_number=make_id_number(datetime.date(TODAY.year - 33, 6, 1)), source="talent")
    with django_assert_max_num_queries(7):
        county = county_pool_overview(user=county_approver)
    villages = pool_overview(user=county_approver)
    assert county.totals == villages.totals and county.open_total == villages.open_total == 5
    rows = {row.township.pk: row for row in county.townships}
    assert (rows[village_x.township_id].open, rows[village_x.township_id].below) == (2, 0)
    assert (rows[village_y.township_id].villages, rows[village_y.township_id].below) == (2, 1)
    assert county.below_count == villages.below_count == 1
    page = client_for(county_approver).get(reverse("incentives:reserve_overview"))
    assert page.status_code == 200 and f"?township={village_y.township_id}" in page.text


def test_a_refused_appointment_is_said_on_the_form(client_for, officer_x, village_x):
    reserve = cultivating(officer_x, village_x)
    url = reverse("incentives:reserve_appoint", args=[reserve.pk])
    member = Post.objects.get(code="member")
    client = client_for(officer_x)
    for day in (TODAY + datetime.timedelta(days=5), reserve.registered_on - datetime.timedelta(days=1)):
        page = client.post(url, {"posts": [member.pk], "appointed_on": day.isoformat()})
        assert page.status_code == 200 and "alert" in page.text
    assert not Cadre.objects.filter(id_number_hash=reserve.id_number_hash).exists()
    reserve.refresh_from_db()
    assert reserve.status == "cultivating"
