"""Encryption of a petitioner's identity at rest.

The reporter of a petition is readable by supervisors only (DESIGN §1, §7). Storing the identity
encrypted means no list, export, admin page, serializer or database dump can show it by accident;
``Petition.reporter_for(user)`` is the one place that decrypts it, and only for a supervisor.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    source = settings.ID_NUMBER_KEY or settings.SECRET_KEY
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(("petition-reporter:" + source).encode()).digest()))


def encrypt_identity(data: dict) -> str:
    return _fernet().encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def decrypt_identity(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()).decode())
    except (InvalidToken, ValueError):
        # A key rotation without re-encryption: never crash a page, show nothing.
        return {}
