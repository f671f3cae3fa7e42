"""What the request benches share: a planning Runtime, as `briefer digest --dry-run` opens
one, so that a recorded request is built from the prompts, tokenizer and budget the digest
itself uses. It never sends: without a key, the client only sizes requests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

from briefer.runtime import Runtime
from briefer.settings import Settings

MODEL = "gpt-4o-mini"


@contextmanager
def planning_runtime(model: str = MODEL) -> Iterator[Runtime]:
    runtime = Runtime.open(Settings.load(model=model, engine="llm"), planning=True)
    try:
        yield runtime
    finally:
        asyncio.run(runtime.aclose())
