"""The promotion review endpoints: start and follow runs, read proposals, submit, approve and reject."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cadre_mgmt.audit.models import AuditRecord
from ranks.ladder import rules
from ranks.ladder import services as ladder_services
from ranks.models import PromotionReview, Proposal, RankChange
from ranks.review import decisions
from ranks.review import services as review_services

from ..conftest import at, confirmed_grades
from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
REVIEWS = "/api/v1/promotion-reviews/"
PROPOSALS = "/api/v1/proposals/"


def _promotable(cadre, level, approver):
    ladder_services.rank_change_record(
        cadre=cadre, kind="initial_grading", to_level=level, approved_by=approver, approved_at=at(2023, 12, 10), reason="初始定级"
    )
    confirmed_grades(cadre, approver, {2024: "competent", 2025: "competent"})


def _run_review():
    review = review_services.review_start(year=YEAR, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    return review_services.review_run_now(review=review)


@pytest.fixture
def proposals(county_approver, cadre_x, cadre_y, village_x):
    """The 2025 review: cadre_x promote 12→11, cadre_y promote 11→10, one ungraded hold in X."""
    _promotable(cadre_x, 12, county_approver)
    _promotable(cadre_y, 11, county_approver)
    CadreFactory(village=village_x, name="赵未定")
    _run_review()
    return {p.cadre_id: p for p in Proposal.objects.select_related("cadre")}


def _submitted(proposal, officer):
    return decisions.proposal_submit(proposal=proposal, user=officer, remarks="属实")


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# ---------------------------------------------------------------- review runs


def test_county_admin_starts_a_review_and_gets_its_id_and_state_at_once(token_client_for, county_admin, cadre_x):
    response = token_client_for(county_admin).post(REVIEWS, {"year": YEAR}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    review = PromotionReview.objects.get()
    assert (body["id"], body["state"], body["trigger"], body["dry_run"]) == (review.pk, "queued", "api", False)
    assert (body["batches_total"], body["batches_done"], body["progress"]) == (1, 0, 0)
    assert body["counts"]["outcomes"] == {"promote": 0, "out_of_turn": 0, "hold": 0, "demote": 0}
    assert review.started_by == county_admin
    assert AuditRecord.objects.filter(actor=county_admin, summary="2025 年度晋升评审已启动").exists()


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run the enqueued batches in-process, as a worker would, also when CI sets a broker."""
    from cadre_mgmt.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_the_started_run_goes_through_its_batches_after_commit(
    token_client_for, county_admin, county_approver, cadre_x, cadre_y, django_capture_on_commit_callbacks, eager_tasks
):
    _promotable(cadre_x, 12, county_approver)
    with django_capture_on_commit_callbacks(execute=True):  # locally the batches run eagerly
        review_id = token_client_for(county_admin).post(REVIEWS, {"year": YEAR}, format="json").json()["id"]
    body = token_client_for(county_approver).get(f"{REVIEWS}{review_id}/").json()
    assert (body["state"], body["batches_done"], body["batches_total"], body["progress"]) == ("done", 2, 2, 100)
    assert body["counts"]["outcomes"]["promote"] == 1 and body["counts"]["total"] == 2
    by_township = {row["name"]: row for row in body["counts"]["townships"]}
    assert (by_township["X镇"]["promote"], by_township["Y镇"]["hold"], by_township["Y镇"]["state"]) == (1, 1, "done")


def test_a_second_start_of_the_same_year_is_refused_in_chinese(token_client_for, county_admin, cadre_x):
    client = token_client_for(county_admin)
    assert client.post(REVIEWS, {"year": YEAR}, format="json").status_code == 202
    response = client.post(REVIEWS, {"year": YEAR, "dry_run": False}, format="json")
    assert response.status_code == 400
    assert "2025" in response.json()["detail"] and "正在" in response.json()["detail"]
    assert PromotionReview.objects.count() == 1
    assert client.post(REVIEWS, {"year": YEAR, "dry_run": True}, format="json").status_code == 202  # a dry run may


@pytest.mark.parametrize(
    "body, field", [({}, "year"), ({"year": "x"}, "year"), ({"year": 1999}, "year"), ({"year": 2100}, "year")]
)
def test_a_bad_year_is_a_400_field_error(token_client_for, county_admin, body, field):
    response = token_client_for(county_admin).post(REVIEWS, body, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == [field]
    assert not PromotionReview.objects.exists()


def test_only_the_county_admin_may_start_a_review(token_client_for, county_approver, officer_x, supervisor, finance, cadre_x):
    for user in (county_approver, officer_x, supervisor, finance):
        response = token_client_for(user).post(REVIEWS, {"year": YEAR}, format="json")
        assert response.status_code == 403, user
        assert response.json()["detail"]
    assert not PromotionReview.objects.exists()


def test_county_approvers_follow_runs_and_other_roles_are_refused(
    token_client_for, api_client, county_approver, officer_x, supervisor, finance, proposals
):
    review = PromotionReview.objects.get()
    rows = _rows(token_client_for(county_approver).get(f"{REVIEWS}?year={YEAR}"))
    assert [row["id"] for row in rows] == [review.pk] and rows[0]["trigger"] == "command"
    assert _rows(token_client_for(county_approver).get(f"{REVIEWS}?state=queued")) == []
    for user in (officer_x, supervisor, finance):
        client = token_client_for(user)
        assert client.get(REVIEWS).status_code == 403
        assert client.get(f"{REVIEWS}{review.pk}/").status_code == 403
    assert api_client.get(REVIEWS).status_code == 401


def test_an_unknown_run_is_a_404(token_client_for, county_approver):
    assert token_client_for(county_approver).get(f"{REVIEWS}999999/").status_code == 404


# ---------------------------------------------------------------- proposals: reading


def test_proposals_show_outcome_levels_and_the_frozen_explanation(token_client_for, county_approver, proposals, cadre_x):
    body = token_client_for(county_approver).get(f"{PROPOSALS}{proposals[cadre_x.pk].pk}/").json()
    assert (body["outcome"], body["from_level"], body["to_level"], body["status"]) == ("promote", 12, 11, "pending")
    assert body["cadre"] == {"id": cadre_x.pk, "name": "张建国"} and body["township"]["name"] == "X镇"
    assert body["outcome_label"] == "晋升" and body["rank_change"] is None
    assert len(body["explanation"]) > 1 and all(isinstance(line, str) for line in body["explanation"])
    assert "12" in body["explanation"][0] and "11" in body["explanation"][0]


def test_township_staff_read_only_their_townships_proposals(token_client_for, officer_x, proposals, cadre_x, cadre_y):
    client = token_client_for(officer_x)
    response = client.get(PROPOSALS)
    assert {row["cadre"]["id"] for row in _rows(response)} == {p.cadre_id for p in proposals.values()} - {cadre_y.pk}
    assert "李秀英" not in response.text and "Y镇" not in response.text
    assert _rows(client.get(f"{PROPOSALS}?township={cadre_y.township_id}")) == []
    other = client.get(f"{PROPOSALS}{proposals[cadre_y.pk].pk}/")
    assert other.status_code == 404 and "李秀英" not in other.text


def test_proposals_filter_by_review_township_outcome_and_status(token_client_for, county_approver, proposals, cadre_x, cadre_y):
    client = token_client_for(county_approver)
    review = PromotionReview.objects.get()
    names = lambda query: sorted(row["cadre"]["name"] for row in _rows(client.get(f"{PROPOSALS}?{query}")))  # noqa: E731
    assert names(f"review={review.pk}") == sorted(["张建国", "李秀英", "赵未定"])
    assert names("outcome=hold") == ["赵未定"]
    assert names(f"outcome=promote&township={cadre_y.township_id}") == ["李秀英"]
    assert names("status=no_action") == ["赵未定"]
    assert names(f"year={YEAR + 1}") == []
    for bad in ("outcome=bogus", "status=x", "review=0", "township=abc", "year=1"):
        response = client.get(f"{PROPOSALS}?{bad}")
        assert response.status_code == 400 and list(response.json()["errors"]) == [bad.split("=")[0]]


def test_supervisors_finance_and_anonymous_callers_read_no_proposals(
    token_client_for, api_client, supervisor, finance, proposals
):
    any_pk = next(iter(proposals.values())).pk
    for user in (supervisor, finance):
        assert token_client_for(user).get(PROPOSALS).status_code == 403
        assert token_client_for(user).get(f"{PROPOSALS}{any_pk}/").status_code == 403
    assert api_client.get(PROPOSALS).status_code == 401


@pytest.mark.parametrize("size", [2, 25])
def test_proposal_list_takes_a_fixed_number_of_queries(
    size, token_client_for, county_approver, officer_x, village_x, django_assert_max_num_queries
):
    for _index in range(size):
        _promotable(CadreFactory(village=village_x), 12, county_approver)
    review = _run_review()
    first = Proposal.objects.filter(review=review).select_related("cadre").first()
    decisions.proposal_approve(proposal=_submitted(first, officer_x), approver=county_approver)  # a rank change too
    client = token_client_for(county_approver)
    with django_assert_max_num_queries(3):  # token, count, page with cadre, village, township, people, rank change
        assert len(_rows(client.get(f"{PROPOSALS}?page_size=200"))) == size


# ---------------------------------------------------------------- submit


def test_township_staff_submit_their_proposal_with_remarks(token_client_for, officer_x, proposals, cadre_x):
    proposal = proposals[cadre_x.pk]
    response = token_client_for(officer_x).post(
        f"{PROPOSALS}{proposal.pk}/submit/", {"remarks": "材料属实", "notes": "台账齐全"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["township_remarks"], body["supporting_notes"]) == ("submitted", "材料属实", "台账齐全")
    assert body["submitted_by"] == str(officer_x)
    assert AuditRecord.objects.filter(actor=officer_x, object_id=str(proposal.pk), summary="评审建议已报县级审批").exists()


def test_another_townships_proposal_cannot_be_submitted(token_client_for, officer_x, proposals, cadre_y):
    response = token_client_for(officer_x).post(f"{PROPOSALS}{proposals[cadre_y.pk].pk}/submit/", {}, format="json")
    assert response.status_code == 404
    assert Proposal.objects.get(cadre=cadre_y).status == "pending"


def test_county_approvers_and_other_roles_may_not_submit(token_client_for, county_approver, supervisor, proposals, cadre_x):
    for user in (county_approver, supervisor):
        assert token_client_for(user).post(f"{PROPOSALS}{proposals[cadre_x.pk].pk}/submit/", {}, format="json").status_code == 403
    assert Proposal.objects.get(cadre=cadre_x).status == "pending"


def test_a_hold_cannot_be_submitted(token_client_for, officer_x, proposals):
    hold = Proposal.objects.get(outcome="hold")
    response = token_client_for(officer_x).post(f"{PROPOSALS}{hold.pk}/submit/", {"remarks": ""}, format="json")
    assert response.status_code == 400 and "赵未定" in response.json()["detail"]


# ---------------------------------------------------------------- approve and reject


def test_approval_returns_the_proposal_with_its_rank_change_effective_next_month(
    token_client_for, county_approver, officer_x, proposals, cadre_x
):
    proposal = _submitted(proposals[cadre_x.pk], officer_x)
    response = token_client_for(county_approver).post(f"{PROPOSALS}{proposal.pk}/approve/", {"comment": "同意"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decided_by"], body["decision_comment"]) == ("approved", str(county_approver), "同意")
    change = body["rank_change"]
    assert (change["kind"], change["from_level"], change["to_level"]) == ("promotion", 12, 11)
    assert change["effective_month"] == rules.effective_month_after(timezone.localdate()).isoformat()
    assert RankChange.objects.filter(cadre=cadre_x, kind="promotion").count() == 1


def test_township_staff_get_403_on_approve_and_reject(token_client_for, officer_x, proposals, cadre_x):
    proposal = _submitted(proposals[cadre_x.pk], officer_x)
    client = token_client_for(officer_x)
    for verb, body in (("approve", {}), ("reject", {"reason": "不同意"})):
        response = client.post(f"{PROPOSALS}{proposal.pk}/{verb}/", body, format="json")
        assert response.status_code == 403 and response.json()["detail"] == "您的角色无权进行此操作。"
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


def test_supervisors_and_finance_may_not_decide(token_client_for, supervisor, finance, officer_x, proposals, cadre_x):
    proposal = _submitted(proposals[cadre_x.pk], officer_x)
    for user in (supervisor, finance):
        assert token_client_for(user).post(f"{PROPOSALS}{proposal.pk}/approve/", {}, format="json").status_code == 403


def test_rejection_needs_a_reason(token_client_for, county_approver, officer_x, proposals, cadre_x):
    proposal = _submitted(proposals[cadre_x.pk], officer_x)
    client = token_client_for(county_approver)
    for body in ({}, {"reason": "   "}):
        response = client.post(f"{PROPOSALS}{proposal.pk}/reject/", body, format="json")
        assert response.status_code == 400 and list(response.json()["errors"]) == ["reason"]
    response = client.post(f"{PROPOSALS}{proposal.pk}/reject/", {"reason": "群众测评材料不全"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reject_reason"]) == ("rejected", "群众测评材料不全")
    assert not RankChange.objects.filter(cadre=cadre_x, kind="promotion").exists()


def test_a_proposal_is_decided_once(token_client_for, county_approver, county_admin, officer_x, proposals, cadre_x):
    proposal = _submitted(proposals[cadre_x.pk], officer_x)
    assert token_client_for(county_approver).post(f"{PROPOSALS}{proposal.pk}/approve/", {}, format="json").status_code == 200
    client = token_client_for(county_admin)
    for verb, body in (("approve", {}), ("reject", {"reason": "重新考虑"})):
        response = client.post(f"{PROPOSALS}{proposal.pk}/{verb}/", body, format="json")
        assert response.status_code == 400 and "已审批" in response.json()["detail"]
    assert RankChange.objects.filter(cadre=cadre_x, kind="promotion").count() == 1


def test_an_unsubmitted_proposal_cannot_be_decided(token_client_for, county_approver, proposals, cadre_x):
    response = token_client_for(county_approver).post(f"{PROPOSALS}{proposals[cadre_x.pk].pk}/approve/", {}, format="json")
    assert response.status_code == 400 and "张建国" in response.json()["detail"]


def test_bodies_must_be_json_with_fields_in_bounds(token_client_for, county_approver, officer_x, proposals, cadre_x):
    proposal = _submitted(proposals[cadre_x.pk], officer_x)
    client = token_client_for(county_approver)
    assert client.post(f"{PROPOSALS}{proposal.pk}/approve/", "comment=x", content_type="text/plain").status_code == 415
    response = client.post(f"{PROPOSALS}{proposal.pk}/approve/", {"comment": "长" * 201}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["comment"]
    assert client.post(f"{PROPOSALS}{proposal.pk}/approve/", "{", content_type="application/json").status_code == 400
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


def test_dry_run_must_be_a_json_boolean(token_client_for, county_admin, cadre_x):
    response = token_client_for(county_admin).post(REVIEWS, {"year": YEAR, "dry_run": 0}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["dry_run"]
    assert not PromotionReview.objects.exists()


def test_an_action_on_an_id_that_is_not_a_number_is_a_json_404(county_approver):
    client = APIClient(enforce_csrf_checks=True)  # as a real client: the test client skips Django's CSRF check
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=county_approver).key}")
    for verb in ("submit", "approve", "reject"):
        response = client.post(f"{PROPOSALS}null,null/{verb}/", {}, format="json")
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
