"""What a digest would send, sending nothing: a plan per distinct article and one per step
after the briefings (the same steps a run takes, see steps.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..briefing.planning import Plan, plan
from ..readers.inputs import Window
from ..runtime import Runtime
from ..schema import Failure
from ..settings import Settings
from . import collect, steps


@dataclass(frozen=True)
class DigestPlan:
    """What a digest would send: a plan per distinct article, then the steps' calls."""

    plans: list[Plan]
    failures: list[Failure]
    outside_window: int
    duplicates: int
    steps: list[steps.StepPlan]
    fetches: int = 0


async def plan_digest(
    sources: Sequence[str | Path], settings: Settings, window: Window | None = None
) -> DigestPlan:
    """Read, window and deduplicate the inputs as a digest would; send nothing."""
    window = window or Window()
    runtime = Runtime.open(settings, planning=True)
    try:
        read, groups, representatives = await collect.read_distinct(
            sources, window, runtime.access, fetch_links=False
        )
        day = collect.day_of(window, [a.published for a in read.articles])
        comparing = steps.has_earlier_day(runtime, day)
        return DigestPlan(
            plans=[plan(runtime, article) for article in representatives],
            failures=read.failures,
            outside_window=read.outside_window,
            duplicates=len(read.articles) - len(groups),
            steps=steps.plan_steps(runtime, representatives, comparing),
            fetches=read.fetches,
        )
    finally:
        await runtime.aclose()
