"""Pure rules of the mass evaluation: the short codes, the satisfaction figure, when a result may be shown."""

import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# 32 symbols, none that looks like another (no 0/O, 1/I): 10 of them carry exactly 50 random bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
RATINGS = ("s", "b", "d")
LOWEST_THRESHOLD = 3


def code_bits() -> float:
    return CODE_LENGTH * math.log2(len(CODE_ALPHABET))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """What a villager typed (lower case, spaces, a dash, an O for a 0 ...) as a code, or None if it cannot be one."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -\t")
    cleaned = cleaned.replace("O", "0").replace("I", "1")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def display_code(code: str) -> str:
    """Two groups of five, easier to read aloud and to type."""
    return f"{code[:5]}-{code[5:]}"


@dataclass(frozen=True)
class Tally:
    satisfied: int = 0
    basically: int = 0
    dissatisfied: int = 0

    @property
    def ballots(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.satisfied + other.satisfied, self.basically + other.basically, self.dissatisfied + other.dissatisfied)


def satisfaction(tally: Tally) -> Decimal | None:
    """(满意 + 0.5 × 基本满意) / ballots × 100, to one decimal (half up); None without a ballot."""
    if tally.ballots == 0:
        return None
    value = (Decimal(tally.satisfied) + Decimal(tally.basically) / 2) * 100 / Decimal(tally.ballots)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def shown(tally: Tally, min_ballots: int) -> bool:
    """A cadre's result is shown only from ``min_ballots`` ballots on (never fewer than 3)."""
    return tally.ballots >= max(min_ballots, LOWEST_THRESHOLD)


def count_ratings(ballots: Iterable[Mapping[str, str]]) -> dict[str, Tally]:
    """Recount: cadre id (as stored, a string) → Tally, from the ballots' ratings."""
    counts: dict[str, list[int]] = {}
    for ratings in ballots:
        for cadre_id, rating in ratings.items():
            counts.setdefault(str(cadre_id), [0, 0, 0])[RATINGS.index(rating)] += 1
    return {cadre_id: Tally(*values) for cadre_id, values in counts.items()}


def by_rating(ratings: Mapping[int, str]) -> dict[str, list[int]]:
    """{rating: [cadre ids]}: one counter update per rating, not per cadre."""
    grouped: dict[str, list[int]] = {}
    for cadre_id, rating in sorted(ratings.items()):
        grouped.setdefault(rating, []).append(cadre_id)
    return grouped


def villager_source(ballots: int, value: Decimal) -> str:
    """The source the year page and the promotion review name: 村民测评 43 票，满意度 86.0%."""
    return _("Villagers' evaluation: %(ballots)s ballots, satisfaction %(value)s%%") % {"ballots": ballots, "value": value}


def override_source(reason: str) -> str:
    return _("Entered by the township: %(reason)s") % {"reason": reason}
