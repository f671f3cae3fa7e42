"""briefer for LangChain users: a Runnable that takes documents (or text) and returns
briefings, to put in a chain like any other step."""

from __future__ import annotations

from typing import Any

from .api import summarize_many
from .errors import BrieferError
from .readers.sources import Article
from .schema import Briefing
from .settings import Settings


def as_runnable(*, settings: Settings | None = None, **options: Any) -> Any:
    """A LangChain Runnable: a Document, a text or an Article in, its Briefing out; a list in,
    a list of Briefings out (in order). Options are Settings fields (llm=, model=, ...).

    An input that cannot be briefed raises its BrieferError, as a chain step should.
    """
    from langchain_core.runnables import RunnableLambda

    resolved = settings or Settings.load(**options)

    def brief(documents: Any) -> Briefing | list[Briefing]:
        single = not isinstance(documents, list)
        items = [documents] if single else documents
        outcomes = summarize_many([_article(item) for item in items], settings=resolved)
        briefings = []
        for outcome in outcomes:
            if outcome.briefing is None:
                raise outcome.error or BrieferError(f"{outcome.source}: not briefed")
            briefings.append(outcome.briefing)
        return briefings[0] if single else briefings

    return RunnableLambda(brief, name="briefer")


def _article(item: Any) -> Article:
    """An Article from a LangChain Document (its metadata's source and title), text or Article."""
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article.from_text(item)
    text = getattr(item, "page_content", None)
    if not isinstance(text, str):
        raise BrieferError(f"cannot brief a {type(item).__name__}: pass Documents or text")
    metadata = getattr(item, "metadata", None) or {}
    article = Article.from_text(text, path=str(metadata.get("source") or "") or None)
    title = metadata.get("title")
    if isinstance(title, str) and title:
        return Article(article.text, article.path, title, article.outlet, article.published)
    return article
