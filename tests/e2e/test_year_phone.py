"""Issue 17 item 13: the scoring grids on a phone (390 px). Year-end review and quarter scores show one card
per cadre; every score input is wide enough to type in and its saved value can be read whole."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments import services

from ..factories import CadreFactory
from .helpers import login, page_width

YEAR = 2025
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# Every input's width, and whether its text fits (scrollWidth <= clientWidth: nothing clipped).
MEASURE = """(grid) => [...grid.querySelectorAll('input[type=number]')].map(i => ({
    name: i.name, width: i.getBoundingClientRect().width, fits: i.scrollWidth <= i.clientWidth, value: i.value}))"""


@pytest.fixture
def three_cadres(village_x):
    return [CadreFactory(village=village_x, name=name) for name in ("张建国", "李春梅", "欧阳晓东")]


def assert_usable(page, grid, expected_values):
    page.wait_for_load_state("load")
    inputs = grid.evaluate(MEASURE)
    assert len(inputs) == len(expected_values)
    for measured in inputs:
        assert measured["width"] >= 60, measured
        assert measured["fits"], measured
        assert measured["value"] == expected_values[measured["name"]], measured
    assert page_width(page) <= 390


def test_year_end_scores_on_a_phone_are_wide_and_readable(open_page, officer_x, three_cadres):
    page = open_page(**PHONE)
    login(page, "township_x")
    page.goto(f"/assessments/years/{YEAR}/")
    grid = page.get_by_test_id("year-grid")
    values = {}
    for index, cadre in enumerate(three_cadres):
        for part, score in zip(("political", "business", "mass"), ("88.75", "92.5", "100"), strict=True):
            name = f"r-{cadre.pk}-{part}"
            values[name] = str(float(score) - index) if index else score
            grid.locator(f"input[name='{name}']").fill(values[name])
    page.get_by_role("button", name="保存分数").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text("已保存")
    grid = page.get_by_test_id("year-grid")
    # Saved values come back with two decimals (88.75, 92.50, 100.00 ...).
    assert_usable(page, grid, {name: f"{float(v):.2f}" for name, v in values.items()})
    # One card per cadre, its name on top.
    for cadre in three_cadres:
        card = grid.locator("tbody tr").filter(has_text=cadre.name)
        for label in ("政治表现", "业务能力", "群众评价"):  # each input labelled on its card (CSS ::before)
            expect(card.get_by_role("cell", name=label)).to_have_count(1)
        box = card.bounding_box()
        assert box is not None and box["width"] <= 390


def test_quarter_scores_on_a_phone_are_wide_and_readable(open_page, officer_x, township_x, three_cadres):
    tq = services.quarter_open(user=officer_x, township=township_x, year=YEAR, quarter=2)
    areas = list(tq.areas.all())
    scores = {(c.pk, a.pk): Decimal(80 + i) for i, c in enumerate(three_cadres) for a in areas}
    services.quarter_scores_save(user=officer_x, township=township_x, year=YEAR, quarter=2, scores=scores)
    page = open_page(**PHONE)
    login(page, "township_x")
    page.goto(f"/assessments/quarters/{YEAR}/2/")
    grid = page.get_by_test_id("quarter-grid")
    assert_usable(page, grid, {f"s-{c}-{a}": f"{v:.2f}" for (c, a), v in scores.items()})
