"""The cadre file's assessments section reads its years and quarters in fewer queries, with the same figures
as the selectors the rest of the product uses (annual_results, quarter_scores_by_cadre)."""

from decimal import Decimal

import pytest

from assessments import selectors, services
from assessments.models import LedgerCategory, TownshipYear
from supervision import services as supervision

from .conftest import day, review_all, score_quarters

pytestmark = pytest.mark.django_db


def test_cadre_panel_shows_the_annual_results_and_quarter_scores_of_the_selectors(
    officer_x, county_approver, supervisor, township_x, cadre_x, django_assert_max_num_queries
):
    # 2023: quarters scored, no annual review — not shown (only the years reviewed, this year and last).
    score_quarters(officer_x, township_x, [cadre_x], year=2023, scores={cadre_x.pk: 70})
    # 2024: confirmed by the county.
    score_quarters(officer_x, township_x, [cadre_x], year=2024, scores={cadre_x.pk: 91})
    review_all(officer_x, township_x, [cadre_x], year=2024, scores={cadre_x.pk: 91})
    services.annual_finalize(user=officer_x, township=township_x, year=2024)
    services.annual_confirm(user=county_approver, township_year=TownshipYear.objects.get(township=township_x, year=2024))
    # 2025: still open — a provisional score from the ledger, the quarters, the review and a veto.
    score_quarters(officer_x, township_x, [cadre_x], year=2025, scores={cadre_x.pk: 85}, close=False)
    review_all(officer_x, township_x, [cadre_x], year=2025, scores={cadre_x.pk: 88})
    category = LedgerCategory.objects.get(code="urgent_task")
    for month, change in [(2, "4.5"), (7, "-1.25")]:
        services.ledger_entry_create(
            user=officer_x,
            cadres=[cadre_x],
            category=category,
            date=day(month, 3),
            description="抢险",
            score_change=Decimal(change),
        )
    supervision.veto_record(user=supervisor, cadre=cadre_x, year=2025, occurred_on=day(6, 1), reason="事故")
    revoked = supervision.veto_record(user=supervisor, cadre=cadre_x, year=2024, occurred_on=day(6, 1), reason="误录")
    supervision.veto_revoke(user=supervisor, veto=revoked, reason="误录")

    with django_assert_max_num_queries(4):  # ledger, reviews, quarters, the policy for the open year
        panel = selectors.cadre_panel(cadre_x, officer_x)

    expected = selectors.annual_results(cadre_ids=[cadre_x.pk], years=[2024, 2025])[cadre_x.pk]
    assert panel["years"] == [expected[2025], expected[2024]]
    assert expected[2025].grade == "incompetent" and not expected[2025].final  # the veto applies
    assert expected[2024].final and expected[2024].score == Decimal("88.80")
    quarters = selectors.quarter_scores_by_cadre(cadre_ids=[cadre_x.pk], years=[2024, 2025, 2026])[cadre_x.pk]
    assert panel["quarters"] == sorted(quarters.items(), reverse=True)[:8]
    assert {year for (year, _quarter), _score in panel["quarters"]} == {2024, 2025}


def test_cadre_panel_without_an_open_year_reads_three_queries(
    officer_x, county_approver, township_x, cadre_x, django_assert_num_queries
):
    score_quarters(officer_x, township_x, [cadre_x], year=2024)
    review_all(officer_x, township_x, [cadre_x], year=2024)
    services.annual_finalize(user=officer_x, township=township_x, year=2024)
    with django_assert_num_queries(3):
        panel = selectors.cadre_panel(cadre_x, county_approver)
    assert panel["years"] == [selectors.annual_results(cadre_ids=[cadre_x.pk], years=[2024])[cadre_x.pk][2024]]
    assert not panel["years"][0].final  # finalized by the township, not yet confirmed by the county


def test_a_quarter_with_an_area_unscored_has_no_quarter_score_in_the_panel(officer_x, township_x, cadre_x):
    tq = services.quarter_open(user=officer_x, township=township_x, year=2025, quarter=1)
    first, *others = list(tq.areas.all())
    assert others
    services.quarter_scores_save(
        user=officer_x, township=township_x, year=2025, quarter=1, scores={(cadre_x.pk, first.pk): Decimal("90")}
    )
    assert selectors.cadre_panel(cadre_x, officer_x)["quarters"] == []
    scores = {(cadre_x.pk, area.pk): Decimal("90") for area in others}
    services.quarter_scores_save(user=officer_x, township=township_x, year=2025, quarter=1, scores=scores)
    assert selectors.cadre_panel(cadre_x, officer_x)["quarters"] == [((2025, 1), Decimal("90.00"))]
