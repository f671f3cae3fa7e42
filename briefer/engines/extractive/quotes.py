"""Quotation spans in real-world text, where straight quotes are ambiguous and mojibake turns
apostrophes and dashes into `"?` or puts `"` inside words (`don"t`). Pure functions.

Each mark is classed by what stands on either side: an opening mark follows a space or a
bracket and precedes a word; a closing mark follows a word and precedes a space or a
punctuation mark. A mark inside a word, or `"?` running into a word, is damage, not a quote.
"""

from __future__ import annotations

import re

from .text import Quotation

_OPENERS = "“«"
_CLOSERS = "”»"
_BEFORE_OPEN = " \t\n([{—–-:;,/"
_AFTER_CLOSE = " \t\n)]}.,;:!?—–-/"
_END_OF_CLAUSE = ".,!?;"
# A quotation longer than this has lost its closing mark; it is not one quotation.
_MAX_CHARS = 1500


def quotations(text: str) -> list[Quotation]:
    """The insides of the quotations of `text`, in order, with offsets into `text`."""
    found: list[Quotation] = []
    opened: int | None = None
    for i, char in enumerate(text):
        can_open, can_close = _roles(text, i, char)
        if opened is not None and can_close:
            if 3 <= i - opened <= _MAX_CHARS and text[opened:i].strip():
                found.append(Quotation(opened, i, text[opened:i]))
            opened = None
        elif can_open:
            # A second opening mark before any close: the first never closed (or a paragraph
            # of a long quotation reopened), so the quotation starts again here.
            opened = i + 1
    return found


def _roles(text: str, i: int, char: str) -> tuple[bool, bool]:
    """Whether the mark at `i` can open and whether it can close a quotation."""
    if char in _OPENERS:
        return True, False
    if char in _CLOSERS:
        return False, True
    if char != '"':
        return False, False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after == "?" and i + 2 < len(text) and text[i + 2].isalnum():
        return False, False  # `States"?and`: a damaged apostrophe or dash
    can_open = before in _BEFORE_OPEN and not after.isspace()
    # `well-being,"Spicer said`: punctuation then a mark then a word, a space lost.
    can_close = not before.isspace() and (
        after in _AFTER_CLOSE or (before in _END_OF_CLAUSE and after.isalpha())
    )
    return can_open, can_close


_DAMAGE = (
    # `don"t`: a quotation mark inside a word is an apostrophe.
    (re.compile(r"(?<=[A-Za-z])\"(?=[a-z])"), "'"),
    # `States"?and`, `"?` before a word: a damaged apostrophe or dash.
    (re.compile(r"\"\?(?=\w)"), "  "),
    # `director,"-Nigel`, `said.- The`: a dash glued to the punctuation before a new word.
    (re.compile(r"(?<=[\".,;:!?])-(?=[\s\"A-Z])"), " "),
    (re.compile("\ufffd"), " "),
)


def for_parsing(text: str) -> str:
    """`text` with the damage that misleads a tokenizer replaced by characters of the same
    length, so that every offset into the result is an offset into `text`."""
    for pattern, replacement in _DAMAGE:
        text = pattern.sub(replacement, text)
    return text
