"""An article's sentences with exact offsets: the one splitter briefer has. Evidence by
reference numbers these sentences (S1, S2, ...) in every request, so the split is part of what
is sent: it must not change without a measured step. Split by punctuation, no model, no
network; a period after a title, an initial, a month or "U.S." does not end a sentence. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .spans import Excerpt

# A sentence ends at . ! ? or … (with any closing quotes, brackets or a stray dash after it)
# followed by whitespace and then something that can start a sentence.
_END = re.compile(r"[.!?…]+[\"'”’»)\]\-–—]*(?=\s+[\"'“‘«(\[\-–—]*[\w\"'“‘«(\[])")
# A paragraph break: a line with nothing on it, and the blank space after it.
PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A CJK full stop ends a sentence with no space after it. The splitter leaves it (the sentence
# numbers requests cite stay as they are); the chunker cuts a long text there too.
CJK_STOP = re.compile(r"[。！？]")
# Words before a period that do not end a sentence: titles, initials, months, "U.S.".
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Gen|Lt|Col|Capt|Sgt|Adm|Gov|Sen|Rep|Rev|Hon|Pres|"
    r"No|Nos|Vol|vs|etc|e\.g|i\.e|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
    r"Nov|Dec|Mt|Ft|approx|est)|\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z])\.$"
)


@dataclass(frozen=True, kw_only=True)
class Sentence(Excerpt):
    """Sentence `index` (from 0) of an article is article[start:end]; `paragraph` counts from
    0. Requests cite it by `number`, from 1."""

    index: int
    paragraph: int

    @property
    def number(self) -> int:
        return self.index + 1

    @classmethod
    def cut(cls, text: str, start: int, end: int, *, index: int, paragraph: int) -> Sentence:
        """Sentence `index` of `text`, from `start` to `end`."""
        return cls(start=start, end=end, text=text[start:end], index=index, paragraph=paragraph)


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text` with exact offsets."""
    sentences: list[Sentence] = []
    for paragraph, (block_start, block_end) in enumerate(_paragraphs(text)):
        for start, end in _sentences_in(text, block_start, block_end):
            sentences.append(
                Sentence.cut(text, start, end, index=len(sentences), paragraph=paragraph)
            )
    return sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in PARAGRAPH.finditer(text):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _END.finditer(text, start, end):
        if _ABBREVIATION.search(text, max(cursor, match.start() - 12), match.end()):
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    trimmed = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


def whole_quotations(sentences: list[Sentence], text: str) -> list[Sentence]:
    """The sentences with those a quotation runs across joined into one ('"One. Two," she
    said.' is one statement), renumbered; for readers of statements rather than citations."""
    from .quotes import quotations  # a sibling: the text layer's own quotation finder

    spans = quotations(text)
    joined: list[Sentence] = []
    for sentence in sentences:
        last = joined[-1] if joined else None
        across = last is not None and any(
            q.start < last.end and q.end > sentence.start for q in spans
        )
        if last is not None and across and last.paragraph == sentence.paragraph:
            joined[-1] = Sentence.cut(
                text, last.start, sentence.end, index=last.index, paragraph=last.paragraph
            )
        else:
            joined.append(
                Sentence.cut(
                    text,
                    sentence.start,
                    sentence.end,
                    index=len(joined),
                    paragraph=sentence.paragraph,
                )
            )
    return joined
