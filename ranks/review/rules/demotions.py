"""Demotion triggers and the dismissal recommendation (passed = not triggered): pure functions over
``CadreFacts`` and ``RuleSettings``, like the promotion conditions beside them."""

from .conditions import ConditionResult, _grades_text, _result, _sanction_text, _sorted_sanctions, _switched_off, _veto_evidence
from .config import RuleSettings
from .facts import (
    BASICALLY_COMPETENT,
    GOV_SEVERITIES,
    INCOMPETENT,
    PARTY_SEVERITIES,
    CadreFacts,
)
from .labels import grade_label, severity_label
from .text import tr as _

# --- Demotion triggers (passed = not triggered) -----------------------------------------------------


def demote_incompetent(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    code = "demote_incompetent"
    if not settings.demote_incompetent_enabled:
        return _switched_off(code)
    grade = facts.grade(facts.review_year)
    evidence = [_("%(year)s annual grade: %(grade)s") % {"year": facts.review_year, "grade": grade_label(grade)}]
    return _result(code, grade != INCOMPETENT, evidence, levels=settings.demote_incompetent_levels)


def demote_basic_twice(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    code = "demote_basic_twice"
    if not settings.demote_basic_twice_enabled:
        return _switched_off(code)
    years = [facts.review_year - 1, facts.review_year]
    triggered = all(facts.grade(year) == BASICALLY_COMPETENT for year in years)
    evidence = [_("Annual grades: %(grades)s") % {"grades": _grades_text(facts, years)}]
    return _result(code, not triggered, evidence, levels=settings.demote_basic_twice_levels)


def demote_veto(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    code = "demote_veto"
    if not settings.demote_veto_enabled:
        return _switched_off(code)
    vetoes, texts = _veto_evidence(facts)
    if vetoes:
        return _result(code, False, texts, levels=settings.demote_veto_levels, veto_ids=[v.id for v in vetoes])
    return _result(
        code, True, [_("No veto in %(year)s") % {"year": facts.review_year}], levels=settings.demote_veto_levels, veto_ids=[]
    )


def is_heavy(severity: str, settings: RuleSettings) -> bool:
    if severity in PARTY_SEVERITIES:
        return PARTY_SEVERITIES.index(severity) >= PARTY_SEVERITIES.index(settings.heavy_party_min)
    if severity in GOV_SEVERITIES:
        return GOV_SEVERITIES.index(severity) >= GOV_SEVERITIES.index(settings.heavy_gov_min)
    return False


def demote_heavy_sanction(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    code = "demote_heavy_sanction"
    if not settings.demote_heavy_sanction_enabled:
        return _switched_off(code)
    heavy = [s for s in _sorted_sanctions(facts.sanctions_in_year) if is_heavy(s.severity, settings)]
    params = {
        "levels": settings.demote_heavy_sanction_levels,
        "heavy_party_min": settings.heavy_party_min,
        "heavy_gov_min": settings.heavy_gov_min,
    }
    if heavy:
        return _result(code, False, [_sanction_text(s) for s in heavy], sanction_ids=[s.id for s in heavy], **params)
    evidence = [
        _("No sanction of %(party)s or heavier, nor %(gov)s or heavier, in %(year)s")
        % {
            "party": severity_label(settings.heavy_party_min),
            "gov": severity_label(settings.heavy_gov_min),
            "year": facts.review_year,
        }
    ]
    return _result(code, True, evidence, sanction_ids=[], **params)


def dismissal(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """The gravest sanctions (expulsion from the Party, dismissal) lead to a dismissal (清退) recommendation."""
    code = "dismissal"
    if not settings.dismissal_enabled:
        return _switched_off(code)
    gravest = [s for s in _sorted_sanctions(facts.sanctions_in_year) if s.severity in settings.dismissal_severities]
    if gravest:
        evidence = [_sanction_text(s) for s in gravest] + [_("Dismissal recommended")]
        return _result(code, False, evidence, sanction_ids=[s.id for s in gravest])
    return _result(
        code, True, [_("No sanction that leads to dismissal in %(year)s") % {"year": facts.review_year}], sanction_ids=[]
    )


DEMOTION_TRIGGERS = (demote_incompetent, demote_basic_twice, demote_veto, demote_heavy_sanction)

__all__ = [
    "DEMOTION_TRIGGERS",
    "demote_basic_twice",
    "demote_heavy_sanction",
    "demote_incompetent",
    "demote_veto",
    "dismissal",
    "is_heavy",
]
