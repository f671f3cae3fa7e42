"""The library API: summarize one article or many, plan without sending."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterator, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .briefing import pipeline
from .briefing.batch import prefetch
from .briefing.planning import Plan, check_cost_limit
from .briefing.planning import plan as plan_article
from .digests.build import build_digest
from .digests.plan import DigestPlan
from .digests.plan import plan_digest as build_digest_plan
from .errors import BrieferError, ConfigError, InputError, reason_of
from .events import Progressed, Sink, sink_for
from .progress import Progress, ProgressCallback
from .readers import inputs, sources
from .readers.fetching import Fetcher
from .readers.inputs import Entry, Window
from .readers.sources import Article
from .runtime import Runtime
from .schema import Briefing, Digest
from .settings import Settings

T = TypeVar("T")


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


Input = str | Path | Article | Entry


def to_article(
    source: Input | None = None,
    fetcher: Fetcher | None = None,
    *,
    text: str | None = None,
    path: str | Path | None = None,
    url: str | None = None,
) -> Article:
    """An Article from exactly one of: `text=` (the article itself), `path=` (a file), `url=`
    (fetched through `fetcher`, whose default refuses private addresses), or `source`, where
    a string is '-', a URL, an existing file or a name with a readable suffix, else text."""
    given = [value for value in (source, text, path, url) if value is not None]
    if len(given) != 1:
        raise ConfigError("Pass exactly one of: an input, text=, path= or url=")
    if text is not None:
        return _from_text(text)
    if path is not None:
        return sources.load_file(Path(path))
    if url is not None:
        if not sources.is_url(url):
            raise InputError(url, "is not an http(s) URL")
        return sources.load(url, fetcher)
    if isinstance(source, Article):
        return source
    if isinstance(source, Entry):
        return inputs.read(source, inputs.Access(fetcher or Fetcher()))[0]
    if isinstance(source, Path):
        return sources.load_file(source)
    assert isinstance(source, str)
    if source == "-" or sources.is_url(source):
        return sources.load(source, fetcher)
    if inputs.names_a_file(source):
        return sources.load_file(Path(source))
    return _from_text(source)


def _from_text(text: str) -> Article:
    article = Article.from_text(text)
    if not article.text:
        raise InputError("text", "is empty")
    return article


def resolve(sources_: Sequence[Input], access: inputs.Access | None = None) -> list[Input]:
    """The articles behind the inputs: folders, globs, feeds, URL lists and stdin expanded
    into their entries (one that cannot be expanded becomes an entry that fails when read)."""
    return resolve_noting(sources_, access)[0]


def resolve_noting(
    sources_: Sequence[Input], access: inputs.Access | None = None
) -> tuple[list[Input], list[str]]:
    """`resolve`, with notes on what was cut (feed entries past the cap, teasers briefed
    from the feed's text)."""
    access = access or inputs.Access()
    found: list[Input] = []
    notes: list[str] = []
    for source in sources_:
        if isinstance(source, str | Path) and inputs.is_collection(str(source)):
            try:
                expansion = inputs.expand_noting(str(source), access)
            except InputError as exc:
                found.append(Entry(exc.source, error=exc.reason))
            except Exception as exc:
                # Whatever else goes wrong with one input is that input's failure.
                found.append(Entry(str(source), error=reason_of(exc)))
            else:
                found.extend(expansion.entries)
                notes.extend(expansion.notes)
        else:
            found.append(source)
    return found, notes


def input_name(source: Input) -> str:
    """How an input is named in outcomes and messages."""
    if isinstance(source, Article):
        return source.path or "text"
    if isinstance(source, Entry):
        return source.location
    text = str(source)
    return text if len(text) < 200 and "\n" not in text else "text"


async def summarize_async(
    source: Input | None = None,
    *,
    text: str | None = None,
    path: str | Path | None = None,
    url: str | None = None,
    on_event: Sink | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Briefing:
    """Return the briefing of one article: `text=`, `path=`, `url=`, or a source (a path,
    URL, '-', text or Article). `on_event` receives the run's events (briefer.events): model
    calls done and planned, warnings with their kind."""
    runtime = Runtime.open(_settings(settings, options))
    runtime.events = on_event
    try:
        article = await asyncio.to_thread(
            lambda: to_article(source, runtime.fetcher, text=text, path=path, url=url)
        )
        check_cost_limit(runtime, [article])
        try:
            return await pipeline.brief(runtime, article)
        except BrieferError:
            raise
        except Exception as exc:
            # A script catches BrieferError for any failure of the article, as with many.
            raise BrieferError(reason_of(exc)) from exc
    finally:
        await runtime.aclose()


def summarize(
    source: Input | None = None,
    *,
    text: str | None = None,
    path: str | Path | None = None,
    url: str | None = None,
    on_event: Sink | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Briefing:
    """Return the briefing of one article: `text=`, `path=`, `url=`, or a source (a path,
    URL, '-', text or Article). Options are Settings fields (model=, base_url=, llm=, ...);
    `on_event` as for `summarize_async`."""
    return run_sync(
        summarize_async(
            source, text=text, path=path, url=url, on_event=on_event, settings=settings, **options
        )
    )


async def summarize_each(
    leaves: Sequence[Input],
    settings: Settings,
    events: Sink | None = None,
    access: inputs.Access | None = None,
) -> AsyncIterator[tuple[int, Outcome]]:
    """Brief many articles concurrently; yield (index, outcome) as each finishes. `leaves` are
    single articles (see `resolve` for folders, feeds and URL lists); `access` is what
    resolved them, so that their pages are fetched under the same budget.

    With `settings.batch`, the map calls first go through the Batch API (see
    briefer.briefing.batch).
    `events` hears the run as it goes (see briefer.events): the progress after each outcome
    (told once the caller has taken it), model calls, Batch API jobs, warnings.
    """
    runtime = Runtime.open(settings, access=access)
    runtime.events = events
    progress = Progress(total=len(leaves))
    runtime.tell(Progressed(progress))
    try:
        async for index, outcome in _outcomes(runtime, leaves):
            yield index, outcome
            progress = progress.after(outcome.briefing)
            runtime.tell(Progressed(progress))
    finally:
        await runtime.aclose()


async def _outcomes(
    runtime: Runtime, leaves: Sequence[Input]
) -> AsyncIterator[tuple[int, Outcome]]:
    loaded = await asyncio.gather(*(_load(source, runtime.fetcher) for source in leaves))
    articles = [item for item in loaded if isinstance(item, Article)]
    positions = [i for i, item in enumerate(loaded) if isinstance(item, Article)]
    for index, item in enumerate(loaded):
        if isinstance(item, Outcome):
            yield index, item
    check_cost_limit(runtime, articles)
    if runtime.settings.batch:
        await prefetch(runtime, articles)
    async for position, result in pipeline.brief_each(runtime, articles):
        name = articles[position].path or "-"
        if isinstance(result, Briefing):
            yield positions[position], Outcome(name, briefing=result)
        else:
            yield positions[position], Outcome(name, error=result)


async def _load(source: Input, fetcher: Fetcher) -> Article | Outcome:
    try:
        return await asyncio.to_thread(to_article, source, fetcher)
    except InputError as exc:
        return Outcome(exc.source, error=exc)
    except Exception as exc:
        failure = BrieferError(f"{input_name(source)}: {reason_of(exc)}")
        failure.__cause__ = exc
        return Outcome(input_name(source), error=failure)


def summarize_many(
    sources_: Sequence[Input],
    *,
    on_progress: ProgressCallback | None = None,
    on_event: Sink | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> list[Outcome]:
    """Brief many inputs; return one Outcome per article, in input order (a folder, glob,
    feed or URL list gives one per article it holds). `on_progress` receives a Progress
    after each article; `on_event` every event of the run (briefer.events): progress, model
    calls, Batch API jobs, warnings with their kind."""
    resolved = _settings(settings, options)
    access = access_for(resolved)
    leaves = resolve(sources_, access)

    async def collect() -> list[Outcome]:
        results: dict[int, Outcome] = {}
        events = sink_for(on_event, on_progress)
        async for index, outcome in summarize_each(leaves, resolved, events, access):
            results[index] = outcome
        return [results[i] for i in range(len(leaves))]

    return run_sync(collect())


def access_for(settings: Settings) -> inputs.Access:
    """What reading inputs may reach under `settings`."""
    return inputs.Access(
        Fetcher(allow_private=settings.allow_private_urls), settings.follow_symlinks
    )


async def digest_async(
    inputs: Sequence[str | Path],
    *,
    date: str | None = None,
    since: str | None = None,
    title: str | None = None,
    on_progress: ProgressCallback | None = None,
    on_event: Sink | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Digest:
    """Return the digest of the articles in `inputs` (files, folders, globs, feeds, URL lists,
    URLs) published on `date` (YYYY-MM-DD) or `since` a moment, or all of them.

    `on_progress` receives a Progress after each article; `on_event` receives every event of
    the run: progress, model calls done and planned, Batch API job states, warnings with
    their kind (briefer.events).
    """
    return await build_digest(
        inputs,
        _settings(settings, options),
        window=Window.parse(date, since),
        title=title,
        events=sink_for(on_event, on_progress),
    )


def digest(
    inputs: Sequence[str | Path],
    *,
    date: str | None = None,
    since: str | None = None,
    title: str | None = None,
    on_progress: ProgressCallback | None = None,
    on_event: Sink | None = None,
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
            on_event=on_event,
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
    sources_: Sequence[Input], *, settings: Settings | None = None, **options: Any
) -> list[Plan | Outcome]:
    """Return, per article, the calls and tokens a run would take (an Outcome if unreadable)."""
    resolved = _settings(settings, options)
    runtime = Runtime.open(resolved, planning=True)
    try:
        plans: list[Plan | Outcome] = []
        for source in resolve(sources_, runtime.access):
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
