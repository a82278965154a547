"""Appeals (DESIGN §12): filing within the deadline, the township's comment, the county's decision by the
right role only, the correction an upheld appeal leads to, the daily overdue flag."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cadre_mgmt.audit.models import AuditRecord
from ranks.appeals import selectors, services
from ranks.models import Appeal, AppealSettings, Notice, RankChange, RosterLine
from ranks.rosters import services as rosters_services
from ranks.tasks import flag_overdue_appeals

pytestmark = pytest.mark.django_db

REASONS = "我的任职年限计算有误，请复核本次决定。"


def _file(account, proposal, **kwargs):
    return services.appeal_file(user=account, kind="proposal", subject_id=proposal.pk, reasons=REASONS, **kwargs)


def test_an_appeal_after_its_deadline_is_refused_with_the_date(approved_promotion, cadre_account_x):
    decided = timezone.localdate(approved_promotion.decided_at)
    last = decided + datetime.timedelta(days=15)
    with pytest.raises(ValidationError) as refused:
        _file(cadre_account_x, approved_promotion, today=last + datetime.timedelta(days=1))
    assert f"{last:%Y-%m-%d}" in str(refused.value) and "申诉期限" in str(refused.value)
    assert not Appeal.objects.exists()
    assert _file(cadre_account_x, approved_promotion, today=last).status == Appeal.Status.FILED


def test_the_filing_deadline_is_a_setting(approved_promotion, cadre_account_x):
    AppealSettings.objects.update_or_create(pk=1, defaults={"filing_days": 3})
    decided = timezone.localdate(approved_promotion.decided_at)
    with pytest.raises(ValidationError, match=f"{decided + datetime.timedelta(days=3):%Y-%m-%d}"):
        _file(cadre_account_x, approved_promotion, today=decided + datetime.timedelta(days=4))


def test_an_appeal_against_a_decision_not_about_the_cadre_is_refused(approved_promotion, cadre_account_y):
    with pytest.raises(ValidationError, match="不是关于您的决定"):
        _file(cadre_account_y, approved_promotion)
    assert not Appeal.objects.exists()
    with pytest.raises(PermissionDenied):
        services.appeal_file(
            user=approved_promotion.decided_by, kind="proposal", subject_id=approved_promotion.pk, reasons=REASONS
        )


def test_one_open_appeal_per_decision(approved_promotion, cadre_account_x):
    _file(cadre_account_x, approved_promotion)
    with pytest.raises(ValidationError, match="已有一件未办结"):
        _file(cadre_account_x, approved_promotion)


def test_each_state_change_by_the_right_role_only(
    approved_promotion, cadre_account_x, officer_x, officer_y, county_approver, county_admin, supervisor
):
    appeal = _file(cadre_account_x, approved_promotion)
    for wrong in (officer_y, county_approver, supervisor, cadre_account_x):
        with pytest.raises(PermissionDenied):
            services.appeal_comment(appeal=appeal, user=wrong, comment="意见")
    with pytest.raises(ValidationError, match="等待县级决定"):
        services.appeal_decide(appeal=appeal, user=county_approver, outcome="dismissed", reasons="理由")
    services.appeal_comment(appeal=appeal, user=officer_x, comment="经核实，年限计算无误。")
    with pytest.raises(ValidationError, match="已提出意见"):
        services.appeal_comment(appeal=appeal, user=officer_x, comment="再次")
    for wrong in (officer_x, supervisor, cadre_account_x):
        with pytest.raises(PermissionDenied):
            services.appeal_decide(appeal=appeal, user=wrong, outcome="dismissed", reasons="理由")
    decided = services.appeal_decide(appeal=appeal, user=county_approver, outcome="dismissed", reasons="维持原决定")
    assert (decided.status, decided.outcome, decided.remedy) == ("decided", "dismissed", "")
    summaries = list(
        AuditRecord.objects.filter(object_type="ranks.Appeal", object_id=str(appeal.pk))
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == ["提出申诉", "乡镇对申诉提出意见", "申诉已决定"]
    texts = list(Notice.objects.filter(cadre=appeal.cadre).order_by("pk").values_list("text", flat=True))
    assert len(texts) == 3 and "不予支持" in texts[-1]


def test_an_upheld_appeal_against_an_approved_promotion_shows_as_recovery_in_the_next_unlocked_roster(
    approved_promotion, cadre_account_x, officer_x, county_approver
):
    change = approved_promotion.rank_change
    first_paid = change.effective_month
    rosters_services.roster_lock(
        roster=rosters_services.roster_generate(month=first_paid, user=county_approver), user=county_approver
    )
    paid = RosterLine.objects.get(cadre=approved_promotion.cadre, roster__month=first_paid, kind="regular")
    assert (paid.level, paid.amount) == (11, Decimal("200.00"))

    appeal = _file(cadre_account_x, approved_promotion)
    services.appeal_comment(appeal=appeal, user=officer_x, comment="同意复核")
    with pytest.raises(ValidationError):
        services.appeal_decide(appeal=appeal, user=county_approver, outcome="dismissed", reasons="x", remedy="correction")
    appeal = services.appeal_decide(
        appeal=appeal, user=county_approver, outcome="upheld", reasons="晋升依据有误", remedy="correction"
    )
    correction = appeal.correction
    assert (correction.kind, correction.reverses_id, correction.to_level, correction.effective_month) == (
        "correction",
        change.pk,
        12,
        first_paid,
    )
    assert "申诉" in correction.reason

    next_month = (first_paid + datetime.timedelta(days=32)).replace(day=1)
    roster = rosters_services.roster_generate(month=next_month, user=county_approver)
    recovery = roster.lines.get(cadre=approved_promotion.cadre, kind=RosterLine.Kind.RECOVERY)
    assert recovery.amount == Decimal("-100.00") and "扣回" in recovery.remarks
    assert roster.lines.get(cadre=approved_promotion.cadre, kind="regular").level == 12


def test_an_upheld_appeal_against_a_grade_flags_a_regrade(cadre_account_x, cadre_x, officer_x, county_approver, promotable):
    promotable(cadre_x, 12)
    decision = next(d for d in selectors.appealable_decisions(cadre=cadre_x) if d.kind == "grade")
    appeal = services.appeal_file(user=cadre_account_x, kind="grade", subject_id=decision.id, reasons=REASONS)
    services.appeal_comment(appeal=appeal, user=officer_x, comment="建议复核")
    assert services.remedies(appeal) == ["regrade"]
    appeal = services.appeal_decide(
        appeal=appeal, user=county_approver, outcome="partly_upheld", reasons="部分评分有误", remedy="regrade"
    )
    assert appeal.regrade_required and not RankChange.objects.filter(kind="correction").exists()


def test_the_overdue_job_flags_exactly_the_overdue_appeals(
    approved_promotion, cadre_account_x, officer_x, promotable, cadre_y, cadre_account_y
):
    promotable(cadre_y, 12)
    today = timezone.localdate()
    late_comment = _file(cadre_account_x, approved_promotion, today=today - datetime.timedelta(days=11))
    grade_y = next(d for d in selectors.appealable_decisions(cadre=cadre_y) if d.kind == "grade")
    in_time = services.appeal_file(user=cadre_account_y, kind="grade", subject_id=grade_y.id, reasons=REASONS, today=today)
    grade_y_2 = [d for d in selectors.appealable_decisions(cadre=cadre_y) if d.kind == "grade" and d.id != grade_y.id][0]
    commented = services.appeal_file(
        user=cadre_account_y, kind="grade", subject_id=grade_y_2.id, reasons=REASONS, today=today - datetime.timedelta(days=12)
    )
    Appeal.objects.filter(pk=commented.pk).update(status="commented")  # commented in time; the county's 30 days still run
    assert flag_overdue_appeals.apply().get() == 1
    assert set(Appeal.objects.filter(overdue=True).values_list("pk", flat=True)) == {late_comment.pk}
    assert flag_overdue_appeals.apply().get() == 0  # safe to run twice
    assert not Appeal.objects.get(pk=in_time.pk).overdue


def test_attachments_pass_the_ledger_checks(approved_promotion, cadre_account_x):
    bad = SimpleUploadedFile("note.pdf", b"MZ\x90\x00not a pdf")
    with pytest.raises(ValidationError, match="不符"):
        _file(cadre_account_x, approved_promotion, attachments=[bad])
    assert not Appeal.objects.exists()
    good = SimpleUploadedFile("材料.pdf", b"%PDF-1.4 evidence")
    appeal = _file(cadre_account_x, approved_promotion, attachments=[good])
    assert [a.name for a in appeal.attachments.all()] == ["材料.pdf"]


def test_the_dashboards_list_the_appeals_waiting_for_each_role(
    client_for, approved_promotion, cadre_account_x, officer_x, county_approver, officer_y
):
    appeal = _file(cadre_account_x, approved_promotion)
    assert list(selectors.waiting_appeals_for_user(user=officer_x)) == [appeal]
    assert not selectors.waiting_appeals_for_user(user=county_approver).exists()
    assert not selectors.waiting_appeals_for_user(user=officer_y).exists()
    services.appeal_comment(appeal=appeal, user=officer_x, comment="意见")
    assert list(selectors.waiting_appeals_for_user(user=county_approver)) == [appeal]
    response = client_for(county_approver).get(reverse("ranks:dashboard"))
    item = next(i for i in response.context["board"].work if i.key == "appeals_waiting")
    assert item.count == 1


def test_an_upheld_appeal_against_a_demotion_corrects_it(grade, cadre_x, cadre_account_x, officer_x, county_approver):
    from ranks.ladder import services as ladder_services

    from ..conftest import at

    grade(cadre_x, 11, approved=at(2025, 12, 1))
    demotion = ladder_services.rank_change_record(
        cadre=cadre_x, kind="demotion", to_level=12, approved_by=county_approver, approved_at=timezone.now(), reason="受处分降级"
    )
    appeal = services.appeal_file(user=cadre_account_x, kind="demotion", subject_id=demotion.pk, reasons=REASONS)
    services.appeal_comment(appeal=appeal, user=officer_x, comment="建议复核")
    assert services.remedies(appeal) == ["correction"]
    appeal = services.appeal_decide(
        appeal=appeal, user=county_approver, outcome="upheld", reasons="处分已撤销", remedy="correction"
    )
    assert appeal.correction.reverses_id == demotion.pk and appeal.correction.to_level == 11


def test_an_upheld_appeal_against_a_rejected_proposal_sends_it_to_the_county_again(
    promotable, cadre_x, cadre_account_x, officer_x, county_approver
):
    from ranks.models import Proposal
    from ranks.review import decisions

    from .conftest import run_review

    promotable(cadre_x, 12)
    run_review()
    proposal = Proposal.objects.get(cadre=cadre_x)
    decisions.proposal_submit(proposal=proposal, user=officer_x, remarks="同意上报")
    decisions.proposal_reject(proposal=proposal, approver=county_approver, reason="材料不全")
    appeal = services.appeal_file(user=cadre_account_x, kind="proposal", subject_id=proposal.pk, reasons=REASONS)
    services.appeal_comment(appeal=appeal, user=officer_x, comment="材料已补齐")
    assert services.remedies(appeal) == ["proposal"]
    services.appeal_decide(appeal=appeal, user=county_approver, outcome="upheld", reasons="材料齐全", remedy="proposal")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.steps.order_by("-pk").first().round == 2
    decisions.proposal_approve(proposal=proposal, approver=county_approver, comment="同意")
    assert RankChange.objects.get(cadre=cadre_x, kind="promotion").to_level == 11


def test_the_pages_comment_and_decide_and_a_bad_decision_changes_nothing(
    client_for, approved_promotion, cadre_account_x, officer_x, county_approver
):
    appeal = _file(cadre_account_x, approved_promotion)
    response = client_for(officer_x).post(reverse("ranks:appeal_comment", args=[appeal.pk]), {"comment": "经核实，建议复核。"})
    assert response.status_code == 302
    client = client_for(county_approver)
    page = client.get(reverse("ranks:appeal_detail", args=[appeal.pk])).content.decode()
    assert "更正该职级变动" in page and 'data-testid="correction-preview"' in page
    before = AuditRecord.objects.count()
    response = client.post(
        reverse("ranks:appeal_decide", args=[appeal.pk]), {"outcome": "dismissed", "reasons": "理由", "remedy": "correction"}
    )
    assert response.status_code == 200 and "该后续处理与本申诉及决定不符" in response.content.decode()
    assert AuditRecord.objects.count() == before and Appeal.objects.get(pk=appeal.pk).status == "commented"
    response = client.post(
        reverse("ranks:appeal_decide", args=[appeal.pk]), {"outcome": "upheld", "reasons": "依据有误", "remedy": "correction"}
    )
    assert response.status_code == 302 and Appeal.objects.get(pk=appeal.pk).correction is not None
