"""The offline engine: a briefing from the article text alone, no LLM, same contract.

It runs on spaCy (the `nlp` extra: sentences, entities, dependency parse) when spaCy and an
English pipeline are installed, and otherwise on hand-written rules, saying so in every
briefing (`engine.model` is "rules" and a warning names what to install; a run tells it once).
Deterministic: the same text and pipeline give the same briefing. Nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...readers.sources import Article
from ...schema import Briefing
from ...text.quotes import for_parsing
from . import nlp, rules, spacy_engine
from .rules import RULES_MODEL

__all__ = ["FALLBACK_WARNING", "RULES_MODEL", "brief", "brief_many", "fallback_warning"]

FALLBACK_WARNING = (
    "offline engine on rules: spaCy or its English pipeline is not installed;"
    " pip install 'briefer[nlp]' for the spaCy engine"
)


def brief(article: Article, tokens: int, spacy_model: str | None = None) -> Briefing:
    """Return the extractive briefing of `article` (`tokens`: its token count)."""
    return next(brief_many([(article, tokens)], spacy_model))


def brief_many(
    items: Iterable[tuple[Article, int]], spacy_model: str | None = None
) -> Iterator[Briefing]:
    """Brief many (article, token count) pairs in order, parsing them in batches with
    `nlp.pipe` (many articles in worker processes: `briefing/offline.py`). `spacy_model`: the
    pipeline the settings name (a package or a path), or None for the default ones; the
    caller reads it from its settings once, not once per article."""
    pipeline = nlp.load(spacy_model)
    if pipeline is None:
        fallback = fallback_warning(spacy_model)
        for article, tokens in items:
            briefing = rules.brief(article, tokens)
            yield briefing.model_copy(update={"warnings": [*briefing.warnings, fallback]})
        return
    yield from _brief_parsed(list(items), pipeline)


def fallback_warning(spacy_model: str | None = None) -> str:
    """What a briefing on the rules says: why the pipeline did not load, and what to install."""
    why = nlp.failure(spacy_model) if nlp.load(spacy_model) is None else None
    return f"{why}; {FALLBACK_WARNING}" if why else FALLBACK_WARNING


def _brief_parsed(pairs: list[tuple[Article, int]], pipeline: nlp.Pipeline) -> Iterator[Briefing]:
    docs = nlp.parse(pipeline, (for_parsing(article.text) for article, _ in pairs))
    for (article, tokens), doc in zip(pairs, docs, strict=True):
        yield spacy_engine.brief(article, tokens, doc, pipeline.label)
