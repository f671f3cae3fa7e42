"""A one-line progress display for long runs, redrawn in place on a terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from .digest import Progress


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

    def __call__(self, progress: Progress) -> None:
        if self._before_first is not None and progress.total:
            self._before_first()
            self._before_first = None
        self.note(describe(progress))

    def note(self, text: str) -> None:
        """Draw any one-line status (a Batch API job's progress, say) in place."""
        if not self.enabled:
            return
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the line so what follows starts on a fresh one."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def describe(progress: Progress) -> str:
    """The progress as one line of text."""
    parts = [f"briefing {progress.done}/{progress.total}"]
    if progress.failed:
        parts.append(f"{progress.failed} failed")
    if progress.cached:
        parts.append(f"{progress.cached} cached")
    parts.append(f"{progress.tokens:,} tokens")
    return " · ".join(parts)
