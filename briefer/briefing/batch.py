"""Map calls through the OpenAI Batch API: half the price, done within 24 hours.

Every map call that is not already cached becomes one line of a JSONL request file (split to
the provider's per-file limits), uploaded and run as a batch job. The jobs and the requests
each carries are recorded beside the cache, so a rerun of the same command waits for jobs in
flight instead of submitting again. Finished jobs' replies are validated and stored in the
cache under the same keys the synchronous path uses; then the normal pipeline runs and finds
them there. Items that failed, expired or came back invalid are simply not cached, so the
pipeline sends them synchronously (with its retries and repair turn).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..cache import BatchRecord, Cache
from ..engines.llm import BatchState, BatchSupport
from ..errors import ConfigError
from ..events import BatchChecked
from ..readers.sources import Article
from ..runtime import Runtime
from ..settings import Settings
from .pipeline import map_calls


@dataclass
class BatchOutcome:
    """What a batch round did: jobs submitted and waited for, replies stored, items failed."""

    submitted: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    requests: int = 0
    stored: int = 0
    failed: int = 0


def map_requests(runtime: Runtime, articles: Sequence[Article]) -> dict[str, dict[str, object]]:
    """The map calls the articles need that the cache does not hold: key -> request body."""
    client, cache = runtime.client, runtime.cache
    assert client is not None and cache is not None
    needed: dict[str, dict[str, object]] = {}
    for article in articles:
        for call in map_calls(runtime, article):
            key, body = client.batch_request(call.messages, runtime.reply_model, call.max_output)
            if key not in needed and (runtime.settings.refresh or not cache.contains(key)):
                needed[key] = body
    return needed


def request_files(lines: Sequence[bytes], max_requests: int, max_bytes: int) -> list[list[bytes]]:
    """JSONL lines grouped into files within the per-file request and size limits."""
    files: list[list[bytes]] = []
    size = 0
    for line in lines:
        if not files or len(files[-1]) >= max_requests or size + len(line) > max_bytes:
            files.append([])
            size = 0
        files[-1].append(line)
        size += len(line)
    return files


async def prefetch(runtime: Runtime, articles: Sequence[Article]) -> BatchOutcome:
    """Run the articles' uncached map calls as batch jobs and store the replies in the cache."""
    client, cache = runtime.client, runtime.cache
    if client is None:
        return BatchOutcome()
    if cache is None:
        raise ConfigError("--batch keeps its results in the cache; drop --no-cache")
    outcome = BatchOutcome()
    needed = map_requests(runtime, articles)
    api = client.batch_api()
    waiting: list[str] = []
    covered: set[str] = set()
    for record in cache.batches(pending_only=True):
        if record.endpoint != client.endpoint or record.model != runtime.settings.model:
            continue
        carried = cache.batch_keys(record.id) & needed.keys()
        if carried:
            waiting.append(record.id)
            outcome.resumed.append(record.id)
            covered |= carried
    to_send = [key for key in needed if key not in covered]
    outcome.requests = len(to_send)
    key_of = {api.line(key, needed[key]): key for key in to_send}
    files = request_files(list(key_of), api.max_requests_per_file, api.max_file_bytes)
    for number, group in enumerate(files, 1):
        keys = [key_of[line] for line in group]
        file_id = await api.upload(f"briefer-{number}.jsonl", b"\n".join(group) + b"\n")
        state = await api.create(file_id)
        record = BatchRecord(
            state.id,
            client.endpoint,
            runtime.settings.model,
            state.status,
            len(group),
            time.time(),
            False,
        )
        cache.record_batch(record, keys)
        waiting.append(state.id)
        outcome.submitted.append(state.id)
    if not waiting:
        return outcome
    states = await _follow(api, runtime, waiting)
    for state in states:
        stored, failed = await _store(api, runtime, state)
        outcome.stored += stored
        outcome.failed += failed
        cache.update_batch(state.id, state.status, imported=True)
    return outcome


async def _follow(api: BatchSupport, runtime: Runtime, batch_ids: list[str]) -> list[BatchState]:
    """Poll the jobs until each has finished, reporting progress."""
    assert runtime.cache is not None
    states: dict[str, BatchState] = {}
    while True:
        for batch_id in batch_ids:
            if batch_id not in states or not states[batch_id].finished:
                states[batch_id] = await api.retrieve(batch_id)
                runtime.cache.update_batch(batch_id, states[batch_id].status)
        runtime.tell(BatchChecked(describe(list(states.values()))))
        if all(state.finished for state in states.values()):
            return [states[batch_id] for batch_id in batch_ids]
        await asyncio.sleep(runtime.settings.batch_poll_seconds)


def describe(states: Sequence[BatchState]) -> str:
    """One line on the jobs: how many requests are done and failed, and their statuses."""
    total = sum(s.total for s in states)
    done = sum(s.completed for s in states)
    failed = sum(s.failed for s in states)
    statuses = ", ".join(sorted({s.status for s in states}))
    failures = f", {failed} failed" if failed else ""
    return f"batch: {len(states)} job(s), {done}/{total} done{failures} ({statuses})"


async def _store(api: BatchSupport, runtime: Runtime, state: BatchState) -> tuple[int, int]:
    """Store a finished job's valid replies in the cache; return (stored, not usable)."""
    client = runtime.client
    assert client is not None
    stored = failed = 0
    if state.output_file_id:
        for line in (await api.content(state.output_file_id)).splitlines():
            if not line.strip():
                continue
            key, body = api.result(line)
            ok = body is not None and client.accept_batch_reply(key, body, runtime.reply_model)
            stored += ok
            failed += not ok
    # Items in the error file (failed, expired, cancelled) are not cached: sent synchronously.
    return stored, failed + state.failed


def jobs(settings: Settings) -> list[BatchRecord]:
    """The Batch API jobs recorded beside the cache, newest first."""
    if not settings.cache_path.exists():
        return []
    cache = Cache(settings.cache_path)
    try:
        return cache.batches()
    finally:
        cache.close()


async def job_state(settings: Settings, batch_id: str, cancel: bool = False) -> BatchState:
    """Ask the provider for a job's state (and cancel it first when `cancel`)."""
    runtime = Runtime.open(settings.replace(engine="llm"))
    try:
        assert runtime.client is not None
        api = runtime.client.batch_api()
        state = await (api.cancel(batch_id) if cancel else api.retrieve(batch_id))
        if runtime.cache is not None:
            runtime.cache.update_batch(state.id, state.status)
        return state
    finally:
        await runtime.aclose()
