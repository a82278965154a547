"""Session engine (``SESSION_ENGINE``): the database store with a cheaper idle-timeout refresh.

The idle timeout works by saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``), which
pushes its ``expire_date`` SESSION_COOKIE_AGE into the future. Writing that row on every page cost a
transaction (BEGIN, UPDATE, COMMIT) per request. This store skips the write while the deadline stored
in the row is less than ``SESSION_IDLE_REFRESH_SECONDS`` (at most a tenth of the idle limit) older than
the one a save would write, so a session is signed out between SESSION_IDLE_MINUTES minus that much and
SESSION_IDLE_MINUTES after its last request. A changed session is always written, as a single UPDATE.
"""

import datetime

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError


class SessionStore(db.SessionStore):
    stored_expire_date = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.stored_expire_date = row.expire_date if row is not None else None
        return row

    def _deadline_is_fresh(self):
        if self.stored_expire_date is None:
            return False
        # Never more than a tenth of the idle limit: a one-minute limit still moves forward while the user works.
        slack = datetime.timedelta(seconds=min(settings.SESSION_IDLE_REFRESH_SECONDS, self.get_expiry_age() / 10))
        return self.stored_expire_date >= self.get_expiry_date() - slack

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        if not self.modified and self._deadline_is_fresh():
            return None
        data = self._get_session()
        expire_date = self.get_expiry_date()
        # One statement needs no transaction around it; no row means the session was deleted meanwhile
        # (a logout in another tab), which the session middleware reports as Django's own store does.
        updated = self.model.objects.filter(session_key=self.session_key).update(
            session_data=self.encode(data), expire_date=expire_date
        )
        if not updated:
            raise UpdateError
        self.stored_expire_date = expire_date
        return None
