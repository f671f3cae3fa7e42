"""Evidence by reference: the article's sentences numbered S1, S2, ... and the model's
citations of them turned back into verbatim spans. Pure functions, no I/O.

Numbers run over the whole article, so a citation means the same sentence in every chunk
and in the consolidation. A citation is read only against the sentence table built here from
the article text: an id the article forges inside its own text can name at most a real
sentence of that article, and words claimed to be in a sentence must be in it.

Citation forms (what the map prompt teaches):
    "S12"                       the whole sentence
    "S12-S14"                   consecutive sentences, at most MAX_RANGE
    "S12: exact words"          only those words of S12
    "S12: first words ... last words"   S12 from the first words to the last words
"""

from __future__ import annotations

import re

from ..schema import Evidence
from ..text.sentences import Sentence, split_sentences
from ..text.source import ELLIPSIS, SourceText
from ..text.spans import Span

CITATIONS_DROPPED = (
    "evidence citation(s) naming no sentence of the article, or words not in it, were dropped"
)
# A citation of more sentences than this is a copy of the article, not evidence.
MAX_RANGE = 4

_CITATION = re.compile(
    r"^\s*\[?S(\d{1,6})\]?(?:\s*[-–]\s*\[?S?(\d{1,6})\]?)?\s*[:|]?\s*(.*?)\s*$", re.S
)
_SPACE = re.compile(r"\s+")


def numbered(text: str, sentences: list[Sentence], start: int = 0, end: int | None = None) -> str:
    """text[start:end] as the model sees it: one sentence a line, each after its id, a blank
    line between paragraphs. A sentence cut by the range shows only its part inside it."""
    end = len(text) if end is None else end
    lines: list[str] = []
    paragraph: int | None = None
    for sentence in sentences:
        if sentence.end <= start or sentence.start >= end:
            continue
        if paragraph is not None and sentence.paragraph != paragraph:
            lines.append("")
        paragraph = sentence.paragraph
        shown = _SPACE.sub(" ", text[max(start, sentence.start) : min(end, sentence.end)])
        lines.append(f"[S{sentence.number}] {shown.strip()}")
    return "\n".join(lines)


class Citations:
    """Resolves the model's citations against the sentence table of one article."""

    dropped_note = CITATIONS_DROPPED

    def __init__(self, text: str) -> None:
        self.source = SourceText(text)
        self.sentences = split_sentences(text)

    def span(self, citation: str) -> Span | None:
        """The article span a citation names; None when it names no sentence, or words that
        are not in the sentences it names."""
        match = _CITATION.match(citation)
        if match is None:
            return None
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1 <= first <= last <= len(self.sentences) or last - first >= MAX_RANGE:
            return None
        start = self.sentences[first - 1].start
        end = self.sentences[last - 1].end
        words = match.group(3)
        if not words.strip("\"'“”‘’ "):
            return Span(start, end)
        parts = [part for part in ELLIPSIS.split(words) if part.strip("\"'“”‘’ ")]
        if not parts:
            return Span(start, end)
        opening = self.source.locate_within(parts[0], start, end)
        if opening is None:
            return None
        if len(parts) == 1:
            return opening
        closing = self.source.locate_within(parts[-1], opening.end, end) or (
            self.source.locate_within(parts[-1], opening.start, end)
        )
        if closing is None:
            return None
        return Span(opening.start, max(opening.end, closing.end))

    def evidence(self, citation: str) -> Evidence | None:
        """The verbatim evidence a citation names, with offsets; None when it names none."""
        span = self.span(citation)
        if span is None or span.end <= span.start:
            return None
        return Evidence(
            quote=self.source.text[span.start : span.end],
            start=span.start,
            end=span.end,
            direct=self.source.is_direct(span),
        )
