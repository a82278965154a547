"""The pages: the public ballot (no account, small, no script), slips files, results hidden under the threshold."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.evaluation import rules, services, slips
from assessments.evaluation.models import Ballot

from . import qrdecode
from .conftest import vote


def test_ballot_page_works_without_an_account_small_and_scriptless(client, codes_x, cadres_x, django_assert_max_num_queries):
    url = reverse("evaluation_ballot", args=[codes_x[0]])
    with django_assert_max_num_queries(3):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "王一" in body and "满意" in body and "基本满意" in body
    assert "<script" not in body and len(response.content) < 50_000
    data = {f"c{c.pk}": "s" for c in cadres_x} | {"comment": "好"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("evaluation_thanks")
    assert "感谢" in client.get(reverse("evaluation_thanks")).content.decode()
    again = client.post(url, {f"c{c.pk}": "d" for c in cadres_x})
    assert again.status_code == 403 and "已经使用" in again.content.decode()
    assert Ballot.objects.count() == 1


def test_typing_the_code_leads_to_the_ballot(client, codes_x):
    response = client.post(reverse("evaluation_start"), {"code": rules.display_code(codes_x[0]).lower()})
    assert response["Location"] == reverse("evaluation_ballot", args=[codes_x[0]])


def test_wrong_codes_are_rate_limited_per_address(client, settings, codes_x):
    settings.EVALUATION_WRONG_CODE_RATE = "3/h"
    for _ in range(3):
        assert client.get(reverse("evaluation_ballot", args=[rules.new_code()])).status_code == 404
    refused = client.get(reverse("evaluation_ballot", args=[codes_x[0]]))
    assert refused.status_code == 429 and "次数过多" in refused.content.decode()
    other = client.get(reverse("evaluation_ballot", args=[codes_x[0]]), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


needs_font = pytest.mark.skipif(not slips.font_available(), reason="needs Debian's fonts-wqy-microhei (EVALUATION_SLIP_FONT)")


@needs_font
def test_slips_pdf_holds_the_codes_and_the_qr_code_the_url(client_for, officer_x, round_x):
    client = client_for(officer_x)
    response = client.post(reverse("assessments:evaluation_slips", args=[round_x.pk]), {"count": 9, "file_format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = "".join(page.extract_text() for page in reader.pages)
    codes = [c for c in (line.strip() for line in text.split()) if len(c) == 11 and c[5] == "-"]
    assert len(codes) == 9 and "东岭村" in text
    assert all(rules.normalize_code(code) for code in codes)
    # The codes on the slips vote.
    assert client.get(reverse("evaluation_ballot", args=[rules.normalize_code(codes[0])])).status_code == 200


def test_slips_excel_lists_codes_and_addresses(client_for, officer_x, round_x):
    response = client_for(officer_x).post(
        reverse("assessments:evaluation_slips", args=[round_x.pk]), {"count": 3, "file_format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 3 and all(row[4].endswith(f"/v/{rules.normalize_code(row[3])}/") for row in rows)


def test_results_under_the_threshold_are_hidden_everywhere(client_for, county_approver, officer_x, round_x, codes_x, cadres_x):
    vote(codes_x[:5], cadres_x[:1], "s")
    vote(codes_x[5:9], cadres_x[1:2], "d")
    page = client_for(officer_x).get(reverse("assessments:evaluation_detail", args=[round_x.pk])).content.decode()
    assert "100.0" in page and page.count("票数过少") == 2
    export = client_for(officer_x).get(reverse("assessments:evaluation_export", args=[round_x.pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=4, values_only=True))
    by_name = {row[0]: row[1:] for row in rows}
    assert by_name["王二"][0] == "票数过少" and by_name["王二"][1:] == (None, None, None, None)
    api = client_for(county_approver).get(f"/api/v1/evaluation/rounds/{round_x.pk}/results/").json()
    shown = {row["cadre_name"]: row for row in api["results"]}
    assert shown["王二"]["ballots"] is None and shown["王二"]["satisfaction"] is None and shown["王一"]["satisfaction"] == "100.0"


def test_comments_are_shown_to_the_county_only(client_for, county_approver, officer_x, round_x, codes_x, cadres_x):
    vote(codes_x[:1], cadres_x, comment="希望多开会听取意见")
    url = reverse("assessments:evaluation_detail", args=[round_x.pk])
    assert "希望多开会" in client_for(county_approver).get(url).content.decode()
    assert "希望多开会" not in client_for(officer_x).get(url).content.decode()


def test_township_pages_query_count(client_for, officer_x, round_x, codes_x, cadres_x, django_assert_max_num_queries):
    vote(codes_x[:6], cadres_x)
    client = client_for(officer_x)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("assessments:evaluation_detail", args=[round_x.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("assessments:evaluation_list")).status_code == 200


def test_another_township_gets_404(client_for, officer_y, round_x):
    assert client_for(officer_y).get(reverse("assessments:evaluation_detail", args=[round_x.pk])).status_code == 404


def test_open_through_the_page(client_for, officer_x, village_x, cadres_x):
    response = client_for(officer_x).post(
        reverse("assessments:evaluation_list"),
        {"village": village_x.pk, "year": 2026, "closes_on": "2099-01-01", "min_ballots": 5},
    )
    assert response.status_code == 302
    assert services.selectors.rounds_for_user(user=officer_x).count() == 1


@needs_font
@pytest.mark.skipif(not qrdecode.available(), reason="needs poppler-utils (pdftoppm) and libzbar0 to read the QR codes back")
def test_the_qr_codes_on_the_slips_give_the_ballot_urls(client_for, officer_x, round_x):
    response = client_for(officer_x).post(
        reverse("assessments:evaluation_slips", args=[round_x.pk]), {"count": 8, "file_format": "pdf"}
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    printed = {rules.normalize_code(c) for c in text.split() if len(c) == 11 and c[5] == "-"}
    urls = qrdecode.decode_qr_codes(response.content)
    assert len(urls) == 8
    assert {url.rsplit("/", 2)[-2] for url in urls} == printed
    assert all(url.startswith("http://testserver/v/") for url in urls)


def test_without_the_font_the_pdf_is_refused_before_any_code_is_issued(client_for, settings, officer_x, round_x):
    settings.EVALUATION_SLIP_FONT = "/nonexistent/font.ttc"
    response = client_for(officer_x).post(
        reverse("assessments:evaluation_slips", args=[round_x.pk]), {"count": 3, "file_format": "pdf"}
    )
    assert response.status_code == 400 and "中文字体" in response.content.decode()
    assert not round_x.batches.exists()


def test_the_api_lists_rounds_with_counts_in_a_fixed_number_of_queries(
    client_for, county_approver, officer_x, round_x, codes_x, django_assert_max_num_queries
):
    client = client_for(county_approver)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/evaluation/rounds/").json()
    assert body["results"][0]["slips"] == {"issued": 10, "used": 0, "voided": 0}
    assert "codes" not in str(body) and not any(code in str(body) for code in codes_x)


def test_the_results_export_keeps_text_as_text_and_is_audited(client_for, officer_x, round_x, codes_x, cadres_x):
    from cadre_mgmt.audit.models import AuditRecord
    from cadre_mgmt.cadres.models import Cadre

    Cadre.objects.filter(pk=cadres_x[0].pk).update(name='=HYPERLINK("http://x","y")')
    vote(codes_x[:5], cadres_x[:1], "s")
    export = client_for(officer_x).get(reverse("assessments:evaluation_export", args=[round_x.pk]))
    cells = [cell for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for cell in row]
    assert '=HYPERLINK("http://x","y")' in [cell.value for cell in cells]
    assert not any(cell.data_type == "f" for cell in cells)
    record = AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT, actor=officer_x).latest("pk")
    assert "导出" in record.summary or "Exported" in record.summary
