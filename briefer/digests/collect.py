"""A digest's articles: expand its inputs, keep the date window, read them (each input a unit
of failure), and set near-duplicates aside. Shared by the digest and its plan."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..errors import InputError, reason_of
from ..readers import inputs
from ..readers.inputs import Access, Entry, Window
from ..readers.sources import Article, is_url
from ..schema import Failure
from . import dedupe

# Far past a real day's news; a run past it (a runaway feed or glob) briefs the first ones.
MAX_ARTICLES = 20_000
A = TypeVar("A")
R = TypeVar("R")


@dataclass
class Read:
    """The inputs read so far, and what was set aside."""

    articles: list[Article]
    failures: list[Failure]
    outside_window: int = 0
    teasers: int = 0
    over_cap: int = 0
    fetches: int = 0
    # What the inputs' expansion cut (feed entries past the cap, teasers not fetched).
    notes: list[str] = field(default_factory=list)


def day_of(window: Window, published: Iterable[str | None]) -> str:
    """The day a digest is of: the window's, else the latest of its articles' dates, else
    today. The plan asks it of the articles read, the digest of those briefed."""
    if window.day:
        return window.day.isoformat()
    return max((p for p in published if p), default=datetime.date.today().isoformat())


async def read_distinct(
    sources: Sequence[str | Path], window: Window, access: Access, fetch_links: bool = True
) -> tuple[Read, list[list[int]], list[Article]]:
    """Read the inputs, group near-duplicates, and pick the text to brief for each group."""
    read = await _read_all([str(source) for source in sources], window, access, fetch_links)
    groups = dedupe.duplicate_groups([a.text for a in read.articles])
    return read, groups, [_representative(read.articles, group) for group in groups]


async def _read_all(sources: list[str], window: Window, access: Access, fetch_links: bool) -> Read:
    """Expand and read every input in worker threads; without `fetch_links` (a dry run),
    linked pages are counted instead of fetched."""
    expanded = await asyncio.gather(
        *(asyncio.to_thread(_or_failure, inputs.expand_noting, s, access) for s in sources)
    )
    read = Read([], [])
    entries: list[Entry] = []
    for result in expanded:
        if isinstance(result, Failure):
            read.failures.append(result)
            continue
        read.notes.extend(result.notes)
        for entry in result.entries:
            if entry.published_at and not window.admits(None, entry.published_at):
                read.outside_window += 1
            elif len(entries) >= MAX_ARTICLES:
                read.over_cap += 1
            else:
                entries.append(entry)
    if not fetch_links:
        entries = _without_fetching(entries, read)
    outcomes = await asyncio.gather(
        *(asyncio.to_thread(_or_failure, inputs.read, e, access) for e in entries)
    )
    for outcome in outcomes:
        if isinstance(outcome, Failure):
            read.failures.append(outcome)
            continue
        article, teaser = outcome
        if window.admits(article.published, None):
            read.articles.append(article)
            read.teasers += teaser
        else:
            read.outside_window += 1
    return read


def _without_fetching(entries: list[Entry], read: Read) -> list[Entry]:
    """The entries a dry run reads: a link is counted as a fetch, and a feed teaser stands in
    for its page."""
    kept = []
    for entry in entries:
        if entry.article is None and is_url(entry.location):
            read.fetches += 1
            if entry.fallback is None:
                continue
            entry = Entry(entry.location, article=entry.fallback)
        kept.append(entry)
    return kept


def _or_failure(function: Callable[[A, Access], R], argument: A, access: Access) -> R | Failure:
    """`function(argument, access)`, or the Failure of whatever went wrong: each input is a
    unit of failure (for worker threads)."""
    try:
        return function(argument, access)
    except Exception as exc:
        source = exc.source if isinstance(exc, InputError) else str(argument)
        return Failure(source=source, reason=reason_of(exc))


def _representative(articles: list[Article], group: list[int]) -> Article:
    """The fullest text of a duplicate group is the one briefed."""
    return articles[max(group, key=lambda i: (len(articles[i].text), articles[i].id))]
