"""The requests and replies the response cache holds, as `briefer logs` shows them (llm's
`logs`): newest first, by model, or only those that carried one input's text."""

from __future__ import annotations

from pathlib import Path

from .cache import Cache, LogEntry
from .settings import Settings


def read_logs(
    settings: Settings,
    *,
    limit: int = 20,
    model: str | None = None,
    source: str | Path | None = None,
) -> list[LogEntry]:
    """Stored requests and replies, newest first; with `source`, only the requests that
    carried that input's text (found by its id's marker, whatever its path was then)."""
    if not settings.cache_path.exists():
        return []
    containing = None
    if source is not None:
        from .api import to_article
        from .briefing.pipeline import marker_of

        containing = marker_of(to_article(source))
    cache = Cache(settings.cache_path)
    try:
        return cache.logs(limit=limit, model=model, containing=containing)
    finally:
        cache.close()
