"""The Excel exports of the supervision list pages: each list's columns, defined once (cadre_mgmt.listexport).

The views pass the rows their page shows (scoped by the selectors, with the page's filters); who may read a
column is decided here only for the petition's reporter and full text (``Petition.reporter_for``/``content_for``).
"""

from operator import attrgetter

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.listexport import Column, ListExport, cadre_columns

from . import rules


def _yes(flag):
    return "是" if flag else "否"


# The petition export keeps the column titles it had (tests and users know them).
def _petition_reporter_columns(user):
    if not user.is_supervisor:
        return ()

    def reporter(petition):
        return petition.reporter_for(user) or {}

    return (
        Column("举报人", lambda p: reporter(p).get("name", "（匿名）" if p.anonymous else ""), 12),
        Column("举报人电话", lambda p: reporter(p).get("phone", ""), 14),
        Column("全文", lambda p: p.content_for(user), 60),
    )


def _petition_summary(user):
    scope = "（含举报人）" if user.is_supervisor else "（不含举报人）"
    return "导出信访举报 %(count)s 件" + scope


PETITIONS = ListExport(
    name="petitions",
    sheet="信访举报",
    object_type="supervision.Petition",
    summary="导出信访举报 %(count)s 件",
    summary_for=_petition_summary,
    columns=(
        Column("编号", attrgetter("pk"), 8),
        Column("乡镇", lambda p: p.township.name, 10),
        Column("村", lambda p: p.village.name if p.village else "", 12),
        Column("被反映人", lambda p: p.cadre.name if p.cadre else "", 10),
        Column("来源渠道", lambda p: p.get_channel_display(), 10),
        Column("是否匿名", lambda p: _yes(p.anonymous), 8),
        Column("摘要", attrgetter("summary_shown"), 40),
        Column("收件日期", attrgetter("received_on"), 12),
        Column("办理期限", attrgetter("deadline"), 12),
        Column("状态", lambda p: p.get_status_display(), 10),
        Column("承办", attrgetter("assigned_to"), 14),
        Column("办理结论", lambda p: p.get_conclusion_display() if p.conclusion else "", 12),
        Column("超期", lambda p: "超期" if p.is_open and p.overdue_since else "", 6),
    ),
    extra_columns=_petition_reporter_columns,
)

INSPECTIONS = ListExport(
    name="inspections",
    sheet=_("Inspections"),
    object_type="supervision.Inspection",
    summary=_("Exported inspections: %(count)s"),
    columns=(
        Column(_("inspected on"), attrgetter("inspected_on"), 12),
        Column(_("township"), lambda i: i.township.name, 10),
        Column(_("team"), attrgetter("team"), 20),
        Column(_("villages"), lambda i: "、".join(v.name for v in i.villages.all()), 30),
        Column(_("findings"), attrgetter("findings"), 50),
        Column(_("Rectification items"), attrgetter("item_count"), 10),
        Column(_("Not yet rectified"), attrgetter("open_items"), 10),
    ),
)


def disclosure_cells(rows):
    """The disclosure grid of a period as one line per village and category."""
    for row in rows:
        for cell in row.cells:
            yield row.village, cell


def _problem(village_cell):
    cell = village_cell[1]
    return {"missing": _("Missing"), "late": _("Late")}.get(cell["problem"], "")


DISCLOSURES = ListExport(
    name="disclosures",
    sheet=_("Affairs disclosure"),
    object_type="supervision.AffairsDisclosure",
    summary=_("Exported the affairs disclosure of a period: %(count)s lines"),
    columns=(
        Column(_("township"), lambda vc: vc[0].township.name, 10),
        Column(_("village"), lambda vc: vc[0].name, 12),
        Column(_("category"), lambda vc: vc[1]["label"], 14),
        Column(_("due on"), lambda vc: vc[1]["due_on"], 12),
        Column(_("published on"), lambda vc: vc[1]["disclosure"].published_on if vc[1]["disclosure"] else None, 12),
        Column(_("note"), lambda vc: vc[1]["disclosure"].note if vc[1]["disclosure"] else "", 30),
        Column(_("problem"), _problem, 8),
    ),
)

SESSIONS = ListExport(
    name="warning-education",
    sheet=_("Warning education"),
    object_type="supervision.WarningEducationSession",
    summary=_("Exported warning education sessions: %(count)s"),
    columns=(
        Column(_("held on"), attrgetter("held_on"), 12),
        Column(_("township"), lambda s: s.township.name, 10),
        Column(_("title"), attrgetter("title"), 30),
        Column(_("location"), attrgetter("location"), 16),
        Column(_("content"), attrgetter("content"), 40),
        Column(_("attendees"), attrgetter("attendee_count"), 8),
    ),
)


def _sanction_in_effect(sanction):
    active = rules.sanction_active_on(
        decided_on=sanction.decided_on, effective_until=sanction.effective_until, day=timezone.localdate()
    )
    return _("In effect") if active else _("Expired")


SANCTIONS = ListExport(
    name="sanctions",
    sheet=_("Sanctions"),
    object_type="supervision.Sanction",
    summary=_("Exported sanctions: %(count)s"),
    columns=(
        Column(_("decided on"), attrgetter("decided_on"), 12),
        *cadre_columns(),
        Column(_("type"), lambda s: s.get_severity_display(), 16),
        Column(_("effective until"), attrgetter("effective_until"), 12),
        Column(_("status"), _sanction_in_effect, 8),
        Column(_("deciding authority"), attrgetter("decided_by_body"), 14),
        Column(_("description"), attrgetter("description"), 40),
    ),
)


def _investigation_status(case):
    if case.closed_on:
        return _("Concluded")
    return _("Case open") + ("（" + str(_("Suspended")) + "）" if case.suspended else "")


INVESTIGATIONS = ListExport(
    name="investigations",
    sheet=_("Investigations"),
    object_type="supervision.Investigation",
    summary=_("Exported investigations: %(count)s"),
    columns=(
        Column(_("opened on"), attrgetter("opened_on"), 12),
        *cadre_columns(),
        Column(_("description"), attrgetter("description"), 40),
        Column(_("status"), _investigation_status, 10),
        Column(_("concluded on"), attrgetter("closed_on"), 12),
        Column(_("conclusion"), attrgetter("conclusion"), 30),
    ),
)

VETOES = ListExport(
    name="vetoes",
    sheet=_("One-vote vetoes"),
    object_type="supervision.VetoEvent",
    summary=_("Exported one-vote vetoes: %(count)s"),
    columns=(
        Column(_("assessment year"), attrgetter("year"), 8),
        Column(_("occurred on"), attrgetter("occurred_on"), 12),
        *cadre_columns(),
        Column(_("kind"), lambda v: v.get_kind_display(), 14),
        Column(_("reason"), attrgetter("reason"), 40),
        Column(_("status"), lambda v: _("In effect") if v.is_active else _("Revoked"), 8),
        Column(_("revoked by"), lambda v: str(v.revoked_by) if v.revoked_by else "", 10),
        Column(_("reason for revoking"), attrgetter("revoke_reason"), 30),
    ),
)

DISMISSALS = ListExport(
    name="dismissals",
    sheet=_("Dismissals"),
    object_type="supervision.Dismissal",
    summary=_("Exported dismissals: %(count)s"),
    columns=(
        Column(_("dismissed on"), attrgetter("dismissed_on"), 12),
        *cadre_columns(),
        Column(_("reason"), attrgetter("reason"), 40),
        Column(_("recorded by"), lambda d: str(d.decided_by), 10),
    ),
)
