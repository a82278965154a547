"""A cadre on a phone (390×844), DESIGN §12: signs in with the slip's initial password, changes it, reads the
explanation of last year's proposal, files an appeal with an attachment; the township comments; the county
upholds it, which corrects the promotion in the same step; the cadre reads the outcome and the corrected level."""

import re

from playwright.sync_api import expect

from cadre_mgmt.accounts import cadre_accounts
from cadre_mgmt.cadres.models import Cadre
from ranks.models import PromotionReview, Proposal, RankChange
from ranks.review import decisions
from ranks.review import services as review_services

from .helpers import login, page_width

NEW_PASSWORD = "Cun#Gan8Bu2027"


def _approved_promotion(cadre, officer, approver):
    review = review_services.review_start(year=2025, trigger=PromotionReview.Trigger.COMMAND, enqueue=False)
    review_services.review_run_now(review=review)
    proposal = Proposal.objects.get(cadre=cadre)
    decisions.proposal_submit(proposal=proposal, user=officer, remarks="同意上报")
    return decisions.proposal_approve(proposal=proposal, approver=approver, comment="同意")


def test_a_cadre_appeals_last_years_proposal_and_the_upheld_appeal_corrects_the_level(
    open_page, phone_page, promotable, cadre_x, officer_x, county_approver, tmp_path
):
    promotable(cadre_x, 12)
    proposal = _approved_promotion(cadre_x, officer_x, county_approver)
    Cadre.objects.filter(pk=cadre_x.pk).update(phone="13812345678")
    _account, initial = cadre_accounts.cadre_account_issue(user=officer_x, cadre=Cadre.objects.get(pk=cadre_x.pk))

    page = phone_page
    page.goto("/accounts/login/")
    page.get_by_label("用户名", exact=True).fill("13812345678")
    page.get_by_label("密码", exact=True).fill(initial)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/"))
    page.locator("#id_old_password").fill(initial)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", name=re.compile("我的档案"))).to_be_visible()
    expect(page.get_by_test_id("my-level")).to_contain_text("12级")
    expect(page.get_by_test_id("my-upcoming-level")).to_contain_text("11级")  # approved, paid from next month
    assert page_width(page) <= 390

    page.get_by_role("link", name=re.compile("2025 · 晋升")).click()
    expect(page.get_by_test_id("outcome-line")).to_be_visible()
    page.get_by_role("link", name="对该决定申诉").click()
    page.get_by_label("申诉理由（该决定哪里不对）", exact=False).fill("我的任职年限计算有误，2023年的定级时间应为12月，请复核。")
    proof = tmp_path / "证明.pdf"
    proof.write_bytes(b"%PDF-1.4 proof")
    page.locator("#id_attachments").set_input_files(str(proof))
    page.get_by_role("button", name="提交申诉").click()
    expect(page.get_by_test_id("appeal-status")).to_have_text("待乡镇提出意见")
    expect(page.get_by_role("link", name="证明.pdf")).to_be_visible()
    assert page_width(page) <= 390

    township = open_page()
    login(township, "township_x")
    township.goto("/ranks/appeals/")
    township.get_by_role("link", name=cadre_x.name).click()
    township.get_by_label("乡镇意见").fill("经核对定级文件，建议县级复核。")
    township.get_by_role("button", name="登记乡镇意见").click()
    expect(township.get_by_test_id("appeal-status")).to_have_text("待县级决定")

    county = open_page()
    login(county, "county_approver")
    county.goto("/ranks/appeals/")
    county.get_by_role("link", name=cadre_x.name).click()
    expect(county.get_by_test_id("correction-preview")).to_be_visible()
    county.locator("#id_outcome").select_option(label="申诉成立")
    county.locator("#id_reasons").fill("定级时间核实有误，晋升依据不足。")
    county.locator("#id_remedy").select_option(label="更正该职级变动")
    county.get_by_role("button", name="登记决定").click()
    expect(county.get_by_test_id("appeal-outcome")).to_contain_text("申诉成立")
    correction = RankChange.objects.get(kind="correction")
    assert correction.reverses_id == proposal.rank_change_id and correction.to_level == 12

    page.goto("/me/notices/")
    page.get_by_role("link", name=re.compile("您的申诉已有决定")).first.click()
    expect(page.get_by_test_id("appeal-outcome")).to_contain_text("申诉成立")
    expect(page.get_by_test_id("corrected-level")).to_contain_text("12 级")
    page.goto("/me/")
    expect(page.get_by_test_id("my-upcoming-level")).to_contain_text("12级")  # the correction, from the same month
