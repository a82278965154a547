"""The county administrator's supervision settings."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cadre_mgmt.accounts.models import User
from cadre_mgmt.audit.services import audited_update

from ..models import SupervisionSettings

SETTINGS_FIELDS = ("petition_deadline_days", "disclosure_period_months", "disclosure_due_days")


@transaction.atomic
def supervision_settings_update(*, user: User, **values: int) -> SupervisionSettings:
    """The county administrator changes the supervision settings (from the admin)."""
    if not user.is_county_admin:
        raise PermissionDenied
    conf, _created = SupervisionSettings.objects.select_for_update().get_or_create(pk=1)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown)[0])
    audited_update(conf, actor=user, values=values, summary=_("Supervision settings changed"), fields=SETTINGS_FIELDS)
    return conf
