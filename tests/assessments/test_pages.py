"""Every assessment page as an allowed user and as refused users; and the demo data fills them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import services
from assessments.models import AnnualReview, LedgerEntry, TownshipQuarter, TownshipYear
from cadre_mgmt.accounts.models import User

from .conftest import YEAR

pytestmark = pytest.mark.django_db

PAGES = [
    ("assessments:ledger", []),
    ("assessments:overview", []),
    ("assessments:quarter", [YEAR, 2]),
    ("assessments:quarter_areas", [YEAR, 2]),
    ("assessments:quarter_import", [YEAR, 2]),
    ("assessments:quarter_template", [YEAR, 2]),
    ("assessments:year", [YEAR]),
    ("assessments:year_settings", [YEAR]),
    ("assessments:year_finalize", [YEAR]),
]
READ_ONLY = {
    "assessments:ledger",
    "assessments:overview",
    "assessments:quarter",
    "assessments:quarter_template",
    "assessments:year",
}


@pytest.fixture
def opened(officer_x, township_x, cadre_x):
    services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_officer_opens_every_page(client_for, officer_x, opened, name, args):
    assert client_for(officer_x).get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_county_approver_reads_but_does_not_edit(client_for, county_approver, township_x, opened, name, args):
    response = client_for(county_approver).get(reverse(name, args=args), {"township": township_x.pk})
    assert response.status_code == (200 if name in READ_ONLY else 403)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_county_administrator_may_work_for_a_township(client_for, county_admin, township_x, opened, name, args):
    assert client_for(county_admin).get(reverse(name, args=args), {"township": township_x.pk}).status_code == 200


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_finance_and_supervisor_are_refused(client_for, finance, supervisor, opened, name, args):
    for user in (finance, supervisor):
        assert client_for(user).get(reverse(name, args=args)).status_code == 403


def test_navigation_shows_ledger_and_assessments_to_officers_only(client_for, officer_x, finance):
    text = client_for(officer_x).get(reverse("cadres:list")).text
    assert reverse("assessments:ledger") in text and reverse("assessments:overview") in text
    assert reverse("assessments:ledger") not in client_for(finance).get(reverse("cadres:list")).text


def test_demo_data_fills_the_pages_within_the_cap(client_for, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    officer = User.objects.get(username="township_x")
    assert LedgerEntry.objects.filter(township=officer.township).count() > 100
    assert LedgerEntry.objects.exclude(batch=None).exists()
    assert TownshipQuarter.objects.filter(township=officer.township, year=2025, status="closed").count() == 4
    for ty in TownshipYear.objects.filter(year__in=[2024, 2025]):
        assert ty.status == "confirmed"
        grades = list(ty.reviews.values_list("grade", flat=True))
        assert 0 < grades.count("excellent") <= ty.excellent_cap
        assert "basically_competent" in grades
    assert AnnualReview.objects.filter(grade="incompetent").exists()
    client = client_for(officer)
    assert "已锁定" in client.get(reverse("assessments:ledger") + "?before=2025-06-30_999999999").text
    assert client.get(reverse("assessments:overview"), {"year": 2025}).status_code == 200
    counts = LedgerEntry.objects.count(), AnnualReview.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (LedgerEntry.objects.count(), AnnualReview.objects.count()) == counts
