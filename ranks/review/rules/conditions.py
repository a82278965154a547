"""Each condition of DESIGN §5 as one pure function: facts and settings in, a ConditionResult out.

A result says pass or fail and the evidence it used, in the words a county official reads. For a
demotion trigger, "passed" means "not triggered". A condition the county switched off passes and says so.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .config import RULES, LadderStepRule, RuleSettings
from .facts import (
    EXCELLENT,
    GOOD_GRADES,
    HIGHEST_LEVEL,
    CadreFacts,
    CommendationFact,
    SanctionFact,
    commendation_rank,
)
from .labels import commendation_level_label, grade_label, rule_label, severity_label
from .points import PointsSummary, points_arithmetic
from .text import listing, number
from .text import tr as _

KINDS = {code: kind for code, kind, _params in RULES}


# Not frozen: a run makes 1.5 million of these, and a frozen dataclass costs three times as much to
# create. Nothing changes a result after the rules made it.
@dataclass(slots=True)
class ConditionResult:
    code: str
    label: str
    passed: bool
    evidence: tuple[str, ...]
    params: dict = field(default_factory=dict)  # JSON-safe: the parameters and figures the condition used
    kind: str = ""  # basic / disqualifier / bonus / demotion
    enabled: bool = True


_PLAIN = frozenset({int, str, bool, type(None)})


def _json_safe(value):
    if type(value) in _PLAIN:  # most parameters: no conversion (checked first, a hot path of every run)
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def _result(code, passed, evidence, **params) -> ConditionResult:
    return ConditionResult(
        code=code,
        label=rule_label(code),
        passed=passed,
        evidence=tuple(evidence),
        # In the order the condition names them (fixed by the code, so equal evaluations dump equally).
        params={key: _json_safe(value) for key, value in params.items()},
        kind=KINDS[code],
    )


def _switched_off(code) -> ConditionResult:
    return ConditionResult(
        code=code,
        label=rule_label(code),
        passed=True,
        evidence=(_("Switched off by the county."),),
        kind=KINDS[code],
        enabled=False,
    )


def full_years(since: date, on: date, grace_months: int = 0) -> int:
    """Whole years from ``since`` to the end of ``on``; a year short by at most ``grace_months`` counts."""
    end = on + timedelta(days=1)
    months = (end.year - since.year) * 12 + end.month - since.month - (1 if end.day < since.day else 0)
    return max(0, months + grace_months) // 12


def _grades_text(facts: CadreFacts, years) -> str:
    return listing(f"{year} {grade_label(facts.grade(year))}" for year in years)


def _sanction_text(sanction: SanctionFact) -> str:
    values = {
        "id": sanction.id,
        "severity": severity_label(sanction.severity),
        "decided": sanction.decided_on.isoformat(),
        "description": sanction.description,
    }
    if sanction.effective_until is None:
        return _("Sanction #%(id)s (%(severity)s, decided %(decided)s, no end of effect): %(description)s") % values
    return _("Sanction #%(id)s (%(severity)s, decided %(decided)s, in effect until %(until)s): %(description)s") % {
        **values,
        "until": sanction.effective_until.isoformat(),
    }


def _commendation_text(commendation: CommendationFact) -> str:
    values = {
        "level": commendation_level_label(commendation.level),
        "title": commendation.title,
        "on": commendation.awarded_on.isoformat(),
    }
    if commendation.collective:
        return _("%(level)s collective honour “%(title)s” (%(on)s)") % values
    return _("%(level)s commendation “%(title)s” (%(on)s)") % values


def _sorted_sanctions(sanctions):
    return sorted(sanctions, key=lambda s: (s.decided_on, s.id))


def _qualifying_commendations(facts: CadreFacts, settings: RuleSettings, min_level: str, since: date):
    return sorted(
        (
            c
            for c in facts.commendations
            if commendation_rank(c.level) >= commendation_rank(min_level)
            and since <= c.awarded_on <= facts.review_date
            and (settings.collective_honours_qualify or not c.collective)
        ),
        key=lambda c: (c.awarded_on, c.id),
    )


# --- Basic conditions ---------------------------------------------------------------------------


def basic_years(
    facts: CadreFacts, settings: RuleSettings, step: LadderStepRule | None, points: PointsSummary
) -> tuple[ConditionResult, int]:
    """Basic condition 1 and the ladder's extra requirements. Returns the result and the credit years used.

    The requirement is the ladder's years less the points credit, never below the county's minimum.
    The counted years are the most recent ones up to the review year, as many as required; each must be
    graded competent or better. Credit is used only as far as needed.
    """
    code = "basic_years"
    if facts.level_since is None:
        return _result(code, False, [_("Not graded yet: an initial grading is needed before any promotion.")]), 0
    if facts.level == HIGHEST_LEVEL:
        return _result(code, False, [_("Already at level 1, the highest level.")]), 0
    if not settings.basic_years_enabled:
        return _switched_off(code), 0
    if step is None:
        return _result(code, False, [_("The ladder has no step up from level %(level)s.") % {"level": facts.level}]), 0

    years_at_level = full_years(facts.level_since, facts.review_date, settings.years_grace_months)
    ladder_years = step.years_required
    floor = min(ladder_years, settings.min_years_after_credit)
    lowest = max(floor, ladder_years - points.credit_years)

    def window(required):
        return range(facts.review_year - required + 1, facts.review_year + 1)

    def satisfied(required):
        return years_at_level >= required and all(facts.grade(year) in GOOD_GRADES for year in window(required))

    met = next((required for required in range(ladder_years, lowest - 1, -1) if satisfied(required)), None)
    required = met if met is not None else lowest
    credit_used = ladder_years - met if met is not None else 0

    evidence = [
        _("Level %(from)s → %(to)s asks %(ladder)s years at the level; points credit %(credit)s years: at least %(lowest)s")
        % {
            "from": step.from_level,
            "to": step.to_level,
            "ladder": ladder_years,
            "credit": ladder_years - lowest,
            "lowest": lowest,
        },
        _("At the level since %(since)s: %(years)s full years on %(on)s")
        % {"since": facts.level_since.isoformat(), "years": years_at_level, "on": facts.review_date.isoformat()},
    ]
    if years_at_level < lowest:
        evidence.append(_("Not enough years at the level"))
    counted = list(window(required))
    if all(facts.grade(year) in GOOD_GRADES for year in counted):
        evidence.append(_("Counted years all competent or better (%(grades)s)") % {"grades": _grades_text(facts, counted)})
    else:
        evidence.append(_("Counted years not all competent or better (%(grades)s)") % {"grades": _grades_text(facts, counted)})
    if settings.points_enabled:
        evidence.append(points_arithmetic(points, settings))
    if credit_used:
        evidence.append(
            _("%(years)s years of points credit used (%(points)s points)")
            % {"years": credit_used, "points": number(credit_used * settings.points_per_credit_year)}
        )

    extras_met = True
    if step.requires_excellent_year:
        excellent = [
            year
            for year in sorted(facts.grades)
            if facts.grades[year] == EXCELLENT and year <= facts.review_year and date(year, 12, 31) >= facts.level_since
        ]
        if excellent:
            evidence.append(_("Excellent year at this level: %(years)s") % {"years": listing(str(year) for year in excellent)})
        else:
            extras_met = False
            evidence.append(_("No excellent year at this level, which this step requires"))
    if step.required_commendation_level:
        level_name = commendation_level_label(step.required_commendation_level)
        found = _qualifying_commendations(facts, settings, step.required_commendation_level, facts.level_since)
        if found:
            evidence.append(
                _("Commendation of %(level)s or higher at this level: %(found)s")
                % {"level": level_name, "found": listing(_commendation_text(c) for c in found)}
            )
        else:
            extras_met = False
            evidence.append(
                _("No commendation of %(level)s or higher at this level, which this step requires") % {"level": level_name}
            )

    passed = met is not None and extras_met
    result = _result(
        code,
        passed,
        evidence,
        ladder_years=ladder_years,
        credit_years=points.credit_years,
        required_years=required,
        years_at_level=years_at_level,
        counted_years=counted,
        min_years_after_credit=settings.min_years_after_credit,
        years_grace_months=settings.years_grace_months,
        requires_excellent_year=step.requires_excellent_year,
        required_commendation_level=step.required_commendation_level,
    )
    return result, (credit_used if passed else 0)


def basic_integrity(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """Basic condition 2: in post, and no open case."""
    code = "basic_integrity"
    if not settings.basic_integrity_enabled:
        return _switched_off(code)
    evidence = []
    if not facts.in_post:
        evidence.append(_("Not in post"))
    for case in sorted(facts.open_investigations, key=lambda c: (c.opened_on, c.id)):
        evidence.append(_("Open case: investigation #%(id)s opened %(on)s") % {"id": case.id, "on": case.opened_on.isoformat()})
    if evidence:
        return _result(code, False, evidence)
    return _result(code, True, [_("In post; no open case")])


# --- The seven disqualifiers ----------------------------------------------------------------------


def dq_grade(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """Disqualifier 1: this year's grade is basically competent, incompetent or missing."""
    code = "dq_grade"
    if not settings.dq_grade_enabled:
        return _switched_off(code)
    grade = facts.grade(facts.review_year)
    evidence = [_("%(year)s annual grade: %(grade)s") % {"year": facts.review_year, "grade": grade_label(grade)}]
    return _result(code, grade in GOOD_GRADES, evidence, year=facts.review_year, grade=grade)


def dq_sanction(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """Disqualifier 2: within the effect period of a sanction, admonition or organizational measure."""
    code = "dq_sanction"
    if not settings.dq_sanction_enabled:
        return _switched_off(code)
    active = _sorted_sanctions(facts.active_sanctions)
    if active:
        return _result(code, False, [_sanction_text(s) for s in active], sanction_ids=[s.id for s in active])
    evidence = [
        _("No sanction, admonition or organizational measure in effect on %(on)s") % {"on": facts.review_date.isoformat()}
    ]
    return _result(code, True, evidence, sanction_ids=[])


def dq_investigation(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """Disqualifier 3: under investigation with no conclusion."""
    code = "dq_investigation"
    if not settings.dq_investigation_enabled:
        return _switched_off(code)
    cases = sorted(facts.open_investigations, key=lambda c: (c.opened_on, c.id))
    if cases:
        evidence = [
            _("Investigation #%(id)s opened %(on)s, no conclusion yet: %(description)s")
            % {"id": c.id, "on": c.opened_on.isoformat(), "description": c.description}
            for c in cases
        ]
        return _result(code, False, evidence, investigation_ids=[c.id for c in cases])
    return _result(code, True, [_("No open investigation")], investigation_ids=[])


def _veto_evidence(facts: CadreFacts):
    vetoes = sorted(facts.vetoes_in_year, key=lambda v: (v.occurred_on, v.id))
    texts = [
        _("Veto #%(id)s on %(on)s: %(reason)s") % {"id": v.id, "on": v.occurred_on.isoformat(), "reason": v.reason}
        for v in vetoes
    ]
    return vetoes, texts


def dq_veto(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """Disqualifier 4: a one-vote veto was triggered this year."""
    code = "dq_veto"
    if not settings.dq_veto_enabled:
        return _switched_off(code)
    vetoes, texts = _veto_evidence(facts)
    if vetoes:
        return _result(code, False, texts, veto_ids=[v.id for v in vetoes])
    return _result(code, True, [_("No veto in %(year)s") % {"year": facts.review_year}], veto_ids=[])


def dq_satisfaction(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """Disqualifier 5: mass satisfaction below the threshold (a missing mass evaluation does not pass)."""
    code = "dq_satisfaction"
    if not settings.dq_satisfaction_enabled:
        return _switched_off(code)
    threshold = settings.satisfaction_threshold
    score = facts.mass_score
    if score is None:
        evidence = [_("No mass evaluation for %(year)s") % {"year": facts.review_year}]
        return _result(code, False, evidence, satisfaction_threshold=threshold, mass_score=None)
    values = {"score": number(score), "threshold": number(threshold)}
    if score < threshold:
        evidence = [_("Mass satisfaction %(score)s%%, below %(threshold)s%%") % values]
    else:
        evidence = [_("Mass satisfaction %(score)s%%, not below %(threshold)s%%") % values]
    if facts.mass_source:
        evidence.append(facts.mass_source)
    return _result(code, score >= threshold, evidence, satisfaction_threshold=threshold, mass_score=score)


def dq_attendance(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """Disqualifier 6: absent from post without leave, or more leave in the year than allowed."""
    code = "dq_attendance"
    if not settings.dq_attendance_enabled:
        return _switched_off(code)
    values = {"days": facts.leave_days, "max": settings.max_leave_days, "year": facts.review_year}
    evidence = []
    if facts.absent_without_leave:
        evidence.append(_("Absent from post without leave in %(year)s") % values)
    if facts.leave_days > settings.max_leave_days:
        evidence.append(_("%(days)s days of leave in %(year)s, more than %(max)s") % values)
    passed = not evidence
    if passed:
        evidence.append(_("%(days)s days of leave in %(year)s (at most %(max)s), no absence without leave") % values)
    return _result(code, passed, evidence, max_leave_days=settings.max_leave_days, leave_days=facts.leave_days)


def dq_tenure(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """Disqualifier 7: less than the minimum time in the current post, or suspended."""
    code = "dq_tenure"
    if not settings.dq_tenure_enabled:
        return _switched_off(code)
    values = {"months": facts.months_in_current_post, "min": settings.min_months_in_post}
    evidence = []
    if facts.months_in_current_post < settings.min_months_in_post:
        evidence.append(_("%(months)s months in the current post, fewer than %(min)s") % values)
    if facts.suspended:
        evidence.append(_("Suspended from post"))
    passed = not evidence
    if passed:
        evidence.append(_("%(months)s months in the current post (at least %(min)s), not suspended") % values)
    return _result(
        code,
        passed,
        evidence,
        min_months_in_post=settings.min_months_in_post,
        months_in_current_post=facts.months_in_current_post,
    )


DISQUALIFIERS = (dq_grade, dq_sanction, dq_investigation, dq_veto, dq_satisfaction, dq_attendance, dq_tenure)


# --- Out-of-turn promotion ------------------------------------------------------------------------


def out_of_turn(facts: CadreFacts, settings: RuleSettings) -> ConditionResult:
    """A national honour (by default) in the review year justifies extra levels, if everything else passes."""
    code = "out_of_turn"
    if not settings.out_of_turn_enabled:
        return _switched_off(code)
    min_level = settings.out_of_turn_min_level
    found = [
        c
        for c in _qualifying_commendations(facts, settings, min_level, date(facts.review_year, 1, 1))
        if c.awarded_on.year == facts.review_year
    ]
    params = {"out_of_turn_min_level": min_level, "out_of_turn_extra_levels": settings.out_of_turn_extra_levels}
    if found:
        evidence = [
            _("%(found)s: may justify %(extra)s extra level(s)")
            % {"found": listing(_commendation_text(c) for c in found), "extra": settings.out_of_turn_extra_levels}
        ]
        return _result(code, True, evidence, commendation_ids=[c.id for c in found], **params)
    evidence = [
        _("No individual honour of %(level)s or higher in %(year)s")
        % {"level": commendation_level_label(min_level), "year": facts.review_year}
    ]
    return _result(code, False, evidence, commendation_ids=[], **params)
