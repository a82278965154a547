"""The promotion review run: facts assembly, batches, proposals, re-runs, dry runs, locks, jobs, command."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from assessments.models import AnnualReview, TownshipYear
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.celery import app as celery_app
from incentives.models import CommendationPoints
from ranks.models import PromotionReview, Proposal, RankChange, ReviewBatch
from ranks.review import decisions
from ranks.review import facts as review_facts
from ranks.review import rules as review_rules
from ranks.review import services as review_services
from ranks.review.facts import context_from_parameters, review_parameters

from ..conftest import confirmed_grades
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def eager_celery():
    """Tasks run in this process even when CI sets a broker (the real-worker test is separate)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def county(promotable, cadre_x, cadre_y, village_x, county_approver):
    """X: a promotable cadre, an ungraded one and one who left; Y: a promotable cadre."""
    promotable(cadre_x, 12)
    promotable(cadre_y, 11)
    ungraded = CadreFactory(village=village_x, name="赵未定")
    left = CadreFactory(village=village_x, name="钱离任", status=Cadre.Status.LEFT, left_on=datetime.date(2025, 6, 30))
    return {"x": cadre_x, "y": cadre_y, "ungraded": ungraded, "left": left}


def run(year=YEAR, *, dry_run=False, user=None, trigger=PromotionReview.Trigger.COMMAND):
    review = review_services.review_start(year=year, dry_run=dry_run, user=user, trigger=trigger, enqueue=False)
    return review_services.review_run_now(review=review)


def test_review_writes_one_proposal_per_cadre_in_post_with_the_explanation_frozen(
    county, county_admin, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = review_services.review_start(year=YEAR, user=county_admin, trigger=PromotionReview.Trigger.PAGE)
    review.refresh_from_db()
    assert review.state == PromotionReview.State.DONE
    assert review.batches_total == review.batches_done == 2
    proposals = {p.cadre_id: p for p in Proposal.objects.all()}
    assert set(proposals) == {county["x"].pk, county["y"].pk, county["ungraded"].pk}
    promoted = proposals[county["x"].pk]
    assert (promoted.outcome, promoted.from_level, promoted.to_level, promoted.status) == ("promote", 12, 11, "pending")
    assert promoted.township_id == county["x"].township_id and promoted.review_date == datetime.date(2025, 12, 31)
    evaluation = review_rules.Evaluation.from_dict(promoted.explanation)
    assert evaluation.outcome == "promote" and evaluation.condition("basic_years").passed
    assert any("2024 称职" in line for line in evaluation.explain_lines())
    held = proposals[county["ungraded"].pk]
    assert (held.outcome, held.status, held.to_level) == ("hold", "no_action", 13)
    assert review.counts["outcomes"] == {"promote": 2, "out_of_turn": 0, "hold": 1, "demote": 0}
    by_township = {row["name"]: (row["total"], row["promote"], row["hold"]) for row in review.counts["townships"]}
    assert by_township == {"X镇": (2, 1, 1), "Y镇": (1, 1, 0)}
    assert AuditRecord.objects.filter(object_type="ranks.PromotionReview", object_id=str(review.pk)).count() == 3


def test_dry_run_writes_no_proposal_and_keeps_the_results_to_show(county):
    review = run(dry_run=True)
    assert review.state == PromotionReview.State.DONE
    assert Proposal.objects.count() == 0
    assert review.counts["outcomes"]["promote"] == 2
    rows = [row for batch in review.batches.all() for row in batch.results]
    x_row = next(row for row in rows if row[0] == county["x"].pk)
    assert x_row[1:4] == ["promote", 12, 11]
    ungraded_row = next(row for row in rows if row[0] == county["ungraded"].pk)
    assert "basic_years" in ungraded_row[4]


def test_rerun_never_duplicates_and_never_changes_a_decided_proposal(county, officer_x, county_approver):
    run()
    proposal = Proposal.objects.get(cadre=county["x"])
    decisions.proposal_submit(proposal=proposal, user=officer_x, remarks="属实")
    decisions.proposal_approve(proposal=proposal, approver=county_approver)
    decided = Proposal.objects.get(pk=proposal.pk)
    second = run()
    assert Proposal.objects.count() == 3
    again = Proposal.objects.get(pk=proposal.pk)
    assert (again.status, again.rank_change_id, again.review_id, again.evaluated_at, again.explanation) == (
        "approved",
        decided.rank_change_id,
        decided.review_id,
        decided.evaluated_at,
        decided.explanation,
    )
    assert RankChange.objects.filter(cadre=county["x"], kind="promotion").count() == 1
    assert second.counts["writes"]["decided_kept"] == 1


def test_rerun_brings_undecided_proposals_up_to_date(county, county_approver):
    run()
    AnnualReview.objects.filter(cadre=county["y"], year=YEAR).update(grade="basically_competent")
    second = run()
    proposal = Proposal.objects.get(cadre=county["y"])
    assert (proposal.outcome, proposal.status, proposal.review_id) == ("hold", "no_action", second.pk)
    assert not review_rules.Evaluation.from_dict(proposal.explanation).condition("dq_grade").passed
    assert second.counts["writes"] == {"created": 0, "updated": 1, "unchanged": 2, "decided_kept": 0}


def test_a_submitted_proposal_stays_submitted_when_the_verdict_is_unchanged(county, officer_x):
    run()
    proposal = Proposal.objects.get(cadre=county["x"])
    decisions.proposal_submit(proposal=proposal, user=officer_x, remarks="属实", notes="已核对台账")
    AnnualReview.objects.filter(cadre=county["x"], year=YEAR).update(mass_score=Decimal("91"))
    run()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.submitted_by, proposal.township_remarks) == ("submitted", officer_x, "属实")
    assert "91" in " ".join(review_rules.Evaluation.from_dict(proposal.explanation).explain_lines())


def test_a_batch_delivered_twice_writes_once(county):
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    township_id = county["x"].township_id
    first = review_services.review_batch_run(review_id=review.pk, township_id=township_id)
    second = review_services.review_batch_run(review_id=review.pk, township_id=township_id)
    assert first.state == second.state == ReviewBatch.State.DONE and second.attempts == 1
    assert Proposal.objects.filter(township_id=township_id).count() == 2


def test_an_interrupted_batch_commits_nothing_and_its_rerun_completes_without_duplicates(county, monkeypatch):
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    township_id = county["x"].township_id
    real_write = review_services.write_proposals

    def write_then_die(*args, **kwargs):
        real_write(*args, **kwargs)  # the proposals are written ...
        raise ConnectionError("worker lost")  # ... and the worker dies before the batch is recorded

    monkeypatch.setattr(review_services, "write_proposals", write_then_die)
    batch = review_services.review_batch_run(review_id=review.pk, township_id=township_id)
    assert batch.state == ReviewBatch.State.FAILED and "worker lost" in batch.error
    assert Proposal.objects.count() == 0
    monkeypatch.setattr(review_services, "write_proposals", real_write)

    # The same task delivered again (acks_late) completes the batch.
    batch = review_services.review_batch_run(review_id=review.pk, township_id=township_id)
    assert batch.state == ReviewBatch.State.DONE and batch.attempts == 2
    review_services.review_run_now(review=review)
    review.refresh_from_db()
    assert review.state == PromotionReview.State.DONE
    assert Proposal.objects.count() == 3
    assert Proposal.objects.filter(cadre=county["x"]).count() == 1


def test_a_failed_batch_fails_the_run_and_resume_finishes_it(
    county, county_admin, monkeypatch, eager_celery, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("数据库暂不可用")

    monkeypatch.setattr(review_services, "cadres_to_review", broken)
    review = run()
    assert review.state == PromotionReview.State.FAILED
    assert "数据库暂不可用" in review.errors and "X镇" in review.errors
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.review_resume(review=review, user=county_admin)
    review.refresh_from_db()
    assert review.state == PromotionReview.State.DONE and review.errors == ""
    assert Proposal.objects.count() == 3


def test_a_second_run_of_the_same_year_cannot_start_while_one_is_running(county):
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    with pytest.raises(ValidationError, match="already running|正在进行"):
        review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    # A dry run reads only, so it may run beside it; another year too.
    review_services.review_start(year=YEAR, dry_run=True, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    review_services.review_start(year=YEAR - 1, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    review_services.review_run_now(review=review)
    review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)


def test_the_database_refuses_two_active_runs_of_a_year(county):
    fields = {"year": YEAR, "trigger": "command", "review_date": datetime.date(2025, 12, 31), "state": "running"}
    PromotionReview.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PromotionReview.objects.create(**fields)


def test_only_the_county_administrator_or_the_schedule_starts_a_review(county, county_approver, officer_x):
    for user in (county_approver, officer_x):
        with pytest.raises(PermissionDenied):
            review_services.review_start(year=YEAR, user=user, trigger=PromotionReview.Trigger.PAGE, enqueue=False)
    with pytest.raises(ValidationError):
        review_services.review_start(year=2999, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)


def test_facts_assembly_runs_the_same_number_of_queries_for_3_or_30_cadres(promotable, village_x, village_y):
    context = context_from_parameters(year=YEAR, parameters=review_parameters(year=YEAR))

    def queries_for(cadres):
        rows = [(c.pk, c.first_appointed_on) for c in cadres]
        with CaptureQueriesContext(connection) as captured:
            evaluations = review_facts.evaluate_cadres(cadre_rows=rows, context=context)
        assert len(evaluations) == len(cadres)
        return len(captured.captured_queries)

    few = [promotable(CadreFactory(village=village_x)) for _ in range(3)]
    many = [promotable(CadreFactory(village=village_y)) for _ in range(30)]
    assert queries_for(few) == queries_for(many) <= 12


def test_only_county_confirmed_grades_count(cadre_x, grade, county_approver):
    grade(cadre_x, 12)
    confirmed_grades(cadre_x, county_approver, {2024: "competent", 2025: "excellent"})
    TownshipYear.objects.filter(year=2025).update(status=TownshipYear.Status.FINALIZED, confirmed_by=None, confirmed_at=None)
    evaluation = review_facts.evaluate_one(cadre=cadre_x, year=YEAR)
    assert evaluation.outcome == "hold"
    assert not evaluation.condition("dq_grade").passed
    assert "未评定" in " ".join(evaluation.condition("dq_grade").evidence)


def test_points_of_an_approved_promotion_are_marked_consumed_for_later_reviews(county, officer_x, county_approver):
    run()
    proposal = Proposal.objects.get(cadre=county["x"])
    Proposal.objects.filter(pk=proposal.pk).update(points_used=Decimal("4"))
    decisions.proposal_submit(proposal=proposal, user=officer_x)
    decisions.proposal_approve(proposal=proposal, approver=county_approver)
    context = context_from_parameters(year=2026, parameters=review_parameters(year=2026))
    facts = review_facts.cadre_facts(cadre_rows=[(county["x"].pk, county["x"].first_appointed_on)], context=context)
    assert facts[0].points_consumed_until == datetime.date(2025, 12, 31)


def test_stored_settings_have_a_grace_month_and_the_incentives_points_table(db):
    settings = review_facts.review_rule_settings()
    assert settings.years_grace_months == 1
    assert settings.commendation_points["county"] == Decimal("2")
    CommendationPoints.objects.update_or_create(level="county", defaults={"points": Decimal("3")})
    assert review_facts.review_rule_settings().commendation_points["county"] == Decimal("3")


def test_switched_off_rules_are_applied_by_the_next_run(county, county_admin):
    AnnualReview.objects.filter(cadre=county["y"], year=YEAR).update(mass_score=Decimal("50"))
    run()
    assert Proposal.objects.get(cadre=county["y"]).outcome == "hold"
    review_services.review_settings_update(user=county_admin, values={"dq_satisfaction_enabled": False})
    run()
    proposal = Proposal.objects.get(cadre=county["y"])
    assert proposal.outcome == "promote"
    assert not review_rules.Evaluation.from_dict(proposal.explanation).condition("dq_satisfaction").enabled


def test_explanation_json_is_the_rules_own_to_dict(county):
    evaluation = review_facts.evaluate_one(cadre=county["x"], year=YEAR)
    assert review_facts.explanation_json(evaluation) == evaluation.to_dict()
    assert review_facts.explanation_digest(evaluation.to_dict()) == review_facts.explanation_digest(
        review_facts.explanation_json(evaluation)
    )


def test_scheduled_review_reviews_last_year_once_a_day(county):
    first = review_services.start_scheduled_review(today=datetime.date(2026, 2, 1))
    assert (first.year, first.trigger, first.started_by) == (2025, "schedule", None)
    assert review_services.start_scheduled_review(today=datetime.date(2026, 2, 1)) is None
    assert PromotionReview.objects.count() == 1


def test_beat_schedule_runs_every_first_of_february_in_shanghai(db):
    task = PeriodicTask.objects.get(task="ranks.start_scheduled_review")
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year) == ("0", "2", "1", "2")
    assert str(crontab.timezone) == "Asia/Shanghai" and task.enabled


def test_command_dry_run_prints_counts_by_outcome_and_writes_nothing(county):
    out = io.StringIO()
    call_command("run_promotion_review", "--year", "2025", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "晋升：2" in text and "维持：1" in text and "降级：0" in text and "X镇：2 人" in text
    assert Proposal.objects.count() == 0


def test_command_writes_proposals_and_reports_the_writes(county):
    out = io.StringIO()
    call_command("run_promotion_review", "--year", "2025", stdout=out)
    assert "新建 3" in out.getvalue()
    assert Proposal.objects.count() == 3


def test_a_batch_pauses_the_garbage_collector_and_turns_it_back_on(county, monkeypatch):
    import gc

    seen = []
    evaluate = review_services.all_cadre_facts

    def watching(**kwargs):
        seen.append(gc.isenabled())
        return evaluate(**kwargs)

    monkeypatch.setattr(review_services, "all_cadre_facts", watching)
    assert gc.isenabled()
    run()
    assert seen == [False, False] and gc.isenabled()

    def failing(**kwargs):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(review_services, "all_cadre_facts", failing)
    review = run(year=2024)
    assert review.state == PromotionReview.State.FAILED and gc.isenabled()
