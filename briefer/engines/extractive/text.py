"""Sentence splitting with character offsets. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...text.spans import Excerpt

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "st",
    "sen",
    "rep",
    "gov",
    "pres",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "jr",
    "sr",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
    "mt",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9À-Ý])|\n\s*\n")


@dataclass(frozen=True, kw_only=True)
class Sentence(Excerpt):
    """A sentence of the article with its offsets: `text[start:end] == sentence.text`."""

    index: int
    paragraph: int


def sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences, keeping offsets; abbreviations and initials do not split."""
    result: list[Sentence] = []
    start = 0
    paragraph = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().strip() and _ends_with_abbreviation(text, match.start()):
            continue
        if _inside_open_quote(text[start:end]) and "\n" not in match.group():
            continue
        _append(result, text, start, end, paragraph)
        if "\n\n" in text[match.start() : match.end() + 2]:
            paragraph += 1
        start = end
    _append(result, text, start, len(text), paragraph)
    return result


def _append(result: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        result.append(
            Sentence(
                index=len(result), start=start, end=end, text=text[start:end], paragraph=paragraph
            )
        )


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    if word is None:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _inside_open_quote(chunk: str) -> bool:
    """True when a quotation opened in `chunk` has not closed: a quote spanning sentences."""
    return chunk.count("“") > chunk.count("”") or chunk.count('"') % 2 == 1
