import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre
from supervision import services
from supervision.models import Petition, VetoEvent

from ..factories import CadreFactory

D = datetime.date
pytestmark = pytest.mark.django_db

REPORTER_BITS = ("举报人王小明", "13912345678", "东岭村三组", "来访人赵大海", "13700001111")


def _no_reporter(text):
    return not any(bit in text for bit in REPORTER_BITS)


# --- The reporter is visible to supervisors only --------------------------------------------------


def test_township_user_sees_own_petitions_without_the_reporter(
    client_for, officer_x, named_petition, anonymous_petition, petition_y
):
    client = client_for(officer_x)
    listing = client.get(reverse("supervision:petition_list"))
    assert listing.status_code == 200
    assert named_petition.summary in listing.text and anonymous_petition.summary in listing.text
    assert petition_y.summary not in listing.text
    assert _no_reporter(listing.text)
    for petition in (named_petition, anonymous_petition):
        detail = client.get(reverse("supervision:petition_detail", args=[petition.pk]))
        assert detail.status_code == 200
        assert petition.summary in detail.text
        assert _no_reporter(detail.text)


def test_township_user_gets_404_for_another_townships_petition(client_for, officer_x, petition_y):
    assert client_for(officer_x).get(reverse("supervision:petition_detail", args=[petition_y.pk])).status_code == 404


def test_supervisor_sees_the_named_reporter_and_anonymous_stays_anonymous(
    client_for, supervisor, named_petition, anonymous_petition
):
    client = client_for(supervisor)
    named = client.get(reverse("supervision:petition_detail", args=[named_petition.pk]))
    assert "举报人王小明" in named.text and "13912345678" in named.text
    anonymous = client.get(reverse("supervision:petition_detail", args=[anonymous_petition.pk]))
    assert "匿名" in anonymous.text


def test_county_approver_reads_petitions_but_never_the_reporter(client_for, county_approver, named_petition, petition_y):
    client = client_for(county_approver)
    assert _no_reporter(client.get(reverse("supervision:petition_list")).text)
    assert _no_reporter(client.get(reverse("supervision:petition_detail", args=[named_petition.pk])).text)
    assert _no_reporter(client.get(reverse("supervision:petition_detail", args=[petition_y.pk])).text)


def _rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_township_export_has_no_reporter_column_and_only_its_township(
    client_for, officer_x, named_petition, anonymous_petition, petition_y
):
    response = client_for(officer_x).get(reverse("supervision:petition_export"))
    assert response.status_code == 200
    rows = _rows(response)
    assert "举报人" not in rows[0] and "举报人电话" not in rows[0]
    assert sorted(row[0] for row in rows[1:]) == sorted([named_petition.pk, anonymous_petition.pk])
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert _no_reporter(flat)
    assert AuditRecord.objects.filter(action="export", actor=officer_x, object_type="supervision.Petition").exists()


def test_county_admin_export_has_no_reporter_either(client_for, county_admin, named_petition, petition_y):
    rows = _rows(client_for(county_admin).get(reverse("supervision:petition_export")))
    assert len(rows) == 3
    assert _no_reporter(" ".join(str(cell) for row in rows for cell in row))


def test_supervisor_export_includes_the_reporter(client_for, supervisor, named_petition, anonymous_petition):
    rows = _rows(client_for(supervisor).get(reverse("supervision:petition_export")))
    header = rows[0]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_id[named_petition.pk]["举报人"] == "举报人王小明"
    assert by_id[anonymous_petition.pk]["举报人"] == "（匿名）"


def test_admin_list_and_page_never_show_the_reporter(client_for, county_admin, named_petition):
    county_admin.is_staff = True
    county_admin.save()
    client = client_for(county_admin)
    listing = client.get(reverse("admin:supervision_petition_changelist"))
    assert listing.status_code == 200 and named_petition.summary in listing.text
    assert _no_reporter(listing.text)
    page = client.get(reverse("admin:supervision_petition_change", args=[named_petition.pk]))
    assert page.status_code == 200
    assert _no_reporter(page.text) and named_petition.reporter_encrypted not in page.text


def test_petition_steps_cannot_be_edited_in_the_admin(client_for, county_admin, named_petition):
    county_admin.is_staff = True
    county_admin.save()
    step = named_petition.steps.get()
    response = client_for(county_admin).post(
        reverse("admin:supervision_petitionstep_change", args=[step.pk]), {"to_status": "closed"}
    )
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.to_status == "received"


# --- Workflow through the pages ---------------------------------------------------------------------


def test_supervisor_registers_a_petition_with_a_default_deadline(client_for, supervisor, cadre_x):
    response = client_for(supervisor).post(
        reverse("supervision:petition_create"),
        {
            "cadre": cadre_x.pk,
            "channel": "letter",
            "reporter_name": "举报人王小明",
            "reporter_phone": "13912345678",
            "summary": "反映问题",
            "content": "内容",
            "received_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.deadline == D(2026, 3, 6) and petition.township_id == cadre_x.township_id


def test_named_petition_without_reporter_is_refused_with_a_message(client_for, supervisor, cadre_x):
    response = client_for(supervisor).post(
        reverse("supervision:petition_create"),
        {"cadre": cadre_x.pk, "channel": "letter", "summary": "x", "content": "x", "received_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert not Petition.objects.exists()
    assert "举报人" in response.text


def test_supervisor_moves_a_petition_and_out_of_order_is_refused(client_for, supervisor, named_petition):
    client = client_for(supervisor)
    url = reverse("supervision:petition_step", args=[named_petition.pk])
    client.post(url, {"to_status": "assigned", "assigned_to": "X镇纪委"})
    named_petition.refresh_from_db()
    assert named_petition.status == "assigned"
    response = client.post(url, {"to_status": "closed"}, follow=True)
    named_petition.refresh_from_db()
    assert named_petition.status == "assigned"
    assert "按顺序" in response.text


def test_township_user_cannot_register_or_move_petitions(client_for, officer_x, named_petition):
    client = client_for(officer_x)
    assert client.get(reverse("supervision:petition_create")).status_code == 403
    assert (
        client.post(reverse("supervision:petition_step", args=[named_petition.pk]), {"to_status": "assigned"}).status_code == 403
    )
    named_petition.refresh_from_db()
    assert named_petition.status == "received"


def test_finance_has_no_supervision_pages(client_for, finance, named_petition):
    client = client_for(finance)
    assert client.get(reverse("supervision:petition_list")).status_code == 403
    assert client.get(reverse("supervision:petition_export")).status_code == 403
    assert client.get(reverse("supervision:sanction_list")).status_code == 403


def test_overdue_petitions_are_listed_for_supervisors(client_for, supervisor, named_petition):
    services.petitions_flag_overdue(today=D(2026, 3, 7))
    response = client_for(supervisor).get(reverse("supervision:petition_list"))
    assert 'data-testid="overdue-list"' in response.text
    assert named_petition.summary in response.text
    assert client_for(supervisor).get(reverse("supervision:petition_list") + "?overdue=on").text.count("超期") >= 1


# --- Every list page: allowed, refused, scoped, bounded ---------------------------------------------


@pytest.fixture
def supervision_rows(supervisor, officer_x, officer_y, cadre_x, cadre_y, village_x, village_y):
    """A few rows of everything in both townships."""
    for cadre, village, officer in ((cadre_x, village_x, officer_x), (cadre_y, village_y, officer_y)):
        for n in range(3):
            other = CadreFactory(village=village, name=f"{cadre.name}{n}")
            services.petition_create(
                user=supervisor,
                channel="letter",
                summary=f"{cadre.name}案{n}",
                content="x",
                received_on=D(2026, 1, 5),
                cadre=other,
                reporter_name="举报人王小明",
            )
            services.sanction_record(
                user=supervisor, cadre=other, severity="admonition", decided_on=D(2026, 2, 1), description=f"{cadre.name}诫勉{n}"
            )
            services.veto_record(
                user=supervisor, cadre=other, year=2026, occurred_on=D(2026, 2, 1), reason=f"{cadre.name}否决{n}"
            )
            services.investigation_open(user=supervisor, cadre=other, opened_on=D(2026, 2, 1), description=f"{cadre.name}立案{n}")
        inspection = services.inspection_create(
            user=supervisor,
            township=cadre.township,
            villages=[village],
            inspected_on=D(2026, 5, 1),
            team=f"{cadre.name}巡察组",
            findings="x",
        )
        services.rectification_item_add(
            user=supervisor, inspection=inspection, description=f"{cadre.name}整改", deadline=D(2026, 6, 1)
        )
        services.warning_session_create(
            user=supervisor, township=cadre.township, held_on=D(2026, 5, 1), title=f"{cadre.name}警示会", attendees=[cadre]
        )
        services.disclosure_record(
            user=officer, village=village, period_start=D(2026, 1, 1), category="finance", published_on=D(2026, 4, 2)
        )
        dismissed = CadreFactory(village=village, name=f"{cadre.name}清退")
        services.dismissal_record(user=officer, cadre=dismissed, dismissed_on=D(2026, 6, 1), reason="x")
    services.disclosures_flag(today=D(2026, 4, 11))


LIST_PAGES = [
    ("supervision:petition_list", "案0"),
    ("supervision:inspection_list", "巡察组"),
    ("supervision:session_list", "警示会"),
    ("supervision:sanction_list", "诫勉0"),
    ("supervision:veto_list", "否决0"),
    ("supervision:dismissal_list", "清退"),
    ("supervision:disclosure_list", ""),
]


@pytest.mark.parametrize(("url_name", "marker"), LIST_PAGES)
def test_list_pages_are_scoped_to_the_township_and_bounded(
    client_for, officer_x, cadre_x, cadre_y, supervision_rows, url_name, marker, django_assert_max_num_queries
):
    client = client_for(officer_x)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert cadre_y.name not in response.text
    if marker:
        assert f"{cadre_x.name}" in response.text or marker in response.text


@pytest.mark.parametrize(("url_name", "marker"), LIST_PAGES)
def test_list_pages_show_every_township_to_supervisors(
    client_for, supervisor, cadre_x, cadre_y, supervision_rows, url_name, marker, django_assert_max_num_queries
):
    client = client_for(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    if marker:
        assert cadre_x.name in response.text and cadre_y.name in response.text


@pytest.mark.parametrize(("url_name", "marker"), LIST_PAGES)
def test_list_pages_refuse_finance(client_for, finance, url_name, marker):
    assert client_for(finance).get(reverse(url_name)).status_code == 403


def test_investigations_are_hidden_from_township_staff(
    client_for, officer_x, supervisor, supervision_rows, cadre_x, django_assert_max_num_queries
):
    assert client_for(officer_x).get(reverse("supervision:investigation_list")).status_code == 403
    client = client_for(supervisor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("supervision:investigation_list"))
    assert f"{cadre_x.name}0" in response.text


def test_disclosure_page_shows_flags_of_own_villages_only(client_for, officer_x, village_x, village_y, supervision_rows):
    response = client_for(officer_x).get(reverse("supervision:disclosure_list") + "?period=2026-01-01")
    assert 'data-testid="disclosure-flags"' in response.text
    assert village_x.name in response.text and village_y.name not in response.text
    assert "缺失" in response.text


def test_inspection_detail_is_404_for_another_township(client_for, officer_x, supervision_rows):
    from supervision.models import Inspection

    other = Inspection.objects.exclude(township=officer_x.township).get()
    own = Inspection.objects.get(township=officer_x.township)
    client = client_for(officer_x)
    assert client.get(reverse("supervision:inspection_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("supervision:inspection_detail", args=[own.pk])).status_code == 200


def test_township_reports_progress_on_its_rectification_item(client_for, officer_x, officer_y, supervision_rows):
    from supervision.models import Inspection

    inspection = Inspection.objects.get(township=officer_x.township)
    item = inspection.items.get()
    url = reverse("supervision:rectification_item_status", args=[inspection.pk, item.pk])
    assert client_for(officer_y).post(url, {"status": "in_progress"}).status_code == 404
    client_for(officer_x).post(url, {"status": "in_progress"})
    item.refresh_from_db()
    assert item.status == "in_progress" and item.updated_by == officer_x


def test_township_records_a_disclosure_and_cannot_for_another_township(client_for, officer_x, village_x, village_y):
    client = client_for(officer_x)
    data = {"village": village_x.pk, "period_start": "2026-02-10", "category": "policy_benefits", "published_on": "2026-04-03"}
    assert client.post(reverse("supervision:disclosure_create"), data).status_code == 302
    data["village"] = village_y.pk
    response = client.post(reverse("supervision:disclosure_create"), data)
    assert response.status_code == 200  # not a choice for this user: the form refuses it
    from supervision.models import AffairsDisclosure

    assert AffairsDisclosure.objects.filter(village=village_y).count() == 0


def test_dismissal_page_ends_the_post(client_for, officer_x, cadre_x, officer_y):
    assert (
        client_for(officer_y)
        .post(reverse("supervision:dismissal_create"), {"cadre": cadre_x.pk, "dismissed_on": "2026-09-15", "reason": "x"})
        .status_code
        == 200
    )
    cadre_x.refresh_from_db()
    assert cadre_x.is_in_post
    response = client_for(officer_x).post(
        reverse("supervision:dismissal_create"), {"cadre": cadre_x.pk, "dismissed_on": "2026-09-15", "reason": "长期不在岗"}
    )
    assert response.status_code == 302
    cadre_x.refresh_from_db()
    assert cadre_x.status == Cadre.Status.LEFT and cadre_x.left_on == D(2026, 9, 15)


def test_supervisor_cannot_dismiss(client_for, supervisor):
    assert client_for(supervisor).get(reverse("supervision:dismissal_create")).status_code == 403


def test_cadre_file_shows_the_supervision_panel_to_readers_only(client_for, supervisor, finance, cadre_x):
    services.sanction_record(
        user=supervisor, cadre=cadre_x, severity="admonition", decided_on=D(2026, 9, 1), description="诫勉谈话示例"
    )
    response = client_for(supervisor).get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert 'data-testid="supervision-panel"' in response.text and "诫勉谈话示例" in response.text
    response = client_for(finance).get(reverse("cadres:detail", args=[cadre_x.pk]))
    assert 'data-testid="supervision-panel"' not in response.text


@pytest.mark.parametrize(
    "url_name",
    ["petition_create", "inspection_create", "session_create", "sanction_create", "investigation_create", "veto_create"],
)
def test_record_forms_are_for_supervisors_only(client_for, officer_x, supervisor, url_name):
    assert client_for(officer_x).get(reverse(f"supervision:{url_name}")).status_code == 403
    assert client_for(supervisor).get(reverse(f"supervision:{url_name}")).status_code == 200


def test_supervisor_records_a_sanction_through_the_page(client_for, supervisor, cadre_x):
    response = client_for(supervisor).post(
        reverse("supervision:sanction_create"),
        {"cadre": cadre_x.pk, "severity": "party_serious_warning", "decided_on": "2026-03-01", "description": "严重警告"},
    )
    assert response.status_code == 302
    sanction = cadre_x.sanctions.get()
    assert sanction.effective_until == D(2027, 8, 31)


def test_supervision_panel_reads_its_records_in_one_query_and_counts_petitions_in_another(
    supervisor, cadre_x, django_assert_num_queries
):
    from supervision.panels import supervision_panel_context

    services.veto_record(user=supervisor, cadre=cadre_x, year=2026, occurred_on=D(2026, 2, 1), reason="x")
    with django_assert_num_queries(2):
        context = supervision_panel_context(cadre_x, supervisor)
    assert len(context["supervision"]["vetoes"]) == 1


def test_supervision_panel_lists_what_is_in_effect_in_order_and_open_cases_only_to_the_county(
    supervisor, county_approver, officer_x, cadre_x, cadre_y
):
    from supervision.selectors import cadre_supervision_summary

    today = timezone.localdate()
    record = services.sanction_record
    late = record(user=supervisor, cadre=cadre_x, severity="admonition", decided_on=today, description="后")
    early = record(
        user=supervisor, cadre=cadre_x, severity="admonition", decided_on=today - datetime.timedelta(days=30), description="前"
    )
    record(user=supervisor, cadre=cadre_x, severity="admonition", decided_on=D(2020, 1, 1), description="已过期")
    record(user=supervisor, cadre=cadre_y, severity="admonition", decided_on=today, description="别人的")
    v2025 = services.veto_record(user=supervisor, cadre=cadre_x, year=2025, occurred_on=D(2025, 3, 1), reason="甲")
    v2026 = services.veto_record(
        user=supervisor, cadre=cadre_x, year=2026, occurred_on=D(2026, 3, 1), reason="乙", kind=VetoEvent.Kind.MASS_INCIDENT
    )
    revoked = services.veto_record(user=supervisor, cadre=cadre_x, year=2026, occurred_on=D(2026, 4, 1), reason="丙")
    services.veto_revoke(user=supervisor, veto=revoked, reason="误录")
    older = services.investigation_open(
        user=supervisor, cadre=cadre_x, opened_on=today - datetime.timedelta(days=9), description="一"
    )
    newer = services.investigation_open(
        user=supervisor, cadre=cadre_x, opened_on=today - datetime.timedelta(days=2), description="二"
    )
    closed = services.investigation_open(
        user=supervisor, cadre=cadre_x, opened_on=today - datetime.timedelta(days=5), description="三"
    )
    services.investigation_close(user=supervisor, investigation=closed, closed_on=today, conclusion="了结")

    summary = cadre_supervision_summary(cadre=cadre_x, user=county_approver, on=today)
    assert summary["active_sanctions"] == [early, late]
    assert [(s.decided_on, s.description, s.effective_until) for s in summary["active_sanctions"]] == [
        (early.decided_on, "前", early.effective_until),
        (late.decided_on, "后", late.effective_until),
    ]
    assert summary["vetoes"] == [v2026, v2025]
    assert [(v.year, v.get_kind_display(), v.reason) for v in summary["vetoes"]] == [
        (2026, VetoEvent.Kind.MASS_INCIDENT.label, "乙"),
        (2025, VetoEvent.Kind.OTHER.label, "甲"),
    ]
    assert summary["open_investigations"] == [newer, older]
    assert [(c.opened_on, c.description) for c in summary["open_investigations"]] == [
        (newer.opened_on, "二"),
        (older.opened_on, "一"),
    ]
    # The records are loaded in part; any other field still reads correctly (on access).
    assert summary["active_sanctions"][0].severity == "admonition" and summary["vetoes"][0].cadre == cadre_x
    assert cadre_supervision_summary(cadre=cadre_x, user=officer_x, on=today)["open_investigations"] == []


def test_supervisor_revokes_a_veto_and_concludes_a_case_through_the_pages(client_for, supervisor, officer_x, cadre_x):
    veto = services.veto_record(user=supervisor, cadre=cadre_x, year=2026, occurred_on=D(2026, 2, 1), reason="x")
    case = services.investigation_open(user=supervisor, cadre=cadre_x, opened_on=D(2026, 2, 1), description="x")
    assert client_for(officer_x).post(reverse("supervision:veto_revoke", args=[veto.pk]), {"reason": "误录"}).status_code == 403
    client = client_for(supervisor)
    assert client.post(reverse("supervision:veto_revoke", args=[veto.pk]), {"reason": "误录"}).status_code == 302
    response = client.post(
        reverse("supervision:investigation_close", args=[case.pk]), {"closed_on": "2026-03-01", "conclusion": "不成立"}
    )
    assert response.status_code == 302
    veto.refresh_from_db()
    case.refresh_from_db()
    assert veto.revoked_by == supervisor and case.closed_on == D(2026, 3, 1) and case.closed_by == supervisor
