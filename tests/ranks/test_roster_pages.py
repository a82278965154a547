import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from cadre_mgmt.audit.models import AuditRecord
from ranks.grading import services as grading_services
from ranks.ladder import selectors as ladder_selectors
from ranks.ladder import services as ladder_services
from ranks.models import Roster, RosterExport
from ranks.rosters import exports as rosters_exports
from ranks.rosters import services as rosters_services

from ..conftest import at
from ..factories import CadreFactory, VillageFactory

pytestmark = pytest.mark.django_db

JAN, FEB = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)


@pytest.fixture
def roster_two_townships(grade, township_x, township_y, village_x, village_y, cadre_x, cadre_y, county_approver):
    other_village = VillageFactory(township=township_x, name="西河村")
    extra = [CadreFactory(village=other_village, name=f"王{index}") for index in range(3)]
    grade(cadre_x, 11, approved=at(2025, 11, 5))
    grade(cadre_y, 10, approved=at(2025, 11, 5))
    grade(extra[0], 12, approved=at(2025, 11, 5))
    rosters_services.roster_lock(roster=rosters_services.roster_generate(month=JAN, user=county_approver), user=county_approver)
    ladder_services.rank_change_record(
        cadre=cadre_x,
        kind="correction",
        to_level=12,
        approved_by=county_approver,
        approved_at=at(2026, 1, 20),
        reason="更正",
        effective_month=JAN,
    )
    return rosters_services.roster_generate(month=FEB, user=county_approver)


def test_township_staff_see_only_their_townships_lines_and_totals(client_for, officer_x, roster_two_townships, cadre_y):
    response = client_for(officer_x).get(reverse("ranks:roster"), {"month": "2026-02"})
    assert response.status_code == 200
    assert "张建国" in response.text and cadre_y.name not in response.text
    totals, grand = response.context["totals"], response.context["grand"]
    assert [t.township_name for t in totals] == ["X镇"]
    # cadre_x 100 + back-calculated recovery −100 for January + 王0 at 12: 100.
    assert grand.total == Decimal("100.00")


def test_county_users_see_every_township_with_a_grand_total(client_for, county_approver, roster_two_townships):
    response = client_for(county_approver).get(reverse("ranks:roster"), {"month": "2026-02"})
    totals, grand = response.context["totals"], response.context["grand"]
    assert [(t.township_name, t.total) for t in totals] == [("X镇", Decimal("100.00")), ("Y镇", Decimal("300.00"))]
    assert grand.total == Decimal("400.00") == roster_two_townships.total_amount
    assert grand.people == 5 and grand.lines == 6


def test_roster_page_query_count_is_bounded(client_for, county_approver, roster_two_townships, django_assert_max_num_queries):
    client = client_for(county_approver)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("ranks:roster"), {"month": "2026-02"})
    assert response.status_code == 200


def test_roster_page_refuses_bad_month_gracefully(client_for, finance, roster_two_townships):
    response = client_for(finance).get(reverse("ranks:roster"), {"month": "2026-99"})
    assert response.status_code == 200
    assert response.context["month_form"].errors


def test_generate_and_lock_are_refused_to_township_staff_and_finance(client_for, officer_x, finance, roster_two_townships):
    for user in (officer_x, finance):
        client = client_for(user)
        assert client.post(reverse("ranks:roster_generate"), {"month": "2026-02"}).status_code == 403
        assert client.post(reverse("ranks:roster_lock", args=[roster_two_townships.pk])).status_code == 403
    roster_two_townships.refresh_from_db()
    assert not roster_two_townships.is_locked


def test_county_approver_generates_and_locks_from_the_page(client_for, county_approver, cadre_x):
    client = client_for(county_approver)
    assert client.post(reverse("ranks:roster_generate"), {"month": "2026-03"}).status_code == 302
    roster = Roster.objects.get(month=datetime.date(2026, 3, 1))
    assert client.post(reverse("ranks:roster_lock", args=[roster.pk])).status_code == 302
    roster.refresh_from_db()
    assert roster.is_locked
    response = client.post(reverse("ranks:roster_generate"), {"month": "2026-03"}, follow=True)
    assert "2026-03" in response.text and roster.lines.count() == 1


def test_changes_page_lists_changes_with_their_reasons(client_for, county_approver, officer_y, roster_two_townships):
    response = client_for(county_approver).get(reverse("ranks:roster_changes"), {"month": "2026-02"})
    assert response.status_code == 200
    changes = response.context["changes"]
    kinds = {(c.cadre_name, c.kind) for c in changes}
    assert ("张建国", "level") in kinds and ("张建国", "adjustment") in kinds
    assert any("更正" in c.reason for c in changes if c.cadre_name == "张建国")
    response = client_for(officer_y).get(reverse("ranks:roster_changes"), {"month": "2026-02"})
    assert all(c.township_name == "Y镇" for c in response.context["changes"])


def test_cadre_file_shows_rank_and_allowance_history(client_for, officer_x, roster_two_townships, cadre_x):
    response = client_for(officer_x).get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert response.status_code == 200
    assert "ranks-panel" in response.text
    assert "更正" in response.text
    assert "2026-01" in response.text and "2026-02" in response.text


# Excel --------------------------------------------------------------------------------------------


def _sheet(content):
    return load_workbook(io.BytesIO(content)).active


def _line_rows(rows):
    """The cadre lines of the sheet: below the 3 header rows, with a village (totals and signatures have none)."""
    return [row for row in rows[3:] if row[2] is not None]


def test_exported_workbook_matches_the_page(client_for, county_approver, roster_two_townships):
    client = client_for(county_approver)
    page = client.get(reverse("ranks:roster"), {"month": "2026-02"}).context
    response = client.get(reverse("ranks:roster_export", args=[roster_two_townships.pk]))
    assert response.status_code == 200
    ws = _sheet(response.content)
    rows = list(ws.iter_rows(values_only=True))
    assert "示范县" in rows[0][0] and "2026年2月" in rows[0][0]
    assert rows[2][0] == "序号"
    body = rows[3:]
    lines = _line_rows(rows)
    page_lines = list(page["page"])
    assert [(r[3], r[6], Decimal(str(r[7]))) for r in lines] == [(p.cadre_name, p.level, p.amount) for p in page_lines]
    subtotals = [(r[1], r[3], Decimal(str(r[7]))) for r in body if r[0] == "小计"]
    assert subtotals == [(t.township_name, t.people, t.total) for t in page["totals"]]
    grand = next(r for r in body if r[0] == "合计")
    assert isinstance(grand[7], int | float) and Decimal(str(grand[7])) == page["grand"].total
    assert isinstance(grand[3], int) and grand[3] == page["grand"].people
    assert any(r[1] == "制表人：" for r in body) and any(r[4] == "审核人：" for r in body) and any(r[7] == "日期：" for r in body)
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["E"].width >= 20
    assert AuditRecord.objects.filter(action="export", actor=county_approver, object_type="ranks.Roster").exists()


def test_export_is_scoped_and_masked_for_township_finance(
    client_for, officer_x, finance, township_y, roster_two_townships, cadre_x
):
    rows = list(
        _sheet(client_for(officer_x).get(reverse("ranks:roster_export", args=[roster_two_townships.pk])).content).iter_rows(
            values_only=True
        )
    )
    names = {r[3] for r in _line_rows(rows)}
    assert "张建国" in names and "李秀英" not in names
    assert cadre_x.id_number in {r[4] for r in rows}  # township staff keep the files: full numbers
    finance.township = township_y
    finance.save()
    rows = list(
        _sheet(client_for(finance).get(reverse("ranks:roster_export", args=[roster_two_townships.pk])).content).iter_rows(
            values_only=True
        )
    )
    assert {r[3] for r in _line_rows(rows)} == {"李秀英"}
    assert all("*" in r[4] for r in _line_rows(rows))


def test_large_export_runs_as_a_job_with_progress_and_download(
    client_for, finance, officer_x, roster_two_townships, monkeypatch, django_capture_on_commit_callbacks
):
    from ranks import tasks

    monkeypatch.setattr(rosters_exports, "EXPORT_ASYNC_ROWS", 2)
    monkeypatch.setattr(tasks.run_roster_export, "delay", lambda export_id: tasks.run_roster_export(export_id))
    client = client_for(finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("ranks:roster_export", args=[roster_two_townships.pk]))
    assert response.status_code == 302
    export = RosterExport.objects.get()
    assert export.status == "done" and export.progress == 100 and export.total_rows == roster_two_townships.line_count
    status = client.get(reverse("ranks:roster_export_status", args=[export.pk]))
    assert "hx-trigger" not in status.text and reverse("ranks:roster_export_download", args=[export.pk]) in status.text
    download = client.get(reverse("ranks:roster_export_download", args=[export.pk]))
    assert download.status_code == 200
    rows = list(_sheet(b"".join(download.streaming_content)).iter_rows(values_only=True))
    assert any(r[0] == "合计" for r in rows)
    # Someone else cannot see or download it.
    other = client_for(officer_x)
    assert other.get(reverse("ranks:roster_export_status", args=[export.pk])).status_code == 404
    assert other.get(reverse("ranks:roster_export_download", args=[export.pk])).status_code == 404


def test_pending_export_polls_with_htmx(client_for, finance, roster_two_townships):
    export = RosterExport.objects.create(roster=roster_two_townships, requested_by=finance, progress=40, status="running")
    response = client_for(finance).get(reverse("ranks:roster_export_status", args=[export.pk]))
    assert 'hx-trigger="every 2s"' in response.text and "40%" in response.text


def test_management_commands_generate_and_export(tmp_path, roster_two_townships, county_approver):
    call_command("generate_roster", "--month", "2026-03")
    assert Roster.objects.filter(month=datetime.date(2026, 3, 1)).exists()
    output = tmp_path / "roster.xlsx"
    call_command("export_roster", "--month", "2026-02", "--output", str(output))
    rows = list(_sheet(output.read_bytes()).iter_rows(values_only=True))
    grand = next(r for r in rows if r[0] == "合计")
    assert Decimal(str(grand[7])) == roster_two_townships.total_amount
    assert all("*" in r[4] for r in _line_rows(rows))


@pytest.mark.parametrize("month", ["2026-13", "202602", "March", "2026/02"])
def test_commands_refuse_a_malformed_month(tmp_path, month):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("generate_roster", "--month", month)
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("export_roster", "--month", month, "--output", str(tmp_path / "x.xlsx"))


def test_export_command_refuses_a_month_without_roster(tmp_path, db):
    with pytest.raises(CommandError, match="generate_roster"):
        call_command("export_roster", "--month", "2030-01", "--output", str(tmp_path / "x.xlsx"))


def test_budget_figures_count_pending_changes_and_project_a_year(
    grade, cadre_x, cadre_y, village_x, officer_x, county_approver, county_admin
):
    grade(cadre_x, 11, approved=at(2026, 1, 10))
    newcomer = CadreFactory(village=village_x, first_appointed_on=datetime.date(2015, 3, 1))
    grading_services.initial_grading_submit(user=officer_x, cadre=newcomer)  # 10+ years of service: computed level 10
    figures = ladder_selectors.budget_figures(
        user=county_approver, today=datetime.date(2026, 5, 20), extra_pending=[(cadre_y.pk, 12)]
    )
    assert figures.next_month == datetime.date(2026, 6, 1)
    assert figures.next_month_total == Decimal("200.00")
    assert figures.next_month_total_if_approved == Decimal("600.00")
    assert figures.pending_changes == 2
    assert len(figures.projection) == 12 and figures.projection[0] == (datetime.date(2026, 6, 1), Decimal("200.00"))
    ladder_services.allowance_schedule_set(
        user=county_admin, effective_from=datetime.date(2027, 1, 1), amount_per_level=Decimal(150)
    )
    figures = ladder_selectors.budget_figures(user=county_approver, today=datetime.date(2026, 5, 20))
    assert dict(figures.projection)[datetime.date(2027, 1, 1)] == Decimal("300.00")
    scoped = ladder_selectors.budget_figures(user=officer_x, today=datetime.date(2026, 5, 20), extra_pending=[(cadre_y.pk, 12)])
    assert scoped.next_month_total_if_approved == Decimal("500.00")


def test_export_writes_formula_like_names_and_remarks_as_text(grade, village_x, county_approver):
    from ranks.rosters.workbook import roster_workbook

    cadre = CadreFactory(village=village_x, name='=HYPERLINK("http://x")')
    grade(cadre, 12, approved=at(2025, 11, 5))
    roster = rosters_services.roster_generate(month=JAN, user=county_approver)
    content, _rows = roster_workbook(roster=roster)
    cell = next(c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row if c.value == cadre.name)
    assert cell.data_type == "s"
