"""django-axes' database handler, with one change: for a role that needs a second factor the password alone
is not a successful sign-in, so it does not clear the failures (wrong codes would otherwise be forgiven by
typing the password again). The code clears them (``services.clear_failures``)."""

from axes.handlers.database import AxesDatabaseHandler

from . import services


class SecondFactorAxesHandler(AxesDatabaseHandler):
    def user_logged_in(self, sender, request, user, **kwargs):
        request.second_factor_pending = services.required_for(user) and not services.is_verified(request)
        return super().user_logged_in(sender, request, user, **kwargs)

    def reset_user_attempts(self, request, credentials=None):
        if getattr(request, "second_factor_pending", False):
            return 0
        return super().reset_user_attempts(request, credentials)
