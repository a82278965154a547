from decimal import Decimal

import pytest

from assessments import services
from assessments.models import AnnualReview, QuarterScore, TownshipQuarter

from ..assessments.conftest import YEAR, review_all, score_quarters
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

QUARTERS = "/api/v1/quarterly-assessments/"
YEARS = "/api/v1/annual-assessments/"


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _open(user, township, quarter=1):
    return services.quarter_open(user=user, township=township, year=YEAR, quarter=quarter)


# ---------------------------------------------------------------- quarters: reading


def test_quarter_rows_show_each_area_score_and_the_computed_quarter_score(token_client_for, officer_x, township_x, cadre_x):
    tq = _open(officer_x, township_x)
    areas = list(tq.areas.all())
    scores = {(cadre_x.pk, area.pk): Decimal(90 if index == 0 else 80) for index, area in enumerate(areas)}
    services.quarter_scores_save(user=officer_x, township=township_x, year=YEAR, quarter=1, scores=scores)
    [row] = _rows(token_client_for(officer_x).get(f"{QUARTERS}?year={YEAR}&quarter=1"))
    assert row["cadre"] == {"id": cadre_x.pk, "name": "张建国"}
    assert row["township"]["name"] == "X镇" and row["village"]["name"] == "东岭村"
    assert (row["year"], row["quarter"], row["status"], row["missing"]) == (YEAR, 1, "open", 0)
    assert [area["name"] for area in row["scores"]] == [area.name for area in areas]
    assert row["scores"][0]["score"] == "90.00" and row["scores"][0]["id"] == areas[0].pk
    assert row["quarter_score"] == "82.00"  # five areas of 20 %: (90 + 4 × 80) / 5


def test_a_quarter_not_yet_opened_lists_cadres_without_scores(token_client_for, officer_x, cadre_x):
    [row] = _rows(token_client_for(officer_x).get(f"{QUARTERS}?year={YEAR}&quarter=2"))
    assert row["status"] == "not_opened" and row["scores"] == [] and row["quarter_score"] is None


def test_township_staff_see_only_their_cadres_and_county_readers_every_township(
    token_client_for, officer_x, county_approver, cadre_x, cadre_y
):
    names = [row["cadre"]["name"] for row in _rows(token_client_for(officer_x).get(f"{QUARTERS}?year={YEAR}&quarter=1"))]
    assert names == ["张建国"]
    county = _rows(token_client_for(county_approver).get(f"{QUARTERS}?year={YEAR}&quarter=1"))
    assert sorted(row["cadre"]["name"] for row in county) == sorted(["张建国", "李秀英"])
    only_y = _rows(token_client_for(county_approver).get(f"{QUARTERS}?year={YEAR}&quarter=1&township={cadre_y.township_id}"))
    assert [row["cadre"]["name"] for row in only_y] == ["李秀英"]


def test_another_townships_id_gives_nothing_to_township_staff(token_client_for, officer_x, cadre_x, cadre_y):
    client = token_client_for(officer_x)
    for url in (QUARTERS + "?year=2025&quarter=1", YEARS + "?year=2025"):
        response = client.get(f"{url}&township={cadre_y.township_id}")
        assert _rows(response) == []
        assert "李秀英" not in response.text


def test_cadre_and_village_filters(token_client_for, county_admin, village_x, cadre_x, cadre_y):
    client = token_client_for(county_admin)
    assert [r["cadre"]["id"] for r in _rows(client.get(f"{QUARTERS}?year={YEAR}&quarter=1&cadre={cadre_y.pk}"))] == [cadre_y.pk]
    assert [r["cadre"]["id"] for r in _rows(client.get(f"{YEARS}?year={YEAR}&village={village_x.pk}"))] == [cadre_x.pk]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (QUARTERS, "year"),
        (QUARTERS + "?year=2025", "quarter"),
        (QUARTERS + "?year=2025&quarter=5", "quarter"),
        (QUARTERS + "?year=1999&quarter=1", "year"),
        (YEARS + "?year=abc", "year"),
        (YEARS + "?year=2025&cadre=0", "cadre"),
    ],
)
def test_missing_or_bad_parameters_are_a_400_naming_them(token_client_for, officer_x, url, field):
    response = token_client_for(officer_x).get(url)
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("role", ["supervisor", "finance"])
def test_roles_without_assessment_pages_get_403(request, token_client_for, township_x, role):
    client = token_client_for(request.getfixturevalue(role))
    assert client.get(f"{QUARTERS}?year={YEAR}&quarter=1").status_code == 403
    assert client.get(f"{YEARS}?year={YEAR}").status_code == 403
    assert (
        client.post(QUARTERS, {"township": township_x.pk, "year": YEAR, "quarter": 1, "scores": []}, format="json").status_code
        == 403
    )


@pytest.mark.parametrize("size", [3, 30])
def test_quarter_and_year_lists_take_a_fixed_number_of_queries(
    size, token_client_for, officer_x, township_x, village_x, django_assert_max_num_queries
):
    for _index in range(size):
        CadreFactory(village=village_x)
    _open(officer_x, township_x)
    client = token_client_for(officer_x)
    # token; townships; the quarter; its grid (cadres, areas, scores, ledger sums)
    with django_assert_max_num_queries(7):
        assert len(_rows(client.get(f"{QUARTERS}?year={YEAR}&quarter=1&page_size=200"))) == size
    # token; policy; townships; the year sheet (year, cadres, reviews, quarter scores and areas, ledger sums, vetoes)
    with django_assert_max_num_queries(10):
        assert len(_rows(client.get(f"{YEARS}?year={YEAR}&page_size=200"))) == size


# ---------------------------------------------------------------- quarters: writing


def test_an_empty_post_opens_the_quarter_and_lists_its_areas(token_client_for, officer_x, township_x):
    response = token_client_for(officer_x).post(QUARTERS, {"year": YEAR, "quarter": 3, "scores": []}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    tq = TownshipQuarter.objects.get(township=township_x, year=YEAR, quarter=3)
    assert body["changed"] == 0
    assert [area["id"] for area in body["areas"]] == [area.pk for area in tq.areas.all()]
    assert sum(Decimal(area["weight"]) for area in body["areas"]) == 100


def test_scores_are_saved_through_the_service(token_client_for, officer_x, township_x, cadre_x):
    area = _open(officer_x, township_x).areas.first()
    client = token_client_for(officer_x)
    body = {"year": YEAR, "quarter": 1, "scores": [{"cadre": cadre_x.pk, "area": area.pk, "score": "88.5"}]}
    response = client.post(QUARTERS, body, format="json")
    assert response.status_code == 200 and response.json()["changed"] == 1
    assert QuarterScore.objects.get(cadre=cadre_x, area=area).score == Decimal("88.50")
    body["scores"][0]["score"] = None
    assert client.post(QUARTERS, body, format="json").json()["changed"] == 1
    assert not QuarterScore.objects.exists()


def test_a_closed_quarter_refuses_scores(token_client_for, officer_x, township_x, cadre_x):
    score_quarters(officer_x, township_x, [cadre_x])
    area = TownshipQuarter.objects.get(township=township_x, year=YEAR, quarter=1).areas.first()
    body = {"year": YEAR, "quarter": 1, "scores": [{"cadre": cadre_x.pk, "area": area.pk, "score": "10"}]}
    response = token_client_for(officer_x).post(QUARTERS, body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "本季度已关闭，分数已锁定。"
    assert QuarterScore.objects.get(cadre=cadre_x, area=area).score == Decimal("80.00")


@pytest.mark.parametrize("score", ["100.01", "-1", "abc", "NaN"])
def test_a_score_out_of_range_is_refused_and_nothing_is_written(token_client_for, officer_x, township_x, cadre_x, score):
    area = _open(officer_x, township_x).areas.first()
    body = {"year": YEAR, "quarter": 1, "scores": [{"cadre": cadre_x.pk, "area": area.pk, "score": score}]}
    response = token_client_for(officer_x).post(QUARTERS, body, format="json")
    assert response.status_code == 400
    assert "scores.0.score" in response.json()["errors"]
    assert not QuarterScore.objects.exists()


def test_township_staff_cannot_score_another_township(token_client_for, officer_x, officer_y, township_x, township_y, cadre_y):
    area = _open(officer_y, township_y).areas.first()
    client = token_client_for(officer_x)
    foreign_township = {"township": township_y.pk, "year": YEAR, "quarter": 1, "scores": []}
    response = client.post(QUARTERS, foreign_township, format="json")
    assert response.status_code == 400 and "township" in response.json()["errors"]
    foreign_cadre = {"year": YEAR, "quarter": 1, "scores": [{"cadre": cadre_y.pk, "area": area.pk, "score": "50"}]}
    assert client.post(QUARTERS, foreign_cadre, format="json").status_code in (400, 403)
    assert not QuarterScore.objects.exists()
    assert not TownshipQuarter.objects.filter(township=township_y).exclude(pk=area.township_quarter_id).exists()


def test_county_approvers_read_but_may_not_write_scores(token_client_for, county_approver, township_x):
    body = {"township": township_x.pk, "year": YEAR, "quarter": 1, "scores": []}
    assert token_client_for(county_approver).post(QUARTERS, body, format="json").status_code == 403
    assert not TownshipQuarter.objects.exists()


def test_the_county_administrator_must_name_the_township(token_client_for, county_admin, township_x):
    client = token_client_for(county_admin)
    response = client.post(QUARTERS, {"year": YEAR, "quarter": 1, "scores": []}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["township"]
    assert (
        client.post(QUARTERS, {"township": township_x.pk, "year": YEAR, "quarter": 1, "scores": []}, format="json").status_code
        == 200
    )


def test_the_same_cell_twice_is_refused(token_client_for, officer_x, township_x, cadre_x):
    area = _open(officer_x, township_x).areas.first()
    cell = {"cadre": cadre_x.pk, "area": area.pk, "score": "50"}
    response = token_client_for(officer_x).post(QUARTERS, {"year": YEAR, "quarter": 1, "scores": [cell, cell]}, format="json")
    assert response.status_code == 400 and "scores" in response.json()["errors"]


# ---------------------------------------------------------------- years


def test_year_rows_show_review_scores_and_the_computed_score_and_grade(token_client_for, officer_x, township_x, cadre_x):
    score_quarters(officer_x, township_x, [cadre_x], scores={cadre_x.pk: 95})
    review_all(officer_x, township_x, [cadre_x], scores={cadre_x.pk: 95})
    [row] = _rows(token_client_for(officer_x).get(f"{YEARS}?year={YEAR}"))
    assert (row["political_score"], row["business_score"], row["mass_score"]) == ("95.00", "95.00", "95.00")
    assert row["quarter_scores"] == ["95.00"] * 4
    assert row["status"] == "open"
    assert row["ledger_component"] == "80.00"  # the ledger base, no score changes
    assert row["score"] == "92.00"  # 20 % × 80 + 40 % × 95 + 40 % × 95
    assert row["grade"] == "excellent" and row["vetoed"] is False


def test_a_finalized_year_shows_the_fixed_grade(token_client_for, officer_x, township_x, cadre_x):
    score_quarters(officer_x, township_x, [cadre_x])
    review_all(officer_x, township_x, [cadre_x])
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    [row] = _rows(token_client_for(officer_x).get(f"{YEARS}?year={YEAR}"))
    review = AnnualReview.objects.get(cadre=cadre_x)
    assert row["status"] == "finalized"
    assert row["score"] == f"{review.score:.2f}" and row["grade"] == review.grade == "competent"


def test_review_scores_are_saved_and_the_score_and_grade_cannot_be_sent(token_client_for, officer_x, cadre_x):
    body = {
        "year": YEAR,
        "reviews": [
            {
                "cadre": cadre_x.pk,
                "political_score": "90",
                "business_score": "85",
                "mass_score": None,
                "score": "100",
                "grade": "excellent",
            }
        ],
    }
    response = token_client_for(officer_x).post(YEARS, body, format="json")
    assert response.status_code == 200 and response.json() == {"changed": 1}
    review = AnnualReview.objects.get(cadre=cadre_x)
    assert (review.political_score, review.business_score, review.mass_score) == (Decimal("90.00"), Decimal("85.00"), None)
    assert review.score is None and review.grade == ""


def test_a_finalized_year_refuses_review_scores(token_client_for, officer_x, township_x, cadre_x):
    score_quarters(officer_x, township_x, [cadre_x])
    review_all(officer_x, township_x, [cadre_x])
    services.annual_finalize(user=officer_x, township=township_x, year=YEAR)
    body = {"year": YEAR, "reviews": [{"cadre": cadre_x.pk, "political_score": "1", "business_score": "1", "mass_score": "1"}]}
    response = token_client_for(officer_x).post(YEARS, body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == f"{YEAR}年度考核已定等，不能再修改。"
    assert AnnualReview.objects.get(cadre=cadre_x).political_score == Decimal("80.00")


def test_review_scores_for_another_townships_cadre_are_refused(token_client_for, officer_x, cadre_x, cadre_y):
    body = {"year": YEAR, "reviews": [{"cadre": cadre_y.pk, "political_score": "1", "business_score": "1", "mass_score": "1"}]}
    assert token_client_for(officer_x).post(YEARS, body, format="json").status_code == 403
    assert not AnnualReview.objects.exists()


@pytest.mark.parametrize("role", ["county_approver", "supervisor", "finance"])
def test_read_only_roles_may_not_write_review_scores(request, token_client_for, township_x, cadre_x, role):
    body = {"township": township_x.pk, "year": YEAR, "reviews": []}
    assert token_client_for(request.getfixturevalue(role)).post(YEARS, body, format="json").status_code == 403
