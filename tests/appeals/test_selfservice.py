"""A cadre's own file (DESIGN §12): only themselves, every other cadre's id a 404, every staff page refused,
the file's sections, the audit of each personal page, the me/ API; never a petition, its reporter or an
investigation in anything a cadre reads."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cadre_mgmt.audit.models import AuditRecord
from ranks.appeals import services
from ranks.models import Appeal, Notice, Proposal
from supervision.services.petitions import petition_create
from supervision.services.sanctions import investigation_open

pytestmark = pytest.mark.django_db

SECRET_REPORTER = "举报人王秘密"
SECRET_CONTENT = "信访内容涉及村务"


@pytest.fixture
def file_x(approved_promotion, cadre_x, supervisor):
    """cadre_x with an approved promotion, a petition about them (named reporter) and an open investigation."""
    petition_create(
        user=supervisor, channel="letter", summary=SECRET_CONTENT, content=SECRET_CONTENT, received_on=datetime.date(2026, 3, 1),
        cadre=cadre_x, reporter_name=SECRET_REPORTER, reporter_phone="13999999999",
    )  # fmt: skip
    investigation_open(
        user=supervisor, cadre=cadre_x, opened_on=datetime.date(2026, 3, 2), description="核查线索：" + SECRET_CONTENT
    )
    return approved_promotion


def _cadre_client(account):
    client = Client()
    client.force_login(account)
    return client


def test_a_cadre_reads_their_own_file_and_the_explanation(file_x, cadre_account_x, cadre_x):
    client = _cadre_client(cadre_account_x)
    response = client.get(reverse("me:file"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "我的档案" in page and cadre_x.name in page and "晋升" in page
    response = client.get(reverse("me:proposal", args=[file_x.pk]))
    assert response.status_code == 200 and response.context["explained"]["outcome_line"] in response.content.decode()


def test_another_cadres_ids_are_404(approved_promotion, cadre_account_y, cadre_account_x):
    appeal = services.appeal_file(
        user=cadre_account_x, kind="proposal", subject_id=approved_promotion.pk, reasons="年限计算有误，请复核。"
    )
    client = _cadre_client(cadre_account_y)
    assert client.get(reverse("me:proposal", args=[approved_promotion.pk])).status_code == 404
    assert client.get(reverse("me:appeal_detail", args=[appeal.pk])).status_code == 404
    assert client.get(reverse("me:appeal_new", args=["proposal", approved_promotion.pk])).status_code == 404
    assert (
        client.post(reverse("me:appeal_new", args=["proposal", approved_promotion.pk]), {"reasons": "x" * 20}).status_code == 404
    )
    assert Appeal.objects.count() == 1


def test_staff_roles_get_404_on_a_cadres_pages(client_for, officer_x, county_approver):
    for user in (officer_x, county_approver):
        assert client_for(user).get(reverse("me:file")).status_code == 404


def test_a_cadre_is_refused_every_staff_page(cadre_account_x, cadre_x):
    client = _cadre_client(cadre_account_x)
    for url in (
        reverse("ranks:dashboard"), reverse("cadres:list"), reverse("cadres:detail", args=[cadre_x.pk]),
        reverse("supervision:petition_list"), reverse("ranks:appeals"), reverse("api:docs"),
    ):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert "我的档案" in client.get(reverse("me:file")).content.decode()


def test_nothing_a_cadre_reads_names_a_petition_its_reporter_or_an_investigation(file_x, cadre_account_x, cadre_x):
    appeal = services.appeal_file(user=cadre_account_x, kind="proposal", subject_id=file_x.pk, reasons="年限计算有误，请复核。")
    # An explanation whose evidence names the open case (as a review run while it is open writes it): the
    # county reads it, the cadre reads the verdict only.
    explanation = file_x.explanation
    for condition in explanation["conditions"]:
        if condition["code"] in ("dq_investigation", "basic_integrity"):
            condition.update(passed=False, evidence=[f"立案核查#1（2026-03-02），尚无结论：核查线索：{SECRET_CONTENT}"])
    Proposal.objects.filter(pk=file_x.pk).update(explanation=explanation)
    client = _cadre_client(cadre_account_x)
    pages = [reverse("me:file"), reverse("me:appeals"), reverse("me:appeal_detail", args=[appeal.pk]), reverse("me:notices")]
    pages += [reverse("me:proposal", args=[p.pk]) for p in Proposal.objects.filter(cadre=cadre_x)]
    token = Token.objects.create(user=cadre_account_x)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    bodies = [client.get(url).content.decode() for url in pages]
    bodies += [api.get(reverse(f"api:me-{name}")).content.decode() for name in ("file", "allowance", "proposals", "appeals")]
    for body in bodies:
        for secret in (SECRET_REPORTER, SECRET_CONTENT, "13999999999", "信访", "立案核查", "investigation"):
            assert secret not in body


def test_every_personal_page_a_cadre_opens_is_audited(file_x, cadre_account_x):
    client = _cadre_client(cadre_account_x)
    before = AuditRecord.objects.filter(actor=cadre_account_x).count()
    client.get(reverse("me:file"))
    client.get(reverse("me:proposal", args=[file_x.pk]))
    records = AuditRecord.objects.filter(actor=cadre_account_x).order_by("pk")[before:]
    assert [r.summary for r in records] == ["村干部查看本人页面：file", f"村干部查看本人页面：proposal {file_x.year}"]


# Measured: 19 (session, user, the audit record of the page view — with the hash chain's head locked and moved on,
# 2 more —, its notices marked read, the cadre and its posts, one query per section, the deadline settings, the open
# appeals, the unread count), whatever the number of records.
MY_FILE_QUERIES = 19


def test_my_file_costs_a_fixed_number_of_queries(file_x, cadre_account_x, county_approver, django_assert_max_num_queries):
    from ranks.ladder import services as ladder_services

    client = _cadre_client(cadre_account_x)
    client.get(reverse("me:file"))
    with django_assert_max_num_queries(MY_FILE_QUERIES):
        assert client.get(reverse("me:file")).status_code == 200
    services.appeal_file(user=cadre_account_x, kind="proposal", subject_id=file_x.pk, reasons="任职年限计算有误，请复核。")
    ladder_services.rank_change_record(
        cadre=file_x.cadre,
        kind="demotion",
        to_level=12,
        approved_by=county_approver,
        approved_at=file_x.decided_at,
        reason="降级",
    )
    with django_assert_max_num_queries(MY_FILE_QUERIES):
        assert client.get(reverse("me:file")).status_code == 200


def test_a_cadre_files_an_appeal_with_an_attachment_in_the_browser(file_x, cadre_account_x):
    client = _cadre_client(cadre_account_x)
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    response = client.post(
        reverse("me:appeal_new", args=["proposal", file_x.pk]), {"reasons": "任职年限计算有误，请复核。", "attachments": [upload]}
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response.url == reverse("me:appeal_detail", args=[appeal.pk])
    attachment = appeal.attachments.get()
    download = client.get(reverse("me:appeal_attachment", args=[appeal.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 proof"


def test_notices_are_read_and_unread(file_x, cadre_account_x):
    services.appeal_file(user=cadre_account_x, kind="proposal", subject_id=file_x.pk, reasons="任职年限计算有误，请复核。")
    client = _cadre_client(cadre_account_x)
    assert "1 条未读消息" in client.get(reverse("me:file")).content.decode()
    appeal = Appeal.objects.get()
    client.get(reverse("me:appeal_detail", args=[appeal.pk]))  # opening the page a notice points to reads it
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    services.appeal_comment(appeal=appeal, user=file_x.submitted_by, comment="已核实")
    assert Notice.objects.filter(read_at__isnull=True).count() == 1
    assert client.post(reverse("me:notices_read")).status_code == 302
    assert not Notice.objects.filter(read_at__isnull=True).exists()


def test_a_cadres_token_reaches_only_the_me_endpoints(file_x, cadre_account_x, officer_x):
    token = Token.objects.create(user=cadre_account_x)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(reverse("api:me-file")).json()["name"] == cadre_account_x.cadre.name
    assert api.get(reverse("api:me-allowance")).status_code == 200
    for name in ("api:cadre-list", "api:proposal-list", "api:rank-change-list", "api:appeal-list", "api:schema"):
        assert api.get(reverse(name)).status_code == 403, name
    staff = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer_x).key}")
    assert staff.get(reverse("api:me-file")).status_code == 403
    assert staff.get(reverse("api:appeal-list")).status_code == 200


def test_a_cadre_with_an_account_is_told_of_a_proposal_and_its_decision(
    cadre_account_x, cadre_x, promotable, officer_x, county_approver
):
    from ranks.review import decisions

    from .conftest import run_review

    promotable(cadre_x, 12)
    run_review()
    proposal = Proposal.objects.get(cadre=cadre_x)
    decisions.proposal_submit(proposal=proposal, user=officer_x, remarks="同意上报")
    decisions.proposal_approve(proposal=proposal, approver=county_approver, comment="同意")
    texts = list(Notice.objects.filter(cadre=cadre_x).order_by("pk").values_list("text", flat=True))
    assert texts == ["2025年度晋升评审：晋升，待县级审批", "2025年度晋升评审：晋升，已批准"]


def test_the_appeals_api_is_scoped_like_the_pages(
    approved_promotion, cadre_account_x, officer_x, officer_y, county_approver, supervisor
):
    appeal = services.appeal_file(
        user=cadre_account_x, kind="proposal", subject_id=approved_promotion.pk, reasons="年限计算有误，请复核。"
    )

    def ids(user):
        client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        response = client.get(reverse("api:appeal-list"))
        return response.status_code, [row["id"] for row in response.json().get("results", [])]

    assert ids(officer_x) == (200, [appeal.pk])
    assert ids(county_approver) == (200, [appeal.pk])
    assert ids(officer_y) == (200, [])
    assert ids(supervisor)[0] == 403
