"""A posted id beyond 64 bits is an ordinary form error (Chinese message), never a server error, in every form of
supervision and incentives that offers a choice of records (cadre_mgmt/cadres/formfields.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = str(2**63)

# (who posts, URL name, the choice fields of its form)
FORMS = [
    ("supervisor", "supervision:petition_create", ("cadre", "village")),
    ("supervisor", "supervision:inspection_create", ("township", "villages")),
    ("supervisor", "supervision:session_create", ("township", "attendees")),
    ("supervisor", "supervision:sanction_create", ("cadre", "petition")),
    ("supervisor", "supervision:investigation_create", ("cadre", "petition")),
    ("supervisor", "supervision:veto_create", ("cadre",)),
    ("officer_x", "supervision:disclosure_create", ("village",)),
    ("officer_x", "supervision:dismissal_create", ("cadre", "sanction")),
    ("officer_x", "incentives:commendation_create", ("cadre", "village")),
    ("officer_x", "incentives:training_create", ("cadre",)),
    ("officer_x", "incentives:insurance_create", ("cadre",)),
    ("officer_x", "incentives:recommendation_create", ("cadre",)),
    ("officer_x", "incentives:aid_create", ("cadre",)),
]


@pytest.mark.parametrize(("who", "url", "fields"), FORMS, ids=[url for _who, url, _fields in FORMS])
def test_an_out_of_range_id_is_a_form_error(request, client_for, cadre_x, who, url, fields):
    client = client_for(request.getfixturevalue(who))
    for name in fields:
        response = client.post(reverse(url), {name: HUGE})
        assert response.status_code == 200, (url, name)
        errors = response.context["form"].errors
        assert name in errors, (url, name, errors)
        assert "选择一个有效的选项" in " ".join(errors[name]) or "有效" in " ".join(errors[name]), errors[name]
