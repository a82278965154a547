"""Every supervision list page offers the Excel export of what it shows: the user's scope, the page's filters,
recorded in the audit log as an export (issue 17 item 15)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.demo import seed_cadres
from supervision.demo import seed_supervision

pytestmark = pytest.mark.django_db

# (URL name, the audit record's object type, the list page that links to it)
EXPORTS = [
    ("supervision:petition_export", "supervision.Petition", "supervision:petition_list"),
    ("supervision:inspection_export", "supervision.Inspection", "supervision:inspection_list"),
    ("supervision:disclosure_export", "supervision.AffairsDisclosure", "supervision:disclosure_list"),
    ("supervision:session_export", "supervision.WarningEducationSession", "supervision:session_list"),
    ("supervision:sanction_export", "supervision.Sanction", "supervision:sanction_list"),
    ("supervision:investigation_export", "supervision.Investigation", "supervision:investigation_list"),
    ("supervision:veto_export", "supervision.VetoEvent", "supervision:veto_list"),
    ("supervision:dismissal_export", "supervision.Dismissal", "supervision:dismissal_list"),
]


class _Out:
    def write(self, text):
        pass


@pytest.fixture
def demo():
    seed_cadres(_Out())
    seed_supervision(_Out())
    return {user.username: user for user in get_user_model().objects.all()}


def _table(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _townships(rows):
    return {row["乡镇"] for row in rows}


def test_township_staff_export_exactly_their_townships_rows_and_each_export_is_audited(client, demo):
    client.force_login(demo["supervisor"])
    county = {url: _table(client.get(reverse(url))) for url, _object_type, _page in EXPORTS}
    assert {url for url, rows in county.items() if {"X镇", "Y镇"} <= _townships(rows)}, "the demo spans both townships"
    client.force_login(demo["township_x"])
    for url, object_type, page in EXPORTS:
        if url == "supervision:investigation_export":
            assert client.get(reverse(url)).status_code == 403  # township staff never read investigations
            continue
        assert reverse(url) in client.get(reverse(page)).text, page
        rows = _table(client.get(reverse(url)))
        assert _townships(rows) <= {"X镇"}, url
        assert len(rows) == sum(row["乡镇"] == "X镇" for row in county[url]), url
        record = AuditRecord.objects.filter(action="export", object_type=object_type, actor=demo["township_x"]).latest("pk")
        assert record.changes["rows"] == len(rows), url


def test_the_export_applies_the_page_filters(client, demo):
    client.force_login(demo["supervisor"])
    rows = _table(client.get(reverse("supervision:petition_export") + "?status=closed&page=2"))
    assert rows and {row["状态"] for row in rows} == {"已结案"}
    record = AuditRecord.objects.filter(action="export", object_type="supervision.Petition").latest("pk")
    assert record.changes["filters"] == {"status": "closed"}


def test_finance_may_not_export_supervision_lists(client, demo):
    client.force_login(demo["finance"])
    for url, _object_type, _page in EXPORTS:
        assert client.get(reverse(url)).status_code == 403, url
    assert not AuditRecord.objects.filter(action="export").exists()
