"""Pages of the promotion review: who may open them, what they show, and bounded queries."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from ranks.models import PromotionReview, Proposal, RankChange
from ranks.review import decisions
from ranks.review import facts as review_facts
from ranks.review import services as review_services

from ..factories import CadreFactory, VillageFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


def run_review(year=YEAR, dry_run=False):
    review = review_services.review_start(year=year, dry_run=dry_run, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    return review_services.review_run_now(review=review)


@pytest.fixture
def reviewed(promotable, cadre_x, cadre_y, village_x):
    promotable(cadre_x, 12)
    promotable(cadre_y, 11)
    CadreFactory(village=village_x, name="赵未定")
    review = run_review()
    return {"review": review, "x": Proposal.objects.get(cadre=cadre_x), "y": Proposal.objects.get(cadre=cadre_y)}


def decide_batch(client, data):
    """A batch decision as the page makes it: the summary first, then the confirming POST it offers."""
    summary = client.post(reverse("ranks:proposal_decide_batch"), data)
    assert summary.status_code == 200, summary
    confirm = {**data, "confirm": "on", "fingerprint": summary.context["summary"].fingerprint}
    return client.post(reverse("ranks:proposal_decide_batch"), confirm)


# Runs ---------------------------------------------------------------------------------------------


def test_runs_page_for_the_county_and_refused_to_others(client_for, reviewed, county_admin, county_approver, officer_x, finance):
    response = client_for(county_admin).get(reverse("ranks:reviews"))
    assert response.status_code == 200 and response.context["can_start"]
    response = client_for(county_approver).get(reverse("ranks:reviews"))
    assert response.status_code == 200 and not response.context["can_start"]
    for user in (officer_x, finance):
        assert client_for(user).get(reverse("ranks:reviews")).status_code == 403
        assert client_for(user).get(reverse("ranks:review_detail", args=[reviewed["review"].pk])).status_code == 403


def test_the_county_administrator_starts_a_review_from_the_page(client_for, county_admin, promotable, cadre_x, settings):
    promotable(cadre_x, 12)
    client = client_for(county_admin)
    response = client.post(reverse("ranks:reviews"), {"year": "2025"})
    review = PromotionReview.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ranks:review_detail", args=[review.pk])
    assert (review.year, review.trigger, review.started_by, review.dry_run) == (2025, "page", county_admin, False)


def test_an_approver_cannot_start_a_review_and_bad_years_are_refused(client_for, county_approver, county_admin):
    assert client_for(county_approver).post(reverse("ranks:reviews"), {"year": "2025"}).status_code == 403
    response = client_for(county_admin).post(reverse("ranks:reviews"), {"year": "9999999999999999999999"})
    assert response.status_code == 400 and response.context["form"].errors
    assert not PromotionReview.objects.exists()


def test_run_page_shows_counts_by_outcome_and_township(client_for, reviewed, county_approver):
    response = client_for(county_approver).get(reverse("ranks:review_detail", args=[reviewed["review"].pk]))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["review"].counts["townships"]}
    assert (rows["X镇"]["promote"], rows["X镇"]["hold"], rows["Y镇"]["promote"]) == (1, 1, 1)
    assert "X镇" in response.text and "按乡镇" in response.text
    assert response.context["budget"].next_month_total == response.context["budget"].next_month_total_if_approved


def test_progress_fragment_polls_while_running_and_stops_when_done(client_for, cadre_x, county_approver):
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    client = client_for(county_approver)
    response = client.get(reverse("ranks:review_progress", args=[review.pk]))
    assert 'hx-trigger="every 2s"' in response.text
    review_services.review_run_now(review=review)
    response = client.get(reverse("ranks:review_progress", args=[review.pk]))
    assert "hx-trigger" not in response.text and "1 / 1 个乡镇" in response.text


def test_dry_run_page_lists_each_cadre_with_what_blocked_it(client_for, reviewed, county_approver, django_assert_max_num_queries):
    review = run_review(dry_run=True)
    client = client_for(county_approver)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ranks:review_detail", args=[review.pk]))
    rows = {row.name: row for row in response.context["dry_rows"]}
    assert rows["张建国"].outcome == "promote" and rows["赵未定"].outcome == "hold"
    assert any("基本条件1" in label for label in rows["赵未定"].failed)
    response = client.get(reverse("ranks:review_detail", args=[review.pk]), {"outcome": "hold"})
    assert [row.name for row in response.context["dry_rows"]] == ["赵未定"]


def test_resume_is_for_the_county_administrator(client_for, reviewed, county_approver):
    assert client_for(county_approver).post(reverse("ranks:review_resume", args=[reviewed["review"].pk])).status_code == 403


# Proposals ----------------------------------------------------------------------------------------


def test_township_sees_only_its_own_proposals(client_for, reviewed, officer_x, cadre_y):
    client = client_for(officer_x)
    response = client.get(reverse("ranks:proposals"), {"status": "all"})
    assert response.status_code == 200
    names = {p.cadre.name for p in response.context["page"]}
    assert names == {"张建国", "赵未定"} and cadre_y.name not in response.text
    assert client.get(reverse("ranks:proposal_detail", args=[reviewed["y"].pk])).status_code == 404
    assert client.post(reverse("ranks:proposal_submit", args=[reviewed["y"].pk]), {"remarks": "x"}).status_code == 404


def test_township_default_list_is_what_awaits_its_check(client_for, reviewed, officer_x):
    response = client_for(officer_x).get(reverse("ranks:proposals"))
    assert [p.pk for p in response.context["page"]] == [reviewed["x"].pk]
    assert response.context["filters"]["year"] == YEAR


def test_supervisor_and_finance_cannot_open_proposals(client_for, reviewed, supervisor, finance):
    for user in (supervisor, finance):
        client = client_for(user)
        assert client.get(reverse("ranks:proposals")).status_code == 403
        assert client.get(reverse("ranks:proposal_detail", args=[reviewed["x"].pk])).status_code == 403


def test_proposal_page_shows_the_explanation_and_history(client_for, reviewed, officer_x, county_approver):
    decisions.proposal_submit(proposal=reviewed["x"], user=officer_x, remarks="经核实属实")
    response = client_for(county_approver).get(reverse("ranks:proposal_detail", args=[reviewed["x"].pk]))
    assert response.status_code == 200 and response.context["can_decide"]
    text = response.text
    assert "结论：晋升一级（12级→11级）" in text
    assert "基本条件1" in text and "不予晋升情形7" in text and "2024 称职" in text
    assert "经核实属实" in text and "township_x" in text


def test_township_submits_then_the_county_approves_through_the_pages(client_for, reviewed, officer_x, county_approver):
    proposal = reviewed["x"]
    response = client_for(officer_x).post(
        reverse("ranks:proposal_submit", args=[proposal.pk]), {"remarks": "属实", "notes": "台账、考核表已核"}
    )
    assert response.status_code == 302
    response = client_for(county_approver).post(reverse("ranks:proposal_approve", args=[proposal.pk]), {"comment": "同意"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.supporting_notes) == ("approved", "台账、考核表已核")
    assert RankChange.objects.filter(cadre=proposal.cadre, kind="promotion").count() == 1


def test_township_staff_cannot_approve_or_reject_through_the_pages(client_for, reviewed, officer_x):
    decisions.proposal_submit(proposal=reviewed["x"], user=officer_x)
    client = client_for(officer_x)
    assert client.post(reverse("ranks:proposal_approve", args=[reviewed["x"].pk])).status_code == 403
    assert client.post(reverse("ranks:proposal_reject", args=[reviewed["x"].pk]), {"reason": "x"}).status_code == 403
    response = client.post(
        reverse("ranks:proposal_decide_batch"), {"proposal": [reviewed["x"].pk], "action": "approve", "reason": ""}
    )
    assert response.status_code == 403
    assert Proposal.objects.get(pk=reviewed["x"].pk).status == "submitted"


def test_approver_cannot_submit_for_a_township(client_for, reviewed, county_approver):
    response = client_for(county_approver).post(reverse("ranks:proposal_submit", args=[reviewed["x"].pk]), {"remarks": ""})
    assert response.status_code == 403


def test_reject_without_a_reason_shows_a_message_and_changes_nothing(client_for, reviewed, officer_x, county_approver):
    decisions.proposal_submit(proposal=reviewed["x"], user=officer_x)
    response = client_for(county_approver).post(reverse("ranks:proposal_reject", args=[reviewed["x"].pk]), {"reason": ""})
    assert response.status_code == 400 and "该字段是必填项" in response.text
    assert Proposal.objects.get(pk=reviewed["x"].pk).status == "submitted"


def test_batch_submit_and_batch_decisions(client_for, reviewed, officer_x, officer_y, county_approver):
    client_for(officer_x).post(reverse("ranks:proposal_submit_batch"), {"proposal": [reviewed["x"].pk], "remarks": "同意上报"})
    client_for(officer_y).post(reverse("ranks:proposal_submit_batch"), {"proposal": [reviewed["y"].pk]})
    assert set(Proposal.objects.filter(outcome="promote").values_list("status", flat=True)) == {"submitted"}
    client = client_for(county_approver)
    response = client.post(reverse("ranks:proposal_decide_batch"), {"proposal": [reviewed["y"].pk], "action": "reject"})
    assert response.status_code == 302 and Proposal.objects.get(pk=reviewed["y"].pk).status == "submitted"
    decide_batch(client, {"proposal": [reviewed["y"].pk], "action": "reject", "reason": "暂缓"})
    decide_batch(client, {"proposal": [reviewed["x"].pk], "action": "approve"})
    statuses = dict(Proposal.objects.filter(outcome="promote").values_list("pk", "status"))
    assert statuses == {reviewed["x"].pk: "approved", reviewed["y"].pk: "rejected"}


def test_a_township_cannot_batch_submit_another_townships_proposal(client_for, reviewed, officer_x):
    client_for(officer_x).post(reverse("ranks:proposal_submit_batch"), {"proposal": [reviewed["y"].pk]})
    assert Proposal.objects.get(pk=reviewed["y"].pk).status == "pending"


def test_hostile_ids_in_a_batch_are_refused_cleanly(client_for, reviewed, county_approver):
    response = client_for(county_approver).post(
        reverse("ranks:proposal_decide_batch"), {"proposal": ["99999999999999999999999"], "action": "approve"}
    )
    assert response.status_code == 302


def test_approver_filters_by_township_outcome_and_level(client_for, reviewed, officer_x, officer_y, county_approver, township_y):
    decisions.proposal_submit(proposal=reviewed["x"], user=officer_x)
    decisions.proposal_submit(proposal=reviewed["y"], user=officer_y)
    client = client_for(county_approver)
    response = client.get(reverse("ranks:proposals"))
    assert {p.pk for p in response.context["page"]} == {reviewed["x"].pk, reviewed["y"].pk}
    assert [(row.name, row.by_status.get("submitted")) for row in response.context["summary"]] == [("X镇", 1), ("Y镇", 1)]
    assert [p.pk for p in client.get(reverse("ranks:proposals"), {"township": township_y.pk}).context["page"]] == [
        reviewed["y"].pk
    ]
    assert [p.pk for p in client.get(reverse("ranks:proposals"), {"level": 12}).context["page"]] == [reviewed["x"].pk]
    response = client.get(reverse("ranks:proposals"), {"outcome": "hold", "status": "all"})
    assert [p.outcome for p in response.context["page"]] == ["hold"]


def test_proposals_page_query_count_is_bounded(
    client_for, reviewed, promotable, township_x, county_approver, django_assert_max_num_queries
):
    village = VillageFactory(township=township_x, name="西河村")
    for index in range(25):
        promotable(CadreFactory(village=village, name=f"王{index:02d}"))
    run_review()
    client = client_for(county_approver)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("ranks:proposals"), {"status": "all"})
    assert response.status_code == 200 and len(response.context["page"]) == 28


def test_township_proposals_page_query_count_is_bounded(client_for, reviewed, officer_x, django_assert_max_num_queries):
    client = client_for(officer_x)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ranks:proposals"), {"status": "all"})
    assert response.status_code == 200


def test_runs_list_query_count_is_bounded(client_for, reviewed, county_admin, django_assert_max_num_queries):
    run_review(dry_run=True)
    client = client_for(county_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("ranks:reviews"))
    assert len(response.context["reviews"]) == 2


def test_cadre_file_shows_the_proposals_and_who_decided(client_for, reviewed, officer_x, county_approver, cadre_x):
    proposal = decisions.proposal_submit(proposal=reviewed["x"], user=officer_x)
    decisions.proposal_reject(proposal=proposal, approver=county_approver, reason="材料不全")
    response = client_for(officer_x).get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert 'id="review-panel"' in response.text
    assert "材料不全" in response.text and "已退回" in response.text


# Rule settings ------------------------------------------------------------------------------------


def _settings_post(form_values):
    data = {}
    for name, value in form_values.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def test_rule_settings_page_lists_every_rule_and_saves_with_an_audit_record(client_for, county_admin):
    client = client_for(county_admin)
    response = client.get(reverse("ranks:review_settings"))
    assert response.status_code == 200
    assert len(response.context["groups"]) == 16 and "宽限" in response.text
    values = dict(review_facts.stored_rule_values())
    values.update({"dq_satisfaction_enabled": False, "satisfaction_threshold": "75", "dismissal_severities": ["party_expulsion"]})
    response = client.post(reverse("ranks:review_settings"), _settings_post(values))
    assert response.status_code == 302
    settings = review_facts.review_rule_settings()
    assert (settings.dq_satisfaction_enabled, settings.satisfaction_threshold, settings.dismissal_severities) == (
        False,
        75,
        ("party_expulsion",),
    )
    assert settings.years_grace_months == 1
    record = AuditRecord.objects.get(object_type="ranks.ReviewSettings")
    assert record.actor == county_admin and "satisfaction_threshold" in record.changes


def test_rule_settings_refuse_out_of_range_values(client_for, county_admin):
    values = dict(review_facts.stored_rule_values())
    values.update({"satisfaction_threshold": "130", "out_of_turn_extra_levels": "5"})
    response = client_for(county_admin).post(reverse("ranks:review_settings"), _settings_post(values))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"satisfaction_threshold", "out_of_turn_extra_levels"}
    assert not AuditRecord.objects.filter(object_type="ranks.ReviewSettings").exists()


def test_rule_settings_are_for_the_county_administrator_only(client_for, county_approver, officer_x):
    for user in (county_approver, officer_x):
        assert client_for(user).get(reverse("ranks:review_settings")).status_code == 403


# Demo data ----------------------------------------------------------------------------------------


def test_demo_runs_the_2025_review_with_figures_and_twice_changes_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    proposals = list(Proposal.objects.order_by("pk").values_list("pk", "status", "digest", "decided_at"))
    statuses = {row[1] for row in proposals}
    assert {"pending", "submitted", "approved", "rejected", "no_action"} <= statuses
    assert Proposal.objects.filter(status="rejected").count() == 1
    call_command("seed_demo")
    assert list(Proposal.objects.order_by("pk").values_list("pk", "status", "digest", "decided_at")) == proposals
    call_command("run_promotion_review", "--year", "2026", "--dry-run")
    out = capsys.readouterr().out
    assert "2026 年度晋升试运行" in out and "维持：" in out and "降级：" in out
