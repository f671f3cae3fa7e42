"""What a run tells as it goes: one stream of events (where the briefing is, the model calls
done, a Batch API job's state) for whoever shows it. The library never prints; the CLI's
progress line consumes these events, and `on_progress=` in Python receives the `Progress` of
each `Progressed` one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .progress import Progress, ProgressCallback


@dataclass(frozen=True)
class Progressed:
    """One more article briefed (or failed): where the run is."""

    progress: Progress


@dataclass(frozen=True)
class CallsMade:
    """Model calls done and planned so far: a long input shows progress while its parts are
    briefed."""

    done: int
    planned: int


@dataclass(frozen=True)
class BatchChecked:
    """The Batch API jobs were checked: their state as one line."""

    status: str


Event = Progressed | CallsMade | BatchChecked
Sink = Callable[[Event], None]


def sink_for(on_event: Sink | None = None, on_progress: ProgressCallback | None = None) -> Sink:
    """One sink for what a caller asked to hear: every event, or only the progress."""

    def tell(event: Event) -> None:
        if on_event is not None:
            on_event(event)
        if on_progress is not None and isinstance(event, Progressed):
            on_progress(event.progress)

    return tell
