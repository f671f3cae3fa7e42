"""Places in an article's text: the one record of "from here to there", shared by chunks,
sentences, quotations and located evidence. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Characters `start` to `end` of an article's text."""

    start: int
    end: int

    def of(self, text: str) -> str:
        """The span's characters in `text`."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class Excerpt(Span):
    """A span with its text: `article[start:end] == text`."""

    text: str


def within(offset: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether `offset` falls inside one of `spans` ((start, end) pairs: quotations, the
    page's furniture)."""
    return any(start <= offset < end for start, end in spans)
