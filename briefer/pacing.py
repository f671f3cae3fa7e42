"""Client-side pacing: requests and tokens per minute, and how many calls may be in flight.

Providers meter each key per minute: requests (RPM) and tokens (TPM), where a request counts
its prompt tokens plus the output tokens it may write. `Pacer` keeps the same two meters on
the client as sliding 60-second windows (the strictest way a server counts: a window never
admits a burst a continuously refilled bucket would refuse, and the reverse is not true),
reserving before each send what the provider will charge, so that calls wait here instead of
earning a 429. Limits come from settings (--rpm, --tpm) or are learned from `x-ratelimit-*`
headers; the server's `remaining` and `reset` take precedence over the client's own count
(another process on the key, or a server that counts differently), and when a limit is first
learned the calls already sent without it are deducted. The server's tokenizer is not ours:
the ratio between the prompt tokens a reply's `usage` reports and our own count of that
prompt scales later reservations (the highest of the recent ratios). Until a first reply
has told all this, one call goes at a time. Whatever the headers say, no wait exceeds a
minute.
The in-flight limit halves on a 429 and climbs back one step per run of successes.
Pure asyncio; no I/O.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Seconds in the providers' "minute". A constant, not a setting: benchmarks shorten it (on the
# client and the fake server alike) to replay long rate-limited runs quickly.
MINUTE = 60.0
# Share of each window left unused: the provider's count and clock never match ours exactly.
HEADROOM = 0.03
# Seconds past a minute each reservation still counts: the server starts its minute when the
# request reaches it, a little after the client reserved.
SLACK = 0.01
# The server's token count over ours is learned within these bounds: a reply reporting
# nonsense usage must not stall a run (or let it burst).
RATIO_BOUNDS = (0.5, 3.0)
# Replies whose ratio is remembered.
RATIO_MEMORY = 32


@dataclass
class Entry:
    """Units reserved in a window, counted until `expires`."""

    expires: float
    amount: float


class Window:
    """At most `limit` units within any `MINUTE` seconds; each reservation counts until a
    minute after it was made."""

    def __init__(self, limit: int | None, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.clock = clock
        # In order of expiry, so that waits read the oldest first.
        self.entries: deque[Entry] = deque()
        # Units of calls sent before the limit was known and still in flight: the first
        # reply's "remaining" may predate them.
        self.unmetered = 0.0

    def used(self) -> float:
        """Units counted in the window now."""
        now = self.clock()
        while self.entries and self.entries[0].expires <= now:
            self.entries.popleft()
        return sum(entry.amount for entry in self.entries)

    def wait_for(self, amount: int) -> float:
        """Seconds until `amount` units fit (0 when they do, or with no limit); never more
        than a minute, when the whole window has moved on."""
        if not self.limit:
            return 0.0
        room = self.limit * (1 - HEADROOM)
        # A single request larger than the whole window waits for an empty one, not forever.
        excess = self.used() + min(float(amount), room) - room
        if excess <= 0:
            return 0.0
        now = self.clock()
        for entry in self.entries:
            excess -= entry.amount
            if excess <= 1e-9:
                return min(MINUTE, max(0.0, entry.expires - now))
        return MINUTE

    def take(self, amount: int) -> Entry | None:
        """Reserve `amount`; None when no limit is known yet (the amount is remembered)."""
        if self.limit:
            return self._add(amount, MINUTE * (1 + SLACK))
        self.unmetered += amount
        return None

    def _add(self, amount: float, lasts: float) -> Entry:
        entry = Entry(self.clock() + max(0.0, min(MINUTE * (1 + SLACK), lasts)), amount)
        position = len(self.entries)
        while position and self.entries[position - 1].expires > entry.expires:
            position -= 1
        self.entries.insert(position, entry)
        return entry

    def settle(self, amount: int, metered: bool) -> None:
        """A call reserved with `take` is over."""
        if not metered:
            self.unmetered -= amount

    def learn(
        self,
        limit: int | None,
        remaining: int | None,
        configured: bool,
        own: float = 0.0,
        reset: float | None = None,
    ) -> None:
        """Adopt the server's limit (unless one was configured) and never believe in more
        room than the server reports: units the server counts and we do not are added,
        counting until the server's `reset` (or a full minute). `own` is this reply's call,
        if it went unmetered."""
        others = 0.0
        if limit and not configured and limit != self.limit:
            if self.limit is None:
                # The reply's "remaining" counts its own call, maybe not the others in flight.
                others = max(0.0, self.unmetered - own)
            self.limit = limit
        if remaining is not None and self.limit:
            missing = (self.limit - min(self.limit, remaining)) - self.used()
            if missing > 0:
                self._add(missing, MINUTE if reset is None else reset)
        if others:
            self._add(others, MINUTE * (1 + SLACK))


@dataclass(frozen=True)
class Ticket:
    """One call's reservation: its tokens, and its entries in the two windows (None where
    no limit was known yet)."""

    tokens: int
    request_entry: Entry | None
    tokens_entry: Entry | None

    @property
    def requests_metered(self) -> bool:
        return self.request_entry is not None

    @property
    def tokens_metered(self) -> bool:
        return self.tokens_entry is not None


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
        self.requests = Window(rpm, clock)
        self.tokens = Window(tpm, clock)
        # The server's prompt token count over ours, per reply: the highest of the recent
        # ones is applied, since one prompt the server counts high is enough for a 429.
        self._ratios: deque[float] = deque(maxlen=RATIO_MEMORY)
        self._configured = (rpm is not None, tpm is not None)
        # Until a first reply tells the limits and how the server counts tokens (or that it
        # tells nothing), one call at a time: a burst sent blind is how a tight key earns its
        # first 429s, even with --rpm/--tpm given.
        self._probing = True
        self._successes = 0
        self._paused_until = 0.0
        self._clock = clock
        self._changed: asyncio.Condition | None = None
        self.throttled = 0

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    @property
    def ratio(self) -> float:
        """The server's prompt token count over ours, as learned so far (1 until then)."""
        if not self._ratios:
            return 1.0
        low, high = RATIO_BOUNDS
        return min(high, max(low, max(self._ratios)))

    def reservation(self, prompt: int, output: int) -> int:
        """Tokens to reserve for a call: our count of its prompt, in the server's tokens,
        plus the output it may write (metered at its cap)."""
        return math.ceil(prompt * self.ratio) + output

    def calibrate(self, ticket: Ticket, prompt: int, output: int, reported: int) -> None:
        """The reply to the call `ticket` reserved counted `reported` prompt tokens where we
        counted `prompt`: learn the ratio, and count that call as the server does."""
        if prompt > 0 and reported > 0:
            self._ratios.append(reported / prompt)
            if ticket.tokens_entry is not None:
                ticket.tokens_entry.amount = float(reported + output)

    async def acquire(self, prompt: int, output: int = 0) -> Ticket:
        """Wait for a slot and for budget; then reserve one request and the tokens of a call
        with a `prompt` of that many tokens (as we count) that may write `output` tokens."""
        changed = self._condition()
        async with changed:
            while True:
                # In the server's tokens, as learned until now (perhaps while this call waited).
                tokens = self.reservation(prompt, output)
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
                    # A per-minute meter frees up within a minute, whatever the server says.
                    pause = min(MINUTE, max(0.0, retry_after))
                    self._paused_until = max(self._paused_until, self._clock() + pause)
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
        self._probing = False
        self.requests.learn(
            _integer(headers.get("x-ratelimit-limit-requests")),
            _integer(headers.get("x-ratelimit-remaining-requests")),
            self._configured[0],
            0.0 if ticket.requests_metered else 1.0,
            _duration(headers.get("x-ratelimit-reset-requests")),
        )
        self.tokens.learn(
            _integer(headers.get("x-ratelimit-limit-tokens")),
            _integer(headers.get("x-ratelimit-remaining-tokens")),
            self._configured[1],
            0.0 if ticket.tokens_metered else float(ticket.tokens),
            _duration(headers.get("x-ratelimit-reset-tokens")),
        )


def _integer(value: str | None) -> int | None:
    """A count from a header: None unless finite; never below 0 (a negative "remaining"
    means none left, not years of debt)."""
    try:
        number = float(value) if value is not None else math.nan
    except ValueError:
        return None
    return max(0, int(number)) if math.isfinite(number) else None


_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def _duration(value: str | None) -> float | None:
    """Seconds in a reset header ("1s", "6m0s", "20ms", or a bare number of seconds); None
    when unreadable. Callers bound it to a minute."""
    if value is None:
        return None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        parts = _PART.findall(text)
        if not parts or "".join(n + u for n, u in parts) != text:
            return None
        number = sum(float(n) * _UNIT[u] for n, u in parts)
    return number if math.isfinite(number) and number >= 0 else None
