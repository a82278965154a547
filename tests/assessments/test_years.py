from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import rules, selectors, services
from assessments.models import AnnualReview, LedgerCategory, TownshipYear
from cadre_mgmt.audit.models import AuditRecord
from supervision.models import VetoEvent

from ..factories import CadreFactory
from .conftest import YEAR, day, review_all, score_quarters

pytestmark = pytest.mark.django_db


def year_url(name="assessments:year"):
    return reverse(name, args=[YEAR])


def annual_for(score):
    """Quarter and review score s with no ledger changes give 80×.2 + s×.8."""
    return Decimal("16") + Decimal(str(score)) * Decimal("0.8")


def set_up_year(officer, township, cadres, scores):
    score_quarters(officer, township, cadres, scores=scores)
    review_all(officer, township, cadres, scores=scores)


def test_finalized_score_and_grade_come_from_ledger_quarters_and_review(officer_x, township_x, cadre_x):
    category = LedgerCategory.objects.get(code="urgent_task")
    services.ledger_entry_create(
        user=officer_x, cadres=[cadre_x], category=category, date=day(3, 1), description="抢险", score_change=Decimal("5")
    )
    score_quarters(officer_x, township_x, [cadre_x], scores={cadre_x.pk: 88})
    services.annual_reviews_save(
        user=officer_x, township=township_x, year=YEAR, scores={cadre_x.pk: (Decimal("92"), Decimal("90"), Decimal("88"))}
    )
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    review = AnnualReview.objects.get(cadre=cadre_x)
    # ledger 85; quarters 88; review 27.6 + 36 + 26.4 = 90; annual 17 + 35.2 + 36 = 88.20
    assert (review.ledger_component, review.quarters_component, review.review_component) == (
        Decimal("85.00"),
        Decimal("88.00"),
        Decimal("90.00"),
    )
    assert (review.score, review.grade) == (Decimal("88.20"), "competent")


def test_third_excellent_of_ten_with_a_20_percent_cap_is_refused_and_reported(client_for, officer_x, township_x, ten_cadres_x):
    a, b, c = ten_cadres_x[:3]
    scores = {a.pk: 99, b.pk: 97, c.pk: 95}  # all in the excellent band: 95.2, 93.6, 92.0
    set_up_year(officer_x, township_x, ten_cadres_x, scores)
    page = client_for(officer_x).get(year_url("assessments:year_finalize"))
    assert "优秀最多 2 人" in page.text and "超出名额" in page.text
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    grades = dict(AnnualReview.objects.values_list("cadre_id", "grade"))
    assert [grades[x.pk] for x in (a, b, c)] == ["excellent", "excellent", "competent"]
    assert AnnualReview.objects.get(cadre=c).capped
    assert AnnualReview.objects.get(cadre=c).score == annual_for(95)
    assert list(AnnualReview.objects.filter(grade="excellent").values_list("cadre_id", flat=True).order_by("cadre_id")) == [
        a.pk,
        b.pk,
    ]


def test_tie_for_the_last_excellent_place_is_shown_to_the_township_to_decide(client_for, officer_x, township_x, ten_cadres_x):
    a, b, c = ten_cadres_x[:3]
    set_up_year(officer_x, township_x, ten_cadres_x, {a.pk: 99, b.pk: 95, c.pk: 95})
    client = client_for(officer_x)
    page = client.get(year_url("assessments:year_finalize"))
    assert 'data-testid="finalize-tie"' in page.text and b.name in page.text and c.name in page.text
    with pytest.raises(rules.TieUnresolved) as tie:
        services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    assert tie.value.outcome.tied == {b.pk, c.pk} and tie.value.outcome.tie_places == 1
    # Finalizing without a decision, or with both tied cadres, is refused; nothing is fixed.
    for choice in ([], [b.pk, c.pk]):
        response = client.post(year_url("assessments:year_finalize"), {"tie_choice": choice})
        assert response.status_code == 200 and "恰好选出 1 人" in response.text
    assert TownshipYear.objects.get().status == "open"
    response = client.post(year_url("assessments:year_finalize"), {"tie_choice": [c.pk]})
    assert response.status_code == 302
    grades = dict(AnnualReview.objects.values_list("cadre_id", "grade"))
    assert (grades[a.pk], grades[b.pk], grades[c.pk]) == ("excellent", "competent", "excellent")
    record = AuditRecord.objects.get(summary="乡镇确定年度考核等次")
    assert record.changes["tie_choice"] == [c.pk]


def test_vetoed_cadre_is_incompetent_and_never_excellent(officer_x, supervisor, township_x, ten_cadres_x):
    a = ten_cadres_x[0]
    set_up_year(officer_x, township_x, ten_cadres_x, {a.pk: 99})
    VetoEvent.objects.create(cadre=a, year=YEAR, occurred_on=day(7, 1), reason="重大安全事故", recorded_by=supervisor)
    preview = services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    review = AnnualReview.objects.get(cadre=a)
    assert (review.score, review.grade, review.vetoed) == (annual_for(99), "incompetent", True)
    assert preview.places == 2


def test_finalize_needs_closed_quarters_and_every_review(officer_x, township_x, village_x, cadre_x):
    other = CadreFactory(village=village_x, name="缺年终分")
    score_quarters(officer_x, township_x, [cadre_x, other], close=False)
    review_all(officer_x, township_x, [cadre_x])
    with pytest.raises(ValidationError) as refused:
        services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    text = " ".join(refused.value.messages)
    assert "尚未关闭的季度" in text and "缺年终分" in text


def test_finalized_year_refuses_review_and_weight_edits(client_for, officer_x, township_x, village_x, cadre_x):
    set_up_year(officer_x, township_x, [cadre_x], {})
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    with pytest.raises(ValidationError):
        services.annual_reviews_save(user=officer_x, township=township_x, year=YEAR, scores={cadre_x.pk: (Decimal("99"),) * 3})
    with pytest.raises(ValidationError):
        services.township_year_settings_save(
            user=officer_x,
            township=township_x,
            year=YEAR,
            political_weight=Decimal("30"),
            business_weight=Decimal("40"),
            mass_weight=Decimal("30"),
            ledger_share=Decimal("20"),
            quarters_share=Decimal("40"),
            review_share=Decimal("40"),
        )
    client = client_for(officer_x)
    response = client.post(f"{year_url()}?village={village_x.pk}", {f"r-{cadre_x.pk}-political": "99"})
    assert response.status_code == 403
    assert client.get(year_url("assessments:year_settings")).status_code == 403
    assert client.get(year_url("assessments:year_finalize")).status_code == 403
    assert AnnualReview.objects.get().political_score == Decimal("80.00")


def test_county_approver_confirms_and_only_then_results_are_final(client_for, officer_x, county_approver, township_x, cadre_x):
    set_up_year(officer_x, township_x, [cadre_x], {cadre_x.pk: 85})
    assert selectors.annual_results(cadre_ids=[cadre_x.pk], years=[YEAR])[cadre_x.pk][YEAR] == selectors.AnnualResult(
        year=YEAR, score=annual_for(85), grade="competent", mass_score=Decimal("85.00"), final=False
    )
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    assert not selectors.annual_results(cadre_ids=[cadre_x.pk], years=[YEAR])[cadre_x.pk][YEAR].final
    assert client_for(officer_x).post(year_url("assessments:year_confirm")).status_code == 403
    response = client_for(county_approver).post(f"{year_url('assessments:year_confirm')}?township={township_x.pk}")
    assert response.status_code == 302
    result = selectors.annual_results(cadre_ids=[cadre_x.pk], years=[YEAR])[cadre_x.pk][YEAR]
    assert (result.final, result.grade, result.score) == (True, "competent", annual_for(85))


def test_confirmed_results_are_the_final_annual_results_only(
    officer_x, county_approver, township_x, cadre_x, django_assert_num_queries
):
    set_up_year(officer_x, township_x, [cadre_x], {cadre_x.pk: 85})
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    assert selectors.confirmed_results(cadre_ids=[cadre_x.pk], years=[YEAR]) == {}  # finalized, not yet confirmed
    services.annual_confirm(user=county_approver, township_year=TownshipYear.objects.get(township=township_x, year=YEAR))
    with django_assert_num_queries(1):
        confirmed = selectors.confirmed_results(cadre_ids=[cadre_x.pk], years=[YEAR - 1, YEAR])
    assert confirmed == {cadre_x.pk: {YEAR: selectors.annual_results(cadre_ids=[cadre_x.pk], years=[YEAR])[cadre_x.pk][YEAR]}}
    assert confirmed[cadre_x.pk][YEAR].final and confirmed[cadre_x.pk][YEAR].grade == "competent"


def test_county_may_return_finalized_grades_which_reopens_the_year(officer_x, county_approver, township_x, cadre_x):
    set_up_year(officer_x, township_x, [cadre_x], {})
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    ty = TownshipYear.objects.get()
    with pytest.raises(PermissionDenied):
        services.annual_return(user=officer_x, township_year=ty, reason="x")
    services.annual_return(user=county_approver, township_year=ty, reason="群众评价分有误，请核实")
    ty.refresh_from_db()
    assert ty.status == "open" and AnnualReview.objects.get().grade == ""
    services.annual_reviews_save(user=officer_x, township=township_x, year=YEAR, scores={cadre_x.pk: (Decimal("81"),) * 3})


def test_confirmed_year_cannot_be_returned(officer_x, county_approver, township_x, cadre_x):
    set_up_year(officer_x, township_x, [cadre_x], {})
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    ty = services.annual_confirm(user=county_approver, township_year=TownshipYear.objects.get())
    with pytest.raises(ValidationError):
        services.annual_return(user=county_approver, township_year=ty, reason="x")


def test_township_weights_within_the_county_tolerance_are_used(client_for, officer_x, township_x, cadre_x):
    client = client_for(officer_x)
    data = {
        "political_weight": "20",
        "business_weight": "50",
        "mass_weight": "30",
        "ledger_share": "10",
        "quarters_share": "45",
        "review_share": "45",
    }
    assert client.post(year_url("assessments:year_settings"), data).status_code == 302
    score_quarters(officer_x, township_x, [cadre_x], scores={cadre_x.pk: 90})
    services.annual_reviews_save(
        user=officer_x, township=township_x, year=YEAR, scores={cadre_x.pk: (Decimal("70"), Decimal("80"), Decimal("90"))}
    )
    # review 70×.2 + 80×.5 + 90×.3 = 14 + 40 + 27 = 81; annual 80×.1 + 90×.45 + 81×.45 = 8 + 40.5 + 36.45 = 84.95
    _ty, rows = selectors.year_sheet(township=township_x, year=YEAR)
    assert (rows[0].breakdown.review, rows[0].breakdown.score) == (Decimal("81.00"), Decimal("84.95"))


def test_weights_outside_the_tolerance_or_not_adding_to_100_are_refused(client_for, officer_x):
    client = client_for(officer_x)
    too_far = {
        "political_weight": "10",
        "business_weight": "60",
        "mass_weight": "30",
        "ledger_share": "20",
        "quarters_share": "40",
        "review_share": "40",
    }
    response = client.post(year_url("assessments:year_settings"), too_far)
    assert response.status_code == 200 and "县级默认" in response.text
    not_100 = {**too_far, "political_weight": "30", "business_weight": "40", "mass_weight": "31"}
    response = client.post(year_url("assessments:year_settings"), not_100)
    assert response.status_code == 200 and "之和必须为 100" in response.text
    assert not TownshipYear.objects.exclude(political_weight=Decimal("30")).exists()


def test_year_page_shows_computed_components_and_is_scoped(
    client_for, officer_x, officer_y, county_approver, township_x, village_x, cadre_x
):
    set_up_year(officer_x, township_x, [cadre_x], {cadre_x.pk: 90})
    text = client_for(officer_x).get(year_url(), {"village": village_x.pk}).text
    assert str(annual_for(90)) in text and "（暂定）" in text
    assert cadre_x.name not in client_for(officer_y).get(year_url(), {"township": township_x.pk}).text
    reader = client_for(county_approver)
    text = reader.get(year_url(), {"township": township_x.pk}).text
    assert cadre_x.name in text and 'type="number"' not in text
    assert reader.post(f"{year_url()}?township={township_x.pk}", {f"r-{cadre_x.pk}-political": "1"}).status_code == 403


def test_officer_cannot_write_reviews_for_another_township(officer_x, township_y, township_x, cadre_y):
    with pytest.raises(PermissionDenied):
        services.annual_reviews_save(user=officer_x, township=township_y, year=YEAR, scores={cadre_y.pk: (Decimal("90"),) * 3})
    with pytest.raises(PermissionDenied):
        services.annual_reviews_save(user=officer_x, township=township_x, year=YEAR, scores={cadre_y.pk: (Decimal("90"),) * 3})


def test_annual_results_query_count_does_not_grow_with_cadres(officer_x, township_x, village_x, django_assert_max_num_queries):
    cadres = [CadreFactory(village=village_x) for _ in range(12)]
    set_up_year(officer_x, township_x, cadres, {})
    with django_assert_max_num_queries(6):
        results = selectors.annual_results(cadre_ids=[c.pk for c in cadres], years=[YEAR - 1, YEAR])
    assert len(results) == 12


# ---------------------------------------------------------------- overview and cadre file


def test_overview_shows_missing_scores_and_the_grade_distribution(client_for, officer_x, township_x, ten_cadres_x):
    scores = {c.pk: 99 for c in ten_cadres_x[:3]}
    score_quarters(officer_x, township_x, ten_cadres_x[:9], scores=scores, close=False)
    review_all(officer_x, township_x, ten_cadres_x[:9], scores=scores)
    data = selectors.overview(township=township_x, year=YEAR)
    assert [len(q.missing) for q in data["quarters"]] == [1, 1, 1, 1]
    assert [c.pk for c in data["missing_reviews"]] == [ten_cadres_x[9].pk]
    counts = {label: count for _code, label, count in data["distribution"]}
    assert counts["优秀"] == 3 and counts["称职"] == 6 and data["ungraded"] == 1
    response = client_for(officer_x).get(reverse("assessments:overview"), {"year": YEAR})
    assert response.status_code == 200 and ten_cadres_x[9].name in response.text


@pytest.mark.parametrize("people", [3, 30])
def test_overview_query_count_is_bounded(client_for, officer_x, township_x, village_x, django_assert_max_num_queries, people):
    cadres = [CadreFactory(village=village_x) for _ in range(people)]
    set_up_year(officer_x, township_x, cadres, {})
    client = client_for(officer_x)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("assessments:overview"), {"year": YEAR}).status_code == 200


def test_overview_is_scoped_to_the_officers_township(client_for, officer_y, township_x, cadre_x):
    response = client_for(officer_y).get(reverse("assessments:overview"), {"year": YEAR, "township": township_x.pk})
    assert response.status_code == 200 and cadre_x.name not in response.text


def test_county_reader_picks_a_township_and_a_foreign_id_is_404(client_for, county_approver, officer_x, township_x, cadre_x):
    client = client_for(county_approver)
    assert cadre_x.name in client.get(reverse("assessments:overview"), {"year": YEAR, "township": township_x.pk}).text
    assert client.get(reverse("assessments:overview"), {"township": 999999}).status_code == 404


def test_cadre_file_shows_ledger_quarters_and_years(client_for, officer_x, county_approver, finance, township_x, cadre_x):
    category = LedgerCategory.objects.get(code="household_visit")
    services.ledger_entry_create(user=officer_x, cadres=[cadre_x], category=category, date=day(2, 3), description="走访独居老人")
    set_up_year(officer_x, township_x, [cadre_x], {cadre_x.pk: 90})
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    url = reverse("cadres:detail", args=[cadre_x.pk])
    text = client_for(officer_x).get(url).text
    assert 'data-testid="assessments-panel"' in text
    assert "走访独居老人" in text and f"{YEAR}年第4季度" in text and str(annual_for(90)) in text and "（未最终确认）" in text
    assert 'data-testid="assessments-panel"' in client_for(county_approver).get(url).text
    assert 'data-testid="assessments-panel"' not in client_for(finance).get(url).text


def test_year_page_names_quarters_in_chinese(client_for, officer_x, township_x, village_x, cadre_x):
    """Issue 17 #10: quarters read 第1季度 … 第4季度, never Q1–Q4."""
    set_up_year(officer_x, township_x, [cadre_x], {cadre_x.pk: 90})
    text = client_for(officer_x).get(year_url(), {"village": village_x.pk}).text
    assert all(f"第{q}季度" in text for q in range(1, 5))
    assert not any(f">Q{q}<" in text or f'"Q{q}"' in text for q in range(1, 5))
