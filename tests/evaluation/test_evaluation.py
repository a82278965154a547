"""Mass evaluation: one vote per code, voiding, closing once, the threshold, the two-person paper tally."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from assessments.evaluation import rules, services
from assessments.evaluation.codes import code_digest
from assessments.evaluation.models import Ballot, EvaluationCode, PaperTally, RoundCadre
from assessments.models import AnnualReview
from cadre_mgmt.audit.models import AuditRecord

from .conftest import vote


def test_codes_carry_fifty_bits_and_avoid_look_alikes():
    assert rules.code_bits() >= 50
    assert not set("01OI") & set(rules.CODE_ALPHABET)
    code = rules.new_code()
    assert rules.normalize_code(rules.display_code(code).lower()) == code
    assert rules.normalize_code("ABC") is None


def test_satisfaction_formula_and_threshold():
    assert rules.satisfaction(rules.Tally(30, 10, 3)) == Decimal("81.4")
    assert rules.satisfaction(rules.Tally()) is None
    assert not rules.shown(rules.Tally(2, 1, 1), 5) and rules.shown(rules.Tally(3, 1, 1), 5)
    assert not rules.shown(rules.Tally(2, 0, 0), 1)  # never below 3


def test_codes_are_stored_only_as_keyed_hashes(codes_x, round_x):
    stored = set(EvaluationCode.objects.filter(round=round_x).values_list("digest", flat=True))
    assert stored == {code_digest(c) for c in codes_x}
    assert not stored & set(codes_x)
    dump = " ".join(str(r.changes) + r.summary for r in AuditRecord.objects.all())
    assert not any(code in dump for code in codes_x)


def test_a_code_votes_once(codes_x, cadres_x, round_x):
    vote(codes_x[:1], cadres_x)
    with pytest.raises(ValidationError, match="已经使用"):
        vote(codes_x[:1], cadres_x, rating="d")
    assert Ballot.objects.count() == 1
    assert list(RoundCadre.objects.filter(round=round_x).values_list("satisfied", "dissatisfied")) == [(1, 0)] * 3


def test_a_voided_code_is_refused(officer_x, round_x, codes_x, cadres_x):
    vote(codes_x[:2], cadres_x)
    assert services.batch_void(user=officer_x, batch=round_x.batches.get(), reason="遗失") == 8
    with pytest.raises(ValidationError, match="作废"):
        vote(codes_x[5:6], cadres_x)
    assert Ballot.objects.count() == 2


def test_a_code_cannot_rate_another_villages_cadre(codes_x, cadre_y):
    with pytest.raises(ValidationError):
        services.ballot_cast(code=codes_x[0], ratings={cadre_y.pk: "s"})
    assert not Ballot.objects.exists() and EvaluationCode.objects.filter(status="used").count() == 0


def test_an_unknown_or_expired_code_is_refused(codes_x, cadres_x, round_x):
    with pytest.raises(ValidationError):
        services.ballot_cast(code=rules.new_code(), ratings={cadres_x[0].pk: "s"})
    later = round_x.closes_on + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="结束"):
        services.ballot_cast(code=codes_x[0], ratings={cadres_x[0].pk: "s"}, today=later)
    assert not Ballot.objects.exists()


def test_the_ballot_holds_no_reference_to_its_code_and_no_time():
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "round", "cast_on", "ratings", "comment"}
    assert type(fields["cast_on"]).__name__ == "DateField"
    assert all(not f.is_relation or f.related_model.__name__ == "EvaluationRound" for f in fields.values())
    code_fields = {f.name for f in EvaluationCode._meta.get_fields()}
    assert code_fields == {"id", "batch", "round", "digest", "status", "used_on"}
    assert type(EvaluationCode._meta.get_field("used_on")).__name__ == "DateField"


def test_the_database_dump_links_no_ballot_to_a_code(codes_x, cadres_x, round_x):
    vote(codes_x[:3], cadres_x, comment="路修好了")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM assessments_ballot")
        columns = [d[0] for d in cursor.description]
        ballots = cursor.fetchall()
        cursor.execute("SELECT id, digest, used_on FROM assessments_evaluationcode WHERE status = 'used'")
        used = cursor.fetchall()
    assert sorted(columns) == ["cast_on", "comment", "id", "ratings", "round_id"]
    secrets = {digest for _id, digest, _day in used} | set(codes_x)
    for row in ballots:
        values = dict(zip(columns, row, strict=True))
        assert not any(secret in str(value) for value in values.values() for secret in secrets)
        assert str(values["cast_on"]) == str(used[0][2]) and len(str(values["cast_on"])) == 10  # the day, no time
        assert values["round_id"] == round_x.pk
    # The code rows: used on a day, nothing else (no ballot id, no time).
    assert all(len(str(day)) == 10 for _id, _digest, day in used)


def test_closing_writes_the_mass_score_once(officer_x, round_x, codes_x, cadres_x):
    vote(codes_x[:4], cadres_x[:1], "s")
    vote(codes_x[4:6], cadres_x[:1], "b")
    vote(codes_x[6:7], cadres_x[1:2], "s")
    services.round_close(user=officer_x, round_=round_x)
    review = AnnualReview.objects.get(cadre=cadres_x[0], year=round_x.year)
    assert review.mass_score == Decimal("83.30")
    assert review.mass_source == "村民测评 6 票，满意度 83.3%"
    assert not AnnualReview.objects.filter(cadre=cadres_x[1]).exists()  # 1 ballot: too few, nothing written
    with pytest.raises(ValidationError, match="已结束"):
        services.round_close(user=officer_x, round_=round_x)
    with pytest.raises(ValidationError):
        vote(codes_x[8:9], cadres_x[:1])
    assert AnnualReview.objects.get(cadre=cadres_x[0]).mass_score == Decimal("83.30")


def test_override_needs_a_reason_and_names_its_source(officer_x, round_x, codes_x, cadres_x):
    services.round_close(user=officer_x, round_=round_x)
    subject = RoundCadre.objects.get(round=round_x, cadre=cadres_x[1])
    with pytest.raises(ValidationError):
        services.result_override(user=officer_x, subject=subject, score=Decimal("75"), reason=" ")
    services.result_override(user=officer_x, subject=subject, score=Decimal("75"), reason="纸质测评补录")
    review = AnnualReview.objects.get(cadre=cadres_x[1])
    assert (review.mass_score, review.mass_source) == (Decimal("75.00"), "乡镇录入：纸质测评补录")
    assert (
        AuditRecord.objects.filter(summary__contains="乡镇").exists()
        or AuditRecord.objects.filter(object_type="assessments.RoundCadre").exists()
    )


def test_paper_tally_counts_only_when_a_second_user_confirms(officer_x, second_officer_x, round_x, cadres_x):
    cadre = cadres_x[0]
    tally = services.paper_tally_enter(
        user=officer_x, round_=round_x, cadre_id=cadre.pk, satisfied=8, basically=2, dissatisfied=0
    )
    from assessments.evaluation.selectors import round_results

    assert (
        round_results(round_x).rows[[r.subject.cadre_id for r in round_results(round_x).rows].index(cadre.pk)].tally.ballots == 0
    )
    with pytest.raises(ValidationError, match="另一"):
        services.paper_tally_confirm(user=officer_x, tally=tally)
    services.paper_tally_confirm(user=second_officer_x, tally=tally)
    row = next(r for r in round_results(round_x).rows if r.subject.cadre_id == cadre.pk)
    assert (row.tally.ballots, row.satisfaction) == (10, Decimal("90.0"))
    with pytest.raises(ValidationError):
        services.paper_tally_enter(user=officer_x, round_=round_x, cadre_id=cadre.pk, satisfied=9, basically=0, dissatisfied=0)
    assert PaperTally.objects.get().satisfied == 8


def test_another_township_cannot_touch_the_round(officer_y, round_x):
    with pytest.raises(PermissionDenied):
        services.slips_issue(user=officer_y, round_=round_x, count=5)
    with pytest.raises(PermissionDenied):
        services.round_close(user=officer_y, round_=round_x)


def test_at_most_500_slips_a_village(officer_x, round_x):
    services.slips_issue(user=officer_x, round_=round_x, count=490)
    with pytest.raises(ValidationError):
        services.slips_issue(user=officer_x, round_=round_x, count=11)


def test_the_daily_job_closes_rounds_past_their_date_once(round_x, codes_x, cadres_x):
    from assessments.tasks import close_due_evaluations

    vote(codes_x[:5], cadres_x[:1], "s")
    assert services.rounds_close_due(today=round_x.closes_on) == 0
    assert services.rounds_close_due(today=round_x.closes_on + datetime.timedelta(days=1)) == 1
    round_x.refresh_from_db()
    assert round_x.status == "closed" and round_x.closed_by is None
    assert AnnualReview.objects.get(cadre=cadres_x[0]).mass_score == Decimal("100.00")
    assert AuditRecord.objects.filter(summary="群众测评结束", actor=None).count() == 1
    assert close_due_evaluations() == 0


def test_a_vote_writes_no_audit_record(codes_x, cadres_x):
    before = AuditRecord.objects.count()
    vote(codes_x[:2], cadres_x)
    assert AuditRecord.objects.count() == before
