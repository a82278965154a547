import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre
from supervision import services
from supervision.models import AffairsDisclosure, DisclosureFlag, Petition, PetitionStep, Sanction, VetoEvent
from supervision.selectors import review_facts

from ..factories import CadreFactory

D = datetime.date
pytestmark = pytest.mark.django_db


# --- Petitions ---------------------------------------------------------------------------------


def test_petition_deadline_defaults_to_sixty_days_and_creation_is_a_step(named_petition, supervisor):
    assert named_petition.deadline == D(2026, 3, 6)
    assert named_petition.status == Petition.Status.RECEIVED
    step = named_petition.steps.get()
    assert (step.from_status, step.to_status, step.by) == ("", "received", supervisor)


def test_reporter_is_stored_encrypted_and_readable_by_supervisors_only(named_petition, supervisor, officer_x, county_admin):
    assert "王小明" not in named_petition.reporter_encrypted
    assert named_petition.reporter_for(supervisor)["name"] == "举报人王小明"
    assert named_petition.reporter_for(officer_x) is None
    assert named_petition.reporter_for(county_admin) is None


def test_anonymous_petition_has_no_reporter_even_for_supervisors(anonymous_petition, supervisor):
    assert anonymous_petition.reporter_encrypted == ""
    assert anonymous_petition.reporter_for(supervisor) is None


def test_named_petition_needs_the_reporter_name(supervisor, cadre_x):
    with pytest.raises(ValidationError):
        services.petition_create(
            user=supervisor, channel="letter", summary="x", content="x", received_on=D(2026, 1, 5), cadre=cadre_x
        )


def test_audit_of_a_petition_never_holds_the_reporter(named_petition, supervisor):
    services.petition_transition(user=supervisor, petition=named_petition, to_status="assigned", assigned_to="X镇纪委")
    for record in AuditRecord.objects.filter(object_type="supervision.Petition"):
        assert "王小明" not in str(record.changes) and "13912345678" not in str(record.changes)


def test_status_changes_go_in_order_and_record_who_and_when(named_petition, supervisor):
    services.petition_transition(user=supervisor, petition=named_petition, to_status="assigned", assigned_to="X镇纪委")
    services.petition_transition(user=supervisor, petition=named_petition, to_status="investigating", note="已约谈")
    services.petition_transition(user=supervisor, petition=named_petition, to_status="concluded", conclusion="partly")
    services.petition_transition(user=supervisor, petition=named_petition, to_status="closed")
    steps = list(PetitionStep.objects.filter(petition=named_petition).order_by("at", "id"))
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("", "received"),
        ("received", "assigned"),
        ("assigned", "investigating"),
        ("investigating", "concluded"),
        ("concluded", "closed"),
    ]
    assert all(s.by == supervisor and s.at is not None for s in steps)
    assert steps[1].assigned_to == "X镇纪委" and steps[3].conclusion == "partly"
    named_petition.refresh_from_db()
    assert (named_petition.status, named_petition.conclusion) == ("closed", "partly")


@pytest.mark.parametrize("target", ["investigating", "concluded", "closed", "received"])
def test_out_of_order_status_change_is_refused_in_chinese(named_petition, supervisor, target):
    with pytest.raises(ValidationError) as exc:
        services.petition_transition(user=supervisor, petition=named_petition, to_status=target, conclusion="unfounded")
    assert "按顺序" in exc.value.messages[0]
    named_petition.refresh_from_db()
    assert named_petition.status == "received"
    assert named_petition.steps.count() == 1


def test_concluding_needs_a_conclusion(named_petition, supervisor):
    services.petition_transition(user=supervisor, petition=named_petition, to_status="assigned", assigned_to="X镇纪委")
    services.petition_transition(user=supervisor, petition=named_petition, to_status="investigating")
    with pytest.raises(ValidationError):
        services.petition_transition(user=supervisor, petition=named_petition, to_status="concluded")


def test_only_supervisors_handle_petitions(named_petition, officer_x, county_admin):
    for user in (officer_x, county_admin):
        with pytest.raises(PermissionDenied):
            services.petition_transition(user=user, petition=named_petition, to_status="assigned", assigned_to="x")


def test_overdue_detection_on_worked_dates(named_petition, anonymous_petition, supervisor):
    # named: received 2026-01-05, deadline 2026-03-06; anonymous: received 2026-02-01, deadline 2026-04-02.
    assert services.petitions_flag_overdue(today=D(2026, 3, 6)) == []
    assert services.petitions_flag_overdue(today=D(2026, 3, 7)) == [named_petition.pk]
    named_petition.refresh_from_db()
    assert named_petition.overdue_since == D(2026, 3, 7)
    # Running the job again the same day, or the next, flags nothing new.
    assert services.petitions_flag_overdue(today=D(2026, 3, 7)) == []
    assert services.petitions_flag_overdue(today=D(2026, 3, 8)) == []
    # A concluded petition is no longer open, so it is never flagged however late it is.
    for target in ("assigned", "investigating", "concluded"):
        services.petition_transition(
            user=supervisor, petition=anonymous_petition, to_status=target, assigned_to="Y", conclusion="unfounded"
        )
    assert services.petitions_flag_overdue(today=D(2026, 6, 1)) == []


def test_overdue_job_task_runs_the_service(named_petition):
    from supervision.tasks import flag_overdue_petitions

    # Called in-process (as a worker would run it), so the test holds with or without a broker.
    assert flag_overdue_petitions.apply().get() == 1  # today is after 2026-03-06
    assert flag_overdue_petitions.apply().get() == 0


# --- Sanctions, investigations, vetoes → review facts ----------------------------------------


def test_sanction_is_active_inside_its_period_and_not_after(supervisor, cadre_x):
    sanction = services.sanction_record(
        user=supervisor, cadre=cadre_x, severity="party_warning", decided_on=D(2025, 3, 10), description="违规发放补贴"
    )
    assert sanction.effective_until == D(2026, 3, 9)
    inside = review_facts(cadre_ids=[cadre_x.pk], year=2025, on=D(2026, 3, 9))[cadre_x.pk]
    after = review_facts(cadre_ids=[cadre_x.pk], year=2026, on=D(2026, 3, 10))[cadre_x.pk]
    assert [s.id for s in inside.active_sanctions] == [sanction.pk]
    assert inside.active_sanctions[0].kind == "party"
    assert inside.active_sanctions[0].severity == "party_warning"
    assert [s.id for s in inside.sanctions_in_year] == [sanction.pk]
    assert after.active_sanctions == [] and after.sanctions_in_year == []


def test_explicit_effect_period_overrides_the_default(supervisor, cadre_x):
    sanction = services.sanction_record(
        user=supervisor,
        cadre=cadre_x,
        severity="admonition",
        decided_on=D(2026, 1, 10),
        effective_until=D(2026, 12, 31),
        description="诫勉谈话",
    )
    assert sanction.effective_until == D(2026, 12, 31)
    with pytest.raises(ValidationError):
        services.sanction_record(
            user=supervisor,
            cadre=cadre_x,
            severity="admonition",
            decided_on=D(2026, 1, 10),
            effective_until=D(2025, 12, 31),
            description="x",
        )


def test_open_investigation_and_suspension_are_reported_until_concluded(supervisor, cadre_x):
    case = services.investigation_open(
        user=supervisor, cadre=cadre_x, opened_on=D(2026, 2, 1), description="涉嫌违规", suspended=True
    )
    facts = review_facts(cadre_ids=[cadre_x.pk], year=2026, on=D(2026, 2, 1))[cadre_x.pk]
    assert [i.id for i in facts.open_investigations] == [case.pk] and facts.suspended
    services.investigation_close(user=supervisor, investigation=case, closed_on=D(2026, 5, 1), conclusion="问题不成立")
    before = review_facts(cadre_ids=[cadre_x.pk], year=2026, on=D(2026, 4, 30))[cadre_x.pk]
    after = review_facts(cadre_ids=[cadre_x.pk], year=2026, on=D(2026, 5, 1))[cadre_x.pk]
    assert before.open_investigations and before.suspended
    assert after.open_investigations == [] and not after.suspended


def test_vetoes_of_the_year_are_reported_and_revoked_ones_are_not(supervisor, cadre_x, cadre_y):
    veto = services.veto_record(
        user=supervisor,
        cadre=cadre_x,
        year=2025,
        occurred_on=D(2025, 8, 3),
        reason="发生较大安全生产事故",
        kind="safety_accident",
    )
    facts = review_facts(cadre_ids=[cadre_x.pk, cadre_y.pk], year=2025, on=D(2026, 1, 15))
    assert [v.id for v in facts[cadre_x.pk].vetoes_in_year] == [veto.pk]
    assert facts[cadre_y.pk].vetoes_in_year == []
    services.veto_revoke(user=supervisor, veto=veto, reason="录入错误")
    assert review_facts(cadre_ids=[cadre_x.pk], year=2025, on=D(2026, 1, 15))[cadre_x.pk].vetoes_in_year == []
    assert VetoEvent.objects.filter(pk=veto.pk).exists()


def test_veto_must_count_against_the_year_it_happened_or_the_one_before(supervisor, cadre_x):
    with pytest.raises(ValidationError):
        services.veto_record(user=supervisor, cadre=cadre_x, year=2023, occurred_on=D(2025, 8, 3), reason="x")


def test_review_facts_cost_three_queries_for_any_number_of_cadres(supervisor, village_x, django_assert_num_queries):
    cadres = [CadreFactory(village=village_x) for _ in range(12)]
    for cadre in cadres:
        services.sanction_record(user=supervisor, cadre=cadre, severity="gov_demerit", decided_on=D(2026, 2, 1), description="x")
        services.investigation_open(user=supervisor, cadre=cadre, opened_on=D(2026, 2, 1), description="x")
        services.veto_record(user=supervisor, cadre=cadre, year=2026, occurred_on=D(2026, 2, 1), reason="x")
    with django_assert_num_queries(3):
        facts = review_facts(cadre_ids=[c.pk for c in cadres], year=2026, on=D(2026, 3, 1))
    assert all(len(f.active_sanctions) == 1 and len(f.vetoes_in_year) == 1 for f in facts.values())


def test_review_facts_lists_every_cadre_even_without_facts(cadre_x):
    assert review_facts(cadre_ids=[cadre_x.pk], year=2026, on=D(2026, 3, 1))[cadre_x.pk].active_sanctions == []


def test_only_supervisors_record_sanctions(officer_x, cadre_x):
    with pytest.raises(PermissionDenied):
        services.sanction_record(user=officer_x, cadre=cadre_x, severity="admonition", decided_on=D(2026, 1, 1), description="x")
    assert not Sanction.objects.exists()


# --- Dismissal ------------------------------------------------------------------------------------


def _in_post_for_month(cadre, month_start):
    """Paid for a month if in post on its first day (a cadre who left in month M is paid for M, not M+1)."""
    return cadre.status == Cadre.Status.IN_POST or cadre.left_on >= month_start


def test_dismissal_ends_the_post_so_the_next_months_roster_leaves_the_cadre_out(officer_x, cadre_x, supervisor):
    sanction = services.sanction_record(
        user=supervisor, cadre=cadre_x, severity="party_expulsion", decided_on=D(2026, 9, 1), description="严重违纪"
    )
    services.dismissal_record(
        user=officer_x, cadre=cadre_x, dismissed_on=D(2026, 9, 15), reason="开除党籍后清退", sanction=sanction
    )
    cadre_x.refresh_from_db()
    assert cadre_x.status == Cadre.Status.LEFT and cadre_x.left_on == D(2026, 9, 15)
    assert "清退" in cadre_x.left_reason
    assert _in_post_for_month(cadre_x, D(2026, 9, 1))
    assert not _in_post_for_month(cadre_x, D(2026, 10, 1))
    assert AuditRecord.objects.filter(object_type="supervision.Dismissal").count() == 1


def test_dismissal_of_another_township_is_refused(officer_y, cadre_x):
    with pytest.raises(PermissionDenied):
        services.dismissal_record(user=officer_y, cadre=cadre_x, dismissed_on=D(2026, 9, 15), reason="x")
    cadre_x.refresh_from_db()
    assert cadre_x.is_in_post


def test_a_cadre_is_dismissed_only_once(officer_x, cadre_x):
    services.dismissal_record(user=officer_x, cadre=cadre_x, dismissed_on=D(2026, 9, 15), reason="x")
    with pytest.raises(ValidationError):
        services.dismissal_record(user=officer_x, cadre=cadre_x, dismissed_on=D(2026, 9, 16), reason="y")


# --- Affairs disclosure ---------------------------------------------------------------------------


def test_disclosure_flags_missing_and_late_and_the_job_is_idempotent(officer_x, village_x, village_y):
    q1 = D(2026, 1, 1)  # due 2026-04-10
    for category in ("finance", "major_decisions", "policy_benefits"):
        services.disclosure_record(
            user=officer_x, village=village_x, period_start=q1, category=category, published_on=D(2026, 4, 2)
        )
    counts = services.disclosures_flag(today=D(2026, 4, 11))
    flags = {(f.village_id, f.category): f.kind for f in DisclosureFlag.objects.filter(period_start=q1)}
    assert all(v == "missing" for k, v in flags.items() if k[0] == village_y.pk)
    assert not any(k[0] == village_x.pk for k in flags)
    assert len([k for k in flags if k[0] == village_y.pk]) == 3
    snapshot = list(DisclosureFlag.objects.order_by("pk").values())
    assert services.disclosures_flag(today=D(2026, 4, 11)) == counts
    assert list(DisclosureFlag.objects.order_by("pk").values()) == snapshot
    # Published late: the flag turns from missing to late.
    AffairsDisclosure.objects.create(
        village=village_y, period_start=q1, category="finance", published_on=D(2026, 4, 20), recorded_by=officer_x
    )
    services.disclosures_flag(today=D(2026, 4, 21))
    assert DisclosureFlag.objects.get(village=village_y, period_start=q1, category="finance").kind == "late"


def test_disclosure_not_flagged_before_its_due_date(village_x):
    services.disclosures_flag(today=D(2026, 4, 10))
    assert not DisclosureFlag.objects.filter(period_start=D(2026, 1, 1)).exists()


def test_township_staff_record_disclosures_of_their_villages_only(officer_x, village_y):
    with pytest.raises(PermissionDenied):
        services.disclosure_record(
            user=officer_x, village=village_y, period_start=D(2026, 1, 1), category="finance", published_on=D(2026, 4, 2)
        )


def test_disclosure_period_is_normalised_and_duplicates_refused(officer_x, village_x):
    d = services.disclosure_record(
        user=officer_x, village=village_x, period_start=D(2026, 2, 14), category="finance", published_on=D(2026, 4, 2)
    )
    assert d.period_start == D(2026, 1, 1)
    with pytest.raises(ValidationError):
        services.disclosure_record(
            user=officer_x, village=village_x, period_start=D(2026, 1, 1), category="finance", published_on=D(2026, 4, 3)
        )


def test_dismissed_cadre_is_on_the_roster_of_the_month_of_dismissal_but_not_the_next(officer_x, cadre_x):
    from ranks.rosters.services import roster_generate

    services.dismissal_record(user=officer_x, cadre=cadre_x, dismissed_on=D(2026, 9, 15), reason="长期不在岗")
    september = roster_generate(month=D(2026, 9, 1))
    october = roster_generate(month=D(2026, 10, 1))
    assert september.lines.filter(cadre=cadre_x, kind="regular").exists()
    assert not october.lines.filter(cadre=cadre_x).exists()
