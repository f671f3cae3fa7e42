"""The offline engine's briefings: one article in a thread, many in worker processes.

The parse is CPU-bound Python, so threads share one core; a digest of hundreds of articles
briefs them in worker processes instead, each parsing its chunks with `nlp.pipe`. Workers are
started afresh, not forked: the digest runs threads, and forking a process that runs threads
can deadlock.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import functools
import os
import pickle
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import TypeVar

from ..engines import extractive
from ..errors import BrieferError, reason_of
from ..readers.sources import Article, source_of
from ..schema import Briefing
from ..settings import Settings

T = TypeVar("T")

# The parse grows faster than the text: past this the engine briefs the opening part.
OFFLINE_MAX_CHARS = 200_000
# Fewer articles than this are briefed in the run's own process: a worker takes a few
# seconds to start and load its pipeline.
PROCESS_MIN_ARTICLES = 24
# Articles a worker briefs at a time: enough for nlp.pipe's batches, few enough that a
# worker's memory stays near its pipeline's and progress moves.
CHUNK_ARTICLES = 8
# Articles briefed at once in threads of the run's process (as many as asyncio's default
# executor ran on a small machine).
THREADS = min(32, (os.cpu_count() or 1) + 4)


def processes_for(settings: Settings, articles: int) -> int:
    """Worker processes to brief `articles` articles offline: 1 (no workers) for few."""
    if articles < PROCESS_MIN_ARTICLES:
        return 1
    wanted = settings.processes or os.cpu_count() or 1
    return max(1, min(wanted, articles // CHUNK_ARTICLES))


def brief_offline(article: Article, tokens: int, spacy_model: str | None) -> Briefing:
    """The offline briefing of one article (`tokens`: its token count)."""
    [briefing] = brief_offline_many([(article, tokens)], spacy_model)
    return briefing


async def in_thread_within(function: Callable[[], T], time_limit: float) -> T:
    """`function()` (an offline briefing) in a thread of the run's process, given up after
    `time_limit` seconds (BrieferError). A thread cannot be stopped; a daemon thread does not
    keep the run from ending, so a loop in the engine costs its article, not the run."""
    loop = asyncio.get_running_loop()
    made: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def settle(outcome: tuple[T] | BaseException) -> None:
        if made.done():
            return
        if isinstance(outcome, BaseException):
            made.set_exception(outcome)
        else:
            made.set_result(outcome[0])

    def run() -> None:
        outcome: tuple[T] | BaseException
        try:
            outcome = (context.run(function),)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
            outcome = exc
        try:
            loop.call_soon_threadsafe(settle, outcome)
        except RuntimeError:
            pass  # the run ended meanwhile: nobody waits for this article any more

    threading.Thread(target=run, name="briefer-offline", daemon=True).start()
    try:
        return await asyncio.wait_for(asyncio.shield(made), time_limit)
    except TimeoutError:
        raise BrieferError(_overtime(time_limit)) from None


def brief_offline_many(
    pairs: Sequence[tuple[Article, int]], spacy_model: str | None
) -> Iterator[Briefing]:
    """Offline briefings of (article, tokens) pairs, parsed together, each as it is made; of a
    text past OFFLINE_MAX_CHARS, of its opening part (offsets stay those of the whole text),
    with a warning."""
    openings = [(_opening(article), tokens) for article, tokens in pairs]
    briefings = extractive.brief_many(openings, spacy_model)
    for briefing, (article, tokens), (opening, _) in zip(briefings, pairs, openings, strict=True):
        yield _noted(briefing, article, opening, tokens)


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


def _brief_chunk(
    pairs: Sequence[tuple[Article, int]], spacy_model: str | None
) -> Iterator[Briefing | str]:
    """A worker's share, each outcome as it is made: briefed together, or one by one from the
    article that failed on (its failure's reason in its place), so one bad article costs only
    itself."""
    done = 0
    try:
        for briefing in brief_offline_many(pairs, spacy_model):
            yield briefing
            done += 1
        return
    except Exception:  # noqa: BLE001 - the article at `done` failed, or the parse did
        pass
    for article, tokens in pairs[done:]:
        try:
            yield brief_offline(article, tokens, spacy_model)
        except Exception as exc:  # noqa: BLE001 - that article's failure
            yield reason_of(exc)


async def brief_in_processes(
    articles: Sequence[Article],
    tokens: Sequence[int],
    spacy_model: str | None,
    processes: int,
    time_limit: float = Settings.model_fields["offline_time_limit"].default,
) -> AsyncIterator[tuple[int, Briefing | BrieferError]]:
    """Brief `articles` in `processes` worker processes; yield (index, briefing or error) as
    each is briefed. An article a worker spends more than `time_limit` seconds on (a loop in
    the engine: a long article takes seconds) fails with that reason and its worker is
    replaced, so one such article does not stop a digest."""
    indices = list(range(len(articles)))
    chunks = iter([indices[i : i + CHUNK_ARTICLES] for i in range(0, len(indices), CHUNK_ARTICLES)])
    finished: asyncio.Queue[tuple[int, Briefing | str]] = asyncio.Queue()
    started: list[Worker] = []

    async def launch() -> Worker | None:
        starting = asyncio.ensure_future(Worker.start())
        try:
            worker = await asyncio.shield(starting)
        except asyncio.CancelledError:
            # Stopped while its process was starting: the process is stopped below once it
            # has started, not left with open pipes for the garbage collector.
            worker = await starting
            if worker is not None:
                started.append(worker)
            raise
        if worker is not None:
            started.append(worker)
        return worker

    async def work() -> None:
        worker = await launch()
        for chunk in chunks:
            pending = list(chunk)
            while pending and worker is not None:
                pairs = [(articles[i], tokens[i]) for i in pending]
                try:
                    async for outcome in worker.brief(pairs, spacy_model, time_limit):
                        await finished.put((pending.pop(0), outcome))
                except TimeoutError:
                    await finished.put((pending.pop(0), _overtime(time_limit)))
                    await worker.stop()
                    worker = await launch()
                except Exception:  # noqa: BLE001 - a worker died (memory, a signal), a pipe broke
                    # Its articles are briefed here instead: nothing is lost to a lost worker.
                    await worker.close()
                    worker = None
            for index in pending:
                # No worker (none would start, or it died): briefed here, within the limit.
                outcome = await _brief_here(articles[index], tokens[index], spacy_model, time_limit)
                await finished.put((index, outcome))
        if worker is not None:
            await worker.close()

    workers = [asyncio.ensure_future(work()) for _ in range(processes)]
    try:
        for _ in indices:
            index, outcome = await finished.get()
            yield index, (BrieferError(outcome) if isinstance(outcome, str) else outcome)
        await asyncio.gather(*workers)
    finally:
        # A run stopped early (a failure that ends it, Ctrl-C) leaves no worker behind.
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        await asyncio.gather(*(worker.stop() for worker in started))


async def _brief_here(
    article: Article, tokens: int, spacy_model: str | None, time_limit: float
) -> Briefing | str:
    """One article briefed in the run's own process within `time_limit`, or the reason it
    was not."""
    try:
        return await in_thread_within(
            functools.partial(brief_offline, article, tokens, spacy_model), time_limit
        )
    except Exception as exc:  # noqa: BLE001 - that article's failure
        return reason_of(exc)


def _overtime(time_limit: float) -> str:
    return (
        f"the offline engine gave up on this article after {time_limit:g} s"
        " (BRIEFER_OFFLINE_TIME_LIMIT); a loop in the engine, worth reporting with the article"
    )


class Worker:
    """One worker process (`python -m briefer.briefing.offline_worker`): chunks go to its
    stdin and briefings come back on its stdout, pickled, each behind its length. A process of
    its own rather than multiprocessing's: spawning re-runs the caller's main script in every
    worker, which a script that imports briefer may not guard."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> Worker | None:
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "briefer.briefing.offline_worker",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
        except OSError:
            return None
        return cls(process)

    async def brief(
        self, pairs: list[tuple[Article, int]], spacy_model: str | None, time_limit: float
    ) -> AsyncIterator[Briefing | str]:
        """Each article's outcome as the worker makes it; TimeoutError when one takes longer
        than `time_limit` seconds (the first one's share of its chunk's parse included)."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        request = pickle.dumps((pairs, spacy_model))
        stdin.write(len(request).to_bytes(8, "big") + request)
        await stdin.drain()
        for _ in pairs:
            async with asyncio.timeout(time_limit):
                size = int.from_bytes(await stdout.readexactly(8), "big")
                reply = await stdout.readexactly(size)
            outcome: Briefing | str = pickle.loads(reply)
            yield outcome

    async def stop(self) -> None:
        """End the worker now and wait for it, so its pipes close while the loop runs (a
        pipe left to the garbage collector after the loop closed prints a traceback)."""
        if self.process.returncode is None:
            self.process.kill()
        try:
            # Reading its output to the end, not only waiting for it: the transport closes
            # when the pipes have closed too.
            await asyncio.wait_for(self.process.communicate(), timeout=5)
        except (TimeoutError, OSError):
            pass

    async def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), timeout=5)
        except TimeoutError:
            self.process.kill()


def serve() -> None:
    """A worker's loop: brief each chunk read from stdin until it closes."""
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    # The results own stdout: anything else printed goes to stderr.
    sys.stdout = sys.stderr
    while header := requests.read(8):
        pairs, spacy_model = pickle.loads(requests.read(int.from_bytes(header, "big")))
        for outcome in _brief_chunk(pairs, spacy_model):
            reply = pickle.dumps(outcome)
            replies.write(len(reply).to_bytes(8, "big") + reply)
            replies.flush()
