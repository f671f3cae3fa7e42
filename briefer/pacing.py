"""Client-side pacing: requests and tokens per minute, and how many calls may be in flight.

Providers meter each key with buckets that refill continuously: one of requests per minute
(RPM) and one of tokens per minute (TPM), where a request counts its prompt tokens plus the
output tokens it may write. `Pacer` keeps the same two buckets on the client, reserving before
each send what the provider will charge, so that calls wait here instead of earning a 429.
Limits come from settings (--rpm, --tpm) or are learned from `x-ratelimit-*` headers; the
`remaining` counts in those headers also correct the client's view when another process
shares the key; until the first reply has told them, one call goes alone. The in-flight limit
halves on a 429 and climbs back one step per run of successes. Pure asyncio; no I/O.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

# Seconds in the providers' "minute". A constant, not a setting: benchmarks shorten it (on the
# client and the fake server alike) to replay long rate-limited runs quickly.
MINUTE = 60.0
# Share of each bucket left unused: the provider's count and clock never match ours exactly.
HEADROOM = 0.03


class Bucket:
    """`limit` units per minute, refilled continuously; starts full."""

    def __init__(self, limit: int | None, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.level = float(limit or 0)
        self.clock = clock
        self.stamp = clock()

    def _refill(self) -> None:
        now = self.clock()
        if self.limit:
            self.level = min(
                float(self.limit), self.level + (now - self.stamp) * self.limit / MINUTE
            )
        self.stamp = now

    def wait_for(self, amount: int) -> float:
        """Seconds until `amount` units are available (0 when they are, or with no limit)."""
        if not self.limit:
            return 0.0
        self._refill()
        # A single request larger than the whole bucket waits for a full bucket, not forever.
        reserve = self.limit * HEADROOM
        needed = min(float(amount), self.limit - reserve) - (self.level - reserve)
        return max(0.0, needed * MINUTE / self.limit)

    def take(self, amount: int) -> None:
        if self.limit:
            self._refill()
            self.level -= amount

    def learn(self, limit: int | None, remaining: int | None, configured: bool) -> None:
        """Adopt the server's limit (unless one was configured) and never believe in more
        room than the server reports."""
        if limit and not configured and limit != self.limit:
            if self.limit is None:
                self.level = float(limit)
            self.limit = limit
        if remaining is not None and self.limit:
            self._refill()
            self.level = min(self.level, float(remaining))


class Pacer:
    """Waits before each call until the RPM and TPM budgets and an in-flight slot allow it."""

    def __init__(
        self,
        concurrency: int,
        rpm: int | None = None,
        tpm: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ceiling = concurrency
        self.allowed = concurrency
        self.in_flight = 0
        self.requests = Bucket(rpm, clock)
        self.tokens = Bucket(tpm, clock)
        self._configured = (rpm is not None, tpm is not None)
        # With a limit to learn, the first call goes alone: replies to a burst of calls all
        # report a "remaining" from before the burst.
        self._probing = rpm is None or tpm is None
        self._successes = 0
        self._paused_until = 0.0
        self._clock = clock
        self._changed: asyncio.Condition | None = None
        self.throttled = 0

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def acquire(self, tokens: int) -> None:
        """Wait for a slot and for budget; then reserve one request and `tokens` tokens."""
        changed = self._condition()
        async with changed:
            while True:
                if self.in_flight < (1 if self._probing else self.allowed):
                    delay = max(
                        self._paused_until - self._clock(),
                        self.requests.wait_for(1),
                        self.tokens.wait_for(tokens),
                    )
                    if delay <= 0:
                        break
                    try:
                        await asyncio.wait_for(changed.wait(), timeout=delay)
                    except TimeoutError:
                        pass
                else:
                    await changed.wait()
            self.in_flight += 1
            self.requests.take(1)
            self.tokens.take(tokens)

    async def release(self, throttled: bool = False, retry_after: float | None = None) -> None:
        """Free the slot; on a 429 halve the in-flight limit and pause everyone."""
        changed = self._condition()
        async with changed:
            self.in_flight -= 1
            self._probing = False
            if throttled:
                self.throttled += 1
                self._successes = 0
                self.allowed = max(1, self.allowed // 2)
                if retry_after:
                    self._paused_until = max(self._paused_until, self._clock() + retry_after)
            else:
                self._successes += 1
                if self._successes >= self.allowed and self.allowed < self.ceiling:
                    self.allowed += 1
                    self._successes = 0
            changed.notify_all()

    def learn(self, headers: Mapping[str, str]) -> None:
        """Take limits and remaining budget from a response's x-ratelimit-* headers."""
        self.requests.learn(
            _integer(headers.get("x-ratelimit-limit-requests")),
            _integer(headers.get("x-ratelimit-remaining-requests")),
            self._configured[0],
        )
        self.tokens.learn(
            _integer(headers.get("x-ratelimit-limit-tokens")),
            _integer(headers.get("x-ratelimit-remaining-tokens")),
            self._configured[1],
        )


def _integer(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None
