"""The offline engine: a briefing from the article text alone, no LLM, same contract.

It runs on spaCy (the `nlp` extra: sentences, entities, dependency parse) when spaCy and an
English pipeline are installed, and otherwise on hand-written rules, saying so once on stderr
and in every briefing (`engine.model` is "rules" and a warning names what to install).
Deterministic: the same text and pipeline give the same briefing. Nothing is downloaded.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

from ..schema import Briefing
from ..settings import Settings
from ..sources import Article
from . import nlp, rules, spacy_engine

FALLBACK_WARNING = (
    "offline engine on rules: spaCy or its English pipeline is not installed;"
    " pip install 'briefer[nlp]' for the spaCy engine"
)
_warned = False


def brief(article: Article, tokens: int, spacy_model: str | None = None) -> Briefing:
    """Return the extractive briefing of `article` (`tokens`: its token count)."""
    return next(brief_many([(article, tokens)], spacy_model))


def brief_many(
    items: Iterable[tuple[Article, int]], spacy_model: str | None = None, n_process: int = 1
) -> Iterator[Briefing]:
    """Brief many (article, token count) pairs, parsing them in batches with `nlp.pipe`
    (`n_process` > 1 parses in that many worker processes)."""
    pipeline = nlp.load(spacy_model or Settings.load().spacy_model)
    if pipeline is None:
        _warn_once()
        for article, tokens in items:
            briefing = rules.brief(article, tokens)
            yield briefing.model_copy(update={"warnings": [*briefing.warnings, FALLBACK_WARNING]})
        return
    pairs = list(items)
    docs = pipeline.nlp.pipe(
        (article.text for article, _ in pairs), batch_size=16, n_process=n_process
    )
    for (article, tokens), doc in zip(pairs, docs, strict=True):
        yield spacy_engine.brief(article, tokens, doc, pipeline.label)


def _warn_once() -> None:
    global _warned
    if not _warned:
        _warned = True
        print(f"briefer: {FALLBACK_WARNING}", file=sys.stderr)
