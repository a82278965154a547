"""DESIGN §5: a returned proposal is resubmitted with material — remarks and attachments (the ledger's checks:
type by extension and content, size). Each document belongs to its round's step, is audited, and is served only
to users who may read the proposal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from ranks.models import Proposal, ProposalAttachment
from ranks.review import decisions
from ranks.review.facts import evaluate_one, explanation_json

from ..conftest import at
from .test_dashboard import proposal as make_proposal
from .test_list_exports import review  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def returned(review, cadre_x, county_approver, grade):  # noqa: F811
    grade(cadre_x, 13, approved=at(2021, 12, 10))
    proposal = make_proposal(review, cadre_x, "promote", Proposal.Status.SUBMITTED, from_level=13, to_level=12)
    explanation = explanation_json(evaluate_one(cadre=cadre_x, year=2025))  # what the page reads
    Proposal.objects.filter(pk=proposal.pk).update(explanation=explanation)
    proposal.refresh_from_db()
    return decisions.proposal_reject(proposal=proposal, approver=county_approver, reason="缺少会议记录")


def _resubmit(client, proposal, files, **data):
    fields = {"action": "resubmit", "remarks": "已补充会议记录", "material": "", **data}
    return client.post(reverse("ranks:proposal_submit", args=[proposal.pk]), {**fields, "attachments": files})


def test_a_resubmission_carries_its_documents_to_the_round(client_for, officer_x, returned):
    files = [SimpleUploadedFile("会议记录.pdf", PDF), SimpleUploadedFile("签到表.pdf", PDF)]
    response = _resubmit(client_for(officer_x), returned, files)
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.status == Proposal.Status.SUBMITTED
    attachments = list(ProposalAttachment.objects.filter(step__proposal=returned).select_related("step"))
    assert sorted(a.name for a in attachments) == ["会议记录.pdf", "签到表.pdf"]
    assert {(a.step.action, a.step.round) for a in attachments} == {("resubmit", 2)}
    assert not any("会议记录" in a.file.name for a in attachments)  # stored under a random name
    records = AuditRecord.objects.filter(object_type="ranks.ProposalAttachment")
    assert records.count() == 2 and {r.actor_id for r in records} == {officer_x.pk}
    page = client_for(officer_x).get(reverse("ranks:proposal_detail", args=[returned.pk])).text
    assert page.count('data-testid="step-attachment"') == 2 and "会议记录.pdf" in page


def test_a_refused_document_refuses_the_resubmission_and_changes_nothing(client_for, officer_x, returned):
    files = [SimpleUploadedFile("会议记录.pdf", PDF), SimpleUploadedFile("假文件.pdf", b"MZ\x90\x00 not a pdf")]
    response = _resubmit(client_for(officer_x), returned, files)
    assert response.status_code == 400
    assert "假文件.pdf" in response.text and "文件内容与扩展名 .pdf 不符" in response.text
    returned.refresh_from_db()
    assert returned.status == Proposal.Status.REJECTED and not ProposalAttachment.objects.exists()


def test_at_most_five_documents(officer_x, returned):
    from django.core.exceptions import ValidationError

    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)]
    with pytest.raises(ValidationError):
        decisions.proposal_resubmit(proposal=returned, user=officer_x, remarks="补充", attachments=files)
    returned.refresh_from_db()
    assert returned.status == Proposal.Status.REJECTED and not ProposalAttachment.objects.exists()


def test_a_document_is_served_to_readers_of_the_proposal_only(client_for, officer_x, officer_y, county_approver, returned):
    decisions.proposal_resubmit(proposal=returned, user=officer_x, remarks="补充", attachments=[SimpleUploadedFile("a.pdf", PDF)])
    url = reverse("ranks:proposal_attachment", args=[ProposalAttachment.objects.get().pk])
    for reader in (officer_x, county_approver):
        response = client_for(reader).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    assert client_for(officer_y).get(url).status_code == 404
