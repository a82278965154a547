"""The national algorithms for personal data at rest (密评, GB/T 39786-2021): SM4-GCM to encrypt, HMAC-SM3
to look up. Every encrypted column of the product goes through ``encrypt``/``decrypt``/``lookup_hash``.

Stored form: ``sm4:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``, a random 12-byte nonce per value and
the field's name as associated data (a value copied into another column does not decrypt). The key id (the
first 8 hex digits of SM3 over the key) says which key wrote the value, so ``rotate_keys`` finds what is
left under an old key and the app reads old and new while it runs.

Keys (README "Keys"): ``SM4_KEY`` (32 hex digits) encrypts; ``SM4_OLD_KEYS`` (comma-separated) are still
read; ``LOOKUP_KEY`` (hex, 32+ digits) keys the HMAC-SM3. Unset, each is derived from ``ID_NUMBER_KEY``
(or, in development, SECRET_KEY) under its own label, so the two are never the same key.
"""

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "sm4"
NONCE_BYTES = 12
TAG_BYTES = 16


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def hmac_sm3(key: bytes, data: bytes) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def derived_key(label: str) -> bytes:
    """A key of its own for ``label``, derived from ID_NUMBER_KEY (or SECRET_KEY) when none is configured."""
    return _derived(label)


def _derived(label: str) -> bytes:
    source = settings.ID_NUMBER_KEY or settings.SECRET_KEY
    return sm3(f"{label}:{source}".encode())


def _hex_key(raw: str, name: str, length: int | None = None) -> bytes:
    try:
        key = bytes.fromhex(raw.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be hexadecimal") from exc
    if (length is not None and len(key) != length) or len(key) < 16:
        raise ImproperlyConfigured(f"{name} must be {2 * (length or 16)} hex digits")
    return key


def current_key() -> bytes:
    raw = getattr(settings, "SM4_KEY", None)
    return _hex_key(raw, "SM4_KEY", 16) if raw else _derived("cadre-sm4")[:16]


def readable_keys() -> dict[str, bytes]:
    """Key id → key: the current key, the old ones still to rotate from, and the derived one."""
    keys = [current_key(), *(_hex_key(k, "SM4_OLD_KEYS", 16) for k in getattr(settings, "SM4_OLD_KEYS", []) or [])]
    keys.append(_derived("cadre-sm4")[:16])
    return {key_id(key): key for key in reversed(keys)}


def key_id(key: bytes) -> str:
    return sm3(key).hex()[:8]


def lookup_key() -> bytes:
    raw = getattr(settings, "LOOKUP_KEY", None)
    return _hex_key(raw, "LOOKUP_KEY") if raw else _derived("cadre-sm3-lookup")


def lookup_hash(value: str, *, purpose: str) -> str:
    """HMAC-SM3 of the value for lookups and uniqueness (64 hex digits); keyed, so not recomputable from a guess."""
    return hmac_sm3(lookup_key(), f"{purpose}\x00{value}".encode())


def encrypt(plain: str, *, purpose: str) -> str:
    key = current_key()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(purpose.encode())
    body = encryptor.update(plain.encode()) + encryptor.finalize() + encryptor.tag
    return f"{PREFIX}:{key_id(key)}:{base64.urlsafe_b64encode(nonce + body).decode()}"


@dataclass(frozen=True)
class Sealed:
    key_id: str
    nonce: bytes
    ciphertext: bytes
    tag: bytes


def parse(token: str) -> Sealed | None:
    """The parts of an SM4 value, or None for anything else (a Fernet value from before)."""
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    try:
        raw = base64.urlsafe_b64decode(parts[2].encode())
    except ValueError:
        return None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        return None
    return Sealed(parts[1], raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:])


def is_current(token: str) -> bool:
    """Written by SM4 under the current key (nothing for ``rotate_keys`` to do)."""
    return token.startswith(f"{PREFIX}:{key_id(current_key())}:")


def decrypt(token: str, *, purpose: str) -> str | None:
    """The plain value; None when it is not an SM4 value or no key reads it (wrong key, tampered, moved)."""
    sealed = parse(token)
    key = readable_keys().get(sealed.key_id) if sealed else None
    if sealed is None or key is None:
        return None
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(sealed.nonce, sealed.tag)).decryptor()
    decryptor.authenticate_additional_data(purpose.encode())
    try:
        return (decryptor.update(sealed.ciphertext) + decryptor.finalize()).decode()
    except (InvalidTag, UnicodeDecodeError):
        return None


def legacy_fernet_key() -> bytes:
    """The key the ID numbers were Fernet-encrypted with before SM4 (read until ``rotate_keys`` is done)."""
    source = settings.ID_NUMBER_KEY or settings.SECRET_KEY
    return base64.urlsafe_b64encode(hashlib.sha256(("cadre-id-number:" + source).encode()).digest())


def check_available() -> None:
    """At start-up: refuse to run on an OpenSSL without SM4-GCM or SM3 rather than store personal data badly."""
    try:
        encryptor = Cipher(algorithms.SM4(b"\x00" * 16), modes.GCM(b"\x00" * NONCE_BYTES)).encryptor()
        encryptor.update(b"check")
        encryptor.finalize()
        sm3(b"check")
    except (UnsupportedAlgorithm, AttributeError, ValueError) as exc:
        raise ImproperlyConfigured(
            "SM4-GCM/SM3 are not available in this OpenSSL build (cryptography's algorithms.SM4, hashes.SM3): "
            "personal data must be encrypted with the national algorithms. Install an OpenSSL with SM4 and SM3 "
            f"(OpenSSL 3 default provider). Detail: {exc}"
        ) from exc
