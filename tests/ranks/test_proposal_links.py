"""Issue 17 item 8: a page shows only the proposal links the user may follow."""

import pytest
from django.urls import reverse

from .test_review_pages import reviewed  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["finance", "supervisor"])
def test_finance_and_supervisor_read_the_review_years_as_plain_text(request, client_for, reviewed, cadre_x, who):  # noqa: F811
    user = request.getfixturevalue(who)
    client = client_for(user)
    response = client.get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert response.status_code == 200 and 'id="review-panel"' in response.text
    link = reverse("ranks:proposal_detail", args=[reviewed["x"].pk])
    assert link not in response.text
    assert client.get(link).status_code == 403  # the link they no longer see would have been refused


@pytest.mark.parametrize("who", ["officer_x", "county_approver"])
def test_township_and_county_still_get_the_link_and_can_follow_it(request, client_for, reviewed, cadre_x, who):  # noqa: F811
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("cadres:detail", args=[cadre_x.pk]))
    link = reverse("ranks:proposal_detail", args=[reviewed["x"].pk])
    assert f'href="{link}"' in response.text
    assert client.get(link).status_code == 200
