"""Quotation spans in real-world text, where straight quotes are ambiguous and mojibake turns
apostrophes and dashes into `"?` or puts `"` inside words (`don"t`). Pure functions.

Each mark is classed by what stands on either side: an opening mark follows a space or a
bracket and precedes a word; a closing mark follows a word and precedes a space or a
punctuation mark. A mark inside a word, or `"?` running into a word, is damage, not a quote.
"""

from __future__ import annotations

from .text import Quotation

_OPENERS = "“«"
_CLOSERS = "”»"
_BEFORE_OPEN = " \t\n([{—–-:;,/"
_AFTER_CLOSE = " \t\n)]}.,;:!?—–-/"
# A quotation longer than this has lost its closing mark; it is not one quotation.
_MAX_CHARS = 1500


def quotations(text: str) -> list[Quotation]:
    """The insides of the quotations of `text`, in order, with offsets into `text`."""
    found: list[Quotation] = []
    opened: int | None = None
    for i, char in enumerate(text):
        role = _role(text, i, char)
        if role == "open":
            # A second opening mark before any close: the first never closed (or a paragraph
            # of a long quotation reopened), so the quotation starts again here.
            opened = i + 1
        elif role == "close" and opened is not None:
            if 3 <= i - opened <= _MAX_CHARS and text[opened:i].strip():
                found.append(Quotation(opened, i, text[opened:i]))
            opened = None
    return found


def _role(text: str, i: int, char: str) -> str | None:
    if char in _OPENERS:
        return "open"
    if char in _CLOSERS:
        return "close"
    if char != '"':
        return None
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after == "?" and i + 2 < len(text) and text[i + 2].isalnum():
        return None  # `States"?and`: a damaged apostrophe or dash
    if before in _BEFORE_OPEN and not after.isspace():
        return "open"
    if after in _AFTER_CLOSE and not before.isspace():
        return "close"
    return None
