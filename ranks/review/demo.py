"""Demo data of the promotion review: the review of 2025 run on the demo county, most proposals checked
and submitted by the townships, most of those approved by the county; one rejected and waiting for its
township (returned), one rejected, completed by the township and resubmitted (round 2, awaiting the county).

Idempotent: the review runs only if no finished run of 2025 exists; submissions, approvals and the
rejection pick proposals by a fixed rule, so a second run finds nothing left to do.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ..models import PromotionReview, Proposal
from ..models.review import ProposalStep
from . import decisions, services

DEMO_YEAR = 2025
ATTACHMENT_NAME = "2019年村党组织换届选举结果批复.pdf"
REMARKS = ("经村务监督委员会核实，情况属实", "台账与考核材料齐全，同意上报", "已与本人谈话，无异议")
REJECT_REASON = "群众测评材料不完整，请补充村民代表测评表后下一轮再报"
SECOND_REASON = "任职年限计算依据不清，请补充任职文件"
RESUBMIT_REMARKS = "已补充任职文件，年限经组织办复核无误"
RESUBMIT_MATERIAL = "补充：2019年村党组织换届选举结果批复（镇党委〔2019〕12号）复印件；组织办复核记录。"


def seed_promotion_review(stdout):
    User = get_user_model()
    admin = User.objects.get(username="county_admin")
    approver = User.objects.get(username="county_approver")
    officers = {u.township_id: u for u in User.objects.filter(role=User.Role.TOWNSHIP_STAFF, township__isnull=False)}

    ran = False
    if not PromotionReview.objects.filter(year=DEMO_YEAR, dry_run=False, state=PromotionReview.State.DONE).exists():
        review = services.review_start(year=DEMO_YEAR, user=admin, trigger=PromotionReview.Trigger.PAGE, enqueue=False)
        services.review_run_now(review=review)
        ran = True

    changes = Proposal.objects.filter(year=DEMO_YEAR, outcome__in=Proposal.CHANGES).select_related("cadre").order_by("pk")
    # Townships submit four in five of their change proposals; the fifth waits for their check.
    submitted = 0
    for proposal in changes.filter(status=Proposal.Status.PENDING):
        officer = officers.get(proposal.township_id)
        if officer is None or proposal.cadre_id % 5 == 0:
            continue
        decisions.proposal_submit(proposal=proposal, user=officer, remarks=REMARKS[proposal.cadre_id % len(REMARKS)])
        submitted += 1
    # The county rejects one (the first whose id is a multiple of 3), approves the others with ids not multiples of 3.
    if not changes.filter(status=Proposal.Status.REJECTED).exists():
        victim = next((p for p in changes.filter(status=Proposal.Status.SUBMITTED) if p.cadre_id % 3 == 0), None)
        if victim is not None:
            decisions.proposal_reject(proposal=victim, approver=approver, reason=REJECT_REASON)
    if not ProposalStep.objects.filter(proposal__year=DEMO_YEAR, action=ProposalStep.Action.RESUBMIT).exists():
        _seed_resubmission(changes, approver, officers)
    approved = 0
    for proposal in changes.filter(status=Proposal.Status.SUBMITTED):
        if proposal.cadre_id % 3 == 0:
            continue
        try:
            decisions.proposal_approve(proposal=proposal, approver=approver, comment="同意")
        except ValidationError:
            continue  # the level changed since the review: left for the county to look at
        approved += 1
    stdout.write(
        f"  晋升评审：{DEMO_YEAR} 年度{'已运行' if ran else '已存在'}，"
        f"本次上报 {submitted} 条，批准 {approved} 条"
        f"（评审建议共 {Proposal.objects.filter(year=DEMO_YEAR).count()} 条）"
    )


def _seed_resubmission(changes, approver, officers):
    """A second proposal rejected, then completed and resubmitted by its township: round 2 awaits the county."""
    second = next((p for p in changes.filter(status=Proposal.Status.SUBMITTED) if p.cadre_id % 3 == 0), None)
    if second is None or officers.get(second.township_id) is None:
        return
    second = decisions.proposal_reject(proposal=second, approver=approver, reason=SECOND_REASON)
    decisions.proposal_resubmit(
        proposal=second,
        user=officers[second.township_id],
        remarks=RESUBMIT_REMARKS,
        material=RESUBMIT_MATERIAL,
        attachments=[SimpleUploadedFile(ATTACHMENT_NAME, demo_pdf("Approval of the 2019 village Party branch election"))],
    )


def demo_pdf(line: str) -> bytes:
    """A one-page PDF holding ``line`` (ASCII), small and valid: the demo's attached document."""
    stream = f"BT /F1 14 Tf 72 760 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body
