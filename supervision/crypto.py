"""Encryption of a petitioner's identity and of the petition's full text at rest (SM4-GCM, 密评).

The reporter of a petition is readable by supervisors only (DESIGN §1, §7), and so is the full text, which
usually names them. Both are stored SM4-encrypted (``cadre_mgmt/crypto.py``, each with its own associated
data), so no list, export, admin page, serializer, audit record or database dump can show them by accident;
``Petition.reporter_for(user)`` and ``content_for(user)`` are the only places that decrypt, for a supervisor.
Values from before SM4 (Fernet identities, plain full texts) are still read until ``rotate_keys`` re-encrypts.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from cadre_mgmt import crypto as national

REPORTER = "petition_reporter"
CONTENT = "petition_content"


def _fernet() -> Fernet:
    source = settings.ID_NUMBER_KEY or settings.SECRET_KEY
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(("petition-reporter:" + source).encode()).digest()))


def legacy_identity(token: str) -> str:
    """The JSON of an identity Fernet-encrypted before SM4 ("" if no key reads it)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def encrypt_identity(data: dict) -> str:
    return national.encrypt(json.dumps(data, ensure_ascii=False), purpose=REPORTER)


def decrypt_identity(token: str) -> dict:
    if not token:
        return {}
    text = national.decrypt(token, purpose=REPORTER) or legacy_identity(token)
    try:
        return json.loads(text) if text else {}
    except ValueError:
        # A key rotation without re-encryption: never crash a page, show nothing.
        return {}


def legacy_content(token: str) -> str:
    """A full text stored before SM4 was plain; an unreadable SM4 value is not."""
    return "" if token.startswith(f"{national.PREFIX}:") else token


def encrypt_content(text: str) -> str:
    return national.encrypt(text, purpose=CONTENT) if text else ""


def decrypt_content(token: str) -> str:
    if not token:
        return ""
    plain = national.decrypt(token, purpose=CONTENT)
    return plain if plain is not None else legacy_content(token)
