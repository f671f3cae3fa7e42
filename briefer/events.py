"""What a run tells as it goes: one stream of events (where the briefing is, the model calls
done, a Batch API job's state, a warning) for whoever shows it. The library never prints; the
CLI's progress line and warning lines consume these events, and `on_progress=` in Python
receives the `Progress` of each `Progressed` one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

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


# What a warning is about, so that a listener acts on it by its kind, never by its wording:
# - offline-rules: the offline engine runs on its hand-written rules (no spaCy pipeline);
#   told once a run.
# - thin-reply: a model's valid reply named nobody in a text that quotes people; an exit 0
#   would otherwise pass an empty briefing off as a real one.
# - history: the digest history was not compared or not recorded as asked.
# - inputs: inputs that were not read, or read only in part.
# - batch: Batch API requests that were sent synchronously instead.
# - step: a digest step's reply needed repair or fell back to the offline result.
# - cache: the response cache could not be used or written.
# - provider: the model's backend cannot do something a run relies on (cap a reply's length).
WarningKind = Literal[
    "offline-rules", "thin-reply", "history", "inputs", "batch", "step", "cache", "provider"
]


@dataclass(frozen=True)
class Warned:
    """A warning the run's output will also carry, told when it arises."""

    kind: WarningKind
    message: str
    # The input it concerns (a path, a URL, "-"), or None for the whole run.
    source: str | None = None


Event = Progressed | CallsMade | BatchChecked | Warned
Sink = Callable[[Event], None]


def sink_for(on_event: Sink | None = None, on_progress: ProgressCallback | None = None) -> Sink:
    """One sink for what a caller asked to hear: every event, or only the progress."""

    def tell(event: Event) -> None:
        if on_event is not None:
            on_event(event)
        if on_progress is not None and isinstance(event, Progressed):
            on_progress(event.progress)

    return tell
