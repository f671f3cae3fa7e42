"""The offline engine's briefings: one article in a thread, many in worker processes.

The parse is CPU-bound Python, so threads share one core; a digest of hundreds of articles
briefs them in worker processes instead, each parsing its share with `nlp.pipe`. Workers are
spawned, not forked: the digest runs threads, and forking a process that runs threads can
deadlock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import os
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from ..engines import extractive
from ..errors import BrieferError, reason_of
from ..readers.sources import Article, source_of
from ..schema import Briefing
from ..settings import Settings

# The parse grows faster than the text: past this the engine briefs the opening part.
OFFLINE_MAX_CHARS = 200_000
# Fewer articles than this are briefed in the run's own process: a worker takes a few
# seconds to start and load its pipeline.
PROCESS_MIN_ARTICLES = 24
# Each worker gets its articles in a few chunks, so progress moves and the last chunk's wait
# is short.
CHUNKS_PER_PROCESS = 4


def processes_for(settings: Settings, articles: int) -> int:
    """Worker processes to brief `articles` articles offline: 1 (no workers) for few."""
    if articles < PROCESS_MIN_ARTICLES:
        return 1
    wanted = settings.processes or os.cpu_count() or 1
    return max(1, min(wanted, articles // CHUNKS_PER_PROCESS))


def brief_offline(article: Article, tokens: int, spacy_model: str | None) -> Briefing:
    """The offline briefing of one article (`tokens`: its token count)."""
    [briefing] = brief_offline_many([(article, tokens)], spacy_model)
    return briefing


def brief_offline_many(
    pairs: Sequence[tuple[Article, int]], spacy_model: str | None
) -> list[Briefing]:
    """Offline briefings of (article, tokens) pairs, parsed together; of a text past
    OFFLINE_MAX_CHARS, of its opening part (offsets stay those of the whole text), with a
    warning."""
    openings = [(_opening(article), tokens) for article, tokens in pairs]
    briefings = extractive.brief_many(openings, spacy_model)
    return [
        _noted(briefing, article, opening, tokens)
        for briefing, (article, tokens), (opening, _) in zip(
            briefings, pairs, openings, strict=True
        )
    ]


def _opening(article: Article) -> Article:
    if len(article.text) <= OFFLINE_MAX_CHARS:
        return article
    cut = article.text.rfind("\n", 0, OFFLINE_MAX_CHARS)
    cut = cut if cut > OFFLINE_MAX_CHARS // 2 else article.text.rfind(" ", 0, OFFLINE_MAX_CHARS)
    return dataclasses.replace(article, text=article.text[:cut].rstrip())


def _noted(briefing: Briefing, article: Article, opening: Article, tokens: int) -> Briefing:
    if opening is article:
        return briefing
    note = (
        f"the offline engine read the first {len(opening.text):,} of {len(article.text):,}"
        " characters; a model (--base-url or OPENAI_API_KEY) briefs the whole text in parts"
    )
    return briefing.model_copy(
        update={"source": source_of(article, tokens), "warnings": [*briefing.warnings, note]}
    )


def _brief_chunk(pairs: list[tuple[Article, int]], spacy_model: str | None) -> list[Briefing | str]:
    """A worker's share: briefed together, or one by one when one of them fails (its
    failure's reason in its place), so one bad article costs only itself."""
    try:
        return list(brief_offline_many(pairs, spacy_model))
    except Exception:  # noqa: BLE001 - find which article failed, below
        pass
    outcomes: list[Briefing | str] = []
    for article, tokens in pairs:
        try:
            outcomes.append(brief_offline(article, tokens, spacy_model))
        except Exception as exc:  # noqa: BLE001 - that article's failure
            outcomes.append(reason_of(exc))
    return outcomes


async def brief_in_processes(
    articles: Sequence[Article], tokens: Sequence[int], spacy_model: str | None, processes: int
) -> AsyncIterator[tuple[int, Briefing | BrieferError]]:
    """Brief `articles` in `processes` worker processes; yield (index, briefing or error) as
    each worker's chunk finishes."""
    indices = list(range(len(articles)))
    size = max(1, -(-len(indices) // (processes * CHUNKS_PER_PROCESS)))
    chunks = [indices[start : start + size] for start in range(0, len(indices), size)]
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
    try:
        pending = {
            loop.run_in_executor(
                pool, _brief_chunk, [(articles[i], tokens[i]) for i in chunk], spacy_model
            ): chunk
            for chunk in chunks
        }
        while pending:
            done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                chunk = pending.pop(future)
                pairs = [(articles[i], tokens[i]) for i in chunk]
                try:
                    outcomes = future.result()
                except Exception:  # noqa: BLE001 - a worker died (memory, a signal)
                    # Its share is briefed here instead: nothing is lost to a lost worker.
                    outcomes = await asyncio.to_thread(_brief_chunk, pairs, spacy_model)
                for index, outcome in zip(chunk, outcomes, strict=True):
                    yield index, (BrieferError(outcome) if isinstance(outcome, str) else outcome)
    finally:
        # A run stopped early (a failure that ends it, Ctrl-C) leaves no worker behind.
        pool.shutdown(wait=False, cancel_futures=True)
