"""Token authentication with a lifetime: DRF's ``TokenAuthentication`` (same header, same model, same
messages) refusing a token past its idle or absolute limit (``cadre_mgmt/accounts/tokens.py``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from cadre_mgmt.accounts import tokens


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            # The token, its user and its last use in one query.
            token = model.objects.select_related("user", "use").get(key=key)
        except model.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if tokens.is_expired(token, now):
            token.delete()
            raise exceptions.AuthenticationFailed(_("The API token has expired: ask for a new one."))
        tokens.record_use(token, now)
        return (token.user, token)
