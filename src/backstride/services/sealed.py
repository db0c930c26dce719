"""Backups sealed with a passphrase, so that a copy that leaves the server (another disk, a
storage service) is useless without it.

scrypt (Percival & Josefsson, RFC 7914) turns the passphrase and a random 16-byte salt into a
256-bit key, with N = 2**17, r = 8, p = 1 (the minimum the OWASP Password Storage Cheat Sheet
gives for scrypt: about 128 MiB and half a second, once per backup); AES-256-GCM (NIST SP
800-38D) encrypts the compressed backup under a random 96-bit nonce and authenticates it with
the header, so a wrong passphrase, a changed byte or a changed header is refused rather than
restored. The sealed file is JSON: the header (format, key derivation, cipher) in the clear,
the data in base64.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from backstride.domain.answers import ContractError, FieldError

SEALED_FORMAT = "backstride-sealed-1"
CIPHER = "AES-256-GCM"
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
#: scrypt costs a reader may ask for: enough for the default, not enough to exhaust memory.
MAX_SCRYPT_N = 2**20
MIN_PASSPHRASE_CHARS = 12


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise ContractError(
            (FieldError("passphrase", f"must be at least {MIN_PASSPHRASE_CHARS} characters"),)
        )


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def seal(plaintext: bytes, passphrase: str, *, n: int = SCRYPT_N) -> bytes:
    """``plaintext`` compressed, encrypted and authenticated under ``passphrase``."""
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    header = {
        "format": SEALED_FORMAT,
        "kdf": {
            "name": "scrypt",
            "n": n,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": base64.b64encode(salt).decode(),
        },
        "cipher": CIPHER,
        "nonce": base64.b64encode(nonce).decode(),
    }
    key = _key(passphrase, salt, n, SCRYPT_R, SCRYPT_P)
    data = AESGCM(key).encrypt(nonce, zlib.compress(plaintext, 6), _aad(header))
    return json.dumps({**header, "data": base64.b64encode(data).decode()}).encode()


def is_sealed(content: bytes) -> bool:
    """Whether ``content`` is a sealed file (by its header; nothing is decrypted)."""
    return content.lstrip()[:200].find(f'"format": "{SEALED_FORMAT}"'.encode()) != -1


def _unreadable() -> ContractError:
    return ContractError((FieldError("format", f"not a readable {SEALED_FORMAT} file"),))


def _opened(content: bytes) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """The header, salt, nonce and data of a sealed file, checked (``_unreadable`` if not)."""
    try:
        envelope = json.loads(content)
        header = {k: envelope[k] for k in ("format", "kdf", "cipher", "nonce")}
        kdf = header["kdf"]
        known = header["format"] == SEALED_FORMAT and header["cipher"] == CIPHER
        affordable = kdf["name"] == "scrypt" and 2 <= int(kdf["n"]) <= MAX_SCRYPT_N
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(header["nonce"], validate=True)
        data = base64.b64decode(envelope["data"], validate=True)
    except (ValueError, KeyError, TypeError):
        raise _unreadable() from None
    if not (known and affordable):
        raise _unreadable()
    return header, salt, nonce, data


def unseal(content: bytes, passphrase: str) -> bytes:
    """The plaintext of a sealed file; ``ContractError`` naming ``passphrase`` when it does
    not open it (wrong passphrase, or the file was changed), or ``format`` when it is not a
    sealed file this version reads."""
    header, salt, nonce, data = _opened(content)
    kdf = header["kdf"]
    try:
        key = _key(passphrase, salt, int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
        return zlib.decompress(AESGCM(key).decrypt(nonce, data, _aad(header)))
    except (InvalidTag, zlib.error, ValueError):
        raise ContractError(
            (FieldError("passphrase", "does not open this backup, or the file was changed"),)
        ) from None
