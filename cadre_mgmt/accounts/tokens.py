"""Lifetime of API tokens (DRF's ``authtoken.Token``, one per user, sent as ``Authorization: Token <key>``).

A token ends
* after API_TOKEN_IDLE_MINUTES without a request (8 hours by default),
* API_TOKEN_MAX_AGE_DAYS after it was issued, however busy (30 days by default),
* when the user's password changes (``User.save``) or the user signs out everywhere
  (``services.logout_everywhere``): ``revoke_api_tokens``.

The last use is written at most once a minute (``USE_REFRESH``), so a busy client costs no write per request
and the idle limit is exact to that minute. An expired token is deleted when it is next presented; asking
the token endpoint again issues a new one.
"""

import datetime

from django.conf import settings

USE_REFRESH = datetime.timedelta(minutes=1)


def token_expired(*, created, last_used, now, idle, max_age):
    """Pure rule: has a token issued at ``created`` and last used at ``last_used`` (None: never) ended by ``now``?"""
    return now - created >= max_age or now - (last_used or created) >= idle


def limits():
    return (
        datetime.timedelta(minutes=settings.API_TOKEN_IDLE_MINUTES),
        datetime.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS),
    )


def _last_used(token):
    from .models import ApiTokenUse

    try:
        return token.use.last_used
    except ApiTokenUse.DoesNotExist:
        return None


def is_expired(token, now):
    idle, max_age = limits()
    return token_expired(created=token.created, last_used=_last_used(token), now=now, idle=idle, max_age=max_age)


def record_use(token, now, *, force=False):
    """Move the idle deadline forward: written when the last recorded use is a minute old (or ``force``)."""
    from .models import ApiTokenUse

    if force or now - (_last_used(token) or token.created) >= USE_REFRESH:
        token.use, _created = ApiTokenUse.objects.update_or_create(token=token, defaults={"last_used": now})


def revoke_api_tokens(user):
    """End every API token of the user (their use records go with them)."""
    user.revoke_api_tokens()
