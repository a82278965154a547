"""Every incentives list page offers the Excel export of what it shows: the user's scope, the page's filters,
recorded in the audit log as an export (issue 17 item 15)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.demo import seed_cadres
from incentives.demo import seed_incentives
from incentives.models import TrainingRecord

pytestmark = pytest.mark.django_db

# (URL name, the audit record's object type, the list page that links to it); the pay scale is county-wide.
EXPORTS = [
    ("incentives:commendation_export", "incentives.Commendation", "incentives:commendation_list"),
    ("incentives:training_export", "incentives.TrainingRecord", "incentives:training_list"),
    ("incentives:insurance_export", "incentives.InsuranceEnrolment", "incentives:insurance_list"),
    ("incentives:recommendation_export", "incentives.PoliticalRecommendation", "incentives:recommendation_list"),
    ("incentives:aid_export", "incentives.HardshipAid", "incentives:aid_list"),
]


class _Out:
    def write(self, text):
        pass


@pytest.fixture
def demo():
    seed_cadres(_Out())
    seed_incentives(_Out())
    return {user.username: user for user in get_user_model().objects.all()}


def _table(response):
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _townships(rows):
    return {row["乡镇"] for row in rows}


def test_township_staff_export_exactly_their_townships_rows_and_each_export_is_audited(client, demo):
    client.force_login(demo["county_admin"])
    county = {url: _table(client.get(reverse(url))) for url, _object_type, _page in EXPORTS}
    assert all(_townships(rows) == {"X镇", "Y镇"} for rows in county.values()), {u: _townships(r) for u, r in county.items()}
    client.force_login(demo["township_x"])
    for url, object_type, page in EXPORTS:
        assert reverse(url) in client.get(reverse(page)).text, page
        rows = _table(client.get(reverse(url)))
        assert rows and _townships(rows) == {"X镇"}, url
        assert len(rows) == sum(row["乡镇"] == "X镇" for row in county[url]), url
        record = AuditRecord.objects.filter(action="export", object_type=object_type, actor=demo["township_x"]).latest("pk")
        assert record.changes["rows"] == len(rows), url


def test_the_training_export_is_of_the_year_the_page_shows(client, demo):
    client.force_login(demo["county_admin"])
    year = timezone.localdate().year
    this_year = TrainingRecord.objects.filter(trained_on__year=year).count()
    assert len(_table(client.get(reverse("incentives:training_export")))) == this_year
    assert _table(client.get(reverse("incentives:training_export") + "?year=2001")) == []
    record = AuditRecord.objects.filter(action="export", object_type="incentives.TrainingRecord").latest("pk")
    assert record.changes == {"rows": 0, "filters": {"year": "2001"}}


def test_the_pay_scale_export_lists_the_scale_for_every_reader(client, demo):
    client.force_login(demo["township_x"])
    rows = _table(client.get(reverse("incentives:pay_scale_export")))
    assert rows and all(row["基本报酬"] is not None for row in rows)


def test_users_without_incentives_access_may_not_export(client, demo):
    client.force_login(demo["supervisor"])
    for url, _object_type, _page in [*EXPORTS, ("incentives:pay_scale_export", "", "")]:
        assert client.get(reverse(url)).status_code in (403,), url
