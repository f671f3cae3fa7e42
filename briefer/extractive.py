"""The offline engine: a briefing from the article text alone, with no model."""

from __future__ import annotations

import re

from .schema import Briefing, Engine, Source
from .sources import Article

_SENTENCE = re.compile(r"[^.!?]+[.!?]+[\"'”’]*|[^.!?]+$")


def brief(article: Article, tokens: int) -> Briefing:
    """Return an extractive briefing of `article`: lead sentences, no model involved."""
    sentences = [m.group().strip() for m in _SENTENCE.finditer(article.text) if m.group().strip()]
    headline = article.title or (sentences[0] if sentences else "")
    summary = " ".join(sentences[:3])
    return Briefing(
        source=Source(
            id=article.id,
            path=article.path,
            title=article.title,
            outlet=article.outlet,
            published=article.published,
            tokens=tokens,
        ),
        headline=headline,
        summary=summary,
        engine=Engine(name="extractive", model=None, prompt_version=None),
    )
