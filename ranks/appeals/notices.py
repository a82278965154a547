"""What the cadre is told in the app (DESIGN §12 item 4): a proposal about them, its decision, an appeal's
progress. Only a cadre with an account is told (one query to know), and nothing leaves the app."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User

from ..models import Notice


def notice_send(*, cadre, text: str, link: str = "") -> Notice | None:
    if not User.objects.filter(cadre=cadre, is_active=True).exists():
        return None
    return Notice.objects.create(cadre=cadre, text=text[:300], link=link[:200])


def proposal_notice(proposal) -> Notice | None:
    """The township sent a proposal about the cadre to the county, or the county decided it."""
    text = _("Promotion review %(year)s: %(outcome)s, %(status)s") % {
        "year": proposal.year,
        "outcome": proposal.get_outcome_display(),
        "status": proposal.get_status_display(),
    }
    return notice_send(cadre=proposal.cadre, text=text, link=reverse("me:proposal", args=[proposal.pk]))
