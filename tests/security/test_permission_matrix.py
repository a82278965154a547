"""The permission matrix: every URL of the project × every role × a township-X and a township-Y object.

The expected status of each cell is written once, in ``MATRIX`` below. ``test_every_url_is_in_the_matrix``
walks the URL resolver (so a new page cannot be forgotten) and fails on a URL name missing from the table
or a table row whose URL no longer exists. ``test_permission_matrix`` seeds the demo data once (two
townships, objects of every kind), then requests every cell and reports every mismatch in one table.

Notation of a row: six cells, ``anonymous | county_admin | county_approver | township_x | supervisor |
finance``. A cell is one status for both objects, or ``X/Y`` when the X object and the Y object differ
(``200/404``: township staff read their township and get a 404 for another's). ``login`` is a redirect
to the login page, ``redir`` any other redirect (a page that sends the user on, e.g. home → dashboard).

Rows starting with ``POST`` are write-only URLs: a GET is a 405 for every signed-in role, and the cells
are the statuses of an empty POST (CSRF checks off). ``ok`` marks a role that may write: its POST is not
sent here (the features' own tests prove the writes); every other role's POST is sent and must be refused
(403/404/login) with nothing written: the number of audit records is the probe, since every service
write records one.

Kwargs: ``TARGETS`` maps a URL name to a function(township) → (kwargs, query) for an object of that
township. URLs without an object get ``?township=<id>`` (the township picker of county pages; township
staff's pages ignore it and show their own township, so their X and Y cells are both 200).

Excluded from the walk: ``admin:*`` — Django's admin has its own permission system (is_staff plus model
permissions, proved in tests/accounts), and the URL name set changes with every registered model — and
static files (not a URL pattern when DEBUG is off; whitenoise serves them outside the resolver).
"""

import datetime
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "county_admin", "county_approver", "township_x", "supervisor", "finance"]
EXCLUDED_NAMESPACES = ("admin",)


def url_names(resolver=None, namespace=()):
    """Every named URL of the project as "namespace:name" (nested namespaces joined with ':')."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            if inner and inner[0] in EXCLUDED_NAMESPACES:
                continue
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                # The API's catch-all JSON 404 (cadre_mgmt/api/urls.py) is the only unnamed pattern.
                yield ":".join((*namespace, "<unnamed>"))
            else:
                yield ":".join((*namespace, pattern.name))


# ---------------------------------------------------------------------------------------------- table

#                          anonymous | county_admin | county_approver | township_x | supervisor | finance
SIGNED_IN = "login | 200 | 200 | 200 | 200 | 200"
SIGNED_IN_OWN_TOWNSHIP = "login | 200 | 200 | 200/404 | 200 | 200"
ASSESSMENT_READERS = "login | 200 | 200 | 200 | 403 | 403"  # county users and township staff; not supervision, not finance
ASSESSMENT_OBJECT = "login | 200 | 200 | 200/404 | 403 | 403"
TOWNSHIP_WRITERS = "login | 200 | 403 | 200 | 403 | 403"  # township_allowed_for_user: county admin + own township staff
TOWNSHIP_WRITERS_OBJECT = "login | 200 | 403 | 200/404 | 403 | 403"
COUNTY_READERS = "login | 200 | 200 | 403 | 403 | 403"  # county-wide runs: township staff read their proposals instead
COUNTY_ADMIN_ONLY = "login | 200 | 403 | 403 | 403 | 403"
INCENTIVE_READERS = "login | 200 | 200 | 200 | 403 | 200"  # finance pays aid and pay scales; supervision has no business here
SUPERVISION_READERS = "login | 200 | 200 | 200 | 200 | 403"  # township staff see their township's records, never a reporter
SUPERVISION_OBJECT = "login | 200 | 200 | 200/404 | 200 | 403"
SUPERVISOR_WRITES = "login | 403 | 403 | 403 | 200 | 403"  # the discipline commission records; the county admin does not
API_SIGNED_IN = "401 | 200 | 200 | 200 | 200 | 200"
API_ASSESSMENT_READERS = "401 | 200 | 200 | 200 | 403 | 403"
ME_PAGE = "login | 404 | 404 | 404 | 404 | 404"  # a cadre's own pages: nobody else has a cadre file of their own
API_ME = "401 | 403 | 403 | 403 | 403 | 403"
# Write-only URLs: "ok" = may write (not sent here); the other cells are the refusal of an empty POST.
POST_TOWNSHIP_WRITERS = "POST login | ok | 403 | ok | 403 | 403"
POST_TOWNSHIP_WRITERS_OBJECT = "POST login | ok | 403 | ok/404 | 403 | 403"
POST_COUNTY_APPROVERS = "POST login | ok | ok | 403 | 403 | 403"  # approvals: is_county_approver (the admin is one too)
POST_COUNTY_ADMIN_ONLY = "POST login | ok | 403 | 403 | 403 | 403"

# Pages whose GET is open to readers but whose POST is a write of fewer roles: the POST row is probed too.
POST_OF_READ_PAGES = {
    "assessments:ledger": "POST login | ok | 403 | ok | 403 | 403",
    "ranks:grading_approve_all": POST_COUNTY_APPROVERS,
    "assessments:evaluation_list": "POST login | ok | 403 | ok | 403 | 403",  # opening a round
}

MATRIX = {
    "home": "login | redir | redir | redir | redir | redir",  # → the dashboard
    "favicon": "redir | redir | redir | redir | redir | redir",  # → the static icon, for everyone
    # accounts ------------------------------------------------------------------------------------
    "accounts:login": "200 | redir | redir | redir | redir | redir",  # a signed-in user is sent on
    # Logout is POST-only for everyone (a GET cannot sign anybody out); its POST is the sign-out itself.
    "accounts:logout": "405 | 405 | 405 | 405 | 405 | 405",
    "accounts:password_change": SIGNED_IN,
    # Every signed-in user may end all their own sessions and API tokens (POST-only, like logout).
    "accounts:logout_everywhere": "POST login | ok | ok | ok | ok | ok",
    # Second factor (tests/accounts/test_second_factor.py): a verified session is sent on from enrolment and
    # the code page; the enrolment QR code exists only while a device is being enrolled.
    "accounts:second_factor_enrol": "login | redir | redir | redir | redir | redir",
    "accounts:second_factor_qr": "login | 404 | 404 | 404 | 404 | 404",
    "accounts:second_factor_verify": "login | redir | redir | redir | redir | redir",
    # cadres (DESIGN §1: township staff their own township; county, supervision and finance read all) ------
    # Judgment call (cadres core): finance reads cadre files and the list export (masked IDs) because the
    # roster it pays from is built from them; it writes nothing.
    "cadres:list": SIGNED_IN,
    "cadres:export": SIGNED_IN,
    "cadres:detail": SIGNED_IN_OWN_TOWNSHIP,
    "cadres:create": TOWNSHIP_WRITERS,
    "cadres:import": TOWNSHIP_WRITERS,
    "cadres:import_template": TOWNSHIP_WRITERS,
    "cadres:edit": TOWNSHIP_WRITERS_OBJECT,
    "cadres:leave": TOWNSHIP_WRITERS_OBJECT,
    # audit log: county administrator only --------------------------------------------------------------
    "audit:list": COUNTY_ADMIN_ONLY,
    "audit:detail": COUNTY_ADMIN_ONLY,
    "audit:export": COUNTY_ADMIN_ONLY,
    # A queued cadre import is its requester's (and the county administrator's); other ids answer 404.
    "cadres:import_job": "login | 200 | 404 | 200/404 | 404 | 404",
    # ranks: rosters ---------------------------------------------------------------------------------------
    # Every role reads rosters in its scope (township staff: their township's lines; finance: all).
    "ranks:dashboard": SIGNED_IN,
    "ranks:roster": SIGNED_IN,
    "ranks:roster_changes": SIGNED_IN,
    "ranks:roster_export": SIGNED_IN,
    # A large export is a job of the user who asked for it: nobody else (not even the county) reads its
    # status or downloads its file (the X export here was asked by township_x, the Y one by township_y).
    "ranks:roster_export_status": "login | 404 | 404 | 200/404 | 404 | 404",
    "ranks:roster_export_download": "login | 404 | 404 | 200/404 | 404 | 404",
    "ranks:roster_generate": POST_COUNTY_APPROVERS,
    "ranks:roster_lock": POST_COUNTY_APPROVERS,
    # A failed export is started again by the user who asked for it only.
    "ranks:roster_export_restart": "POST login | 404 | 404 | ok/404 | 404 | 404",
    # ranks: initial grading ---------------------------------------------------------------------------------
    "ranks:grading": ASSESSMENT_READERS,
    "ranks:grading_export": ASSESSMENT_READERS,  # the export of the list page, same readers
    "ranks:grading_submit": TOWNSHIP_WRITERS_OBJECT,
    "ranks:grading_submit_batch": POST_TOWNSHIP_WRITERS,
    "ranks:grading_approve_batch": POST_COUNTY_APPROVERS,
    "ranks:grading_reject": COUNTY_READERS,  # the approver's rejection form
    "ranks:grading_approve_all": COUNTY_READERS,  # the confirmation of "approve all that match"; its POST approves
    # ranks: settings (county administrator) -------------------------------------------------------------------
    "ranks:settings": COUNTY_ADMIN_ONLY,
    "ranks:settings_ladder": POST_COUNTY_ADMIN_ONLY,
    "ranks:settings_schedule": POST_COUNTY_ADMIN_ONLY,
    "ranks:settings_rule": POST_COUNTY_ADMIN_ONLY,
    "ranks:settings_posts": POST_COUNTY_ADMIN_ONLY,
    # The correction of an approved rank change (DESIGN §3): its confirmation page, county approvers only.
    "ranks:rank_change_reverse": "login | 200 | 200 | 403 | 403 | 403",
    "ranks:review_settings": COUNTY_ADMIN_ONLY,
    # ranks: promotion review -----------------------------------------------------------------------------------
    "ranks:reviews": COUNTY_READERS,
    "ranks:review_export": COUNTY_READERS,  # the export of the list page, same readers
    "ranks:review_detail": COUNTY_READERS,
    "ranks:review_progress": COUNTY_READERS,
    "ranks:review_resume": POST_COUNTY_ADMIN_ONLY,  # a run is started (and resumed) by the county administrator
    "ranks:proposals": ASSESSMENT_READERS,
    "ranks:proposal_export": ASSESSMENT_READERS,  # the export of the list page, same readers
    "ranks:proposal_detail": ASSESSMENT_OBJECT,
    "ranks:proposal_attachment": ASSESSMENT_OBJECT,  # a round's document: whoever reads the proposal
    "ranks:proposal_submit": POST_TOWNSHIP_WRITERS_OBJECT,
    "ranks:proposal_submit_batch": POST_TOWNSHIP_WRITERS,
    "ranks:proposal_approve": POST_COUNTY_APPROVERS,
    "ranks:proposal_reject": POST_COUNTY_APPROVERS,
    "ranks:proposal_decide_batch": POST_COUNTY_APPROVERS,
    # assessments: township staff write their own township; county users read (?township=), the county
    # administrator may also write; supervision and finance have no part in it ------------------------------
    "assessments:overview": ASSESSMENT_READERS,
    "assessments:ledger": ASSESSMENT_READERS,  # its POST (the entry form) is TOWNSHIP_WRITERS, probed below
    "assessments:ledger_cadres": ASSESSMENT_READERS,
    "assessments:ledger_export": ASSESSMENT_READERS,
    "assessments:ledger_edit": TOWNSHIP_WRITERS_OBJECT,
    "assessments:ledger_delete": POST_TOWNSHIP_WRITERS_OBJECT,
    "assessments:ledger_attachment": ASSESSMENT_OBJECT,
    "assessments:quarter": ASSESSMENT_READERS,
    "assessments:quarter_open": POST_TOWNSHIP_WRITERS,
    "assessments:quarter_close": POST_TOWNSHIP_WRITERS,
    "assessments:quarter_areas": TOWNSHIP_WRITERS,
    "assessments:quarter_import": TOWNSHIP_WRITERS,
    "assessments:quarter_template": ASSESSMENT_READERS,
    "assessments:year": ASSESSMENT_READERS,
    "assessments:year_export": ASSESSMENT_READERS,
    "assessments:year_settings": TOWNSHIP_WRITERS,
    "assessments:year_finalize": TOWNSHIP_WRITERS,
    "assessments:year_confirm": POST_COUNTY_APPROVERS,
    "assessments:year_return": POST_COUNTY_APPROVERS,
    # villagers' evaluation (assessments/evaluation): the assessment readers read, township writers write;
    # the ballot pages are public (no account): an unknown code is a 404 for everyone.
    "assessments:evaluation_list": ASSESSMENT_READERS,
    "assessments:evaluation_detail": ASSESSMENT_OBJECT,
    "assessments:evaluation_export": ASSESSMENT_OBJECT,
    "assessments:evaluation_slips": POST_TOWNSHIP_WRITERS_OBJECT,
    "assessments:evaluation_void": POST_TOWNSHIP_WRITERS_OBJECT,
    "assessments:evaluation_close": POST_TOWNSHIP_WRITERS_OBJECT,
    "assessments:evaluation_paper": POST_TOWNSHIP_WRITERS_OBJECT,
    "assessments:evaluation_paper_confirm": POST_TOWNSHIP_WRITERS_OBJECT,
    "assessments:evaluation_override": POST_TOWNSHIP_WRITERS_OBJECT,
    "evaluation_start": "200 | 200 | 200 | 200 | 200 | 200",
    "evaluation_thanks": "200 | 200 | 200 | 200 | 200 | 200",
    "evaluation_ballot": "404 | 404 | 404 | 404 | 404 | 404",
    # incentives -------------------------------------------------------------------------------------------------
    "incentives:commendation_list": INCENTIVE_READERS,
    "incentives:commendation_export": INCENTIVE_READERS,  # the export of the list page, same readers
    "incentives:commendation_create": TOWNSHIP_WRITERS,
    "incentives:training_list": INCENTIVE_READERS,
    "incentives:training_export": INCENTIVE_READERS,  # the export of the list page, same readers
    "incentives:training_create": TOWNSHIP_WRITERS,
    "incentives:insurance_list": INCENTIVE_READERS,
    "incentives:insurance_export": INCENTIVE_READERS,  # the export of the list page, same readers
    "incentives:insurance_create": TOWNSHIP_WRITERS,
    "incentives:recommendation_list": INCENTIVE_READERS,
    "incentives:recommendation_export": INCENTIVE_READERS,  # the export of the list page, same readers
    "incentives:recommendation_create": TOWNSHIP_WRITERS,
    "incentives:recommendation_outcome": POST_TOWNSHIP_WRITERS_OBJECT,
    "incentives:aid_list": INCENTIVE_READERS,
    "incentives:aid_export": INCENTIVE_READERS,  # the export of the list page, same readers
    "incentives:aid_create": TOWNSHIP_WRITERS,
    "incentives:aid_detail": "login | 200 | 200 | 200/404 | 403 | 200",
    # The step allowed depends on the aid's state: the X aid waits for the township's review (the county
    # approver is refused, 403), the Y aid for the county's approval (township_x gets a 404: another
    # township's). Finance records the payment only once approved: refused at these two states.
    "incentives:aid_step": "POST login | ok | 403/ok | ok/404 | 403 | 403",
    "incentives:pay_scale_list": INCENTIVE_READERS,
    "incentives:pay_scale_export": INCENTIVE_READERS,  # the export of the list page, same readers
    # reserve pool, Party-branch meetings, revitalization projects: the readers of the assessments they
    # stand beside (county roles, township staff); township staff and the county administrator write ---------
    "incentives:reserve_list": ASSESSMENT_READERS,
    "incentives:reserve_create": TOWNSHIP_WRITERS,
    "incentives:reserve_overview": ASSESSMENT_READERS,
    "incentives:reserve_overview_export": ASSESSMENT_READERS,  # the export of the overview, same readers
    "incentives:reserve_import": TOWNSHIP_WRITERS,
    "incentives:reserve_import_template": TOWNSHIP_WRITERS,
    "incentives:reserve_pool_setting": COUNTY_ADMIN_ONLY,
    "incentives:reserve_detail": ASSESSMENT_OBJECT,
    "incentives:reserve_edit": TOWNSHIP_WRITERS_OBJECT,
    "incentives:reserve_appoint": TOWNSHIP_WRITERS_OBJECT,
    "incentives:reserve_cultivate": POST_TOWNSHIP_WRITERS_OBJECT,
    "incentives:reserve_withdraw": POST_TOWNSHIP_WRITERS_OBJECT,
    "incentives:reserve_training": POST_TOWNSHIP_WRITERS_OBJECT,
    "incentives:reserve_assessment": POST_TOWNSHIP_WRITERS_OBJECT,
    "incentives:meeting_list": ASSESSMENT_READERS,
    "incentives:meeting_create": TOWNSHIP_WRITERS,
    "incentives:project_list": ASSESSMENT_READERS,
    "incentives:project_create": TOWNSHIP_WRITERS,
    # supervision (the supervision helper's decisions: the supervisor records; township staff read their
    # township's petitions without the reporter, never investigations; finance has no access) ------------------
    "supervision:petition_list": SUPERVISION_READERS,
    "supervision:petition_export": SUPERVISION_READERS,
    "supervision:petition_detail": SUPERVISION_OBJECT,
    "supervision:petition_create": SUPERVISOR_WRITES,
    "supervision:petition_step": "POST login | 403 | 403 | 403 | ok | 403",
    "supervision:inspection_list": SUPERVISION_READERS,
    "supervision:inspection_export": SUPERVISION_READERS,  # the export of the list page, same readers
    "supervision:inspection_create": SUPERVISOR_WRITES,
    "supervision:inspection_detail": SUPERVISION_OBJECT,
    "supervision:rectification_item_create": SUPERVISOR_WRITES,
    # Rectification is the township's work: its staff (and the county administrator) and the supervisor
    # move an item's status.
    "supervision:rectification_item_status": "POST login | ok | 403 | ok/404 | ok | 403",
    "supervision:disclosure_list": SUPERVISION_READERS,
    "supervision:disclosure_export": SUPERVISION_READERS,  # the export of the list page, same readers
    "supervision:disclosure_create": TOWNSHIP_WRITERS,  # villages' disclosures are entered by the township
    "supervision:session_list": SUPERVISION_READERS,
    "supervision:session_export": SUPERVISION_READERS,  # the export of the list page, same readers
    "supervision:session_create": SUPERVISOR_WRITES,
    "supervision:session_detail": SUPERVISION_OBJECT,
    "supervision:sanction_list": SUPERVISION_READERS,
    "supervision:sanction_export": SUPERVISION_READERS,  # the export of the list page, same readers
    "supervision:sanction_create": SUPERVISOR_WRITES,
    "supervision:investigation_list": "login | 200 | 200 | 403 | 200 | 403",
    "supervision:investigation_export": "login | 200 | 200 | 403 | 200 | 403",
    "supervision:investigation_create": SUPERVISOR_WRITES,
    "supervision:investigation_close": SUPERVISOR_WRITES,
    "supervision:veto_list": SUPERVISION_READERS,
    "supervision:veto_export": SUPERVISION_READERS,  # the export of the list page, same readers
    "supervision:veto_create": SUPERVISOR_WRITES,
    "supervision:veto_revoke": SUPERVISOR_WRITES,
    "supervision:dismissal_list": SUPERVISION_READERS,
    "supervision:dismissal_export": SUPERVISION_READERS,  # the export of the list page, same readers
    # Judgment call (supervision helper): a dismissal ends a post, so it is the township's (or the county
    # administrator's) record, like leaving post; the sanction that justifies it is the supervisor's.
    "supervision:dismissal_create": TOWNSHIP_WRITERS,
    # API (anonymous: 401 JSON; the same scoping as the pages) -----------------------------------------------
    "api:<unnamed>": "404 | 404 | 404 | 404 | 404 | 404",  # the JSON 404 for anything else under /api/
    "api:schema": API_SIGNED_IN,
    "api:docs": SIGNED_IN,  # an HTML page: anonymous users are sent to sign in
    "api:token": "405 | 405 | 405 | 405 | 405 | 405",  # POST-only: its POST is the sign-in (tests/api/test_auth.py)
    "api:township-list": API_SIGNED_IN,
    "api:village-list": API_SIGNED_IN,
    "api:cadre-list": API_SIGNED_IN,
    "api:cadre-detail": "401 | 200 | 200 | 200/404 | 200 | 200",
    "api:ledger-category-list": API_ASSESSMENT_READERS,
    "api:evaluation-round-list": API_ASSESSMENT_READERS,
    "api:evaluation-round-detail": "401 | 200 | 200 | 200/404 | 403 | 403",
    "api:evaluation-round-results": "401 | 200 | 200 | 200/404 | 403 | 403",
    "api:ledger-entry-list": API_ASSESSMENT_READERS,
    "api:ledger-entry-detail": "401 | 200 | 200 | 200/404 | 403 | 403",
    "api:reserve-list": API_ASSESSMENT_READERS,
    "api:reserve-detail": "401 | 200 | 200 | 200/404 | 403 | 403",
    "api:reserve-pool": API_ASSESSMENT_READERS,
    # Scores lists need ?year= (a 400 names the missing filter) — the refusal of the others comes first.
    "api:quarterly-assessment-list": "401 | 400 | 400 | 400 | 403 | 403",
    "api:annual-assessment-list": "401 | 400 | 400 | 400 | 403 | 403",
    "api:rank-change-list": API_SIGNED_IN,
    "api:roster-list": API_SIGNED_IN,
    "api:roster-detail": "401 | 200 | 200 | 200/404 | 200 | 200",
    "api:roster-export": API_SIGNED_IN,  # township staff get their own township's workbook
    "api:promotion-review-list": "401 | 200 | 200 | 403 | 403 | 403",
    "api:promotion-review-detail": "401 | 200 | 200 | 403 | 403 | 403",
    "api:proposal-list": API_ASSESSMENT_READERS,
    "api:proposal-detail": "401 | 200 | 200 | 200/404 | 403 | 403",
    "api:proposal-submit": "POST 401 | ok | 403 | ok/404 | 403 | 403",
    "api:proposal-approve": "POST 401 | ok | ok | 403 | 403 | 403",
    "api:proposal-reject": "POST 401 | ok | ok | 403 | 403 | 403",
    # Cadre self-service and appeals (DESIGN §12). A cadre's own pages (me:) are a 404 for every other role;
    # the cadre role itself is probed over every URL by test_cadre_account_reaches_only_its_own_pages below.
    "me:file": ME_PAGE,
    "me:proposal": ME_PAGE,
    "me:appeals": ME_PAGE,
    "me:appeal_new": ME_PAGE,
    "me:appeal_detail": ME_PAGE,
    "me:appeal_attachment": ME_PAGE,
    "me:notices": ME_PAGE,
    "me:notices_read": "POST login | 404 | 404 | 404 | 404 | 404",
    "ranks:appeals": ASSESSMENT_READERS,
    "ranks:appeal_detail": ASSESSMENT_OBJECT,
    "ranks:appeal_attachment": ASSESSMENT_OBJECT,
    "ranks:appeal_comment": "POST login | 403 | 403 | ok/404 | 403 | 403",  # the township's own staff comment
    "ranks:appeal_decide": POST_COUNTY_APPROVERS,
    "ranks:cadre_account_issue": POST_TOWNSHIP_WRITERS_OBJECT,
    "ranks:cadre_account_disable": POST_TOWNSHIP_WRITERS_OBJECT,
    "api:me-file": API_ME,
    "api:me-allowance": API_ME,
    "api:me-proposals": API_ME,
    "api:me-appeals": API_ME,
    "api:appeal-list": API_ASSESSMENT_READERS,
}


# ---------------------------------------------------------------------------------------------- objects


def _first(qs):
    obj = qs.order_by("pk").first()
    assert obj is not None, f"seed_demo made no {qs.model.__name__} for this township"
    return obj


def _pk(model, **lookup):
    return lambda t: ({"pk": _first(model.objects.filter(**{k: (t if v is TOWNSHIP else v) for k, v in lookup.items()})).pk}, {})


TOWNSHIP = object()


def build_targets():
    from assessments.models import EvaluationRound, LedgerEntry, PaperTally, SlipBatch
    from cadre_mgmt.audit.models import AuditRecord
    from cadre_mgmt.cadres.models import Cadre, CadreImport
    from incentives.models import HardshipAid, PoliticalRecommendation, Reserve
    from ranks.models import InitialGrading, PromotionReview, Proposal, ProposalAttachment, RankChange, Roster, RosterExport
    from supervision.models import (
        Inspection,
        Investigation,
        Petition,
        RectificationItem,
        VetoEvent,
        WarningEducationSession,
    )

    roster = lambda t: ({"pk": Roster.objects.order_by("-month").first().pk}, {})  # noqa: E731 (county-wide)
    review = lambda t: ({"pk": PromotionReview.objects.order_by("pk").first().pk}, {})  # noqa: E731 (county-wide)
    audit = lambda t: ({"pk": AuditRecord.objects.order_by("pk").first().pk}, {})  # noqa: E731 (not township data)
    month = lambda t: ({"month": Roster.objects.order_by("-month").first().month.strftime("%Y-%m")}, {"township": t.pk})  # noqa: E731

    def quarter(t):
        return {"year": 2026, "quarter": 4}, {"township": t.pk}  # the demo's open quarter

    def year(t):
        return {"year": 2026}, {"township": t.pk}  # the demo's open year

    def item(t):
        obj = _first(RectificationItem.objects.filter(village__township=t))
        return {"pk": obj.inspection_id, "item_pk": obj.pk}, {}

    def open_round(t):
        return {"pk": _first(EvaluationRound.objects.filter(township=t, status="open")).pk}, {}

    def batch(t):
        obj = _first(SlipBatch.objects.filter(round__township=t, round__status="open"))
        return {"pk": obj.round_id, "batch": obj.pk}, {}

    def tally(t):
        obj = _first(PaperTally.objects.filter(round__township=t, round__status="open"))
        return {"pk": obj.round_id, "tally": obj.pk}, {}

    evaluation = {
        f"assessments:evaluation_{name}": open_round for name in ("detail", "export", "slips", "close", "paper", "override")
    }
    evaluation |= {"assessments:evaluation_void": batch, "assessments:evaluation_paper_confirm": tally}
    evaluation |= {f"api:evaluation-round-{name}": open_round for name in ("detail", "results")}
    evaluation["evaluation_ballot"] = lambda t: ({"code": "ABCDEFGHJK"}, {})

    return {
        **evaluation,
        "cadres:detail": _pk(Cadre, township=TOWNSHIP),
        "cadres:edit": _pk(Cadre, township=TOWNSHIP),
        "cadres:leave": _pk(Cadre, township=TOWNSHIP),
        "audit:detail": audit,
        "cadres:import_job": _pk(CadreImport, requested_by__township=TOWNSHIP),
        "ranks:roster_lock": roster,
        "ranks:roster_export": roster,
        "ranks:roster_export_status": _pk(RosterExport, township=TOWNSHIP),
        "ranks:roster_export_download": _pk(RosterExport, township=TOWNSHIP),
        "ranks:roster_export_restart": _pk(RosterExport, township=TOWNSHIP),
        "ranks:rank_change_reverse": _pk(RankChange, cadre__township=TOWNSHIP),
        "ranks:grading_submit": lambda t: ({"cadre_pk": _first(Cadre.objects.filter(township=t)).pk}, {}),
        "ranks:grading_reject": _pk(InitialGrading, township=TOWNSHIP),
        "ranks:review_detail": review,
        "ranks:review_progress": review,
        "ranks:review_resume": review,
        "ranks:proposal_detail": _pk(Proposal, township=TOWNSHIP),
        "ranks:proposal_attachment": _pk(ProposalAttachment, step__proposal__township=TOWNSHIP),
        "ranks:proposal_submit": _pk(Proposal, township=TOWNSHIP),
        "ranks:proposal_approve": _pk(Proposal, township=TOWNSHIP),
        "ranks:proposal_reject": _pk(Proposal, township=TOWNSHIP),
        "assessments:ledger_edit": _pk(LedgerEntry, township=TOWNSHIP),
        "assessments:ledger_delete": _pk(LedgerEntry, township=TOWNSHIP),
        "assessments:ledger_attachment": lambda t: (
            {"pk": _first(LedgerEntry.objects.filter(township=t).exclude(attachment="")).pk},
            {},
        ),
        "assessments:quarter": quarter,
        "assessments:quarter_open": quarter,
        "assessments:quarter_areas": quarter,
        "assessments:quarter_close": quarter,
        "assessments:quarter_import": quarter,
        "assessments:quarter_template": quarter,
        "assessments:year": year,
        "assessments:year_export": year,
        "assessments:year_settings": year,
        "assessments:year_finalize": year,
        "assessments:year_confirm": year,
        "assessments:year_return": year,
        "incentives:recommendation_outcome": _pk(PoliticalRecommendation, cadre__township=TOWNSHIP),
        "incentives:aid_detail": _pk(HardshipAid, cadre__township=TOWNSHIP),
        **{
            f"incentives:reserve_{name}": _pk(Reserve, township=TOWNSHIP, status="cultivating")
            for name in ("detail", "edit", "appoint", "cultivate", "withdraw", "training", "assessment")
        },
        "incentives:aid_step": _pk(HardshipAid, cadre__township=TOWNSHIP),
        "supervision:petition_detail": _pk(Petition, township=TOWNSHIP),
        "supervision:petition_step": _pk(Petition, township=TOWNSHIP),
        "supervision:inspection_detail": _pk(Inspection, township=TOWNSHIP),
        "supervision:rectification_item_create": _pk(Inspection, township=TOWNSHIP),
        "supervision:rectification_item_status": item,
        "supervision:session_detail": _pk(WarningEducationSession, township=TOWNSHIP),
        "supervision:investigation_close": _pk(Investigation, cadre__township=TOWNSHIP),
        "supervision:veto_revoke": _pk(VetoEvent, cadre__township=TOWNSHIP),
        "api:cadre-detail": _pk(Cadre, township=TOWNSHIP),
        "api:ledger-entry-detail": _pk(LedgerEntry, township=TOWNSHIP),
        "api:reserve-detail": _pk(Reserve, township=TOWNSHIP),
        "api:promotion-review-detail": review,
        "api:proposal-detail": _pk(Proposal, township=TOWNSHIP),
        "api:proposal-approve": _pk(Proposal, township=TOWNSHIP),
        "api:proposal-reject": _pk(Proposal, township=TOWNSHIP),
        "api:proposal-submit": _pk(Proposal, township=TOWNSHIP),
        "api:roster-detail": month,
        "api:roster-export": month,
        **appeal_targets(),
    }


def appeal_targets():
    """The objects of the appeals URLs: township X's are the demo cadre's own (their proposal, their appeal
    and its file); township Y's belong to a cadre of Y (complete_the_demo_data makes them)."""
    from ranks.models import Appeal, AppealAttachment

    def appeal(t):
        return _first(Appeal.objects.filter(township=t))

    def attachment(t):
        obj = _first(AppealAttachment.objects.filter(appeal=appeal(t)))
        return {"pk": obj.appeal_id, "attachment_pk": obj.pk}, {}

    def subject(t):
        return {"kind": appeal(t).subject_kind, "subject_id": appeal(t).subject_id}, {}

    def pk(t):
        return {"pk": appeal(t).pk}, {}

    def cadre(t):
        return {"pk": appeal(t).cadre_id}, {}

    def proposal(t):
        return {"pk": appeal(t).subject_id}, {}

    return {
        "me:proposal": proposal,
        "me:appeal_new": subject,
        "me:appeal_detail": pk,
        "me:appeal_attachment": attachment,
        "ranks:appeal_detail": pk,
        "ranks:appeal_attachment": attachment,
        "ranks:appeal_comment": pk,
        "ranks:appeal_decide": pk,
        "ranks:cadre_account_issue": cadre,
        "ranks:cadre_account_disable": cadre,
    }


def complete_the_demo_data():
    """Objects seed_demo makes for one township only, made for the other so every cell has an object."""
    from django.core.files.base import ContentFile

    from assessments.models import LedgerEntry
    from cadre_mgmt.accounts.models import User
    from cadre_mgmt.cadres.models import Cadre, CadreImport, Township
    from ranks.models import Proposal, ProposalAttachment, Roster, RosterExport
    from ranks.models.review import ProposalStep
    from supervision.models import Investigation, VetoEvent, WarningEducationSession

    supervisor = User.objects.get(username="supervisor")
    roster = Roster.objects.order_by("-month").first()
    for township in Township.objects.all():
        cadre = Cadre.objects.filter(township=township).order_by("pk").first()
        day = datetime.date(2026, 3, 10)
        if not WarningEducationSession.objects.filter(township=township).exists():
            WarningEducationSession.objects.create(township=township, held_on=day, title="警示教育", recorded_by=supervisor)
        if not Investigation.objects.filter(cadre__township=township).exists():
            Investigation.objects.create(cadre=cadre, opened_on=day, description="核查", recorded_by=supervisor)
        if not VetoEvent.objects.filter(cadre__township=township).exists():
            VetoEvent.objects.create(cadre=cadre, year=2026, occurred_on=day, reason="一票否决", recorded_by=supervisor)
        officer = User.objects.filter(township=township).first()
        staff = User.objects.filter(township=township, role=User.Role.TOWNSHIP_STAFF).order_by("pk").first()
        CadreImport.objects.get_or_create(requested_by=staff, defaults={"filename": "cadres.xlsx", "status": "done"})
        RosterExport.objects.get_or_create(
            roster=roster,
            township=township,
            requested_by=officer,
            defaults={"status": RosterExport.Status.DONE, "file": ContentFile(b"PK", name="roster.xlsx")},
        )
        if not ProposalAttachment.objects.filter(step__proposal__township=township).exists():
            proposal = Proposal.objects.filter(township=township).order_by("pk").first()
            step = ProposalStep(
                proposal=proposal, by=staff, action="remarks", from_status=proposal.status, to_status=proposal.status
            )
            step.save()
            ProposalAttachment(
                step=step, file=ContentFile(b"%PDF-1.4", name="minutes.pdf"), name="minutes.pdf", uploaded_by=staff
            ).save()
        _complete_appeals(township)
        entry = LedgerEntry.objects.filter(township=township).order_by("pk").first()
        if not entry.attachment:
            entry.attachment.save("note.pdf", ContentFile(b"%PDF-1.4"), save=False)
            LedgerEntry.objects.filter(pk=entry.pk).update(attachment=entry.attachment.name, attachment_name="note.pdf")


def _complete_appeals(township):
    """Every township has an appeal waiting at the township's step, with a file (the demo's is X镇's)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from cadre_mgmt.accounts.models import User
    from ranks.models import Appeal, AppealAttachment, Proposal

    appeal = Appeal.objects.filter(township=township, status=Appeal.Status.FILED).order_by("pk").first()
    if appeal is None:
        proposal = Proposal.objects.filter(township=township, status__in=["approved", "rejected"]).order_by("pk").first()
        account = User.objects.filter(cadre=proposal.cadre).first() or User.objects.create(
            username=f"cadre-{proposal.cadre_id}", role=User.Role.CADRE, cadre=proposal.cadre
        )
        today = timezone.localdate()
        appeal = Appeal.objects.create(
            cadre=proposal.cadre, township=township, subject_kind="proposal", subject_id=proposal.pk, subject_label="评审",
            subject_decided_on=today, reasons="申诉理由", filed_by=account, filed_at=timezone.now(), comment_due=today,
            decision_due=today,
        )  # fmt: skip
    if not appeal.attachments.exists():
        AppealAttachment.objects.create(appeal=appeal, file=ContentFile(b"%PDF-1.4", name="proof.pdf"), name="proof.pdf")


# ---------------------------------------------------------------------------------------------- tests


def test_every_url_is_in_the_matrix():
    names = set(url_names())
    missing = sorted(names - set(MATRIX))
    gone = sorted(set(MATRIX) - names)
    assert not missing, f"URL names absent from the permission matrix: {missing}"
    assert not gone, f"permission matrix rows whose URL no longer exists: {gone}"


def _status(response):
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        return "login" if location.startswith(reverse("accounts:login")) else "redir"
    return str(response.status_code)


@pytest.mark.django_db
def test_permission_matrix(settings):
    from cadre_mgmt.accounts.models import User
    from cadre_mgmt.audit.models import AuditRecord
    from cadre_mgmt.cadres.models import Township

    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False
    complete_the_demo_data()
    x = Township.objects.get(name="X镇")
    y = Township.objects.get(name="Y镇")
    users = {role: User.objects.get(username=role) for role in ROLES[1:]}

    def client_for(role):
        client = Client()
        client.raise_request_exception = False
        if role != "anonymous":
            client.force_login(users[role])
        return client

    targets = build_targets()

    def request(client, method, url):
        """One request inside a savepoint that is rolled back: a write by an allowed role leaves no trace."""
        cache.clear()  # rate limits (sign-in, API token) count per test run, not per cell
        with transaction.atomic():
            before = AuditRecord.objects.count()
            response = getattr(client, method)(url)
            written = AuditRecord.objects.count() != before
            transaction.set_rollback(True)
        return _status(response), written

    mismatches = []

    def check(name, role, method, expected, observed, written=False):
        if observed not in expected.replace("~ok", "").split("~"):
            mismatches.append((name, role, method, expected, observed))
        if written:
            mismatches.append((name, role, method, "nothing written", "audit record written"))

    refused = {"login", "401", "403", "404", "405"}
    for name in sorted(url_names()):
        target = targets.get(name, lambda t: ({}, {"township": t.pk}))
        urls = []
        for township in (x, y):
            kwargs, query = target(township)
            url = "/api/nowhere/" if name.endswith("<unnamed>") else reverse(name, kwargs=kwargs)
            if query:
                url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            urls.append(url)
        row = MATRIX[name]
        post_only = row.startswith("POST ")
        cells = [c.strip() for c in row.removeprefix("POST ").split("|")]
        post_cells = None
        if post_only:
            post_cells = cells
            # A GET is a 405, or the refusal itself for a role refused before the method is looked at (the API).
            cells = [
                c if role == "anonymous" else "/".join(f"405~{w}" for w in c.split("/"))
                for role, c in zip(ROLES, post_cells, strict=True)
            ]
        elif name in POST_OF_READ_PAGES:
            post_cells = [c.strip() for c in POST_OF_READ_PAGES[name].removeprefix("POST ").split("|")]
        for role, cell in zip(ROLES, cells, strict=True):
            client = client_for(role)  # fresh per URL: a POST to logout must not sign out the next cells
            expected = cell.split("/") * (1 if "/" in cell else 2)
            for url, want in zip(urls, expected, strict=True):
                got, written = request(client, "get", url)
                check(name, role, f"GET {url}", want, got, written and want.split("~")[-1] in refused | {"ok"})
                if want in refused - {"405"} and not post_only:
                    # A role refused a page is refused its POST too, and nothing is written.
                    got, written = request(client_for(role), "post", url)
                    check(name, role, f"POST {url}", "refused", "refused" if got in refused else got, written)
        if post_cells:
            for role, cell in zip(ROLES, post_cells, strict=True):
                expected = cell.split("/") * (1 if "/" in cell else 2)
                for url, want in zip(urls, expected, strict=True):
                    if want == "ok":
                        continue  # an allowed write: proved by the feature's own tests
                    got, written = request(client_for(role), "post", url)
                    check(name, role, f"POST {url}", want, got, written)

    report = "\n".join(
        f"{name:<42} {role:<16} {method:<60} expected {expected:<16} got {observed}"
        for name, role, method, expected, observed in mismatches
    )
    assert not mismatches, f"{len(mismatches)} cells of the permission matrix differ:\n{report}"


# ---------------------------------------------------------------------------------------------- the cadre role

# A cadre account (DESIGN §12) reaches only its own pages: every URL not listed here must be refused
# (403/404/405/401; a POST refused with nothing written). ``X/Y``: X is the cadre's own object, Y another
# cadre's. "ok" marks a write the cadre may do (not sent here; tests/appeals prove it).
CADRE_ROWS = {
    "home": "redir",  # → their own file
    "favicon": "redir",
    "accounts:login": "redir",
    "accounts:logout": "405",
    "accounts:password_change": "200",
    "accounts:logout_everywhere": "405",
    "api:token": "405",
    "api:<unnamed>": "404",
    "me:file": "200",
    "me:proposal": "200/404",
    "me:appeals": "200",
    "me:appeal_new": "200/404",
    "me:appeal_detail": "200/404",
    "me:appeal_attachment": "200/404",
    "me:notices": "200",
    "me:notices_read": "405",
    "api:me-file": "200",
    "api:me-allowance": "200",
    "api:me-proposals": "200",
    "api:me-appeals": "200",
}
CADRE_WRITES = {"accounts:logout", "accounts:logout_everywhere", "me:notices_read", "me:appeal_new", "api:token"}


@pytest.mark.django_db
def test_cadre_account_reaches_only_its_own_pages(settings):
    from cadre_mgmt.accounts.models import User
    from cadre_mgmt.audit.models import AuditRecord
    from cadre_mgmt.cadres.models import Township
    from ranks.models import Appeal

    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False
    complete_the_demo_data()
    x = Township.objects.get(name="X镇")
    y = Township.objects.get(name="Y镇")
    cadre = User.objects.get(cadre=Appeal.objects.filter(township=x).order_by("pk").first().cadre)
    targets = build_targets()
    refused = {"401", "403", "404", "405", "login"}
    mismatches = []

    def request(method, url):
        cache.clear()
        client = Client()
        client.raise_request_exception = False
        client.force_login(cadre)
        with transaction.atomic():
            before = AuditRecord.objects.count()
            response = getattr(client, method)(url)
            written = AuditRecord.objects.count() != before
            transaction.set_rollback(True)
        return _status(response), written

    for name in sorted(url_names()):
        target = targets.get(name, lambda t: ({}, {"township": t.pk}))
        cell = CADRE_ROWS.get(name, "refused")
        expected = cell.split("/") * (1 if "/" in cell else 2)
        for township, want in zip((x, y), expected, strict=True):
            kwargs, query = target(township)
            url = "/api/nowhere/" if name.endswith("<unnamed>") else reverse(name, kwargs=kwargs)
            url += ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
            got, written = request("get", url)
            if (got not in refused) if want == "refused" else (got != want):
                mismatches.append((name, "GET " + url, want, got))
            if got in refused and written:
                mismatches.append((name, "GET " + url, "nothing written", "audit record written"))
            if name not in CADRE_WRITES and (want == "refused" or want == "404"):
                got, written = request("post", url)
                if got not in refused or written:
                    mismatches.append((name, "POST " + url, "refused, nothing written", f"{got} written={written}"))
    report = "\n".join(f"{n:<40} {m:<60} expected {e:<24} got {g}" for n, m, e, g in mismatches)
    assert not mismatches, f"{len(mismatches)} cells of the cadre's row differ:\n{report}"
