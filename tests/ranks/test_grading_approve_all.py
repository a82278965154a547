"""Initial gradings at county scale (issue 16 item 10): the list is paged, and "approve all that match this
filter" acts on the server in batches after a confirmation with the count and the monthly cost."""

import datetime
import time
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.models import Cadre, Post
from ranks.grading import selectors as grading_selectors
from ranks.grading import services as grading_services
from ranks.grading import views as grading_views
from ranks.ladder import rules
from ranks.models import InitialGrading, RankChange

pytestmark = pytest.mark.django_db

URL = reverse("ranks:grading_approve_all")


def _bulk_gradings(village, submitter, count, *, level=12, paid=True, start=0):
    """``count`` cadres in ``village`` with a submitted initial grading, written in a few queries."""
    cadres = []
    for index in range(start, start + count):
        # Distinct births per village, still plausible when the database has handed out large ids.
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=index + 1000 * (village.pk % 10))
        number = f"990101{birth:%Y%m%d}001"
        number += idnumbers.check_digit(number)
        cadre = Cadre(
            village=village,
            township=village.township,
            name=f"{village.name}批{index}",
            first_appointed_on=datetime.date(2015, 3, 1),
        )
        cadre.assign_id_number(idnumbers.parse_id_number(number))
        cadres.append(cadre)
    cadres = Cadre.objects.bulk_create(cadres)
    post = Post.objects.get(code="member" if paid else "clerk")
    Cadre.posts.through.objects.bulk_create([Cadre.posts.through(cadre=c, post=post) for c in cadres])
    now = timezone.now()
    InitialGrading.objects.bulk_create(
        InitialGrading(
            cadre=c,
            township=c.township,
            computed_level=level,
            proposed_level=level,
            years_served=11,
            submitted_by=submitter,
            submitted_at=now,
        )
        for c in cadres
    )
    return cadres


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_list_of_gradings_awaiting_approval_is_paged(client_for, county_approver, officer_x, village_x):
    _bulk_gradings(village_x, officer_x, grading_views.GRADINGS_PER_PAGE + 20)
    client = client_for(county_approver)
    first = client.get(reverse("ranks:grading"))
    assert first.status_code == 200
    assert len(first.context["page"].object_list) == grading_views.GRADINGS_PER_PAGE
    assert first.text.count('name="grading"') == grading_views.GRADINGS_PER_PAGE
    assert 'data-testid="gradings-count">120<' in first.text and 'data-testid="approve-all"' in first.text
    assert len(client.get(reverse("ranks:grading"), {"page": "2"}).context["page"].object_list) == 20


def test_the_confirmation_shows_the_count_the_levels_and_the_monthly_cost(
    client_for, county_approver, officer_x, village_x, village_y
):
    _bulk_gradings(village_x, officer_x, 3, level=11)
    _bulk_gradings(village_x, officer_x, 2, level=12, paid=False, start=10)
    _bulk_gradings(village_y, officer_x, 4, level=10)
    response = client_for(county_approver).get(URL, {"township": village_x.township_id})
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.count, summary.paid, summary.by_level) == (5, 3, [(11, 3, 3), (12, 2, 0)])
    month = rules.effective_month_after(timezone.localdate())
    assert summary.month == month and summary.monthly_cost == Decimal("600.00")  # 3 × (13 − 11) × 100
    assert 'data-testid="confirm-count">5<' in response.text and "600.00" in response.text
    assert not InitialGrading.objects.filter(status="approved").exists()  # a GET approves nothing


def test_approving_all_that_match_approves_only_the_filtered_ones_with_the_usual_records(
    client_for, county_approver, officer_x, village_x, village_y
):
    xs = _bulk_gradings(village_x, officer_x, 7)
    _bulk_gradings(village_y, officer_x, 3)
    summary = grading_selectors.approval_summary(
        user=county_approver, matching=grading_selectors.GradingFilter(township_id=village_x.township_id)
    )
    data = {"township": village_x.township_id, "expected": summary.count, "last_id": summary.last_id}
    response = client_for(county_approver).post(URL, data)
    assert response.status_code == 302 and response.url == reverse("ranks:grading") + f"?township={village_x.township_id}"
    assert _messages(response) == ["已批准 7 条初始定级，自次月起生效。"]
    assert InitialGrading.objects.filter(status="approved").count() == 7
    assert InitialGrading.objects.filter(status="submitted", township=village_y.township).count() == 3
    change = RankChange.objects.get(cadre=xs[0])
    grading = InitialGrading.objects.get(cadre=xs[0])
    assert grading.rank_change == change and grading.decided_by == county_approver
    assert (change.kind, change.from_level, change.to_level, change.source) == (
        "initial_grading",
        None,
        12,
        f"初始定级第 {grading.pk} 号",
    )
    assert change.effective_month == rules.effective_month_after(timezone.localdate(change.approved_at))
    # The same audit records as one approval at a time: the rank change's, then the grading's decision.
    records = AuditRecord.objects.filter(action="decide", object_id__in=[str(change.pk), str(grading.pk)])
    by_type = {record.object_type: record for record in records}
    assert by_type["ranks.RankChange"].changes["after"]["cadre"] == str(xs[0].pk)
    month = rules.month_key(change.effective_month)
    assert by_type["ranks.RankChange"].summary == f"记录职级变动：初始定级至 12 级，自 {month} 起生效"
    assert (by_type["ranks.InitialGrading"].summary, by_type["ranks.InitialGrading"].changes) == ("批准初始定级", {})


def test_one_approval_at_a_time_writes_the_same_records_as_before(officer_x, county_approver, cadre_x):
    grading = grading_services.initial_grading_submit(user=officer_x, cadre=cadre_x)
    before = AuditRecord.objects.count()
    grading_services.initial_grading_approve(grading=grading, approver=county_approver)
    records = list(AuditRecord.objects.order_by("pk")[before:])
    change = RankChange.objects.get()
    assert [(r.object_type, r.object_id, r.action) for r in records] == [
        ("ranks.RankChange", str(change.pk), "decide"),
        ("ranks.InitialGrading", str(grading.pk), "decide"),
    ]
    assert set(records[0].changes["after"]) == {"cadre", "kind", "from_level", "to_level", "effective_month", "reason", "source"}
    assert records[1].changes == {}


def test_a_stale_confirmation_approves_nothing(client_for, county_approver, officer_x, village_x):
    _bulk_gradings(village_x, officer_x, 4)
    summary = grading_selectors.approval_summary(user=county_approver, matching=grading_selectors.GradingFilter())
    grading_services.initial_grading_reject(grading=InitialGrading.objects.first(), approver=county_approver, comment="年限有误")
    response = client_for(county_approver).post(URL, {"expected": summary.count, "last_id": summary.last_id})
    assert response.status_code == 302
    assert _messages(response) == ["列表在您确认后已有变化，请查看新的数量后重新确认。"]
    assert not InitialGrading.objects.filter(status="approved").exists()


def test_approve_all_is_refused_to_everyone_but_county_approvers(
    client_for, officer_x, finance, supervisor, village_x, county_approver
):
    _bulk_gradings(village_x, officer_x, 3)
    summary = grading_selectors.approval_summary(user=county_approver, matching=grading_selectors.GradingFilter())
    for user in (officer_x, finance, supervisor):
        client = client_for(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"expected": summary.count, "last_id": summary.last_id}).status_code == 403
    with pytest.raises(PermissionDenied):
        grading_services.initial_gradings_approve_matching(
            approver=officer_x, matching=grading_selectors.GradingFilter(), expected=3, last_id=summary.last_id
        )
    assert not InitialGrading.objects.filter(status="approved").exists()


def test_a_bad_filter_or_a_missing_confirmation_approves_nothing(client_for, county_approver, officer_x, village_x):
    _bulk_gradings(village_x, officer_x, 3)
    client = client_for(county_approver)
    for data in ({"township": "999999", "expected": "3", "last_id": "999999"}, {"q": "x" * 51}, {}, {"expected": "abc"}):
        response = client.post(URL, data)
        assert response.status_code == 302 and _messages(response), data
    assert client.get(URL, {"township": "999999"}).status_code == 302
    assert not InitialGrading.objects.filter(status="approved").exists()


def test_approving_more_than_a_thousand_in_one_action(client_for, county_approver, officer_x, village_x, settings):
    count = 1100 if connection.vendor == "postgresql" else 600
    _bulk_gradings(village_x, officer_x, count)
    summary = grading_selectors.approval_summary(user=county_approver, matching=grading_selectors.GradingFilter())
    assert summary.count == count
    started = time.monotonic()
    response = client_for(county_approver).post(URL, {"expected": summary.count, "last_id": summary.last_id})
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert InitialGrading.objects.filter(status="approved").count() == count
    assert RankChange.objects.filter(kind="initial_grading").count() == count
    assert AuditRecord.objects.filter(action="decide", object_type="ranks.InitialGrading").count() == count
    # The request stays well under gunicorn's 30 s (measured ≈ 2–4 s on PostgreSQL for 1,100).
    assert elapsed < 25, elapsed
