"""The library API: summarize one article or many, plan without sending."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from . import pipeline, sources
from .batch import Notify, prefetch
from .digest import ProgressCallback, build_digest
from .errors import BrieferError, ConfigError, InputError, reason_of
from .fetching import Fetcher
from .inputs import Window
from .planning import DigestPlan, Plan, check_budget
from .planning import plan as plan_article
from .planning import plan_digest as build_digest_plan
from .runtime import Runtime
from .schema import Briefing, Digest
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


def to_article(source: str | Path | Article, fetcher: Fetcher | None = None) -> Article:
    """Turn a path, URL, '-' or the article text itself into an Article; URLs are fetched
    through `fetcher` (the default one refuses private addresses)."""
    if isinstance(source, Article):
        return source
    if isinstance(source, Path):
        return sources.load_file(source)
    if source == "-" or source.startswith(("http://", "https://")):
        return sources.load(source, fetcher)
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
        article = await asyncio.to_thread(to_article, source, runtime.fetcher)
        check_budget(runtime, [article])
        return await pipeline.brief(runtime, article)
    finally:
        await runtime.aclose()


def summarize(
    source: str | Path | Article, *, settings: Settings | None = None, **options: Any
) -> Briefing:
    """Return the briefing of one article; options are Settings fields (model=, base_url=, ...)."""
    return run_sync(summarize_async(source, settings=settings, **options))


async def summarize_each(
    inputs: Sequence[str | Path | Article],
    settings: Settings,
    on_batch: Notify | None = None,
    on_part: Callable[[int, int], None] | None = None,
) -> AsyncIterator[tuple[int, Outcome]]:
    """Brief many inputs concurrently; yield (input index, outcome) as each finishes.

    With `settings.batch`, the map calls first go through the Batch API (see briefer.batch).
    `on_part` is told (model calls done, planned) as each call finishes.
    """
    runtime = Runtime.open(settings)
    runtime.on_part = on_part
    try:
        loaded = await asyncio.gather(*(_load(source, runtime.fetcher) for source in inputs))
        articles = [item for item in loaded if isinstance(item, Article)]
        positions = [i for i, item in enumerate(loaded) if isinstance(item, Article)]
        for index, item in enumerate(loaded):
            if isinstance(item, Outcome):
                yield index, item
        check_budget(runtime, articles)
        if settings.batch:
            await prefetch(runtime, articles, on_batch)
        async for position, result in pipeline.brief_each(runtime, articles):
            name = articles[position].path or "-"
            if isinstance(result, Briefing):
                yield positions[position], Outcome(name, briefing=result)
            else:
                yield positions[position], Outcome(name, error=result)
    finally:
        await runtime.aclose()


async def _load(source: str | Path | Article, fetcher: Fetcher) -> Article | Outcome:
    try:
        return await asyncio.to_thread(to_article, source, fetcher)
    except InputError as exc:
        return Outcome(exc.source, error=exc)
    except Exception as exc:
        failure = BrieferError(f"{_name(source)}: {reason_of(exc)}")
        failure.__cause__ = exc
        return Outcome(_name(source), error=failure)


def _name(source: str | Path | Article) -> str:
    if isinstance(source, Article):
        return source.path or "text"
    return str(source) if len(str(source)) < 200 and "\n" not in str(source) else "text"


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


async def digest_async(
    inputs: Sequence[str | Path],
    *,
    date: str | None = None,
    since: str | None = None,
    title: str | None = None,
    on_progress: ProgressCallback | None = None,
    on_batch: Notify | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Digest:
    """Return the digest of the articles in `inputs` (files, folders, globs, feeds, URL lists,
    URLs) published on `date` (YYYY-MM-DD) or `since` a moment, or all of them.

    `on_progress` receives a Progress after each article; with `batch=True`, `on_batch`
    receives a line of text each time the Batch API jobs are checked.
    """
    return await build_digest(
        inputs,
        _settings(settings, options),
        window=Window.parse(date, since),
        title=title,
        on_progress=on_progress,
        on_batch=on_batch,
    )


def digest(
    inputs: Sequence[str | Path],
    *,
    date: str | None = None,
    since: str | None = None,
    title: str | None = None,
    on_progress: ProgressCallback | None = None,
    on_batch: Notify | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Digest:
    """Return the digest of the articles in `inputs`; see `digest_async`."""
    return run_sync(
        digest_async(
            inputs,
            date=date,
            since=since,
            title=title,
            on_progress=on_progress,
            on_batch=on_batch,
            settings=settings,
            **options,
        )
    )


def plan_digest(
    inputs: Sequence[str | Path],
    *,
    date: str | None = None,
    since: str | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> DigestPlan:
    """Return what `digest` would send for these inputs (calls, tokens, cost); send nothing."""
    resolved = _settings(settings, options)
    return run_sync(build_digest_plan(inputs, resolved, Window.parse(date, since)))


def plan(
    inputs: Sequence[str | Path | Article], *, settings: Settings | None = None, **options: Any
) -> list[Plan | Outcome]:
    """Return, per input, the calls and tokens a run would take (an Outcome if unreadable)."""
    resolved = _settings(settings, options)
    runtime = Runtime.open(resolved, planning=True)
    try:
        plans: list[Plan | Outcome] = []
        for source in inputs:
            try:
                plans.append(plan_article(runtime, to_article(source, runtime.fetcher)))
            except InputError as exc:
                plans.append(Outcome(exc.source, error=exc))
        return plans
    finally:
        run_sync(runtime.aclose())


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion, also from code already inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # Inside a running loop (Jupyter, an async app): run on a fresh loop in a worker thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
