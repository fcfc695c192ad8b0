"""Tracking numbers and access keys.

A tracking number is ``PP-RRRR-RRRR-RRRC``: a two-letter kind prefix, 55 random bits as 11
Crockford base32 characters, and one check character computed with the Luhn mod 32 algorithm
over the prefix and the random part. Luhn mod N catches every single-character substitution
and most adjacent transpositions, and unlike Crockford's own mod-37 check it needs no symbols
outside the base32 alphabet (``*~$=`` are awkward to read out over the phone and in URLs).

Reading is forgiving: case-insensitive, hyphens and spaces ignored, O read as 0 and I/L as 1.

An access key is 28 Crockford base32 characters (140 random bits) in groups of four, e.g.
``7K3Q-9XWD-2MPA-4FGH-JK56-QRST-VWXY``: people copy it from paper and read it over the phone, so it
has no look-alike characters and is read with the same forgiveness as a tracking number.
"""

import hashlib
import hmac
import secrets

from core.choices import Kind

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
VALUES = {char: value for value, char in enumerate(ALPHABET)}
RANDOM_CHARS = 11  # 55 bits
PREFIXES = {
    Kind.COMPLAINT: "CM",
    Kind.CORRUPTION: "CR",
    Kind.SUGGESTION: "SG",
    Kind.CODECISION: "CD",
}
KINDS_BY_PREFIX = {prefix: kind for kind, prefix in PREFIXES.items()}
# An opinion given on a public consultation (core.models.consultation.Opinion) has a number of its own.
OPINION_PREFIX = "PH"  # a public hearing (การรับฟังความคิดเห็น): "OP" has an O, which Crockford base32 lacks
NUMBER_PREFIXES = frozenset({*KINDS_BY_PREFIX, OPINION_PREFIX})
COMPACT_LENGTH = 2 + RANDOM_CHARS + 1
_TYPO_MAP = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None, "\t": None})


def luhn_mod32_check(payload: str) -> str:
    """The check character that makes ``payload + check`` valid under Luhn mod 32."""
    total, factor = 0, 2
    for char in reversed(payload):
        addend = factor * VALUES[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def format_tracking(compact: str) -> str:
    body = compact[2:]
    return f"{compact[:2]}-{body[0:4]}-{body[4:8]}-{body[8:12]}"


def tracking_number_new(kind: str) -> str:
    return _number_new(PREFIXES[kind])


def opinion_number_new() -> str:
    return _number_new(OPINION_PREFIX)


def _number_new(prefix: str) -> str:
    payload = prefix + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return format_tracking(payload + luhn_mod32_check(payload))


def tracking_number_parse(text: str) -> str | None:
    """The canonical form of a typed tracking number (a case's or an opinion's), or None if it cannot be one of
    ours."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    compact = text.strip().upper().translate(_TYPO_MAP)
    if len(compact) != COMPACT_LENGTH or compact[:2] not in NUMBER_PREFIXES:
        return None
    if any(char not in VALUES for char in compact):
        return None
    if luhn_mod32_check(compact[:-1]) != compact[-1]:
        return None
    return format_tracking(compact)


ACCESS_KEY_CHARS = 28  # 140 bits


def access_key_new() -> tuple[str, str]:
    """A fresh access key (140 random bits) and the hash that is all we keep of it."""
    compact = "".join(secrets.choice(ALPHABET) for _ in range(ACCESS_KEY_CHARS))
    key = "-".join(compact[i:i + 4] for i in range(0, ACCESS_KEY_CHARS, 4))
    return key, access_key_hash(key)


def _access_key_canonical(key: str) -> str:
    return key.strip().upper().translate(_TYPO_MAP)


def access_key_hash(key: str) -> str:
    # The key carries 140 random bits, so a plain SHA-256 is not open to guessing; no slow KDF needed.
    return hashlib.sha256(_access_key_canonical(key).encode()).hexdigest()


def access_key_matches(key: str | None, stored_hash: str) -> bool:
    if not isinstance(key, str) or not key or not stored_hash or len(key) > 128:
        return False
    return hmac.compare_digest(access_key_hash(key), stored_hash)
