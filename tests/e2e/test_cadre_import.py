"""Journey 2: a township officer imports cadres from the Excel template."""

from playwright.sync_api import expect

from cadre_mgmt.cadres import importing
from cadre_mgmt.cadres.models import Cadre

from ..factories import make_id_number
from .helpers import download, login, open_from_menu, workbook_from_template, xlsx_upload


def wrong_check_digit(number):
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def test_officer_fixes_a_file_with_two_bad_rows_then_imports_it(page, officer_x, village_x, cadre_x):
    ids = [make_id_number(female=True), make_id_number(), make_id_number()]
    good = [
        ["X镇", "东岭村", "赵海燕", ids[0], "党组织书记、村委会主任", "2018-05-01", "13900000001", "中共党员", "大专"],
        ["X镇", "东岭村", "钱立新", ids[1], "村“两委”委员", "2020-01-06", "13900000002", "群众", "高中/中专"],
        ["X镇", "东岭村", "孙德明", ids[2], "会计（报账员）", "2016-09-12", "", "中共党员", "本科"],
    ]
    bad = [list(row) for row in good]
    bad[1][3] = wrong_check_digit(ids[1])  # spreadsheet row 3
    bad[2][1] = "西山村"  # spreadsheet row 4: not a village of X镇

    login(page, "township_x")
    open_from_menu(page, "村干部")
    expect(page.get_by_role("heading", name="村干部")).to_contain_text("共 1 人")
    page.get_by_role("link", name="Excel 导入").click()
    expect(page.get_by_role("heading", name="从 Excel 导入村干部")).to_be_visible()
    template = download(page, "下载模板")

    page.get_by_label("Excel 文件（.xlsx）").set_input_files(xlsx_upload("村干部.xlsx", workbook_from_template(template, bad)))
    page.get_by_role("button", name="校验并导入").click()

    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("发现 2 处问题，未导入任何数据。")
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors.locator("tbody tr").nth(0)).to_contain_text("3")
    expect(errors.locator("tbody tr").nth(0)).to_contain_text("身份证号校验位错误")
    expect(errors.locator("tbody tr").nth(1)).to_contain_text("4")
    expect(errors.locator("tbody tr").nth(1)).to_contain_text("X镇没有“西山村”")
    assert list(Cadre.objects.values_list("name", flat=True)) == ["张建国"]
    page.get_by_role("link", name="村干部", exact=True).click()
    expect(page.get_by_role("heading", name="村干部")).to_contain_text("共 1 人")
    expect(page.get_by_role("cell", name="赵海燕")).to_have_count(0)

    page.get_by_role("link", name="Excel 导入").click()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(xlsx_upload("村干部.xlsx", workbook_from_template(template, good)))
    page.get_by_role("button", name="校验并导入").click()

    expect(page.get_by_role("alert")).to_contain_text("导入完成：新建 3 人，更新 0 人，未变 0 人。")
    expect(page.get_by_role("heading", name="村干部")).to_contain_text("共 4 人")
    for name in ("赵海燕", "钱立新", "孙德明"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="赵海燕")).to_contain_text("党组织书记、村委会主任")
    assert set(Cadre.objects.filter(township=village_x.township).values_list("name", flat=True)) == {
        "张建国",
        "赵海燕",
        "钱立新",
        "孙德明",
    }


def test_the_downloaded_template_has_the_import_headers(page, officer_x, village_x):
    login(page, "township_x")
    open_from_menu(page, "村干部")
    page.get_by_role("link", name="Excel 导入").click()
    template = download(page, "下载模板")
    rows = importing.read_rows(workbook_from_template(template, [["X镇", "东岭村", "周敏", make_id_number()]]))
    assert rows[0][1][:3] == ["X镇", "东岭村", "周敏"]
