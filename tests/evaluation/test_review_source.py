"""The villagers' result reaches the year page and the promotion review, which names its source."""

import datetime
from decimal import Decimal

from django.urls import reverse

from assessments.evaluation import services
from assessments.models import AnnualReview, TownshipYear
from assessments.selectors import confirmed_results
from ranks.review.rules import RuleSettings, evaluate
from tests.ranks.test_review_rules import make_facts

from .conftest import vote


def test_the_satisfaction_condition_names_the_source():
    facts = make_facts(mass_score=Decimal("86.0"), mass_source="村民测评 43 票，满意度 86.0%")
    condition = evaluate(facts, RuleSettings()).condition("dq_satisfaction")
    assert condition.passed and "村民测评 43 票，满意度 86.0%" in condition.evidence
    assert evaluate(make_facts(), RuleSettings()).condition("dq_satisfaction").evidence == ("群众满意度85%，不低于70%",)


def test_closing_fills_the_year_page_and_the_confirmed_results(client_for, officer_x, round_x, codes_x, cadres_x):
    vote(codes_x[:5], cadres_x[:1], "s")
    vote(codes_x[5:7], cadres_x[:1], "d")
    services.round_close(user=officer_x, round_=round_x)
    page = client_for(officer_x).get(reverse("assessments:year", args=[round_x.year]) + f"?village={round_x.village_id}")
    assert "村民测评 7 票，满意度 71.4%" in page.content.decode()
    TownshipYear.objects.filter(township=round_x.township, year=round_x.year).update(
        status="confirmed", confirmed_by=officer_x, confirmed_at=datetime.datetime.now(datetime.UTC)
    )
    result = confirmed_results(cadre_ids=[cadres_x[0].pk], years=[round_x.year])[cadres_x[0].pk][round_x.year]
    assert (result.mass_score, result.mass_source) == (Decimal("71.40"), "村民测评 7 票，满意度 71.4%")


def test_typing_the_mass_score_on_the_year_page_clears_the_source(officer_x, round_x, codes_x, cadres_x):
    from assessments import services as assessment_services

    vote(codes_x[:5], cadres_x[:1], "s")
    services.round_close(user=officer_x, round_=round_x)
    assessment_services.annual_reviews_save(
        user=officer_x, township=round_x.township, year=round_x.year, scores={cadres_x[0].pk: (None, None, Decimal("60"))}
    )
    review = AnnualReview.objects.get(cadre=cadres_x[0])
    assert (review.mass_score, review.mass_source) == (Decimal("60.00"), "")
