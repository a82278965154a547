"""The county's assessment settings, a township year's weights and shares, and who is assessed."""

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from cadre_mgmt.cadres.models import Cadre, Township

from .. import rules
from ..models import AssessmentPolicy, TownshipYear


def current_policy() -> AssessmentPolicy:
    """The county policy row (created by the data migration); unsaved defaults if it was removed."""
    return AssessmentPolicy.objects.order_by("pk").first() or AssessmentPolicy()


def bands_of(policy: AssessmentPolicy) -> rules.Bands:
    return rules.Bands(policy.excellent_min, policy.competent_min, policy.basically_competent_min)


def default_year_values(policy: AssessmentPolicy) -> dict[str, Decimal]:
    return {
        "political_weight": policy.default_political_weight,
        "business_weight": policy.default_business_weight,
        "mass_weight": policy.default_mass_weight,
        "ledger_share": policy.default_ledger_share,
        "quarters_share": policy.default_quarters_share,
        "review_share": policy.default_review_share,
    }


def township_year_or_default(*, township: Township, year: int, policy: AssessmentPolicy | None = None) -> TownshipYear:
    """The township's year, or an unsaved one with the county defaults (nothing written by a read)."""
    found = TownshipYear.objects.filter(township=township, year=year).first()
    if found is not None:
        return found
    return TownshipYear(township=township, year=year, **default_year_values(policy or current_policy()))


def weights_of(township_year: TownshipYear) -> rules.ReviewWeights:
    return rules.ReviewWeights(township_year.political_weight, township_year.business_weight, township_year.mass_weight)


def shares_of(township_year: TownshipYear) -> rules.Shares:
    return rules.Shares(township_year.ledger_share, township_year.quarters_share, township_year.review_share)


def assessed_cadres(*, township: Township, on: datetime.date) -> QuerySet[Cadre]:
    """Cadres of the township in post on ``on`` (appointed by then and not left before it)."""
    return (
        Cadre.objects.filter(township=township, first_appointed_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("village")
        .order_by("village__sort_order", "village__name", "name", "id")
    )
