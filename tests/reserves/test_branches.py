"""Party-branch meetings (attendance against a hand count, the one-screen checklist, the year-end page and
the cadre file) and revitalization projects (the quarter page and the cadre file)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from incentives.branches import rules, services
from incentives.branches.models import BranchMeeting
from incentives.branches.selectors import attendance_for, projects_by_cadre
from tests.factories import CadreFactory

YEAR = datetime.date.today().year - 1


def meet(officer, village, day, attendees, kind="members"):
    return services.meeting_record(user=officer, village=village, held_on=day, kind=kind, topic="学习", attendees=attendees)


def test_attendance_rate_per_cadre_and_year_against_a_hand_count(officer_x, village_x, django_assert_num_queries):
    a = CadreFactory(village=village_x, first_appointed_on=datetime.date(YEAR - 5, 1, 1))
    b = CadreFactory(village=village_x, first_appointed_on=datetime.date(YEAR, 7, 1))  # joined mid-year
    days = [datetime.date(YEAR, month, 10) for month in (2, 4, 6, 8, 10, 12)]
    meet(officer_x, village_x, days[0], [a])
    meet(officer_x, village_x, days[1], [a])
    meet(officer_x, village_x, days[2], [])
    meet(officer_x, village_x, days[3], [a, b])
    meet(officer_x, village_x, days[4], [b])
    meet(officer_x, village_x, days[5], [a, b])
    meet(officer_x, village_x, datetime.date(YEAR - 1, 12, 1), [a, b])  # another year: not counted
    # Hand count: a attended 4 of 6 (66.7%); b was in post for the last 3 meetings and attended all 3.
    with django_assert_num_queries(2):
        rates = attendance_for(cadres=[a, b], year=YEAR)
    assert (rates[a.pk].attended, rates[a.pk].held, rates[a.pk].rate) == (4, 6, Decimal("66.7"))
    assert (rates[b.pk].attended, rates[b.pk].held, rates[b.pk].rate) == (3, 3, Decimal("100.0"))
    assert rules.Attendance(held=0, attended=0).rate is None


def test_a_meeting_takes_only_the_villages_cadres_and_is_audited(officer_x, officer_y, village_x, cadre_x, cadre_y):
    with pytest.raises(ValidationError):
        meet(officer_x, village_x, datetime.date(YEAR, 3, 3), [cadre_x, cadre_y])
    with pytest.raises(PermissionDenied):
        meet(officer_y, village_x, datetime.date(YEAR, 3, 3), [cadre_x])
    with pytest.raises(ValidationError):
        meet(officer_x, village_x, datetime.date.today() + datetime.timedelta(days=3), [cadre_x])
    assert not BranchMeeting.objects.exists()
    meeting = meet(officer_x, village_x, datetime.date(YEAR, 3, 3), [cadre_x])
    record = AuditRecord.objects.get(object_type="incentives.BranchMeeting", object_id=str(meeting.pk))
    assert record.changes["attendees"] == [cadre_x.name]


def test_the_meeting_screen_records_the_whole_attendance_in_one_post(client_for, officer_x, village_x):
    cadres = [CadreFactory(village=village_x) for _ in range(5)]
    client = client_for(officer_x)
    url = reverse("incentives:meeting_create") + f"?village={village_x.pk}"
    page = client.get(url)
    assert page.status_code == 200 and all(cadre.name in page.text for cadre in cadres)
    data = {"held_on": f"{YEAR}-05-05", "kind": "lesson", "topic": "书记讲党课", "attendees": [c.pk for c in cadres[:4]]}
    response = client.post(url, data)
    assert response.status_code == 302
    assert BranchMeeting.objects.get().attendees.count() == 4


def test_the_year_end_page_and_the_cadre_file_show_the_attendance(client_for, officer_x, village_x, cadre_x):
    meet(officer_x, village_x, datetime.date.today().replace(month=1, day=2), [cadre_x])
    meet(officer_x, village_x, datetime.date.today().replace(month=1, day=3), [])
    client = client_for(officer_x)
    year_page = client.get(reverse("assessments:year", args=[datetime.date.today().year]))
    assert year_page.status_code == 200
    assert "1/2" in year_page.text and "50.0%" in year_page.text
    cadre_page = client.get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert 'data-testid="branch-attendance"' in cadre_page.text and "1/2" in cadre_page.text


def project(officer, village, cadres, starts_on, ends_on=None, name="猕猴桃基地"):
    return services.project_record(
        user=officer,
        village=village,
        name=name,
        kind="industry",
        starts_on=starts_on,
        ends_on=ends_on,
        budget=Decimal("850000.00"),
        progress="完成土地流转",
        responsible=cadres,
    )


def test_projects_by_cadre_overlap_the_quarter(officer_x, village_x, cadre_x, django_assert_num_queries):
    project(officer_x, village_x, [cadre_x], datetime.date(YEAR, 1, 1), datetime.date(YEAR, 3, 31), name="一季度")
    project(officer_x, village_x, [cadre_x], datetime.date(YEAR, 3, 1), None, name="长期")
    project(officer_x, village_x, [cadre_x], datetime.date(YEAR, 7, 1), None, name="下半年")
    with django_assert_num_queries(1):
        found = projects_by_cadre(cadre_ids=[cadre_x.pk], first=datetime.date(YEAR, 4, 1), last=datetime.date(YEAR, 6, 30))
    assert [p.name for p in found[cadre_x.pk]] == ["长期"]
    with pytest.raises(ValidationError):
        project(officer_x, village_x, [], datetime.date(YEAR, 1, 1))
    with pytest.raises(ValidationError):
        project(officer_x, village_x, [cadre_x], datetime.date(YEAR, 5, 1), datetime.date(YEAR, 4, 1))


def test_the_quarter_page_and_the_cadre_file_show_the_projects(client_for, officer_x, township_x, village_x, cadre_x):
    from assessments import services as assessment_services

    today = datetime.date.today()
    quarter = (today.month - 1) // 3 + 1
    assessment_services.quarter_open(user=officer_x, township=township_x, year=today.year, quarter=quarter)
    project(officer_x, village_x, [cadre_x], today.replace(day=1), name="村组道路硬化")
    client = client_for(officer_x)
    page = client.get(reverse("assessments:quarter", args=[today.year, quarter]) + f"?village={village_x.pk}")
    assert page.status_code == 200 and "村组道路硬化" in page.text
    assert "村组道路硬化" in client.get(reverse("cadres:detail", args=[cadre_x.pk])).text
