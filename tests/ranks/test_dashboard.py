"""The dashboard: every selector on hand-made data in two townships, the page's scoping and query count."""

import datetime
import json
import random
import re
from collections import Counter
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReview, TownshipQuarter, TownshipYear
from assessments.rules import GRADES
from cadre_mgmt.cadres.models import Cadre, Post, Township
from ranks.dashboard import allowance as dashboard_allowance
from ranks.dashboard import board as dashboard_board
from ranks.dashboard import levels as dashboard_levels
from ranks.dashboard import outcomes as dashboard_outcomes
from ranks.dashboard import work as dashboard_work
from ranks.ladder import rules
from ranks.ladder import services as ladder_services
from ranks.ladder.selectors import allowance_schedule, budget_figures
from ranks.models import AllowanceSchedule, InitialGrading, PromotionReview, Proposal, RankChange, Roster
from ranks.review.selectors import pending_proposal_changes
from ranks.rosters import exports as rosters_exports
from ranks.rosters import services as rosters_services
from supervision.models import Petition

from ..conftest import at, confirmed_grades
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
MAY, JUNE = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)
# Measured: 12 for a county approver and for a township officer, the framework's included (session,
# user, the officer's township, the session's save); the same with 25 more cadres per township.
# 13 since the appeals waiting for the user's step (one count) are on the work list (DESIGN §12).
QUERY_BUDGET = 13


def proposal(review, cadre, outcome, status, *, from_level, to_level, approver=None, decided=None):
    """A proposal as the review and the workflow leave it; an approved one carries its rank change."""
    fields = {}
    if status == Proposal.Status.APPROVED:
        kind = {"promote": "promotion", "out_of_turn": "out_of_turn", "demote": "demotion"}[outcome]
        fields["rank_change"] = ladder_services.rank_change_record(
            cadre=cadre, kind=kind, to_level=to_level, approved_by=approver, approved_at=decided, reason="评审批准"
        )
        fields["decided_at"] = decided
    if status == Proposal.Status.REJECTED:
        fields.update(decided_at=decided, reject_reason="群众评议未达标")
    return Proposal.objects.create(
        review=review,
        year=review.year,
        cadre=cadre,
        township=cadre.township,
        outcome=outcome,
        from_level=from_level,
        to_level=to_level,
        review_date=review.review_date,
        explanation={},
        digest="0" * 32,
        status=status,
        evaluated_at=at(review.year + 1, 1, 5),
        **fields,
    )


@pytest.fixture
def county(grade, township_x, township_y, village_x, village_y, cadre_x, cadre_y, county_approver, officer_x):
    """Two townships, hand-made.

    X镇: 张建国 12 → promoted 11 by the 2025 review (approved 2026-01-20); x2 12, its promotion submitted;
    x3 11 held by the review, demoted to 12 outside any review (approved 2026-03-10); x4 no level, initial
    grading submitted; x6 no level; x5 left post. 2025 grades confirmed, 1 excellent place, 2 excellent.
    Y镇: 李秀英 10, promoted 9 outside any review (approved 2025-05-10), the review's demotion rejected;
    y2 12, its promotion pending the township's check. 2025 still open, no grade yet.
    Rosters: May 2026 locked, June 2026 draft.
    """
    x1, y1 = cadre_x, cadre_y
    x2 = CadreFactory(village=village_x, name="王建华")
    x3 = CadreFactory(village=village_x, name="刘春梅")
    x4 = CadreFactory(village=village_x, name="陈未定")
    x5 = CadreFactory(village=village_x, name="杨离任")
    x6 = CadreFactory(village=village_x, name="黄新任")
    y2 = CadreFactory(village=village_y, name="吴海波")
    graded_at = at(2024, 12, 10)
    for cadre, level in [(x1, 12), (x2, 12), (x3, 11), (x5, 10), (y1, 10), (y2, 12)]:
        grade(cadre, level, approved=graded_at)
    Cadre.objects.filter(pk=x5.pk).update(status=Cadre.Status.LEFT, left_on=datetime.date(2025, 6, 30), left_reason="辞职")
    ladder_services.rank_change_record(
        cadre=y1, kind="promotion", to_level=9, approved_by=county_approver, approved_at=at(2025, 5, 10), reason="表现突出"
    )

    review = PromotionReview.objects.create(
        year=2025,
        trigger=PromotionReview.Trigger.COMMAND,
        state=PromotionReview.State.DONE,
        review_date=datetime.date(2025, 12, 31),
    )
    decided = at(2026, 1, 20)
    proposal(review, x1, "promote", "approved", from_level=12, to_level=11, approver=county_approver, decided=decided)
    proposal(review, x2, "promote", "submitted", from_level=12, to_level=11)
    proposal(review, x3, "hold", "no_action", from_level=11, to_level=11)
    proposal(review, y1, "demote", "rejected", from_level=9, to_level=10, decided=decided)
    proposal(review, y2, "promote", "pending", from_level=12, to_level=11)
    ladder_services.rank_change_record(
        cadre=x3, kind="demotion", to_level=12, approved_by=county_approver, approved_at=at(2026, 3, 10), reason="受到处分"
    )
    InitialGrading.objects.create(
        cadre=x4,
        township=township_x,
        computed_level=12,
        proposed_level=12,
        years_served=4,
        submitted_by=officer_x,
        submitted_at=at(2026, 6, 1),
    )

    confirmed_grades(x1, county_approver, {2025: "excellent"})
    confirmed_grades(x2, county_approver, {2025: "excellent"})
    confirmed_grades(x3, county_approver, {2025: "competent"})
    TownshipYear.objects.filter(township=township_x, year=2025).update(excellent_cap=1)
    open_year = TownshipYear.objects.create(township=township_y, year=2025)
    for cadre in (y1, y2):
        AnnualReview.objects.create(township_year=open_year, cadre=cadre, year=2025)

    for year, quarter in [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1)]:
        TownshipQuarter.objects.create(
            township=township_x, year=year, quarter=quarter, status="closed", closed_by=officer_x, closed_at=at(2026, 4, 2)
        )

    rosters_services.roster_lock(roster=rosters_services.roster_generate(month=MAY, user=county_approver), user=county_approver)
    rosters_services.roster_generate(month=JUNE, user=county_approver)
    return {"x": [x1, x2, x3, x4, x5, x6], "y": [y1, y2], "review": review}


# 1. Cadres by level ------------------------------------------------------------------------------


def test_cadres_by_level_counts_cadres_in_post_at_the_level_in_force_per_township(
    county, county_approver, township_x, township_y
):
    table = dashboard_levels.cadres_by_level(user=county_approver, day=TODAY)
    assert [t.name for t in table.townships] == ["X镇", "Y镇"]
    counts = {row.level: row.counts for row in table.rows}
    assert counts[9] == (0, 1)
    assert counts[11] == (1, 0)  # 张建国, promoted from February
    assert counts[12] == (2, 1)  # 王建华, 刘春梅 (demoted back from April), 吴海波
    assert counts[None] == (2, 0)  # no rank history yet; the cadre who left is not counted
    assert table.totals == (5, 2) and table.total == 7
    assert [row.level for row in table.shown_rows] == [9, 10, 11, 12, 13, None]


def test_cadres_by_level_reads_the_level_on_the_day_asked(county, county_approver):
    before_promotion = dashboard_levels.cadres_by_level(user=county_approver, day=datetime.date(2026, 1, 31))
    counts = {row.level: row.total for row in before_promotion.rows}
    assert counts[11] == 1 and counts[12] == 3  # 刘春梅 still at 11, 张建国 still at 12


def test_township_officer_counts_only_their_township(county, officer_y):
    table = dashboard_levels.cadres_by_level(user=officer_y, day=TODAY)
    assert [t.name for t in table.townships] == ["Y镇"]
    assert table.total == 2


# 2. Outcomes per year ----------------------------------------------------------------------------


def test_outcomes_per_year_count_each_rank_change_once(county, county_approver):
    rows = {row.year: row for row in dashboard_outcomes.outcomes_by_year(user=county_approver, today=TODAY)}
    assert sorted(rows) == [2024, 2025, 2026]
    assert rows[2024] == dashboard_outcomes.YearOutcome(2024, 0, 6, "history", None, None, None, None, None, 0, 0)
    # Review year, 5 reviewed: promoted 张建国 (approved); held: 刘春梅 (hold) and 李秀英 (demotion
    # rejected); awaiting: 王建华 (submitted), 吴海波 (pending the township's check). 李秀英's promotion
    # in 2025 was outside the review: counted apart, not among the reviewed (issue 17 item 7).
    assert rows[2025] == dashboard_outcomes.YearOutcome(2025, 3, 0, "review", 5, 1, 2, 0, 2, 1, 0)
    assert rows[2025].parts_add_up
    # 张建国's approval in January 2026 belongs to the 2025 review, not to 2026.
    assert rows[2026] == dashboard_outcomes.YearOutcome(2026, 0, 0, "history", None, None, None, None, None, 0, 1)


def test_outcomes_per_year_for_a_township_officer_are_their_townships(county, officer_x, officer_y):
    x_rows = {row.year: row for row in dashboard_outcomes.outcomes_by_year(user=officer_x, today=TODAY)}
    assert x_rows[2024].initially_graded == 4
    assert (x_rows[2025].graded, x_rows[2025].promoted, x_rows[2025].held, x_rows[2025].awaiting) == (3, 1, 1, 1)
    assert x_rows[2026].demoted_outside == 1 and x_rows[2026].demoted is None
    y_rows = {row.year: row for row in dashboard_outcomes.outcomes_by_year(user=officer_y, today=TODAY)}
    assert sorted(y_rows) == [2024, 2025]
    assert (y_rows[2025].graded, y_rows[2025].promoted, y_rows[2025].held, y_rows[2025].awaiting) == (0, 0, 1, 1)
    assert (y_rows[2025].reviewed, y_rows[2025].promoted_outside) == (2, 1)


def test_outcome_rows_keep_the_latest_years_up_to_this_year():
    graded = {year: 10 for year in range(2015, 2028)}
    rows = dashboard_outcomes._outcome_rows(graded=graded, initial={}, history={}, proposals={}, last_year=2026)
    assert [row.year for row in rows] == [2021, 2022, 2023, 2024, 2025, 2026]
    assert all(row.source == "history" and row.held is None for row in rows)


def test_outcome_rows_of_a_review_year_add_up_to_its_proposals():
    proposals = {
        (2025, "promote", "approved"): 68,
        (2025, "out_of_turn", "approved"): 1,
        (2025, "hold", "no_action"): 55,
        (2025, "demote", "approved"): 3,
        (2025, "promote", "rejected"): 2,
        (2025, "demote", "submitted"): 1,
    }
    (row,) = dashboard_outcomes._outcome_rows(graded={2025: 130}, initial={}, history={}, proposals=proposals, last_year=2025)
    assert (row.graded, row.promoted, row.held, row.demoted, row.awaiting) == (130, 69, 57, 3, 1)
    assert row.promoted + row.held + row.demoted + row.awaiting == sum(proposals.values())


# 3. Grades against the excellent cap -------------------------------------------------------------


def test_grade_distribution_flags_a_township_over_its_excellent_places(county, county_approver):
    x, y = dashboard_outcomes.grade_distribution(user=county_approver, year=2025)
    assert (x.township.name, x.status, x.assessed, x.counts["excellent"], x.counts["competent"]) == ("X镇", "confirmed", 3, 2, 1)
    assert (x.places, x.places_fixed, x.over_cap) == (1, True, True)
    # An open year: no stored grade yet; places provisional from the county's 20 %: floor(0.2 × 2) = 0.
    assert (y.township.name, y.status, y.assessed, y.ungraded, y.places, y.places_fixed) == ("Y镇", "open", 2, 2, 0, False)
    assert not y.over_cap


def test_grade_distribution_for_a_township_officer_is_their_township(county, officer_y):
    assert [row.township.name for row in dashboard_outcomes.grade_distribution(user=officer_y, year=2025)] == ["Y镇"]


def test_grade_rows_compute_provisional_places_with_the_county_cap():
    def row(pk, name, status, cap, grade, n):
        keys = ("township_id", "township_name", "sort_order", "status", "excellent_cap", "grade", "n")
        return dict(zip(keys, (pk, name, pk, status, cap, grade, n), strict=True))

    rows = [
        row(2, "B镇", "open", None, "", 24),
        row(1, "A镇", "finalized", 4, "excellent", 4),
        row(1, "A镇", "finalized", 4, "competent", 17),
    ]
    a, b = dashboard_outcomes._grade_rows(rows, cap_percent=Decimal("20"))
    assert (a.township.name, a.assessed, a.places, a.places_fixed, a.over_cap) == ("A镇", 21, 4, True, False)
    assert (b.township.name, b.assessed, b.ungraded, b.places, b.places_fixed) == ("B镇", 24, 24, 4, False)


# 4. Allowance --------------------------------------------------------------------------------------


def test_roster_totals_are_the_stored_total_for_the_county_and_the_townships_lines_for_an_officer(
    county, county_approver, officer_x, officer_y
):
    # May (all paid posts): 张建国 11 → 200, 王建华 12 → 100, 刘春梅 12 → 100, 李秀英 9 → 400, 吴海波 12 → 100.
    county_rows = dashboard_allowance.roster_month_totals(user=county_approver, today=TODAY)
    assert [(m.month, m.status, m.total) for m in county_rows] == [
        (MAY, "locked", Decimal("900.00")),
        (JUNE, "draft", Decimal("900.00")),
    ]
    assert [m.total for m in dashboard_allowance.roster_month_totals(user=officer_x, today=TODAY)] == [Decimal("400.00")] * 2
    assert [m.total for m in dashboard_allowance.roster_month_totals(user=officer_y, today=TODAY)] == [Decimal("500.00")] * 2


def test_roster_totals_cover_the_last_24_months_only(county, county_approver):
    two_years_on = datetime.date(2028, 5, 20)
    assert [m.month for m in dashboard_allowance.roster_month_totals(user=county_approver, today=two_years_on)] == [JUNE]


def test_allowance_figures_count_submitted_proposals_and_gradings_as_pending(county, county_approver, officer_y):
    figures = dashboard_allowance.allowance_figures(user=county_approver, today=TODAY)
    budget = figures.budget
    assert budget.next_month == datetime.date(2026, 7, 1)
    assert budget.next_month_total == Decimal("900.00")
    # 王建华 12 → 11 (submitted proposal) +100; 陈未定 13 → 12 (submitted initial grading) +100.
    assert (budget.pending_changes, budget.next_month_total_if_approved) == (2, Decimal("1100.00"))
    assert figures.pending_difference == Decimal("200.00")
    assert figures.projection_total == Decimal("10800.00")
    assert figures.latest_locked.month == MAY
    # 吴海波's proposal waits for the township's check: not yet pending at the county.
    assert dashboard_allowance.allowance_figures(user=officer_y, today=TODAY).budget.pending_changes == 0


# 5. Work waiting -----------------------------------------------------------------------------------


def _work(user, today=TODAY):
    return {item.key: item for item in dashboard_work.work_waiting(user=user, today=today)}


def test_an_approver_is_shown_proposals_to_decide_gradings_to_approve_and_rosters_to_lock(county, county_approver):
    work = _work(county_approver)
    assert {key: item.count for key, item in work.items()} == {
        "proposals_to_decide": 1,
        "gradings_to_approve": 1,
        "rosters_to_lock": 1,
        "appeals_waiting": 0,  # DESIGN §12: appeals waiting for the county's decision
    }
    assert work["rosters_to_lock"].url == reverse("ranks:roster") + "?month=2026-06"
    assert work["proposals_to_decide"].url == reverse("ranks:proposals") + "?status=submitted"


def test_a_township_officer_is_shown_their_proposals_quarters_and_gradings(county, officer_x, officer_y):
    x_work = _work(officer_x)
    assert {key: item.count for key, item in x_work.items()} == {
        "proposals_to_check": 0,
        "proposals_returned": 0,
        "quarters_not_closed": 0,
        "gradings_to_submit": 1,  # 黄新任; 陈未定's grading is submitted already
        "appeals_waiting": 0,  # DESIGN §12: appeals waiting for the township's comment
    }
    y_work = _work(officer_y)
    assert (y_work["proposals_to_check"].count, y_work["quarters_not_closed"].count) == (1, 5)
    assert y_work["quarters_not_closed"].detail == "2025年第1季度、2025年第2季度、2025年第3季度、2025年第4季度、2026年第1季度"
    assert y_work["gradings_to_submit"].count == 0


def test_a_proposal_the_county_returned_is_on_the_townships_work_list(county, officer_y):
    before = _work(officer_y)
    returned = Proposal.objects.filter(township=officer_y.township, status=Proposal.Status.REJECTED).count()
    assert before["proposals_returned"].count == returned
    pending = Proposal.objects.get(township=officer_y.township, status=Proposal.Status.PENDING)
    Proposal.objects.filter(pk=pending.pk).update(
        status=Proposal.Status.REJECTED, reject_reason="材料不全", decided_at=timezone.now()
    )
    work = _work(officer_y)
    assert work["proposals_to_check"].count == before["proposals_to_check"].count - 1
    assert work["proposals_returned"].count == returned + 1
    assert work["proposals_returned"].url == reverse("ranks:proposals") + "?status=rejected"


def test_quarters_not_closed_are_the_ended_quarters_of_this_and_last_year():
    closed = {(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1)}
    assert dashboard_work.quarters_not_closed(today=datetime.date(2026, 8, 15), closed=closed) == [(2026, 2)]
    assert dashboard_work.quarters_not_closed(today=datetime.date(2026, 6, 30), closed=closed) == []
    assert dashboard_work.quarters_not_closed(today=datetime.date(2026, 1, 1), closed=set()) == [(2025, q) for q in (1, 2, 3, 4)]


def test_a_supervisor_is_shown_overdue_petitions(county, supervisor, village_x, village_y):
    for village, overdue_since in [(village_x, datetime.date(2026, 6, 1)), (village_y, None)]:
        Petition.objects.create(
            township=village.township,
            village=village,
            channel="letter",
            summary="反映村务问题",
            content="……",
            received_on=datetime.date(2026, 3, 1),
            deadline=datetime.date(2026, 4, 30),
            overdue_since=overdue_since,
            recorded_by=supervisor,
        )
    assert {key: item.count for key, item in _work(supervisor).items()} == {"overdue_petitions": 1}


def test_finance_is_shown_locked_rosters_until_they_export_them(county, finance):
    assert _work(finance)["rosters_to_download"].count == 1
    rosters_exports.roster_export_now(roster=Roster.objects.get(month=MAY), user=finance)
    assert _work(finance)["rosters_to_download"].count == 0


# Against a plain computation -------------------------------------------------------------------------
#
# The selectors group and count in the database; here the same figures are computed row by row in Python
# on a mixed data set: changes taking effect after the day and next month, two in one month, a later id
# for an earlier month, unpaid posts, a cadre who left, proposals of two years for one cadre (the later
# filed under the other township), initial gradings beside proposals, approvals either side of New Year
# in Shanghai and long ago.

JULY, AUGUST = datetime.date(2026, 7, 1), datetime.date(2026, 8, 1)


def _change(cadre, kind, to_level, month, approved, approver):
    return RankChange.objects.create(
        cadre=cadre,
        kind=kind,
        to_level=to_level,
        from_level=None if kind == "initial_grading" else 12,
        approved_by=approver,
        approved_at=approved,
        effective_month=month,
        reason="测试",
    )


@pytest.fixture
def mixed(county_approver, officer_x, village_x, village_y, township_x, township_y):
    rng = random.Random(20260615)
    member, clerk = Post.objects.get(code="member"), Post.objects.get(code="clerk")
    months = [datetime.date(2019, 3, 1), datetime.date(2026, 3, 1), JUNE, JULY, AUGUST]
    approvals = [at(1999, 6, 1), at(2025, 12, 31, 23, 30), at(2026, 1, 1, 0, 30), at(2024, 1, 1, 0, 0), at(2026, 6, 10)]
    review = PromotionReview.objects.create(year=2025, trigger="command", state="done", review_date=datetime.date(2025, 12, 31))
    old_review = PromotionReview.objects.create(
        year=2024, trigger="command", state="done", review_date=datetime.date(2024, 12, 31)
    )
    cadres = []
    for index in range(24):
        village = village_x if index % 2 else village_y
        posts = [[member], [clerk], [member, clerk]][index % 3]
        cadre = CadreFactory(village=village, name=f"{village.name}{index}", posts=posts)
        cadres.append(cadre)
        for _ in range(rng.randrange(4)):
            kind = rng.choice(["initial_grading", "promotion", "demotion", "correction"])
            _change(cadre, kind, rng.randint(1, 13), rng.choice(months), rng.choice(approvals), county_approver)
    # Two changes taking effect next month, the later id first; a later id for an earlier month.
    _change(cadres[0], "promotion", 5, JULY, at(2026, 6, 12), county_approver)
    _change(cadres[0], "correction", 7, JULY, at(2026, 6, 13), county_approver)
    _change(cadres[1], "promotion", 4, AUGUST, at(2026, 6, 14), county_approver)
    _change(cadres[1], "correction", 9, datetime.date(2026, 2, 1), at(2026, 6, 14), county_approver)
    Cadre.objects.filter(pk=cadres[2].pk).update(status=Cadre.Status.LEFT, left_on=datetime.date(2026, 1, 31), left_reason="辞职")
    for index, cadre in enumerate(cadres):
        status = ["submitted", "pending", "approved", "rejected", "submitted"][index % 5]
        if status == "approved":
            rank_change = _change(cadre, "promotion", 6, JULY, at(2026, 6, 2), county_approver)
            decided = {"rank_change": rank_change, "decided_at": at(2026, 6, 2)}
        elif status == "rejected":
            decided = {"decided_at": at(2026, 6, 2), "reject_reason": "未达标"}
        else:
            decided = {}
        outcome = "hold" if index == 3 else "promote"
        proposal_status = "no_action" if outcome == "hold" else status
        Proposal.objects.create(
            **_proposal_fields(review, cadre, outcome, proposal_status, to_level=rng.randint(1, 12)), **decided
        )
        if index % 4 == 0:
            # Last year's proposal still waiting, filed under the other township for some.
            other = township_y if cadre.township_id == township_x.pk else township_x
            fields = _proposal_fields(old_review, cadre, "promote", "submitted", to_level=rng.randint(1, 12))
            Proposal.objects.create(**{**fields, "township": other if index % 8 == 0 else cadre.township})
        if index % 3 != 1:
            grading_status = ["submitted", "approved", "rejected"][index % 3]
            InitialGrading.objects.create(
                cadre=cadre,
                township=cadre.township,
                computed_level=12,
                proposed_level=rng.randint(1, 13),
                years_served=4,
                status=grading_status,
                submitted_by=officer_x,
                submitted_at=at(2026, 6, 1),
            )
    AllowanceSchedule.objects.create(effective_from=datetime.date(2026, 10, 1), amount_per_level=Decimal("150.00"))
    for index, cadre in enumerate(cadres):
        township_year, _created = TownshipYear.objects.get_or_create(
            township=cadre.township,
            year=2025,
            defaults={"status": "finalized", "excellent_cap": 2},
        )
        grade = ["excellent", "competent", "", "basically_competent"][index % 4]
        AnnualReview.objects.create(township_year=township_year, cadre=cadre, year=2025, grade=grade)
    TownshipYear.objects.filter(township=township_x).update(
        status="confirmed", confirmed_by=county_approver, confirmed_at=at(2026, 3, 1)
    )
    return cadres


def _proposal_fields(review, cadre, outcome, status, *, to_level):
    return {
        "review": review,
        "year": review.year,
        "cadre": cadre,
        "township": cadre.township,
        "outcome": outcome,
        "from_level": 12,
        "to_level": to_level,
        "review_date": review.review_date,
        "explanation": {},
        "digest": "0" * 32,
        "status": status,
        "evaluated_at": at(review.year + 1, 1, 5),
    }


def _visible(user, township_id):
    return user.sees_all_townships or township_id == user.township_id


def _plain_levels(user, day):
    """{cadre id: level on ``day`` or None} of the cadres in post the user sees, row by row."""
    changes = list(RankChange.objects.values_list("cadre_id", "effective_month", "id", "to_level"))
    levels = {}
    for cadre in Cadre.objects.filter(status=Cadre.Status.IN_POST):
        if _visible(user, cadre.township_id):
            in_force = [(month, pk, level) for cadre_id, month, pk, level in changes if cadre_id == cadre.pk and month <= day]
            levels[cadre.pk] = max(in_force)[2] if in_force else None
    return levels


def _plain_budget(user, today):
    next_month = rules.add_months(rules.first_of_month(today), 1)
    paid = {
        cadre.pk
        for cadre in Cadre.objects.filter(status=Cadre.Status.IN_POST)
        if _visible(user, cadre.township_id) and any(post.in_rank_system_on(next_month) for post in cadre.posts.all())
    }
    levels = {pk: level or 13 for pk, level in _plain_levels(user, next_month).items() if pk in paid}
    pending = {}
    for grading in InitialGrading.objects.filter(status="submitted"):
        if grading.cadre_id in paid:
            pending[grading.cadre_id] = grading.proposed_level
    for proposal in Proposal.objects.filter(status="submitted"):  # in Proposal's ordering: the last one wins
        if proposal.cadre_id in paid and _visible(user, proposal.township_id):
            pending[proposal.cadre_id] = proposal.to_level
    schedule = allowance_schedule()

    def total(by_cadre, month):
        return sum((schedule.allowance(level, month) for level in by_cadre.values()), Decimal(0))

    after = {**levels, **pending}
    months = [rules.add_months(next_month, offset) for offset in range(12)]
    return (total(levels, next_month), total(after, next_month), len(pending), [(m, total(levels, m)) for m in months])


@pytest.mark.parametrize("day", [TODAY, JUNE, datetime.date(2026, 6, 30), JULY, datetime.date(2026, 2, 14)])
def test_cadres_by_level_equal_the_level_of_each_cadre_counted_one_by_one(
    mixed, day, county_approver, officer_x, officer_y, finance
):
    for user in (county_approver, officer_x, officer_y, finance):
        plain = Counter()
        names = dict(Township.objects.values_list("pk", "name"))
        for pk, level in _plain_levels(user, day).items():
            plain[(names[Cadre.objects.get(pk=pk).township_id], level)] += 1
        table = dashboard_levels.cadres_by_level(user=user, day=day)
        counted = Counter()
        for row in table.rows:
            for township, n in zip(table.townships, row.counts, strict=True):
                if n:
                    counted[(township.name, row.level)] += n
        assert counted == plain, user.username
        assert table.total == sum(plain.values())


@pytest.mark.parametrize("today", [TODAY, datetime.date(2026, 6, 30), datetime.date(2026, 7, 1), datetime.date(2026, 9, 20)])
def test_budget_figures_equal_the_allowance_of_each_paid_cadre_added_up(
    mixed, today, county_approver, officer_x, officer_y, finance
):
    for user in (county_approver, officer_x, officer_y, finance):
        budget = dashboard_allowance.allowance_figures(user=user, today=today).budget
        figures = (budget.next_month_total, budget.next_month_total_if_approved, budget.pending_changes, budget.projection)
        assert figures == _plain_budget(user, today), user.username
        # And exactly as the selector that reads every cadre (the same Decimal digits, not only the value).
        reference = budget_figures(user=user, today=today, extra_pending=pending_proposal_changes(user=user))
        assert repr(budget) == repr(reference)


def test_the_mixed_data_has_what_the_comparisons_need(mixed, county_approver):
    budget = dashboard_allowance.allowance_figures(user=county_approver, today=TODAY).budget
    assert budget.pending_changes >= 5 and budget.next_month_total_if_approved != budget.next_month_total
    projection = dict(budget.projection)
    assert projection[datetime.date(2026, 10, 1)] != projection[datetime.date(2026, 9, 1)]  # 150 from October
    levels_today, levels_next = _plain_levels(county_approver, TODAY), _plain_levels(county_approver, JULY)
    assert levels_today != levels_next


def test_outcomes_per_year_equal_the_rank_changes_and_reviews_counted_one_by_one(mixed, county_approver, officer_x, officer_y):
    kinds = {"initial_grading", "promotion", "out_of_turn", "demotion"}
    for user in (county_approver, officer_x, officer_y):
        initial, history = Counter(), Counter()
        for change in RankChange.objects.filter(kind__in=kinds).select_related("cadre"):
            if _visible(user, change.cadre.township_id) and not Proposal.objects.filter(rank_change=change).exists():
                year = timezone.localtime(change.approved_at).year
                if change.kind == "initial_grading":
                    initial[year] += 1
                else:
                    history[(year, change.kind)] += 1
        graded = Counter(
            review.year
            for review in AnnualReview.objects.select_related("township_year")
            if _visible(user, review.township_year.township_id) and review.grade and review.township_year.status == "confirmed"
        )
        proposals = Counter(
            (proposal.year, proposal.outcome, proposal.status)
            for proposal in Proposal.objects.all()
            if _visible(user, proposal.township_id)
        )
        expected = dashboard_outcomes._outcome_rows(
            graded=dict(graded), initial=dict(initial), history=dict(history), proposals=dict(proposals), last_year=2026
        )
        assert dashboard_outcomes.outcomes_by_year(user=user, today=TODAY) == expected
        assert {1999, 2025, 2026} <= {row.year for row in expected} or user != county_approver


def test_approval_year_is_the_year_in_shanghai_for_every_instant(county_approver, cadre_x):
    instants = [at(1999, 6, 1), at(2019, 12, 31, 23, 59), at(2027, 1, 1, 0, 0), at(2031, 7, 1)]
    for year in range(2018, 2029):
        start = at(year, 1, 1, 0, 0)
        instants += [start - datetime.timedelta(seconds=1), start, start + datetime.timedelta(seconds=1)]
    for approved in instants:
        _change(cadre_x, "correction", 12, JUNE, approved, county_approver)
    rows = RankChange.objects.annotate(year=dashboard_outcomes.approval_year("approved_at", last_year=2026)).values_list(
        "approved_at", "year"
    )
    assert [(approved, int(year)) for approved, year in rows] == [
        (approved, timezone.localtime(approved).year) for approved, _year in rows
    ]
    assert len(rows) == len(instants)


def test_assessment_years_and_grades_equal_the_reviews_counted_one_by_one(mixed, county_approver, officer_x, officer_y):
    for user in (county_approver, officer_x, officer_y):
        reviews = [
            review
            for review in AnnualReview.objects.select_related("township_year__township")
            if _visible(user, review.township_year.township_id)
        ]
        years = dashboard_outcomes.assessment_years(user=user)
        assert years.with_reviews == sorted({review.year for review in reviews})
        assert years.with_grades == sorted({review.year for review in reviews if review.grade})
        by_township = {}
        for review in reviews:
            if review.year == 2025:
                by_township.setdefault(review.township_year.township.name, Counter())[review.grade] += 1
        rows = dashboard_outcomes.grade_distribution(user=user, year=2025)
        assert {row.township.name: (row.assessed, row.ungraded, row.counts) for row in rows} == {
            name: (sum(counts.values()), counts[""], {grade: counts[grade] for grade in GRADES})
            for name, counts in by_township.items()
        }


# The page --------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _page_today(monkeypatch):
    """The page reads today from the clock; the figures above are for TODAY."""
    monkeypatch.setattr(dashboard_board, "timezone", SimpleNamespace(localdate=lambda: TODAY))


def _chart_data(response):
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.text, re.S)
    return json.loads(match.group(1))


def test_home_leads_to_the_dashboard(client_for, county_approver):
    response = client_for(county_approver).get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("ranks:dashboard")


def test_dashboard_refuses_anonymous_visitors(client):
    response = client.get(reverse("ranks:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_county_approver_sees_every_township_with_charts_and_tables(client_for, county, county_approver):
    response = client_for(county_approver).get(reverse("ranks:dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    assert [t.name for t in board.levels.townships] == ["X镇", "Y镇"]
    assert board.grade_year == 2025 and [row.township.name for row in board.grades] == ["X镇", "Y镇"]
    for chart in ("levels", "allowance", "outcomes", "grades"):
        assert f'data-chart="{chart}"' in response.text
    data = _chart_data(response)
    assert [s["name"] for s in data["levels"]["series"]] == ["X镇", "Y镇"]
    assert data["grades"]["cap"]["data"] == [1, 0]
    assert "1100.00" in data["allowance"]["series"][3]["data"]
    assert 'data-testid="levels-total">7<' in response.text


def test_township_officer_sees_only_their_townships_figures(client_for, county, officer_x):
    response = client_for(officer_x).get(reverse("ranks:dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    assert [t.name for t in board.levels.townships] == ["X镇"]
    assert [row.township.name for row in board.grades] == ["X镇"]
    assert [m.total for m in board.allowance.rosters] == [Decimal("400.00")] * 2
    assert "Y镇" not in response.text
    assert [s["name"] for s in _chart_data(response)["levels"]["series"]] == ["X镇"]


def test_finance_and_supervisors_see_no_grades_or_promotion_figures(client_for, county, finance, supervisor):
    for user in (finance, supervisor):
        response = client_for(user).get(reverse("ranks:dashboard"))
        assert response.status_code == 200
        assert not response.context["board"].assessment_figures
        assert 'data-chart="grades"' not in response.text and 'data-chart="outcomes"' not in response.text
        assert set(_chart_data(response)) == {"levels", "allowance"}


def test_dashboard_names_and_ranks_no_cadre(client_for, county, county_approver, officer_x):
    names = [cadre.name for cadre in county["x"] + county["y"]]
    for user in (county_approver, officer_x):
        text = client_for(user).get(reverse("ranks:dashboard")).text
        assert [name for name in names if name in text] == []


def test_grade_year_is_chosen_with_the_year_parameter_and_bad_values_are_ignored(client_for, county, county_approver):
    confirmed_grades(county["x"][0], county_approver, {2024: "competent"})
    client = client_for(county_approver)
    assert client.get(reverse("ranks:dashboard"), {"year": "2024"}).context["board"].grade_year == 2024
    for bad in ("1999", "abc", "2024'", "2030"):
        response = client.get(reverse("ranks:dashboard"), {"year": bad})
        assert response.status_code == 200 and response.context["board"].grade_year == 2025


def _grow(extra, village_x, village_y, county_approver, officer_x, grade, review):
    """``extra`` more cadres per township, each graded, with a grade and a proposal (some submitted), some
    promoted from next month; and as many more without a level, their initial grading submitted."""
    for village in (village_x, village_y):
        for index in range(extra):
            cadre = CadreFactory(village=village, name=f"{village.name}{index}")
            grade(cadre, 12, approved=at(2024, 12, 10))
            confirmed_grades(cadre, county_approver, {2025: "competent"})
            if index % 5:
                proposal(review, cadre, "hold", "no_action", from_level=12, to_level=12)
            else:
                proposal(review, cadre, "promote", "submitted", from_level=12, to_level=11)
                ladder_services.rank_change_record(
                    cadre=cadre,
                    kind="promotion",
                    to_level=11,
                    approved_by=county_approver,
                    approved_at=at(2026, 6, 2),
                    reason="晋升",
                )
            ungraded = CadreFactory(village=village, name=f"{village.name}未定{index}")
            InitialGrading.objects.create(
                cadre=ungraded,
                township=village.township,
                computed_level=12,
                proposed_level=12,
                years_served=4,
                submitted_by=officer_x,
                submitted_at=at(2026, 6, 1),
            )


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("ranks:dashboard")).status_code == 200
    return len(captured)


def test_dashboard_query_count_is_bounded_and_does_not_grow_with_the_data(
    client_for, county, county_approver, officer_x, grade, village_x, village_y, django_assert_max_num_queries
):
    before = {}
    for user in (county_approver, officer_x):
        client = client_for(user)
        with django_assert_max_num_queries(QUERY_BUDGET):
            client.get(reverse("ranks:dashboard"))
        before[user.username] = _queries(client)
    _grow(25, village_x, village_y, county_approver, officer_x, grade, county["review"])
    after = {user.username: _queries(client_for(user)) for user in (county_approver, officer_x)}
    assert after == before
