"""The one retry policy for calls to a model's API (chat requests and Batch API calls alike):
how many times a transient failure is tried again, and how long to wait before each try."""

from __future__ import annotations

import random

# No wait grows past this: a longer outage is better met by a rerun, which the cache makes
# cheap, than by a run that sits silent.
MAX_DELAY_SECONDS = 30.0
FIRST_DELAY_SECONDS = 0.5


def gives_up(attempt: int, max_retries: int) -> bool:
    """Whether `attempt` failed tries (from 1) exhaust `max_retries` retries."""
    return attempt > max_retries


def delay(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait after failed try `attempt` (from 1): what the server asked for, else
    exponential backoff with jitter, so that calls failing together do not retry together."""
    if retry_after is not None:
        return retry_after
    backoff: float = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2.0 ** (attempt - 1))
    return backoff * (0.5 + random.random())
