"""Pure rules of the Party-branch records: the attendance of a cadre over a year. No ORM."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Attendance:
    held: int  # meetings of the cadre's village branch in the year while the cadre was in post
    attended: int

    @property
    def rate(self) -> Decimal | None:
        """Attended / held as a percentage with one decimal (None when no meeting was held)."""
        if not self.held:
            return None
        return (Decimal(self.attended) * 100 / Decimal(self.held)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def in_post_on(day: datetime.date, *, first_appointed_on: datetime.date, left_on: datetime.date | None) -> bool:
    return first_appointed_on <= day and (left_on is None or day <= left_on)


def attendance(
    meetings: Iterable[tuple[int, datetime.date]],
    attended_ids: set[int],
    *,
    first_appointed_on: datetime.date,
    left_on: datetime.date | None,
) -> Attendance:
    """``meetings``: (id, held on) of the village branch's meetings of the year; a meeting counts when the
    cadre was in post that day, and is attended when its id is in ``attended_ids``."""
    held = attended = 0
    for meeting_id, held_on in meetings:
        if in_post_on(held_on, first_appointed_on=first_appointed_on, left_on=left_on):
            held += 1
            attended += meeting_id in attended_ids
    return Attendance(held=held, attended=attended)


def overlaps(starts_on: datetime.date, ends_on: datetime.date | None, first: datetime.date, last: datetime.date) -> bool:
    """Does a project's period (open when ``ends_on`` is None) overlap the days first..last?"""
    return starts_on <= last and (ends_on is None or ends_on >= first)
