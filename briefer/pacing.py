"""Client-side pacing: requests and tokens per minute, and how many calls may be in flight.

Providers meter each key with buckets that refill continuously: one of requests per minute
(RPM) and one of tokens per minute (TPM), where a request counts its prompt tokens plus the
output tokens it may write. `Pacer` keeps the same two buckets on the client, reserving before
each send what the provider will charge, so that calls wait here instead of earning a 429.
Limits come from settings (--rpm, --tpm) or are learned from `x-ratelimit-*` headers; the
`remaining` counts in those headers also correct the client's view when another process
shares the key (and, when a limit is first learned, the calls already sent without it are
deducted). The in-flight limit halves on a 429 and climbs back one step per run of successes.
Pure asyncio; no I/O.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

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
        # Units of calls sent before the limit was known and still in flight: the first
        # reply's "remaining" may predate them.
        self.unmetered = 0.0

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
        # Never longer than the minute it takes to refill from empty, whatever the level.
        return min(MINUTE, max(0.0, needed * MINUTE / self.limit))

    def take(self, amount: int) -> bool:
        """Reserve `amount`; False when no limit is known yet (the amount is remembered)."""
        if self.limit:
            self._refill()
            self.level -= amount
            return True
        self.unmetered += amount
        return False

    def settle(self, amount: int, metered: bool) -> None:
        """A call reserved with `take` is over."""
        if not metered:
            self.unmetered -= amount

    def learn(
        self, limit: int | None, remaining: int | None, configured: bool, own: float = 0.0
    ) -> None:
        """Adopt the server's limit (unless one was configured) and never believe in more
        room than the server reports. `own` is this reply's call, if it went unmetered."""
        if remaining is not None and limit:
            remaining = min(remaining, limit)
        if limit and not configured and limit != self.limit:
            if self.limit is None:
                # The reply's "remaining" counts its own call, maybe not the others in flight.
                start = float(limit if remaining is None else min(limit, remaining))
                self.level = start - max(0.0, self.unmetered - own)
                self.stamp = self.clock()
            self.limit = limit
        if remaining is not None and self.limit:
            self._refill()
            self.level = min(self.level, float(remaining))


@dataclass(frozen=True)
class Ticket:
    """One call's reservation: its tokens, and whether each bucket metered it."""

    tokens: int
    requests_metered: bool
    tokens_metered: bool


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
        self._successes = 0
        self._paused_until = 0.0
        self._clock = clock
        self._changed: asyncio.Condition | None = None
        self.throttled = 0

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def acquire(self, tokens: int) -> Ticket:
        """Wait for a slot and for budget; then reserve one request and `tokens` tokens."""
        changed = self._condition()
        async with changed:
            while True:
                if self.in_flight < self.allowed:
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
            return Ticket(tokens, self.requests.take(1), self.tokens.take(tokens))

    async def release(
        self, ticket: Ticket, throttled: bool = False, retry_after: float | None = None
    ) -> None:
        """Free the slot; on a 429 halve the in-flight limit and pause everyone."""
        changed = self._condition()
        async with changed:
            self.in_flight -= 1
            self.requests.settle(1, ticket.requests_metered)
            self.tokens.settle(ticket.tokens, ticket.tokens_metered)
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

    def learn(self, headers: Mapping[str, str] | None, ticket: Ticket) -> None:
        """Take limits and remaining budget from the x-ratelimit-* headers of the reply to
        the call `ticket` reserved (a provider without headers teaches nothing)."""
        headers = headers or {}
        self.requests.learn(
            _integer(headers.get("x-ratelimit-limit-requests")),
            _integer(headers.get("x-ratelimit-remaining-requests")),
            self._configured[0],
            0.0 if ticket.requests_metered else 1.0,
        )
        self.tokens.learn(
            _integer(headers.get("x-ratelimit-limit-tokens")),
            _integer(headers.get("x-ratelimit-remaining-tokens")),
            self._configured[1],
            0.0 if ticket.tokens_metered else float(ticket.tokens),
        )


# No header is believed past this: a limit or a remaining count beyond it is nonsense.
_LARGEST = 10**12


def _integer(value: str | None) -> int | None:
    """A header's count, or None when it is missing or no count (not a number, infinite,
    negative counts read as 0, absurd ones capped): a hostile or broken server cannot stall
    the run or make every call fail."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        return None
    return int(min(max(number, 0.0), _LARGEST))
