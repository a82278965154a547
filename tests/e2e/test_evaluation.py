"""Issue 18: a township opens a villagers' evaluation and downloads the slips; a phone (390 px, JavaScript
off) opens a slip's address, votes and sees the thank-you; reusing the code is refused; the township
closes the round, sees the result, and the year-end page shows the score with its source."""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.evaluation import rules

from ..factories import CadreFactory
from .helpers import login

PHONE_NO_JS = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "java_script_enabled": False}


@pytest.fixture
def two_cadres(village_x):
    return [CadreFactory(village=village_x, name=name) for name in ("张建国", "李春梅")]


def _codes_from(download) -> list[str]:
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    return [rules.normalize_code(word) for word in text.split() if len(word) == 11 and word[5] == "-"]


def _vote(phone, code, ratings):
    phone.goto(f"/v/{code}/")
    expect(phone.get_by_role("heading")).to_contain_text("东岭村")
    for name, rating in ratings.items():
        phone.get_by_role("group", name=name).get_by_label(rating, exact=True).check()
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_role("heading", name="感谢您的参与")).to_be_visible()


def test_villagers_vote_on_a_phone_without_javascript(open_page, browser_log, officer_x, village_x, two_cadres):
    year = timezone.localdate().year
    page = open_page()
    login(page, "township_x")
    page.goto("/assessments/evaluation/")
    form = page.get_by_test_id("evaluation-open")
    form.locator("select[name=village]").select_option(str(village_x.pk))
    form.locator("input[name=closes_on]").fill(f"{year + 1}-01-31")
    form.locator("input[name=min_ballots]").fill("3")
    form.get_by_role("button", name="发起测评").click()
    expect(page.get_by_test_id("round-status")).to_have_text("进行中")

    slips = page.get_by_test_id("slips-form")
    slips.locator("input[name=count]").fill("4")
    with page.expect_download() as info:
        slips.get_by_role("button", name="发放并下载").click()
    codes = _codes_from(info.value)
    assert len(codes) == 4 and all(codes)

    phone = open_page(**PHONE_NO_JS)
    for code, (first, second) in zip(codes[:3], [("满意", "满意"), ("满意", "基本满意"), ("基本满意", "不满意")], strict=True):
        _vote(phone, code, {"张建国": first, "李春梅": second})

    browser_log.expect_http_error(f"/v/{codes[0]}/", 403)
    phone.goto(f"/v/{codes[0]}/")
    expect(phone.get_by_test_id("refusal")).to_contain_text("已经使用")

    page.reload()
    page.get_by_test_id("round-close").click()
    expect(page.get_by_test_id("round-status")).to_have_text("已结束")
    results = page.get_by_test_id("results")
    expect(results.locator("tr").filter(has_text="张建国")).to_contain_text("83.3")
    expect(results.locator("tr").filter(has_text="李春梅")).to_contain_text("50.0")

    page.goto(f"/assessments/years/{year}/?village={village_x.pk}")
    expect(page.get_by_test_id("year-grid").locator("tr").filter(has_text="张建国")).to_contain_text(
        "村民测评 3 票，满意度 83.3%"
    )
