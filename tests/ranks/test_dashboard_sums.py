"""Dashboard figures add up (issue 17 item 7): on mixed data, each panel's parts make its whole.

Mixed data: two review years, a dry run, a run and two re-runs of 2025 (one after some decisions), proposals
approved, rejected, submitted and pending, rank changes outside any review in the review year, two townships
of which Y has no grade at all, and a later year that X has started scoring for a few cadres only."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse

from assessments.models import AnnualReview, TownshipYear
from ranks.dashboard import board as dashboard_board
from ranks.dashboard import outcomes as dashboard_outcomes
from ranks.ladder import services as ladder_services
from ranks.models import PromotionReview, Proposal
from ranks.review import decisions
from ranks.review import services as review_services

from ..conftest import at, confirmed_grades
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def _run(year, *, dry_run=False):
    review = review_services.review_start(year=year, dry_run=dry_run, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    return review_services.review_run_now(review=review)


@pytest.fixture
def mixed(grade, village_x, village_y, county_approver, officer_x, officer_y, township_x):
    xs = [CadreFactory(village=village_x, name=f"东{index}") for index in range(6)]
    ys = [CadreFactory(village=village_y, name=f"西{index}") for index in range(4)]
    for cadre in xs + ys:
        grade(cadre, 12, approved=at(2022, 12, 10))
    grades = ["competent", "competent", "competent", "incompetent", "basically_competent", "competent"]
    for cadre, last in zip(xs, grades, strict=True):
        confirmed_grades(cadre, county_approver, {2023: "competent", 2024: "competent", 2025: last})
    # Y: no annual grade at all; one promoted outside any review in the review year.
    ladder_services.rank_change_record(
        cadre=ys[0], kind="promotion", to_level=11, approved_by=county_approver, approved_at=at(2025, 5, 10), reason="表现突出"
    )
    _run(2024)
    _run(2025, dry_run=True)
    _run(2025)
    _run(2025)  # a re-run: refreshes, never duplicates
    proposals = {p.cadre_id: p for p in Proposal.objects.filter(year=2025)}
    changes = [proposals[c.pk] for c in xs if proposals[c.pk].outcome != Proposal.Outcome.HOLD]
    assert len(changes) >= 3, [(p.cadre.name, p.outcome) for p in proposals.values()]
    approve, reject, submit = changes[0], changes[1], changes[2]
    for proposal in (approve, reject, submit):
        decisions.proposal_submit(proposal=proposal, user=officer_x)
    decisions.proposal_approve(proposal=Proposal.objects.get(pk=approve.pk), approver=county_approver)
    decisions.proposal_reject(proposal=Proposal.objects.get(pk=reject.pk), approver=county_approver, reason="材料不全")
    _run(2025)  # after decisions: decided ones stay
    # 2026: X has started the year-end scoring for two cadres only; Y has not started.
    open_year = TownshipYear.objects.create(township=township_x, year=2026)
    for cadre in xs[:2]:
        AnnualReview.objects.create(township_year=open_year, cadre=cadre, year=2026)
    return {"x": xs, "y": ys}


def _users(county_approver, officer_x, officer_y):
    return {"county": county_approver, "x": officer_x, "y": officer_y}


def test_the_mixed_data_has_several_runs_and_every_kind_of_proposal(mixed):
    assert PromotionReview.objects.filter(year=2025).count() == 4
    assert PromotionReview.objects.filter(year=2025, dry_run=True).count() == 1
    statuses = Counter(Proposal.objects.filter(year=2025).values_list("status", flat=True))
    assert {"approved", "rejected", "submitted", "pending", "no_action"} <= set(statuses), statuses


def test_a_review_years_parts_add_up_to_the_cadres_reviewed(mixed, county_approver, officer_x, officer_y):
    for name, user in _users(county_approver, officer_x, officer_y).items():
        rows = {row.year: row for row in dashboard_outcomes.outcomes_by_year(user=user, today=TODAY)}
        for year in (2024, 2025):
            row = rows[year]
            scoped = Proposal.objects.filter(year=year)
            if not user.sees_all_townships:
                scoped = scoped.filter(township_id=user.township_id)
            assert row.reviewed == scoped.count(), (name, year)
            assert row.promoted + row.held + row.demoted + row.awaiting == row.reviewed, (name, year)
            assert row.parts_add_up
            assert row.promoted == scoped.filter(status="approved", outcome__in=["promote", "out_of_turn"]).count()
            assert row.demoted == scoped.filter(status="approved", outcome="demote").count()
        # 西0's promotion in 2025 was no proposal's: counted apart, not among the reviewed.
        assert rows[2025].promoted_outside == (0 if name == "x" else 1), name
    county = {row.year: row for row in dashboard_outcomes.outcomes_by_year(user=county_approver, today=TODAY)}
    x = {row.year: row for row in dashboard_outcomes.outcomes_by_year(user=officer_x, today=TODAY)}
    y = {row.year: row for row in dashboard_outcomes.outcomes_by_year(user=officer_y, today=TODAY)}
    for field in ("reviewed", "promoted", "held", "demoted", "awaiting", "graded", "promoted_outside"):
        assert getattr(county[2025], field) == getattr(x[2025], field) + getattr(y[2025], field), field
    assert county[2025].reviewed == 10  # one proposal per cadre in post, four runs and a dry run notwithstanding


def test_every_township_appears_in_the_grade_panel_and_the_townships_add_up_to_the_county(
    mixed, county_approver, officer_y, township_x, township_y
):
    for year in (2025, 2026):
        rows = dashboard_outcomes.grade_distribution(user=county_approver, year=year)
        assert [row.township.name for row in rows] == ["X镇", "Y镇"], year
        for row in rows:
            assert sum(row.counts.values()) + row.ungraded == row.assessed
            assert row.assessed == AnnualReview.objects.filter(year=year, township_year__township_id=row.township.id).count()
        total = dashboard_outcomes.grade_total(rows)
        assert total.assessed == sum(row.assessed for row in rows) == AnnualReview.objects.filter(year=year).count()
        for grade in total.counts:
            assert total.counts[grade] == sum(row.counts[grade] for row in rows)
        y = rows[1]
        assert (y.assessed, y.ungraded, y.places, y.status) == (0, 0, 0, "")
        assert str(y.status_label) == "尚未开始"
    assert [row.assessed for row in dashboard_outcomes.grade_distribution(user=county_approver, year=2026)] == [2, 0]
    (only_y,) = dashboard_outcomes.grade_distribution(user=officer_y, year=2025)
    assert only_y.township.name == "Y镇" and only_y.assessed == 0


@pytest.fixture(autouse=True)
def _page_today(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr(dashboard_board, "timezone", SimpleNamespace(localdate=lambda: TODAY))


def test_the_page_defines_every_figure_and_shows_the_totals(client_for, mixed, county_approver, officer_x):
    response = client_for(county_approver).get(reverse("ranks:dashboard"), {"year": "2026"})
    assert response.status_code == 200
    text = response.text
    for panel in ("levels", "allowance", "outcomes", "grades"):
        assert f'data-testid="{panel}-definitions"' in text, panel
    assert text.count('data-testid="work-definition"') == 4  # the approver's four to-do items (appeals included)
    assert 'data-testid="grades-total"' in text and "尚未开始" in text
    board = response.context["board"]
    assert [row.township.name for row in board.grades] == ["X镇", "Y镇"]
    assert board.grades_total.assessed == 2
    row_2025 = next(row for row in board.outcomes if row.year == 2025)
    assert f'<td class="num fw-semibold" data-testid="reviewed">{row_2025.reviewed}</td>' in text
    # A township officer: one township, no total row.
    township = client_for(officer_x).get(reverse("ranks:dashboard"))
    assert township.context["board"].grades_total is None and 'data-testid="grades-total"' not in township.text
