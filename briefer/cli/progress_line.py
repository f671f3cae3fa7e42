"""The command line's progress line: a run's events drawn as one line, redrawn in place on a
terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..events import BatchChecked, CallsMade, Event, Progressed
from ..progress import Progress


class ProgressLine:
    """Draws 'briefing 12/50 · 1 failed · 3 cached · 45,210 tokens' on a terminal stream;
    draws nothing when the stream is not a terminal."""

    def __init__(
        self,
        stream: TextIO,
        enabled: bool = True,
        before_first: Callable[[], None] | None = None,
    ) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self._drawn = False
        # Called once, before the first report with articles to brief: a notice that should
        # wait until an article was read.
        self._before_first = before_first
        self._last: Progress | None = None
        self._parts: tuple[int, int] | None = None

    def __call__(self, progress: Progress) -> None:
        if self._before_first is not None and progress.total:
            self._before_first()
            self._before_first = None
        self._last = progress
        self.note(describe(progress, self._parts))

    def event(self, event: Event) -> None:
        """Show an event of the run (briefer.events): progress, model calls, a Batch API job."""
        if isinstance(event, Progressed):
            self(event.progress)
        elif isinstance(event, CallsMade):
            self.parts(event.done, event.planned)
        elif isinstance(event, BatchChecked):
            self.note(event.status)

    def parts(self, done: int, planned: int) -> None:
        """Model calls done and planned: redraws the last progress with them."""
        self._parts = (done, planned)
        if self._last is not None:
            self.note(describe(self._last, self._parts))

    def note(self, text: str) -> None:
        """Draw any one-line status (a Batch API job's progress, say) in place."""
        if not self.enabled:
            return
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Erase the line, so that other output (an error, a notice) starts clean; the next
        report draws it again."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def close(self) -> None:
        """End the line so what follows starts on a fresh one."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def describe(progress: Progress, parts: tuple[int, int] | None = None) -> str:
    """The progress as one line of text; `parts`: (model calls done, planned), shown while
    there are several, so that one long input does not sit at 0/1."""
    line = [f"briefing {progress.done}/{progress.total}"]
    if parts is not None and parts[1] > 1 and progress.done < progress.total:
        line.append(f"call {parts[0]}/{parts[1]}")
    if progress.failed:
        line.append(f"{progress.failed} failed")
    if progress.cached:
        line.append(f"{progress.cached} cached")
    if progress.tokens:
        # Nothing before the first reply, and nothing offline or from the cache (or a Batch
        # API job): "0 tokens" would read as if nothing had happened.
        line.append(f"{progress.tokens:,} tokens")
    return " · ".join(line)
