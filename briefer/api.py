"""The library API: summarize one article or many, plan without sending."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterator, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from . import pipeline, sources
from .errors import BrieferError, BudgetError, ConfigError, InputError
from .pipeline import Plan, Runtime
from .schema import Briefing
from .settings import Settings
from .sources import Article

T = TypeVar("T")
_PATH_LIKE_SUFFIXES = sources.TEXT_SUFFIXES | sources.HTML_SUFFIXES


@dataclass(frozen=True)
class Outcome:
    """The result for one input: a briefing, or the error that stopped it."""

    source: str
    briefing: Briefing | None = None
    error: BrieferError | None = None


def _settings(settings: Settings | None, options: dict[str, Any]) -> Settings:
    if settings is not None and options:
        raise ConfigError("Pass either settings= or keyword options, not both")
    return settings or Settings.load(**options)


def to_article(source: str | Path | Article) -> Article:
    """Turn a path, URL, '-' or the article text itself into an Article."""
    if isinstance(source, Article):
        return source
    if isinstance(source, Path):
        return sources.load_file(source)
    if source == "-" or source.startswith(("http://", "https://")):
        return sources.load(source)
    looks_like_path = (
        "\n" not in source
        and len(source) < 1024
        and (Path(source).suffix.lower() in _PATH_LIKE_SUFFIXES - {""} or Path(source).exists())
    )
    if looks_like_path:
        return sources.load_file(Path(source))
    article = Article.from_text(source)
    if not article.text:
        raise InputError("text", "is empty")
    return article


async def summarize_async(
    source: str | Path | Article, *, settings: Settings | None = None, **options: Any
) -> Briefing:
    """Return the briefing of one article (a path, URL, '-', text or Article)."""
    runtime = Runtime.open(_settings(settings, options))
    try:
        article = await asyncio.to_thread(to_article, source)
        _check_budget(runtime, [article])
        return await pipeline.brief(runtime, article)
    finally:
        await runtime.aclose()


def summarize(
    source: str | Path | Article, *, settings: Settings | None = None, **options: Any
) -> Briefing:
    """Return the briefing of one article; options are Settings fields (model=, base_url=, ...)."""
    return run_sync(summarize_async(source, settings=settings, **options))


async def summarize_each(
    inputs: Sequence[str | Path | Article], settings: Settings
) -> AsyncIterator[tuple[int, Outcome]]:
    """Brief many inputs concurrently; yield (input index, outcome) as each finishes."""
    runtime = Runtime.open(settings)
    try:
        loaded = await asyncio.gather(*(_load(source) for source in inputs))
        _check_budget(runtime, [a for a in loaded if isinstance(a, Article)])
        in_flight = asyncio.Semaphore(max(2, settings.concurrency * 2))

        async def one(index: int, item: Article | Outcome) -> tuple[int, Outcome]:
            if isinstance(item, Outcome):
                return index, item
            async with in_flight:
                name = item.path or "-"
                try:
                    return index, Outcome(name, briefing=await pipeline.brief(runtime, item))
                except BrieferError as exc:
                    if isinstance(exc, ConfigError):
                        raise
                    return index, Outcome(name, error=exc)

        for finished in asyncio.as_completed([one(i, item) for i, item in enumerate(loaded)]):
            yield await finished
    finally:
        await runtime.aclose()


async def _load(source: str | Path | Article) -> Article | Outcome:
    try:
        return await asyncio.to_thread(to_article, source)
    except InputError as exc:
        return Outcome(exc.source, error=exc)


def summarize_many(
    inputs: Sequence[str | Path | Article], *, settings: Settings | None = None, **options: Any
) -> list[Outcome]:
    """Brief many inputs; return one Outcome per input, in input order."""
    resolved = _settings(settings, options)

    async def collect() -> list[Outcome]:
        results: dict[int, Outcome] = {}
        async for index, outcome in summarize_each(inputs, resolved):
            results[index] = outcome
        return [results[i] for i in range(len(inputs))]

    return run_sync(collect())


def plan(
    inputs: Sequence[str | Path | Article], *, settings: Settings | None = None, **options: Any
) -> list[Plan | Outcome]:
    """Return, per input, the calls and tokens a run would take (an Outcome if unreadable)."""
    resolved = _settings(settings, options)
    runtime = Runtime.open(resolved)
    try:
        plans: list[Plan | Outcome] = []
        for source in inputs:
            try:
                plans.append(pipeline.plan(runtime, to_article(source)))
            except InputError as exc:
                plans.append(Outcome(exc.source, error=exc))
        return plans
    finally:
        run_sync(runtime.aclose())


def _check_budget(runtime: Runtime, articles: list[Article]) -> None:
    limit = runtime.settings.max_cost
    if limit is None or runtime.client is None:
        return
    total = 0.0
    for article in articles:
        cost = pipeline.plan(runtime, article).max_cost_usd
        if cost is None:
            raise ConfigError(
                f"--max-cost needs a price for model {runtime.settings.model!r}, which briefer"
                " does not know; drop --max-cost or use a model with a known price"
            )
        total += cost
    if total > limit:
        raise BudgetError(total, limit)


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion, also from code already inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # Inside a running loop (Jupyter, an async app): run on a fresh loop in a worker thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
