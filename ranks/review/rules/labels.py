"""Chinese names of the codes the rules use.

The msgids are marked here and translated when asked for (never at import time), one lookup per call.
"""

from django.utils.translation import gettext_noop

from .text import tr as _

GRADE_LABELS = {
    "excellent": gettext_noop("Excellent"),
    "competent": gettext_noop("Competent"),
    "basically_competent": gettext_noop("Basically competent"),
    "incompetent": gettext_noop("Incompetent"),
}

SEVERITY_LABELS = {
    "admonition": gettext_noop("Admonition"),
    "org_measure": gettext_noop("Organizational measure"),
    "party_warning": gettext_noop("Party warning"),
    "party_serious_warning": gettext_noop("Party serious warning"),
    "party_removal": gettext_noop("Removal from Party post"),
    "party_probation": gettext_noop("Party probation"),
    "party_expulsion": gettext_noop("Expulsion from the Party"),
    "gov_warning": gettext_noop("Government warning"),
    "gov_demerit": gettext_noop("Government demerit"),
    "gov_major_demerit": gettext_noop("Government major demerit"),
    "gov_demotion": gettext_noop("Government demotion"),
    "gov_dismissal": gettext_noop("Government dismissal"),
}

COMMENDATION_LEVEL_LABELS = {
    "county": gettext_noop("county-level"),
    "city": gettext_noop("city-level"),
    "province": gettext_noop("province-level"),
    "national": gettext_noop("national-level"),
}

RULE_LABELS = {
    "basic_years": gettext_noop("Basic condition 1: years at the current level, each counted year competent or better"),
    "basic_integrity": gettext_noop("Basic condition 2: in post, no open case"),
    "dq_grade": gettext_noop("Disqualifier 1: this year's grade below competent or missing"),
    "dq_sanction": gettext_noop("Disqualifier 2: a sanction, admonition or organizational measure in effect"),
    "dq_investigation": gettext_noop("Disqualifier 3: under investigation without conclusion"),
    "dq_veto": gettext_noop("Disqualifier 4: one-vote veto this year"),
    "dq_satisfaction": gettext_noop("Disqualifier 5: mass satisfaction below the threshold"),
    "dq_attendance": gettext_noop("Disqualifier 6: absent without leave, or too much leave"),
    "dq_tenure": gettext_noop("Disqualifier 7: too short in the current post, or suspended"),
    "points": gettext_noop("Points credit"),
    "out_of_turn": gettext_noop("Out-of-turn promotion"),
    "demote_incompetent": gettext_noop("Demotion: graded incompetent"),
    "demote_basic_twice": gettext_noop("Demotion: basically competent two years running"),
    "demote_veto": gettext_noop("Demotion: one-vote veto"),
    "demote_heavy_sanction": gettext_noop("Demotion: heavy sanction"),
    "dismissal": gettext_noop("Dismissal recommended: gravest sanction"),
}

PARAMETER_LABELS = {
    "min_years_after_credit": gettext_noop("Fewest years required after the points credit"),
    "years_grace_months": gettext_noop("Months short of a full year that still count as a full year"),
    "collective_honours_qualify": gettext_noop("A collective honour meets a required commendation or an out-of-turn promotion"),
    "satisfaction_threshold": gettext_noop("Lowest mass satisfaction (%)"),
    "max_leave_days": gettext_noop("Most days of leave in the year"),
    "min_months_in_post": gettext_noop("Fewest months in the current post"),
    "excellent_year_points": gettext_noop("Points for an excellent year"),
    "commendation_points": gettext_noop("Points for a commendation, by level"),
    "collective_factor": gettext_noop("Share of the points a collective honour gives"),
    "yearly_points_cap": gettext_noop("Most points counted in one year"),
    "points_per_credit_year": gettext_noop("Points that shorten the required years by one"),
    "out_of_turn_min_level": gettext_noop("Lowest honour level for an out-of-turn promotion"),
    "out_of_turn_extra_levels": gettext_noop("Extra levels of an out-of-turn promotion"),
    "demote_incompetent_levels": gettext_noop("Levels down for an incompetent grade"),
    "demote_basic_twice_levels": gettext_noop("Levels down for basically competent two years running"),
    "demote_veto_levels": gettext_noop("Levels down for a veto"),
    "demote_heavy_sanction_levels": gettext_noop("Levels down for a heavy sanction"),
    "heavy_party_min": gettext_noop("Mildest Party sanction that counts as heavy"),
    "heavy_gov_min": gettext_noop("Mildest government sanction that counts as heavy"),
    "dismissal_severities": gettext_noop("Sanctions that lead to a dismissal recommendation"),
}

OUTCOME_LABELS = {
    "promote": gettext_noop("Promote"),
    "out_of_turn": gettext_noop("Out-of-turn promotion"),
    "hold": gettext_noop("Hold"),
    "demote": gettext_noop("Demote"),
}


def grade_label(grade: str | None) -> str:
    return _(GRADE_LABELS.get(grade or "", gettext_noop("Ungraded")))


def severity_label(severity: str) -> str:
    return _(SEVERITY_LABELS[severity]) if severity in SEVERITY_LABELS else severity


def commendation_level_label(level: str) -> str:
    return _(COMMENDATION_LEVEL_LABELS[level]) if level in COMMENDATION_LEVEL_LABELS else level


def rule_label(code: str) -> str:
    return _(RULE_LABELS[code])


def parameter_label(name: str) -> str:
    return _(PARAMETER_LABELS[name])


def outcome_label(outcome: str) -> str:
    return _(OUTCOME_LABELS[outcome])
