import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.models import LedgerEntry
from cadre_mgmt.audit.models import AuditRecord

from ..factories import CadreFactory
from .conftest import day, score_quarters

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
URL = "/assessments/ledger/"


def post_entry(client, cadres, category, headers=None, **overrides):
    data = {
        "cadres": [c.pk for c in cadres],
        "date": timezone.localdate().isoformat(),
        "category": category.pk,
        "description": "入户走访脱贫监测户",
        "outcome": "已完成",
        "score_change": "",
        "leave_days": "",
    }
    data.update(overrides)
    return client.post(URL, data, headers=headers or {})


def entry(user, cadre, category, **kwargs):
    values = {"date": day(5, 10), "description": "值班"} | kwargs
    return services.ledger_entry_create(user=user, cadres=[cadre], category=category, **values)[0]


def test_officer_records_an_entry_for_a_cadre_and_it_is_audited(client_for, officer_x, cadre_x, categories):
    response = post_entry(client_for(officer_x), [cadre_x], categories["household_visit"], score_change="1.5")
    assert response.status_code == 302
    saved = LedgerEntry.objects.get()
    assert (saved.cadre, saved.township, saved.recorded_by, saved.score_change) == (
        cadre_x,
        cadre_x.township,
        officer_x,
        Decimal("1.50"),
    )
    assert AuditRecord.objects.filter(object_type="assessments.LedgerEntry", action="create").count() == 1


def test_htmx_save_returns_the_workspace_with_the_new_line_and_keeps_date_and_category(
    client_for, officer_x, cadre_x, categories
):
    response = post_entry(client_for(officer_x), [cadre_x], categories["meeting"], headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="ledger-workspace"' in response.text and "<html" not in response.text
    assert "入户走访脱贫监测户" in response.text
    assert 'data-testid="ledger-saved"' in response.text
    assert f'<option value="{categories["meeting"].pk}" selected>' in response.text


def test_bulk_entry_creates_one_entry_per_chosen_cadre_with_one_batch(client_for, officer_x, village_x, categories):
    cadres = [CadreFactory(village=village_x) for _ in range(4)]
    response = post_entry(client_for(officer_x), cadres[:3], categories["meeting"], description="村“两委”例会")
    assert response.status_code == 302
    entries = list(LedgerEntry.objects.all())
    assert sorted(e.cadre_id for e in entries) == sorted(c.pk for c in cadres[:3])
    assert len({e.batch for e in entries}) == 1 and entries[0].batch is not None


def test_bulk_entry_refuses_a_cadre_of_another_township(client_for, officer_x, cadre_x, cadre_y, categories):
    response = post_entry(client_for(officer_x), [cadre_x, cadre_y], categories["meeting"])
    assert response.status_code == 200
    assert not LedgerEntry.objects.exists()
    with pytest.raises(PermissionDenied):
        services.ledger_entry_create(
            user=officer_x, cadres=[cadre_x, cadre_y], category=categories["meeting"], date=day(5, 1), description="会议"
        )
    assert not LedgerEntry.objects.exists()


def test_leave_needs_a_number_of_days(client_for, officer_x, cadre_x, categories):
    client = client_for(officer_x)
    response = post_entry(client, [cadre_x], categories["leave"], description="病假")
    assert response.status_code == 200 and "请填写请假天数" in response.text
    assert not LedgerEntry.objects.exists()
    assert post_entry(client, [cadre_x], categories["leave"], description="病假", leave_days="3").status_code == 302


def test_future_date_is_refused(client_for, officer_x, cadre_x, categories):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_entry(client_for(officer_x), [cadre_x], categories["meeting"], date=tomorrow.isoformat())
    assert response.status_code == 200
    assert not LedgerEntry.objects.exists()


def test_attachment_of_allowed_type_is_stored_privately_and_served_only_within_scope(
    client_for, officer_x, officer_y, finance, county_approver, cadre_x, categories
):
    client = client_for(officer_x)
    upload = SimpleUploadedFile("会议记录.pdf", PDF, content_type="application/pdf")
    assert post_entry(client, [cadre_x], categories["meeting"], attachment=upload).status_code == 302
    saved = LedgerEntry.objects.get()
    assert saved.attachment_name == "会议记录.pdf"
    assert "会议记录" not in saved.attachment.name and saved.attachment.name.endswith(".pdf")
    url = reverse("assessments:ledger_attachment", args=[saved.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for(county_approver).get(url).status_code == 200
    assert client_for(officer_y).get(url).status_code == 404
    assert client_for(finance).get(url).status_code == 403


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"<html><script>alert(1)</script></html>"),
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg bytes"),
        ("sheet.xlsx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_attachment_of_wrong_type_is_refused(client_for, officer_x, cadre_x, categories, name, content):
    upload = SimpleUploadedFile(name, content)
    response = post_entry(client_for(officer_x), [cadre_x], categories["meeting"], attachment=upload)
    assert response.status_code == 200
    assert not LedgerEntry.objects.exists()


def test_docx_made_of_word_parts_is_accepted_and_a_renamed_xlsx_is_not(client_for, officer_x, cadre_x, categories):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    client = client_for(officer_x)
    wrong = post_entry(client, [cadre_x], categories["meeting"], attachment=SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    assert wrong.status_code == 200 and not LedgerEntry.objects.exists()
    right = post_entry(client, [cadre_x], categories["meeting"], attachment=SimpleUploadedFile("a.docx", buffer.getvalue()))
    assert right.status_code == 302


def test_attachment_over_the_size_limit_is_refused(client_for, officer_x, cadre_x, categories, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = post_entry(client_for(officer_x), [cadre_x], categories["meeting"], attachment=upload)
    assert response.status_code == 200
    assert "MB" in response.text
    assert not LedgerEntry.objects.exists()


def test_ledger_page_shows_only_own_township(client_for, officer_x, officer_y, cadre_x, cadre_y, categories):
    entry(officer_x, cadre_x, categories["meeting"], description="东岭村例会")
    entry(officer_y, cadre_y, categories["meeting"], description="白鹭村例会")
    text = client_for(officer_x).get(URL).text
    assert "东岭村例会" in text and "白鹭村例会" not in text
    # A township officer cannot look at another township by changing the parameter.
    text = client_for(officer_x).get(URL, {"township": cadre_y.township_id}).text
    assert "白鹭村例会" not in text


def test_county_users_read_any_township_but_cannot_record(client_for, county_approver, cadre_y, categories, officer_y):
    entry(officer_y, cadre_y, categories["meeting"], description="白鹭村例会")
    client = client_for(county_approver)
    assert "白鹭村例会" in client.get(URL, {"township": cadre_y.township_id}).text
    response = client.post(f"{URL}?township={cadre_y.township_id}", {"cadres": [cadre_y.pk], "description": "x"})
    assert response.status_code == 403


def test_finance_and_supervisor_may_not_open_the_ledger(client_for, finance, supervisor):
    assert client_for(finance).get(URL).status_code == 403
    assert client_for(supervisor).get(URL).status_code == 403


def test_officer_cannot_touch_another_townships_entry(client_for, officer_x, officer_y, cadre_y, categories):
    other = entry(officer_y, cadre_y, categories["meeting"])
    client = client_for(officer_x)
    assert client.get(reverse("assessments:ledger_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("assessments:ledger_delete", args=[other.pk])).status_code == 404
    assert LedgerEntry.objects.filter(pk=other.pk).exists()


def test_cadre_search_by_part_of_a_name_finds_only_own_township(client_for, officer_x, village_x, village_y):
    CadreFactory(village=village_x, name="王建华")
    CadreFactory(village=village_y, name="王建军")
    response = client_for(officer_x).get(reverse("assessments:ledger_cadres"), {"q": "建"})
    assert "王建华" in response.text and "王建军" not in response.text


def test_cadre_search_keeps_the_already_chosen_cadres(client_for, officer_x, village_x):
    chosen = CadreFactory(village=village_x, name="李春梅")
    CadreFactory(village=village_x, name="赵海燕")
    response = client_for(officer_x).get(reverse("assessments:ledger_cadres"), {"q": "海", "cadres": [chosen.pk]})
    assert "李春梅" in response.text and "赵海燕" in response.text
    assert f'value="{chosen.pk}" id="cadre-{chosen.pk}" checked' in response.text


def test_edit_of_an_open_quarter_entry_is_saved_and_audited(client_for, officer_x, cadre_x, categories):
    saved = entry(officer_x, cadre_x, categories["meeting"])
    response = client_for(officer_x).post(
        reverse("assessments:ledger_edit", args=[saved.pk]),
        {
            "date": "2025-05-11",
            "category": categories["meeting"].pk,
            "description": "改过的记录",
            "outcome": "",
            "score_change": "2",
        },
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.description, saved.score_change, saved.date) == ("改过的记录", Decimal("2.00"), day(5, 11))
    assert AuditRecord.objects.filter(object_type="assessments.LedgerEntry", action="update").exists()


def test_closed_quarter_locks_its_entries(client_for, officer_x, cadre_x, categories):
    saved = entry(officer_x, cadre_x, categories["meeting"], date=day(5, 10))
    score_quarters(officer_x, cadre_x.township, [cadre_x])
    with pytest.raises(ValidationError):
        services.ledger_entry_update(
            user=officer_x, entry=saved, category=categories["meeting"], date=day(5, 10), description="改"
        )
    with pytest.raises(ValidationError):
        services.ledger_entry_delete(user=officer_x, entry=saved)
    with pytest.raises(ValidationError):
        entry(officer_x, cadre_x, categories["meeting"], date=day(6, 1))
    client = client_for(officer_x)
    page = client.get(reverse("assessments:ledger_edit", args=[saved.pk]))
    assert 'data-testid="entry-locked"' in page.text
    client.post(
        reverse("assessments:ledger_edit", args=[saved.pk]),
        {"date": "2025-05-10", "category": categories["meeting"].pk, "description": "改"},
    )
    client.post(reverse("assessments:ledger_delete", args=[saved.pk]))
    saved.refresh_from_db()
    assert saved.description == "值班"
    assert "已锁定" in client.get(URL).text


def test_ledger_page_pages_by_date_without_counting(client_for, officer_x, cadre_x, categories):
    for n in range(35):
        entry(officer_x, cadre_x, categories["meeting"], date=day(1, 1) + datetime.timedelta(days=n), description=f"记录{n:02d}")
    client = client_for(officer_x)
    first = client.get(URL)
    assert "记录34" in first.text and "记录04" not in first.text
    cursor = first.context["next_cursor"]
    second = client.get(URL, {"before": cursor})
    assert "记录04" in second.text and "记录34" not in second.text and not second.context["next_cursor"]


@pytest.mark.parametrize("entries", [3, 60])
def test_ledger_page_query_count_is_bounded(client_for, officer_x, village_x, categories, django_assert_max_num_queries, entries):
    cadres = [CadreFactory(village=village_x) for _ in range(6)]
    for n in range(entries):
        entry(officer_x, cadres[n % 6], categories["meeting"], date=day(1, 1) + datetime.timedelta(days=n % 300))
    client = client_for(officer_x)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200


def test_attendance_facts_sum_leave_days_and_flag_absence(officer_x, cadre_x, village_x, categories):
    other = CadreFactory(village=village_x)
    entry(officer_x, cadre_x, categories["leave"], leave_days=3, description="病假")
    entry(officer_x, cadre_x, categories["leave"], leave_days=4, description="事假", date=day(8, 1))
    entry(officer_x, cadre_x, categories["leave"], leave_days=9, description="去年的假", date=day(8, 1, year=2024))
    entry(officer_x, other, categories["absence"], description="无故脱岗")
    facts = selectors.attendance_facts(cadre_ids=[cadre_x.pk, other.pk], year=2025)
    assert facts[cadre_x.pk] == selectors.AttendanceFacts(leave_days=7, absent_without_leave=False)
    assert facts[other.pk] == selectors.AttendanceFacts(leave_days=0, absent_without_leave=True)


def test_attendance_facts_query_count_does_not_grow_with_cadres(officer_x, village_x, categories, django_assert_num_queries):
    cadres = [CadreFactory(village=village_x) for _ in range(8)]
    for cadre in cadres:
        entry(officer_x, cadre, categories["leave"], leave_days=2)
    with django_assert_num_queries(1):
        selectors.attendance_facts(cadre_ids=[c.pk for c in cadres], year=2025)


XLSX_PART = b"xl/worksheets/sheet1.xml"
DOCX_PART = b"word/media/document1.xml"  # the same length: the name is swapped in the headers


@pytest.fixture(scope="session")
def bomb_xlsx():
    """A 1 MiB .xlsx whose sheet really inflates to 1 GiB (made once: deflating 1 GiB takes seconds)."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1 << 22)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(XLSX_PART.decode(), "w", force_zip64=True) as member:
            for _ in range(256):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize("extension", ["xlsx", "docx"])
def test_zip_bomb_attachment_is_refused_and_nothing_is_stored(
    client_for, officer_x, cadre_x, categories, settings, bomb_xlsx, extension
):
    data = bomb_xlsx if extension == "xlsx" else bomb_xlsx.replace(XLSX_PART, DOCX_PART)
    assert len(data) < 1.1 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(info.file_size for info in archive.infolist()) >= 1024**3
    upload = SimpleUploadedFile(f"台账.{extension}", data)
    response = post_entry(client_for(officer_x), [cadre_x], categories["meeting"], attachment=upload)
    assert response.status_code == 200
    assert "解压后体积异常" in response.text
    assert not LedgerEntry.objects.exists()
    media = settings.MEDIA_ROOT / "ledger"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
    # The service refuses it too (the API and any other caller go through it).
    upload.seek(0)
    with pytest.raises(ValidationError):
        services.ledger_entry_create(
            user=officer_x,
            cadres=[cadre_x],
            category=categories["meeting"],
            date=timezone.localdate(),
            description="值班",
            attachment=upload,
        )
    assert not LedgerEntry.objects.exists()


# ---------------------------------------------------------------- one village's cadres (issue 17 item 1)


@pytest.fixture
def nanshan_and_xihe(township_x):
    from ..factories import VillageFactory

    nanshan, xihe = VillageFactory(township=township_x, name="南山村"), VillageFactory(township=township_x, name="西河村")
    return (
        nanshan,
        [CadreFactory(village=nanshan, name=n) for n in ("南一", "南二")],
        xihe,
        [CadreFactory(village=xihe, name=n) for n in ("西一", "西二")],
    )


@pytest.mark.parametrize("htmx", [False, True])
def test_save_for_cadres_not_of_the_chosen_village_is_refused_and_nothing_saved(
    client_for, officer_x, nanshan_and_xihe, categories, htmx
):
    nanshan, nanshan_cadres, _xihe, xihe_cadres = nanshan_and_xihe
    headers = {"HX-Request": "true"} if htmx else None
    response = post_entry(
        client_for(officer_x), [nanshan_cadres[0], *xihe_cadres], categories["meeting"], headers=headers, village=nanshan.pk
    )
    assert response.status_code == 200
    assert "西一、西二不是南山村的村干部" in response.text
    assert not LedgerEntry.objects.exists()
    with pytest.raises(ValidationError):
        services.ledger_entry_create(
            user=officer_x, cadres=xihe_cadres, village=nanshan, category=categories["meeting"], date=day(5, 1), description="会"
        )
    assert not LedgerEntry.objects.exists()
    # The chosen village's own cadres are saved.
    assert post_entry(client_for(officer_x), nanshan_cadres, categories["meeting"], village=nanshan.pk).status_code == 302
    assert sorted(e.cadre.name for e in LedgerEntry.objects.all()) == ["南一", "南二"]


def test_choosing_a_village_lists_its_cadres_and_drops_the_ticks_of_another_village(client_for, officer_x, nanshan_and_xihe):
    nanshan, nanshan_cadres, xihe, xihe_cadres = nanshan_and_xihe
    url = reverse("assessments:ledger_cadres")
    response = client_for(officer_x).get(url, {"village": xihe.pk, "q": "", "cadres": [nanshan_cadres[0].pk]})
    assert "西一" in response.text and "西二" in response.text and "南一" not in response.text
    # A search with a village chosen stays in that village; "all villages" searches the township.
    response = client_for(officer_x).get(url, {"village": nanshan.pk, "q": "一"})
    assert "南一" in response.text and "西一" not in response.text
    response = client_for(officer_x).get(url, {"village": "", "q": "一"})
    assert "南一" in response.text and "西一" in response.text


def test_village_choice_and_search_swap_inside_the_cadre_list(client_for, officer_x, cadre_x):
    """The form swaps itself with outerHTML; the village choice and the search must not inherit that, or the
    first answer replaces #cadre-choices and the next request has no target (htmx:targetError)."""
    page = client_for(officer_x).get(URL).text
    select = page[page.index('<select name="village"') :].split(">", 1)[0]
    search = page[page.index('id="cadre-search"') :].split(">", 1)[0]
    for element in (select, search):
        assert 'hx-target="#cadre-choices"' in element and 'hx-swap="innerHTML"' in element
    assert "#cadre-search" in select and "#id_village" in search


def test_date_before_the_first_appointment_is_refused(client_for, officer_x, village_x, categories):
    cadre = CadreFactory(village=village_x, name="新任", first_appointed_on=datetime.date(2019, 4, 1))
    response = post_entry(client_for(officer_x), [cadre], categories["meeting"], date="1990-01-01")
    assert response.status_code == 200 and "日期早于新任首次任职的日期（2019-04-01）" in response.text
    assert not LedgerEntry.objects.exists()
    with pytest.raises(ValidationError):
        entry(officer_x, cadre, categories["meeting"], date=datetime.date(2019, 3, 31))
    saved = entry(officer_x, cadre, categories["meeting"], date=datetime.date(2019, 4, 1))
    with pytest.raises(ValidationError):
        services.ledger_entry_update(
            user=officer_x, entry=saved, category=categories["meeting"], date=datetime.date(1990, 1, 1), description="改"
        )


# ---------------------------------------------------------------- filters and export (issue 17 item 15)


def _sheet(response):
    from openpyxl import load_workbook

    assert response.status_code == 200, response.content[:200]
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in ws.iter_rows()], ws


@pytest.fixture
def filtered_entries(officer_x, officer_y, nanshan_and_xihe, cadre_y, categories):
    _nanshan, (nan1, nan2), _xihe, (xi1, _xi2) = nanshan_and_xihe
    entry(officer_x, nan1, categories["meeting"], date=day(3, 1), description='=HYPERLINK("http://x")')
    entry(officer_x, nan2, categories["household_visit"], date=day(4, 1), description="走访")
    entry(officer_x, xi1, categories["meeting"], date=day(5, 1), description="例会")
    entry(officer_y, cadre_y, categories["meeting"], date=day(4, 2), description="别镇")


def test_ledger_list_filters_by_village_cadre_category_and_dates(
    client_for, officer_x, filtered_entries, nanshan_and_xihe, categories
):
    nanshan = nanshan_and_xihe[0]
    client = client_for(officer_x)

    def shown(**query):
        entries = client.get(URL, {f"f-{k}": v for k, v in query.items()}).context["entries"]
        return sorted(e.description for e in entries)

    assert shown() == sorted(['=HYPERLINK("http://x")', "走访", "例会"])
    assert shown(village=nanshan.pk) == sorted(['=HYPERLINK("http://x")', "走访"])
    assert shown(name="西") == ["例会"]
    assert shown(category=categories["meeting"].pk) == sorted(['=HYPERLINK("http://x")', "例会"])
    assert shown(date_from="2025-03-15", date_to="2025-04-30") == ["走访"]
    # A reversed range is refused with a Chinese message, and no filter is applied.
    response = client.get(URL, {"f-date_from": "2025-05-01", "f-date_to": "2025-04-01"})
    assert "截止日期早于开始日期。" in response.text and len(response.context["entries"]) == 3


def test_ledger_export_is_the_filtered_list_formula_safe_and_audited(
    client_for, officer_x, county_approver, finance, filtered_entries, nanshan_and_xihe, township_y
):
    nanshan = nanshan_and_xihe[0]
    url = reverse("assessments:ledger_export")
    rows, ws = _sheet(client_for(officer_x).get(url, {"f-village": nanshan.pk}))
    assert rows[0][:5] == ["日期", "乡镇", "村", "姓名", "类别"]
    assert sorted(row[3] for row in rows[1:]) == ["南一", "南二"]
    formula_row = next(row for row in ws.iter_rows(min_row=2) if row[3].value == "南一")
    assert formula_row[5].data_type == "s" and formula_row[5].value.startswith("=HYPERLINK")
    record = AuditRecord.objects.get(action=AuditRecord.Action.EXPORT, object_type="assessments.LedgerEntry")
    assert record.actor == officer_x and "2 条" in record.summary
    # Township staff export their own township only, whatever the query says.
    rows, _ws = _sheet(client_for(officer_x).get(url, {"township": township_y.pk}))
    assert "别镇" not in [row[5] for row in rows] and len(rows) == 4
    # County readers choose the township; finance may not read the ledger.
    rows, _ws = _sheet(client_for(county_approver).get(url, {"township": township_y.pk}))
    assert [row[5] for row in rows[1:]] == ["别镇"]
    assert client_for(finance).get(url).status_code == 403


def test_year_sheet_export_lists_the_shown_cadres_and_is_audited(client_for, officer_x, officer_y, cadre_x, cadre_y, finance):
    from .conftest import YEAR

    url = reverse("assessments:year_export", args=[YEAR])
    rows, _ws = _sheet(client_for(officer_x).get(url))
    assert rows[0][:3] == ["村", "姓名", "政治表现"] and [row[1] for row in rows[1:]] == [cadre_x.name]
    assert AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT, object_type="assessments.AnnualReview").count() == 1
    assert client_for(finance).get(url).status_code == 403
