"""Where a long run is: `Progress`, what `on_progress=` callbacks receive (the command line
draws it: cli/progress_line.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schema import Briefing


@dataclass(frozen=True)
class Progress:
    """Where a run is: articles to brief, finished, failed, answered from cache, tokens."""

    total: int
    done: int = 0
    failed: int = 0
    cached: int = 0
    tokens: int = 0

    def after(self, briefing: Briefing | None) -> Progress:
        """The progress after one more article: briefed (`briefing`, from the cache or not)
        or failed (None)."""
        if briefing is None:
            return dataclasses.replace(self, done=self.done + 1, failed=self.failed + 1)
        engine = briefing.engine
        return dataclasses.replace(
            self,
            done=self.done + 1,
            cached=self.cached + (engine.cached_calls > 0 and engine.calls == 0),
            tokens=self.tokens + engine.prompt_tokens + engine.completion_tokens,
        )


ProgressCallback = Callable[[Progress], None]
