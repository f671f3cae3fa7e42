"""Finding quoted words in an article's text: exactly, else after normalising whitespace,
quotation marks, dashes and case, else by a near match (similarity >= 0.9); spans are snapped
to whole words and map back to the source's offsets. Pure, no I/O."""

from __future__ import annotations

import bisect
import re

from rapidfuzz import fuzz

from ..schema import Evidence
from .quotes import Quotation, quotations
from .spans import Span

MIN_SIMILARITY = 90.0
MIN_FUZZY_LENGTH = 20

_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
# A real elided quote has a few parts; each part costs a search of the whole text.
MAX_ELIDED_PARTS = 6
# Past this a quote that is not found exactly is not evidence but a copy of the article.
MAX_FUZZY_LENGTH = 1_500
# An elision in a quote: "..." (spaced or not) or "…".
ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
_OPENING = {'"', "“", "«", "„"}


class SourceText:
    """The article text with a normalised copy and the map back to source offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.origin = _fold(text)
        self._quotations: list[Quotation] | None = None

    def locate(self, quote: str) -> Span | None:
        """Return the source span of `quote`: exact, normalised, or near; None if absent."""
        quote = quote.strip()
        if not quote:
            return None
        at = self.text.find(quote)
        if at >= 0:
            return Span(at, at + len(quote))
        folded = _fold(quote)[0].strip()
        # Models sometimes add or drop the quotation marks around a quote: try both.
        for candidate in (folded, folded.strip("\"'")):
            at = self.folded.find(candidate) if candidate else -1
            if at >= 0:
                return self._to_source(at, at + len(candidate))
        return self._locate_elided(quote) or self._locate_near(folded.strip("\"'"))

    def locate_within(self, words: str, start: int, end: int) -> Span | None:
        """Return the first span of `words` inside source[start:end], compared normalised
        (quotation marks, dashes, whitespace, case); None when absent."""
        folded = _fold(words)[0].strip()
        low, high = bisect.bisect_left(self.origin, start), bisect.bisect_left(self.origin, end)
        # Models add or drop the quotation marks around the words they give: try both.
        for candidate in (folded, folded.strip("\"' ")):
            at = self.folded.find(candidate, low, high) if candidate else -1
            if at >= 0:
                return self._to_source(at, at + len(candidate))
        return None

    def _to_source(self, start: int, end: int) -> Span:
        return Span(self.origin[start], self.origin[end - 1] + 1)

    def _locate_elided(self, quote: str) -> Span | None:
        """A quote shortened with '...' maps to the source passage from its first to last part."""
        parts = [part for part in ELLIPSIS.split(quote) if part.strip()]
        if not 2 <= len(parts) <= MAX_ELIDED_PARTS:
            return None
        spans = [self.locate(part) for part in parts]
        if any(span is None for span in spans):
            return None
        first, last = spans[0], spans[-1]
        assert first is not None and last is not None
        if last.end <= first.start or last.end - first.start > 2 * len(quote) + 200:
            return None
        return Span(first.start, last.end)

    def _locate_near(self, folded_quote: str) -> Span | None:
        if not MIN_FUZZY_LENGTH <= len(folded_quote) <= MAX_FUZZY_LENGTH:
            return None
        alignment = fuzz.partial_ratio_alignment(
            folded_quote, self.folded, score_cutoff=MIN_SIMILARITY
        )
        if alignment is None:
            return None
        start, end = _snap_to_words(self.folded, alignment.dest_start, alignment.dest_end)
        if fuzz.ratio(folded_quote, self.folded[start:end]) < MIN_SIMILARITY:
            return None
        return self._to_source(start, end)

    def is_direct(self, span: Span) -> bool:
        """True when the span lies inside quotation marks (as `text.quotes` reads them: one
        odd mark does not turn the rest of the article into a quotation)."""
        if self.text[span.start] in _OPENING:
            return True
        if self._quotations is None:
            self._quotations = quotations(self.text)
        return any(q.start <= span.start < q.end for q in self._quotations)

    def evidence(self, quote: str) -> Evidence | None:
        """Return the located evidence for `quote`, or None when it is not in the text."""
        span = self.locate(quote)
        if span is None:
            return None
        span = _trim(self.text, span)
        if span.end <= span.start:
            return None
        return self.evidence_at(span)

    def evidence_at(self, span: Span, direct: bool | None = None) -> Evidence:
        """The evidence the text holds at `span` (`direct` worked out when not given)."""
        return Evidence(
            quote=span.of(self.text),
            start=span.start,
            end=span.end,
            direct=self.is_direct(span) if direct is None else direct,
        )


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower-case, unify quote marks and dashes, collapse whitespace; keep each char's origin."""
    chars: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, char in enumerate(text.translate(_FOLD)):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
            char = " "
        else:
            previous_space = False
        for folded in char.lower():
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so it neither starts nor ends inside a word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)
