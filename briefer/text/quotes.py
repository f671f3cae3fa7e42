"""Quotations in real-world text, where straight quotes are ambiguous, mojibake turns
apostrophes and dashes into `"?` or puts `"` inside words (`don"t`), and flattened paragraphs
leave a quotation that ran over several of them reopened without being closed. Counting marks
in pairs goes wrong at the first odd one and stays wrong to the end of the article, so:

Each mark is classed by what stands on either side: an opening mark follows a space or a
bracket and precedes a word; a closing mark follows a word and precedes a space or a
punctuation mark. A mark inside a word, or `"?` running into a word, is damage, not a quote.
Pure functions.
"""

from __future__ import annotations

import re

from .spans import Excerpt

_OPENERS = "“«"
_CLOSERS = "”»"
_BEFORE_OPEN = " \t\n([{—–-:;,/"
_AFTER_CLOSE = " \t\n)]}.,;:!?—–-/"
# (`for_parsing` repairs a damaged closing mark after the same characters.)
_END_OF_CLAUSE = ".,!?;"
_END_OF_SENTENCE = (".", "!", "?")
# Attribution after a comma: "..., his lawyer, X, told the court." ends a quotation, not a
# paragraph of one.
_ATTRIBUTION = re.compile(
    r",\s(?:[^,.;\"]{0,60}?\s)?(?:said|says|told|tells|added|adds|wrote|writes|according)\b"
)
# A quotation longer than this has lost its closing mark; it is not one quotation.
_MAX_CHARS = 1500


class Quotation(Excerpt):
    """The inside of a pair of quotation marks, with offsets into the article."""


def quotations(text: str, start: int = 0, end: int | None = None) -> list[Quotation]:
    """The insides of the quotations of `text`, in order, with offsets into `text`; with
    `start` and `end`, those that begin inside text[start:end]."""
    found: list[Quotation] = []
    opened: int | None = None
    for i, char in enumerate(text):
        can_open, can_close = _roles(text, i, char, opened is not None)
        if opened is not None and can_close:
            _add(found, text, opened, i)
            opened = None
        elif can_open:
            if opened is not None and _reopened(text[opened:i]):
                # A paragraph of a long quotation reopened: the first part ends here.
                _add(found, text, opened, i)
            opened = i + 1
    stop = len(text) if end is None else end
    return [q for q in found if start <= q.start < stop]


def _reopened(part: str) -> bool:
    """Whether a quotation that meets a second opening mark before closing ran to the end of
    a paragraph (whole sentences, no other mark): published text opens each paragraph of a
    long quotation again without closing the one before. Otherwise the first mark never
    closed, and what it would hold is not a quotation — as when its closing mark is missing
    before the attribution ("... this, his lawyer told the court. \"He will ...")."""
    ended = part.rstrip().endswith(_END_OF_SENTENCE)
    return ended and '"' not in part and not _ATTRIBUTION.search(part)


def _add(found: list[Quotation], text: str, start: int, end: int) -> None:
    inside = text[start:end]
    end -= len(inside) - len(inside.rstrip())
    if 3 <= end - start <= _MAX_CHARS and text[start:end].strip():
        found.append(Quotation(start, end, text[start:end]))


def _roles(text: str, i: int, char: str, is_open: bool) -> tuple[bool, bool]:
    """Whether the mark at `i` can open and whether it can close a quotation (`is_open`: one
    is under way)."""
    if char in _OPENERS:
        return True, False
    if char in _CLOSERS:
        return False, True
    if char != '"':
        return False, False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before == "?" and i >= 2 and text[i - 2] == '"':
        before = " "  # `bar."?"I didn't`: a damaged closing mark, then an opening one
    if after == "?" and i + 2 < len(text) and text[i + 2].isalnum():
        # `propaganda."?The`: a damaged closing mark that lost its space; `States"?and`: a
        # damaged apostrophe or dash.
        return False, is_open and before in _END_OF_CLAUSE
    if is_open and before.isspace() and after.isspace():
        return False, True  # `stand for. " One`: a closing mark set off by a stray space
    can_open = before in _BEFORE_OPEN and not after.isspace()
    # `well-being,"Spicer said`: punctuation then a mark then a word, a space lost.
    can_close = not before.isspace() and (
        after in _AFTER_CLOSE or (before in _END_OF_CLAUSE and after.isalpha())
    )
    return can_open, can_close


_DAMAGE = (
    # `don"t`: a quotation mark inside a word is an apostrophe.
    (re.compile(r"(?<=[A-Za-z])\"(?=[a-z])"), "'"),
    # `values,"?Iain`, `bar."?"I`: a damaged closing mark that lost its space (as
    # `quotations` reads it).
    (re.compile(r"(?<=[.,!?;])\"\?(?=[\w\"])"), '" '),
    # `States"?and`, `"?` before a word: a damaged apostrophe or dash.
    (re.compile(r"\"\?(?=\w)"), "  "),
    # `Ms-Le Pen`: a dash for a lost space after a word of address.
    (re.compile(r"(?<=\b(?:Mr|Ms|Dr))-(?=[A-Z])|(?<=\bMrs)-(?=[A-Z])"), " "),
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
