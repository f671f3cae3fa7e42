"""Article -> Briefing: map chunks, merge, consolidate, ground."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from . import chunking, extractive
from .budget import data_budget, message_tokens
from .errors import BrieferError, ConfigError, EndpointUnreachable, reason_of
from .grounding import ground
from .llm import LLMClient
from .merge import merge_drafts, normalize
from .models import context_window
from .runtime import Runtime
from .schema import Briefing, Draft, Engine, Usage
from .sources import Article, source_of
from .thin import thin_reply_warning

# Without the model's replies, the consolidation input can only be estimated per chunk.
CONSOLIDATION_TOKENS_PER_CHUNK = 1200
CHUNK_OVERLAP_TOKENS = 100
MIN_ARTICLE_BUDGET = 256


def marker_of(article: Article) -> str:
    # Derived from the text, so identical input gives an identical request, yet an article
    # cannot contain the marker that closes it.
    return article.id[:16]


def map_messages(
    runtime: Runtime, article: Article, chunk: chunking.Chunk, parts: int
) -> list[dict[str, str]]:
    """The system and user messages that brief one chunk of an article."""
    part = (
        f"This is part {chunk.index + 1} of {parts} of a longer article; brief only this part.\n"
        if parts > 1
        else ""
    )
    user = runtime.prompts["map.user"].render(
        part=part,
        title=article.title or "(none)",
        outlet=article.outlet or "(unknown)",
        published=article.published or "(unknown)",
        marker=marker_of(article),
        article=chunk.text,
    )
    return [
        {"role": "system", "content": runtime.prompts["map.system"].render()},
        {"role": "user", "content": user},
    ]


def consolidate_messages(
    runtime: Runtime, article: Article, merged: Draft, parts: int
) -> list[dict[str, str]]:
    """The messages that turn the merged partial drafts into one briefing."""
    user = runtime.prompts["consolidate.user"].render(
        title=article.title or "(none)",
        parts=str(parts),
        marker=marker_of(article),
        partials=merged.model_dump_json(indent=1),
    )
    return [
        {"role": "system", "content": runtime.prompts["consolidate.system"].render()},
        {"role": "user", "content": user},
    ]


def article_budget(runtime: Runtime, article: Article) -> int:
    """Tokens of article text one map call can carry, after instructions, schema and output."""
    settings = runtime.settings
    tokenizer = runtime.tokenizer
    empty = chunking.Chunk(index=0, start=0, end=0, text="", tokens=0)
    overhead = message_tokens(tokenizer.count, map_messages(runtime, article, empty, 2))
    overhead += runtime.schema_tokens
    window = context_window(settings.model, settings.context_window)
    budget = data_budget(window, settings.max_output_tokens, overhead, tokenizer.margin)
    if budget < MIN_ARTICLE_BUDGET:
        raise ConfigError(
            f"Context window of {window} tokens leaves no room for"
            f" article text after {settings.max_output_tokens} output tokens; raise"
            " --context-window or lower --max-output-tokens"
        )
    return budget


def chunks_of(runtime: Runtime, article: Article) -> list[chunking.Chunk]:
    return chunking.split(
        article.text,
        article_budget(runtime, article),
        runtime.tokenizer.count,
        overlap=CHUNK_OVERLAP_TOKENS,
    )


def map_calls(runtime: Runtime, article: Article) -> list[list[dict[str, str]]]:
    """The messages of each map call briefing `article` takes: one call per chunk."""
    chunks = chunks_of(runtime, article)
    return [map_messages(runtime, article, chunk, len(chunks)) for chunk in chunks]


async def brief(runtime: Runtime, article: Article) -> Briefing:
    """Brief one article with the engine the settings choose."""
    if runtime.client is None:
        return extractive.brief(article, tokens=runtime.tokenizer.count(article.text))
    return await _brief_llm(runtime, runtime.client, article)


async def brief_each(
    runtime: Runtime, articles: Sequence[Article]
) -> AsyncIterator[tuple[int, Briefing | BrieferError]]:
    """Brief many articles concurrently; yield (index, briefing or error) as each finishes.

    Configuration errors and an endpoint nothing listens at stop the run: they would fail
    every article the same way.
    """
    # The client bounds calls in flight; this bounds articles started, so memory stays flat.
    started = asyncio.Semaphore(max(2, runtime.settings.concurrency * 2))

    async def one(index: int, article: Article) -> tuple[int, Briefing | BrieferError]:
        async with started:
            try:
                return index, await brief(runtime, article)
            except (ConfigError, EndpointUnreachable):
                raise
            except BrieferError as exc:
                return index, exc
            except Exception as exc:
                # Whatever else goes wrong with one article (an odd reply, a bug) is that
                # article's failure; the others go on.
                failure = BrieferError(reason_of(exc))
                failure.__cause__ = exc
                return index, failure

    tasks = [asyncio.ensure_future(one(i, article)) for i, article in enumerate(articles)]
    try:
        for finished in asyncio.as_completed(tasks):
            yield await finished
    finally:
        for task in tasks:
            task.cancel()


async def _brief_llm(runtime: Runtime, client: LLMClient, article: Article) -> Briefing:
    usage = Usage()
    calls = map_calls(runtime, article)
    runtime.parts_planned(len(calls) + (len(calls) > 1))

    async def part(messages: list[dict[str, str]]) -> Draft:
        draft = await client.structured(messages, Draft, usage)
        runtime.part_done()
        return draft

    drafts = await asyncio.gather(*(part(messages) for messages in calls))
    if len(drafts) == 1:
        draft, warnings = normalize(drafts[0])
    else:
        merged, _ = merge_drafts(list(drafts))
        consolidated = await part(consolidate_messages(runtime, article, merged, len(drafts)))
        draft, warnings = normalize(consolidated)
    engine = Engine(
        name="llm",
        model=client.provider.model,
        prompt_version=runtime.prompts.version,
        structured_mode=client.structured_mode,
        **usage.model_dump(),
    )
    source = source_of(article, runtime.tokenizer.count(article.text))
    briefing = ground(draft, article, source, engine, [*warnings, *runtime.warnings()])
    if (thin := thin_reply_warning(briefing, article.text)) is not None:
        briefing = briefing.model_copy(update={"warnings": [*briefing.warnings, thin]})
    return briefing
