"""Token-aware splitting of an article into chunks that each fit a token budget.

An article that fits goes in one chunk. A longer one is cut on paragraph boundaries, then
sentence boundaries, then word boundaries, then (for text with no spaces, such as CJK)
anywhere; consecutive chunks share a small overlap. Every chunk is verified against the
budget by counting its actual text, so no chunk ever exceeds it, and every chunk keeps its
character offsets in the article. Pure functions; the caller supplies the counter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..text.sentences import CJK_STOP, PARAGRAPH, split_sentences
from ..text.spans import Excerpt

Counter = Callable[[str], int]

_WORD_BREAK = re.compile(r"\s+")


@dataclass(frozen=True, kw_only=True)
class Chunk(Excerpt):
    """An excerpt of the article sent in one call: its place among the chunks and its tokens."""

    index: int
    tokens: int


def split(text: str, budget: int, count: Counter, overlap: int = 100) -> list[Chunk]:
    """Split `text` into chunks of at most `budget` tokens, overlapping by about `overlap`."""
    if budget < 1:
        raise ValueError(f"budget must be positive, not {budget}")
    whole = count(text)
    if whole <= budget:
        return [Chunk(index=0, start=0, end=len(text), text=text, tokens=whole)]
    overlap = min(overlap, budget // 4)
    units = _units(text, 0, len(text), budget, count)
    return _pack(text, units, budget, overlap, count)


def _units(text: str, start: int, end: int, budget: int, count: Counter) -> list[tuple[int, int]]:
    """Cut text[start:end] into contiguous spans, each under budget, at the coarsest boundary."""
    spans: list[tuple[int, int]] = []
    for cuts in (PARAGRAPH, _sentence_ends, _WORD_BREAK):
        pieces = _cut(text, start, end, cuts)
        if len(pieces) > 1:
            break
    else:
        return _hard_cut(text, start, end, budget, count)
    for piece_start, piece_end in pieces:
        if count(text[piece_start:piece_end]) <= budget:
            spans.append((piece_start, piece_end))
        else:
            spans.extend(_units(text, piece_start, piece_end, budget, count))
    return spans


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    """Where text[start:end]'s sentences end (the article's own sentences, as citations number
    them), with the whitespace after each; and after a CJK full stop, which needs none."""
    ends = [start + sentence.end for sentence in split_sentences(text[start:end])]
    ends = [at + len(text[at:end]) - len(text[at:end].lstrip()) for at in ends]
    ends += [match.end() for match in CJK_STOP.finditer(text, start, end)]
    return sorted(set(ends))


def _cut(
    text: str, start: int, end: int, cuts: re.Pattern[str] | Callable[[str, int, int], list[int]]
) -> list[tuple[int, int]]:
    """Split text[start:end] after each match of a pattern (or at each offset `cuts` gives);
    separators stay on the left."""
    if isinstance(cuts, re.Pattern):
        offsets = [match.end() for match in cuts.finditer(text, start, end)]
    else:
        offsets = cuts(text, start, end)
    pieces: list[tuple[int, int]] = []
    cursor = start
    for offset in offsets:
        if cursor < offset < end:
            pieces.append((cursor, offset))
            cursor = offset
    pieces.append((cursor, end))
    return [piece for piece in pieces if piece[1] > piece[0]]


def _hard_cut(
    text: str, start: int, end: int, budget: int, count: Counter
) -> list[tuple[int, int]]:
    """Cut a span with no usable boundary into the longest prefixes that fit the budget."""
    spans: list[tuple[int, int]] = []
    cursor = start
    while cursor < end:
        low, high = cursor + 1, end
        while low < high:  # largest stop with count(text[cursor:stop]) <= budget
            middle = (low + high + 1) // 2
            if count(text[cursor:middle]) <= budget:
                low = middle
            else:
                high = middle - 1
        spans.append((cursor, low))
        cursor = low
    return spans


def _pack(
    text: str, units: list[tuple[int, int]], budget: int, overlap: int, count: Counter
) -> list[Chunk]:
    """Greedily join consecutive units into chunks, each verified against the budget."""
    sizes = [count(text[a:b]) for a, b in units]
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last, total = first, sizes[first]
        while last + 1 < len(units) and total + sizes[last + 1] <= budget:
            last += 1
            total += sizes[last]
        # Counts are not exactly additive across joins: verify the real text, shrink if over.
        while True:
            start, end = units[first][0], units[last][1]
            tokens = count(text[start:end])
            if tokens <= budget or last == first:
                break
            last -= 1
        chunks.append(
            Chunk(index=len(chunks), start=start, end=end, text=text[start:end], tokens=tokens)
        )
        if last + 1 >= len(units):
            break
        back, carried = last + 1, 0
        while back - 1 > first and carried + sizes[back - 1] <= overlap:
            back -= 1
            carried += sizes[back]
        first = back
    return chunks
