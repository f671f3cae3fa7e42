"""Text from outside (articles, feeds, file names, model and server replies, config) made safe
to show: secrets redacted, control characters removed. Pure functions, no I/O."""

from __future__ import annotations

import re
import unicodedata

REDACTED = "[redacted]"
# Credentials in the shapes servers and configs echo them, each with what replaces it.
_SECRET_PATTERNS = (
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"), REDACTED),  # OpenAI-style keys: sk-, sk-proj-
    # Any HTTP authorization scheme a server may echo: Bearer, Basic, Digest, Token, ...
    (
        re.compile(r"(?i)(\b(?:bearer|basic|digest|token|negotiate)\s+)[A-Za-z0-9._\-~+/]{8,}=*"),
        rf"\g<1>{REDACTED}",
    ),
    (
        re.compile(
            r"(?i)(\b(?:api[_-]?key|access[_-]?token|password)[\"']?\s*[=:]\s*[\"']?)"
            r"[^\s\"'&,}]{6,}"
        ),
        rf"\g<1>{REDACTED}",
    ),
    (re.compile(r"(://)[^/@\s]+@"), rf"\g<1>{REDACTED}@"),  # user:password@ or token@ in a URL
)
KEY_REDACTED = "[API key redacted]"
# Bidirectional overrides and isolates reorder what a reader sees (a file name can look like
# another); other format characters (joiners in emoji, soft hyphens) are kept.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def redact(text: str, *secrets: str | None) -> str:
    """`text` with the given secrets (API keys) and anything shaped like a credential
    replaced."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, KEY_REDACTED)
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def strip_controls(text: str, keep: str = "\n\t") -> str:
    """`text` without control characters (terminal escape sequences lose their ESC and BEL,
    so they print as harmless characters) and without bidirectional overrides."""
    return "".join(
        c
        for c in text
        if c in keep or (unicodedata.category(c) != "Cc" and c not in _BIDI_CONTROLS)
    )


def one_line(value: str | None, limit: int) -> str | None:
    """`value` on one line (control characters and runs of space folded), cut at `limit`
    characters with an ellipsis; None when nothing is left."""
    if value is None:
        return None
    spaced = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value)
    folded = " ".join(strip_controls(spaced).split())
    if len(folded) > limit:
        folded = folded[: limit - 1].rstrip() + "…"
    return folded or None


def message_line(text: str, *secrets: str | None, limit: int = 500) -> str:
    """A message for stderr or a failure list: one line, no control characters, no secrets."""
    return one_line(redact(text, *secrets), limit) or ""
