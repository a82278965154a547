"""Issue 17 #15: the ranks list pages (proposals, review runs, initial gradings) export what they show, as Excel.

Each export is scoped as its page, follows the page's filters, stores text as text and is audited.
"""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadre_mgmt.audit.models import AuditRecord
from ranks.models import InitialGrading, PromotionReview, Proposal

from ..conftest import at
from .test_dashboard import proposal

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://x","y")'


def rows_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows())
    assert not any(cell.data_type == "f" for row in cells for cell in row), "a text cell became a formula"
    header = [cell.value for cell in cells[0]]
    return [dict(zip(header, (cell.value for cell in row), strict=True)) for row in cells[1:]]


@pytest.fixture
def review(county_approver):
    return PromotionReview.objects.create(
        year=2025,
        trigger="page",
        started_by=county_approver,
        state="done",
        review_date=at(2025, 12, 31).date(),
        counts={"total": 2, "outcomes": {"promote": 1, "hold": 1}},
    )


@pytest.fixture
def proposals(review, cadre_x, cadre_y):
    x = proposal(review, cadre_x, "promote", Proposal.Status.PENDING, from_level=13, to_level=12)
    Proposal.objects.filter(pk=x.pk).update(township_remarks=HOSTILE)
    y = proposal(review, cadre_y, "promote", Proposal.Status.SUBMITTED, from_level=13, to_level=12)
    return x, y


def test_proposal_export_is_scoped_filtered_and_audited(client_for, officer_x, county_approver, cadre_x, cadre_y, proposals):
    rows = rows_of(client_for(officer_x).get(reverse("ranks:proposal_export"), {"year": 2025}))
    assert [r["村干部"] for r in rows] == [cadre_x.name] and rows[0]["乡镇意见"] == HOSTILE
    assert rows[0]["原职级"] == 13 and rows[0]["新职级"] == 12
    county = client_for(county_approver)
    for status, cadre in (("submitted", cadre_y), ("pending", cadre_x)):
        rows = rows_of(county.get(reverse("ranks:proposal_export"), {"year": 2025, "status": status}))
        assert [r["村干部"] for r in rows] == [cadre.name]
    record = AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT, object_type="ranks.Proposal").latest("pk")
    assert record.changes["rows"] == 1 and record.changes["filters"] == {"year": "2025", "status": "pending"}


def test_review_export_lists_the_runs_for_the_county_only(client_for, officer_x, county_approver, review):
    rows = rows_of(client_for(county_approver).get(reverse("ranks:review_export")))
    assert len(rows) == 1 and rows[0]["考核年度"] == 2025 and rows[0]["晋升"] == 1 and rows[0]["维持"] == 1
    assert client_for(officer_x).get(reverse("ranks:review_export")).status_code == 403


def test_grading_export_is_scoped_and_follows_the_name_filter(
    client_for, officer_x, officer_y, county_approver, cadre_x, cadre_y
):
    for cadre, officer in ((cadre_x, officer_x), (cadre_y, officer_y)):
        InitialGrading.objects.create(
            cadre=cadre,
            township=cadre.township,
            computed_level=11,
            proposed_level=11,
            years_served=6,
            reason=HOSTILE,
            submitted_by=officer,
            submitted_at=timezone.now(),
        )
    rows = rows_of(client_for(officer_x).get(reverse("ranks:grading_export")))
    assert [(r["村干部"], r["原因"]) for r in rows] == [(cadre_x.name, HOSTILE)]
    county = client_for(county_approver)
    assert len(rows_of(county.get(reverse("ranks:grading_export")))) == 2
    assert [r["村干部"] for r in rows_of(county.get(reverse("ranks:grading_export"), {"q": cadre_y.name}))] == [cadre_y.name]


def test_the_list_pages_offer_their_export(client_for, county_approver, proposals):
    client = client_for(county_approver)
    for page, export in (
        ("ranks:proposals", "ranks:proposal_export"),
        ("ranks:reviews", "ranks:review_export"),
        ("ranks:grading", "ranks:grading_export"),
    ):
        assert reverse(export) in client.get(reverse(page)).text
