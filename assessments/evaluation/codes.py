"""Codes are kept only as keyed hashes: HMAC-SHA256 under EVALUATION_CODE_KEY, never the code itself."""

import hashlib
import hmac

from django.conf import settings


def _key() -> bytes:
    key = settings.EVALUATION_CODE_KEY or ("evaluation-codes:" + settings.SECRET_KEY)
    return key.encode()


def code_digest(code: str) -> str:
    return hmac.new(_key(), code.encode(), hashlib.sha256).hexdigest()
