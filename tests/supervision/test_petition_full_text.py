"""The full text of a petition, which often names the reporter, is read by supervisors only (issue 17 item 16).

The township of the accused (and the county's other users) read the summary: on the list, the detail page,
the export, the cadre file, the API and the admin. The form warns the supervisor to keep the reporter out of it.
"""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from supervision import services
from supervision.models import Petition

pytestmark = pytest.mark.django_db

FULL_TEXT = "举报人王秘密反映：村主任虚报产业补贴，王秘密住三组，电话13800009999。"
SECRET_BITS = ("王秘密", "13800009999", "住三组")


@pytest.fixture
def petition(supervisor, cadre_x):
    return services.petition_create(
        user=supervisor,
        channel=Petition.Channel.LETTER,
        summary="反映虚报产业补贴",
        content=FULL_TEXT,
        received_on=datetime.date(2026, 1, 5),
        cadre=cadre_x,
        anonymous=True,
    )


def _no_secret(text):
    return not any(bit in text for bit in SECRET_BITS)


def _export_text(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


@pytest.mark.parametrize("who", ["officer_x", "county_admin", "county_approver"])
def test_only_the_summary_reaches_anyone_but_a_supervisor(request, client_for, who, petition, cadre_x):
    client = client_for(request.getfixturevalue(who))
    pages = [
        reverse("supervision:petition_list"),
        reverse("supervision:petition_detail", args=[petition.pk]),
        reverse("cadres:detail", args=[cadre_x.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_secret(response.text), url
    detail = client.get(reverse("supervision:petition_detail", args=[petition.pk])).text
    assert "反映虚报产业补贴" in detail
    export = _export_text(client.get(reverse("supervision:petition_export")))
    assert "反映虚报产业补贴" in export and _no_secret(export)


def test_the_api_never_carries_the_full_text_to_township_staff(client_for, officer_x, petition, cadre_x):
    client = client_for(officer_x)
    for url in ("/api/v1/cadres/", f"/api/v1/cadres/{cadre_x.pk}/", "/api/schema/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_secret(response.content.decode()), url


def test_the_supervisor_reads_and_exports_the_full_text(client_for, supervisor, petition):
    client = client_for(supervisor)
    detail = client.get(reverse("supervision:petition_detail", args=[petition.pk]))
    assert FULL_TEXT in detail.text
    assert FULL_TEXT in _export_text(client.get(reverse("supervision:petition_export")))


def test_the_admin_does_not_show_the_full_text_to_the_county_administrator(client_for, county_admin, petition):
    county_admin.is_staff = True
    county_admin.save()
    client = client_for(county_admin)
    page = client.get(reverse("admin:supervision_petition_change", args=[petition.pk]))
    assert page.status_code == 200
    assert "反映虚报产业补贴" in page.text and _no_secret(page.text)


def test_a_petition_without_summary_shows_a_placeholder_never_the_full_text(client_for, officer_x, petition):
    Petition.objects.filter(pk=petition.pk).update(summary="")
    client = client_for(officer_x)
    for url in (reverse("supervision:petition_list"), reverse("supervision:petition_detail", args=[petition.pk])):
        text = client.get(url).text
        assert "（纪委监委未提供摘要）" in text and _no_secret(text)
    export = _export_text(client.get(reverse("supervision:petition_export")))
    assert "（纪委监委未提供摘要）" in export and _no_secret(export)


def test_the_form_warns_that_the_summary_is_shown_to_the_township(client_for, supervisor):
    page = client_for(supervisor).get(reverse("supervision:petition_create"))
    assert "摘要将向乡镇显示，请勿写入举报人身份信息" in page.text


def test_demo_petitions_have_summaries_free_of_the_reporter_named_in_their_full_text(supervisor):
    from cadre_mgmt.cadres.demo import seed_cadres
    from supervision.demo import seed_supervision

    out = io.StringIO()
    seed_cadres(out)
    seed_supervision(out)
    from django.contrib.auth import get_user_model

    demo_supervisor = get_user_model().objects.get(username="supervisor")
    named = [p for p in Petition.objects.all() if not p.anonymous]
    assert named
    for p in named:
        reporter = p.reporter_for(demo_supervisor)
        assert reporter["name"] in p.content_for(demo_supervisor) and reporter["name"] not in p.summary_shown
