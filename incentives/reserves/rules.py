"""Pure rules of the reserve pool: the status steps, age bands, the minimum flag. No ORM."""

import datetime

# registered → in cultivation → appointed / withdrawn; a registered reserve may also withdraw.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "registered": ("cultivating", "withdrawn"),
    "cultivating": ("appointed", "withdrawn"),
    "appointed": (),
    "withdrawn": (),
}
OPEN_STATUSES = ("registered", "cultivating")

# (upper age inclusive, key); the last band has no upper bound.
AGE_BANDS: tuple[tuple[int | None, str], ...] = ((30, "to30"), (35, "31to35"), (40, "36to40"), (None, "over40"))


def may_step(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, ())


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: datetime.date, day: datetime.date) -> str:
    age = age_on(birth_date, day)
    for upper, key in AGE_BANDS:
        if upper is None or age <= upper:
            return key
    return AGE_BANDS[-1][1]  # pragma: no cover - the last band is open


def below_minimum(open_reserves: int, minimum: int) -> bool:
    """A village is flagged when it keeps fewer open reserves (registered or in cultivation) than the minimum."""
    return open_reserves < minimum
