"""Pure rules of the reserve pool: the status steps, age bands, the minimum flag. No ORM."""

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


def below_minimum(open_reserves: int, minimum: int) -> bool:
    """A village is flagged when it keeps fewer open reserves (registered or in cultivation) than the minimum."""
    return open_reserves < minimum
