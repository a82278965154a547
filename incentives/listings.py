"""The Excel exports of the incentives list pages: each list's columns, defined once (cadre_mgmt.listexport)."""

from operator import attrgetter

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.listexport import Column, ListExport, cadre_columns


def _awarded_to(commendation):
    if commendation.cadre:
        return commendation.cadre.name
    return f"{commendation.village.name}（{_('Collective')}）"


def _commendation_village(commendation):
    return commendation.cadre.village.name if commendation.cadre else commendation.village.name


COMMENDATIONS = ListExport(
    name="commendations",
    sheet=_("Commendations"),
    object_type="incentives.Commendation",
    summary=_("Exported commendations: %(count)s"),
    columns=(
        Column(_("awarded on"), attrgetter("awarded_on"), 12),
        Column(_("township"), lambda c: c.township.name, 10),
        Column(_("village"), _commendation_village, 12),
        Column(_("Awarded to"), _awarded_to, 14),
        Column(_("commendation level"), lambda c: c.get_level_display(), 10),
        Column(_("title"), attrgetter("title"), 30),
        Column(_("issuer"), attrgetter("issuer"), 20),
    ),
)

TRAININGS = ListExport(
    name="training",
    sheet=_("Training"),
    object_type="incentives.TrainingRecord",
    summary=_("Exported training records: %(count)s"),
    columns=(
        Column(_("date"), attrgetter("trained_on"), 12),
        *cadre_columns(),
        Column(_("course"), attrgetter("course"), 30),
        Column(_("organizer"), attrgetter("organizer"), 20),
        Column(_("hours"), attrgetter("hours"), 8),
    ),
)

INSURANCES = ListExport(
    name="insurance",
    sheet=_("Insurance"),
    object_type="incentives.InsuranceEnrolment",
    summary=_("Exported insurance and housing fund enrolments: %(count)s"),
    columns=(
        *cadre_columns(),
        Column(_("scheme"), lambda e: e.get_scheme_display(), 16),
        Column(_("start month"), lambda e: f"{e.start_month:%Y-%m}", 10),
        Column(_("status"), lambda e: e.get_status_display(), 8),
        Column(_("note"), attrgetter("note"), 30),
        Column(_("updated at"), lambda e: f"{timezone.localtime(e.updated_at):%Y-%m-%d}", 12),
    ),
)

RECOMMENDATIONS = ListExport(
    name="recommendations",
    sheet=_("Political recommendations"),
    object_type="incentives.PoliticalRecommendation",
    summary=_("Exported political recommendations: %(count)s"),
    columns=(
        Column(_("recommended on"), attrgetter("recommended_on"), 12),
        *cadre_columns(),
        Column(_("recommended as"), lambda r: r.get_kind_display(), 16),
        Column(_("recommendation level"), lambda r: r.get_level_display(), 10),
        Column(_("status"), lambda r: r.get_status_display(), 10),
        Column(_("note"), attrgetter("note"), 30),
    ),
)

AIDS = ListExport(
    name="hardship-aid",
    sheet=_("Hardship aid"),
    object_type="incentives.HardshipAid",
    summary=_("Exported hardship aid applications: %(count)s"),
    columns=(
        Column(_("applied at"), lambda a: f"{timezone.localtime(a.created_at):%Y-%m-%d}", 12),
        *cadre_columns(),
        Column(_("reason"), attrgetter("reason"), 30),
        Column(_("supporting note"), attrgetter("supporting_note"), 30),
        Column(_("amount requested"), attrgetter("amount_requested"), 12),
        Column(_("amount granted"), attrgetter("amount_granted"), 12),
        Column(_("status"), lambda a: a.get_status_display(), 12),
        Column(_("paid on"), attrgetter("paid_on"), 12),
    ),
)

PAY_SCALE = ListExport(
    name="pay-scale",
    sheet=_("Pay scale"),
    object_type="incentives.PayScale",
    summary=_("Exported the pay scale: %(count)s rows"),
    columns=(
        Column(_("effective from"), lambda r: f"{r.effective_from:%Y-%m}", 10),
        Column(_("post"), lambda r: r.post.name if r.post else _("All paid posts"), 16),
        Column(_("base pay"), attrgetter("base_pay"), 10),
        Column(_("performance pay"), attrgetter("performance_pay"), 10),
        Column(_("note"), attrgetter("note"), 30),
    ),
)
