"""The cadre file reads a fixed number of queries (at most 15, the benchmark's target) whatever the records."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessments
from assessments.models import LedgerCategory, TownshipYear
from incentives import services as incentives
from ranks.ladder import services as ladder_services
from ranks.models import RankChange
from ranks.rosters import services as rosters_services
from supervision import services as supervision

from ..assessments.conftest import review_all, score_quarters

pytestmark = pytest.mark.django_db

BUDGET = 15
D = datetime.date


def _records(cadre, *, officer, approver, supervisor, admin, n, year):
    """n more of each kind of record the cadre file shows."""
    category = LedgerCategory.objects.get(code="urgent_task")
    today = timezone.localdate()
    for i in range(n):
        assessments.ledger_entry_create(
            user=officer,
            cadres=[cadre],
            category=category,
            date=D(2025, 3, 1 + i),  # the open year: its ledger sum counts in the provisional score
            description=f"抢险{i}",
            score_change=Decimal("1.5"),
        )
        supervision.sanction_record(
            user=supervisor,
            cadre=cadre,
            severity="admonition",
            decided_on=today - datetime.timedelta(days=i),
            description=f"诫勉{i}",
        )
        supervision.veto_record(user=supervisor, cadre=cadre, year=year, occurred_on=D(year, 5, 1 + i), reason=f"否决{i}")
        supervision.investigation_open(
            user=supervisor, cadre=cadre, opened_on=today - datetime.timedelta(days=i), description=f"调查{i}"
        )
        supervision.petition_create(
            user=supervisor, channel="letter", summary=f"反映{i}", content="内容", received_on=today, cadre=cadre, anonymous=True
        )
        incentives.commendation_record(
            user=admin, cadre=cadre, level="county", title=f"优秀村干部{i}", issuer="县委", awarded_on=D(year, 6, 1 + i)
        )
        incentives.training_record(
            user=officer, cadre=cadre, course=f"培训{i}", organizer="县委组织部", hours=Decimal("2.5"), trained_on=today
        )
    # Corrections move the level back and forth: each is one more row of the rank history.
    for i in range(n):
        ladder_services.rank_change_record(
            cadre=cadre,
            kind=RankChange.Kind.CORRECTION,
            to_level=12 if cadre.rank_changes.order_by("-effective_month", "-id").first().to_level == 13 else 13,
            approved_by=approver,
            approved_at=timezone.now(),
            reason=f"更正{i}",
        )


def _queries_of_the_file(client, cadre):
    """Queries of one cadre file, in the request that also pushes the idle deadline forward."""
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cadres:detail", args=[cadre.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries), response.text


@pytest.mark.parametrize("reader", ["officer_x", "county_approver"])
def test_cadre_file_reads_at_most_fifteen_queries_and_no_more_with_more_records(
    request, client, reader, officer_x, county_approver, supervisor, county_admin, township_x, cadre_x
):
    # A confirmed year and an open one (graded provisionally, which reads the county policy too).
    score_quarters(officer_x, township_x, [cadre_x], year=2024)
    review_all(officer_x, township_x, [cadre_x], year=2024)
    assessments.annual_finalize(user=officer_x, township=township_x, year=2024)
    assessments.annual_confirm(user=county_approver, township_year=TownshipYear.objects.get(township=township_x, year=2024))
    score_quarters(officer_x, township_x, [cadre_x], year=2025, close=False)
    review_all(officer_x, township_x, [cadre_x], year=2025)
    ladder_services.rank_change_record(
        cadre=cadre_x,
        kind=RankChange.Kind.INITIAL_GRADING,
        to_level=13,
        approved_by=county_approver,
        approved_at=timezone.now() - datetime.timedelta(days=400),
        reason="初始定级",
    )
    rosters_services.roster_generate(month=timezone.localdate().replace(day=1), user=county_approver)
    people = {"officer": officer_x, "approver": county_approver, "supervisor": supervisor, "admin": county_admin}
    _records(cadre_x, **people, n=1, year=2025)
    client.force_login(request.getfixturevalue(reader))

    few, text = _queries_of_the_file(client, cadre_x)
    assert "抢险0" in text and "2025:" in text and "2024:" in text
    _records(cadre_x, **people, n=6, year=2024)
    many, text = _queries_of_the_file(client, cadre_x)
    assert "抢险5" in text and "更正5" in text and "优秀村干部5" in text and "否决5" in text

    assert few <= BUDGET
    assert many == few
