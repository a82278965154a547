"""The Excel exports of the promotion-review list pages: proposals and review runs (cadre_mgmt.listexport)."""

from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from cadre_mgmt.listexport import Column, ListExport, cadre_columns


def _person(path):
    get = attrgetter(path)
    return lambda row: str(get(row)) if get(row) else ""


def _outcome_count(outcome):
    return lambda review: (review.counts or {}).get("outcomes", {}).get(outcome, 0)


PROPOSALS = ListExport(
    name="proposals",
    sheet=_("Promotion proposals"),
    object_type="ranks.Proposal",
    summary=_("Exported promotion proposals: %(count)s"),
    columns=(
        Column(_("assessment year"), attrgetter("year"), 8),
        *cadre_columns(),
        Column(_("outcome"), lambda p: p.get_outcome_display(), 10),
        Column(_("from level"), attrgetter("from_level"), 8),
        Column(_("to level"), attrgetter("to_level"), 8),
        Column(_("status"), lambda p: p.get_status_display(), 12),
        Column(_("township remarks"), attrgetter("township_remarks"), 30),
        Column(_("reason for the rejection"), attrgetter("reject_reason"), 30),
        Column(_("submitted by"), _person("submitted_by"), 10),
        Column(_("submitted at"), lambda p: p.submitted_at and f"{p.submitted_at:%Y-%m-%d %H:%M}", 16),
        Column(_("decided by"), _person("decided_by"), 10),
        Column(_("decided at"), lambda p: p.decided_at and f"{p.decided_at:%Y-%m-%d %H:%M}", 16),
        Column(_("decision comment"), attrgetter("decision_comment"), 30),
    ),
)

REVIEWS = ListExport(
    name="promotion-reviews",
    sheet=_("Promotion reviews"),
    object_type="ranks.PromotionReview",
    summary=_("Exported promotion review runs: %(count)s"),
    columns=(
        Column(_("assessment year"), attrgetter("year"), 8),
        Column(_("kind"), lambda r: str(_("Dry run") if r.dry_run else _("Proposals written")), 12),
        Column(_("state"), lambda r: r.get_state_display(), 10),
        Column(_("evaluated on"), attrgetter("review_date"), 12),
        Column(_("cadres"), lambda r: (r.counts or {}).get("total", 0), 8),
        Column(_("Promote"), _outcome_count("promote"), 8),
        Column(_("Out-of-turn promotion"), _outcome_count("out_of_turn"), 8),
        Column(_("Hold"), _outcome_count("hold"), 8),
        Column(_("Demote"), _outcome_count("demote"), 8),
        Column(_("started by"), lambda r: str(r.started_by) if r.started_by else r.get_trigger_display(), 12),
        Column(_("requested at"), lambda r: f"{r.created_at:%Y-%m-%d %H:%M}", 16),
    ),
)
