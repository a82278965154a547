"""Resident ID numbers (GB 11643-1999): validation, derived facts, masking, and storage at rest.

Everything that touches a plain ID number goes through this module, so the rest of the code
never handles the stored form. Stored: SM4-GCM ciphertext (reversible, for the roles allowed to
see the number) and an HMAC-SM3 keyed hash (for lookups and the unique constraint).
"""

import datetime
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cadre_mgmt import crypto

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: datetime.date
    gender: str  # "male" | "female"


def parse_id_number(raw: str) -> IdFacts:
    """Validate and return the normalized number with the birth date and gender it encodes."""
    number = (raw or "").strip().upper()
    if len(number) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="id_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("A resident ID number is 17 digits followed by a digit or X."), code="id_chars")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(_("The birth date inside the resident ID number is not a real date."), code="id_birth") from exc
    if birth.year < 1900 or birth > datetime.date.today():  # noqa: DTZ011 - a calendar date, not an instant
        raise ValidationError(_("The birth date inside the resident ID number is not plausible."), code="id_birth")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(_("The check digit of the resident ID number is wrong."), code="id_check")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return IdFacts(number=number, birth_date=birth, gender=gender)


def mask_id_number(number: str) -> str:
    """``110101199001011234`` → ``1101**********1234``."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


# Stored with the national algorithms (cadre_mgmt/crypto.py): SM4-GCM with "id_number" as associated data,
# HMAC-SM3 for lookups. A Fernet value from before SM4 is still read until ``rotate_keys`` re-encrypts it.
PURPOSE = "id_number"


def hash_id_number(number: str) -> str:
    return crypto.lookup_hash(number, purpose=PURPOSE)


def encrypt_id_number(number: str) -> str:
    return crypto.encrypt(number, purpose=PURPOSE)


def decrypt_id_number(token: str) -> str:
    plain = crypto.decrypt(token, purpose=PURPOSE)
    if plain is not None:
        return plain
    try:
        return Fernet(crypto.legacy_fernet_key()).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        # A key rotation without re-encryption: never crash a page, show nothing.
        return ""
