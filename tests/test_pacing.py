from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

import briefer
from briefer import pacing
from briefer.pacing import Pacer, Window

from .fake_openai import FakeOpenAI, RateLimits, Reply, SlidingLimits, diligent_briefing
from .test_faults import write_articles


@pytest.fixture
def no_headroom(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pacing, "HEADROOM", 0.0)
    monkeypatch.setattr(pacing, "SLACK", 0.0)


@pytest.mark.usefixtures("no_headroom")
def test_a_window_counts_each_reservation_for_a_full_minute() -> None:
    now = [0.0]
    pacer = Pacer(8, tpm=600, clock=lambda: now[0])
    asyncio.run(pacer.acquire(600))
    now[0] = 30.0
    # A continuously refilled bucket would have 300 tokens back by now; a sliding window,
    # as servers count, frees the 600 only when the first call is a minute old.
    assert pacer.tokens.wait_for(300) == pytest.approx(30.0)
    now[0] = 60.0
    assert pacer.tokens.wait_for(600) == 0
    assert pacer.tokens.wait_for(10_000) == 0  # never more than a whole window
    assert Window(None, lambda: 0.0).wait_for(10**9) == 0


def test_a_window_keeps_some_headroom() -> None:
    window = Window(1000, lambda: 0.0)
    window.take(30)  # 970 left, but 3% of the window is kept back
    assert window.wait_for(940) == 0
    assert window.wait_for(950) > 0


@pytest.mark.usefixtures("no_headroom")
def test_limits_and_remaining_are_learned_from_headers() -> None:
    now = [0.0]
    pacer = Pacer(8, clock=lambda: now[0])
    first = asyncio.run(pacer.acquire(100))
    pacer.learn({}, first)  # a first reply without headers: the calls need not wait on it
    asyncio.run(pacer.acquire(50))  # a second call sent before any reply told the limit
    pacer.learn({"x-ratelimit-limit-tokens": "6000", "x-ratelimit-remaining-tokens": "110"}, first)
    # The reply counts its own 100 tokens; the other call's 50 are deducted as well.
    assert pacer.tokens.limit == 6000
    assert pacer.tokens.wait_for(60) == 0 and pacer.tokens.wait_for(61) > 0
    configured = Pacer(8, rpm=100, clock=lambda: now[0])
    ticket = asyncio.run(configured.acquire(1))
    configured.learn(
        {"x-ratelimit-limit-requests": "5000", "x-ratelimit-remaining-requests": "3"}, ticket
    )
    assert configured.requests.limit == 100
    assert configured.requests.wait_for(3) == 0 and configured.requests.wait_for(4) > 0


@pytest.mark.usefixtures("no_headroom")
def test_the_servers_remaining_and_reset_take_precedence() -> None:
    now = [0.0]
    pacer = Pacer(8, tpm=6000, clock=lambda: now[0])
    ticket = asyncio.run(pacer.acquire(100))
    # Another process on the key: the server has 1,000 tokens left, all back in 2 seconds.
    pacer.learn({"x-ratelimit-remaining-tokens": "1000", "x-ratelimit-reset-tokens": "2s"}, ticket)
    assert pacer.tokens.wait_for(1000) == 0
    assert pacer.tokens.wait_for(2000) == pytest.approx(2.0)
    pacer.learn({"x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "1m30s"}, ticket)
    # The 1,000 newly counted tokens count for a minute, whatever "reset" says.
    assert pacer.tokens.wait_for(4900) == pytest.approx(2.0)
    assert pacer.tokens.wait_for(5000) == pytest.approx(60.0)


def test_the_servers_token_count_scales_later_reservations() -> None:
    pacer = Pacer(8, tpm=100_000, clock=lambda: 0.0)
    assert pacer.reservation(1000, 200) == 1200  # nothing learned yet
    ticket = asyncio.run(pacer.acquire(1200))
    pacer.calibrate(ticket, 1000, 200, 1300)
    assert pacer.tokens.used() == 1500  # the call now counts as the server counted it
    pacer.calibrate(ticket, 1000, 200, 1700)
    # The highest recent ratio applies to the prompt; the output cap is metered as it is.
    assert pacer.reservation(1000, 200) == 1900
    pacer.calibrate(ticket, 10, 0, 10**9)  # nonsense usage is bounded
    assert pacer.reservation(1000, 0) <= 3000


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "-100000000"},
        {"x-ratelimit-limit-tokens": "inf", "x-ratelimit-remaining-tokens": "inf"},
        {"x-ratelimit-limit-tokens": "40000", "x-ratelimit-remaining-tokens": "-inf"},
        {"x-ratelimit-limit-requests": "1e400", "x-ratelimit-remaining-requests": "nan"},
        {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "99999h"},
    ],
    ids=["negative", "inf", "minus-inf", "overflow", "long-reset"],
)
def test_hostile_rate_limit_headers_never_wait_past_a_minute(headers: dict[str, str]) -> None:
    pacer = Pacer(8, rpm=None if "x-ratelimit-limit-requests" in headers else 60)
    ticket = asyncio.run(pacer.acquire(100))
    pacer.learn(headers, ticket)
    assert pacer.requests.wait_for(1) <= pacing.MINUTE
    assert pacer.tokens.wait_for(100) <= pacing.MINUTE


def test_a_429_with_a_huge_retry_after_pauses_a_minute_at_most() -> None:
    now = [0.0]
    pacer = Pacer(8, clock=lambda: now[0])

    async def scenario() -> None:
        await pacer.release(await pacer.acquire(1), throttled=True, retry_after=1e12)

    asyncio.run(scenario())
    assert pacer._paused_until <= pacing.MINUTE


def test_infinite_rate_limit_headers_fail_no_article(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.responder = lambda request: Reply(
        content=diligent_briefing(request["messages"]),
        headers={"x-ratelimit-limit-tokens": "inf", "x-ratelimit-remaining-requests": "-inf"},
    )
    write_articles(tmp_path / "news", 2)
    digest = briefer.digest([str(tmp_path / "news")], max_output_tokens=512)
    assert digest.failures == [] and len(digest.articles) == 2


def test_one_call_goes_first_until_a_reply_tells_the_limits() -> None:
    async def scenario() -> list[int]:
        pacer = Pacer(8)
        first = await pacer.acquire(100)
        waiting = [asyncio.ensure_future(pacer.acquire(100)) for _ in range(3)]
        await asyncio.sleep(0.05)
        seen = [pacer.in_flight]
        pacer.learn({"x-ratelimit-limit-tokens": "40000"}, first)
        await pacer.release(first)
        await asyncio.gather(*waiting)
        return [*seen, pacer.in_flight]

    assert asyncio.run(scenario()) == [1, 3]


def test_a_429_halves_the_calls_in_flight_and_successes_restore_them() -> None:
    async def scenario() -> list[int]:
        pacer = Pacer(8)
        seen = []
        await pacer.release(await pacer.acquire(1), throttled=True, retry_after=0.01)
        seen.append(pacer.allowed)
        await pacer.release(await pacer.acquire(1), throttled=True)
        seen.append(pacer.allowed)
        for _ in range(20):
            await pacer.release(await pacer.acquire(1))
        seen.append(pacer.allowed)
        return seen

    assert asyncio.run(scenario()) == [4, 2, 7]


def test_calls_wait_when_the_in_flight_limit_is_reached() -> None:
    async def scenario() -> float:
        pacer = Pacer(1)
        ticket = await pacer.acquire(1)

        async def later() -> None:
            await asyncio.sleep(0.2)
            await pacer.release(ticket)

        started = time.perf_counter()
        task = asyncio.ensure_future(later())
        await pacer.acquire(1)
        await task
        return time.perf_counter() - started

    assert asyncio.run(scenario()) >= 0.19


@pytest.mark.parametrize("configured", [True, False], ids=["configured", "learned"])
def test_a_rate_limited_digest_finishes_with_at_most_a_handful_of_429s(
    fake: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: bool
) -> None:
    # 60 RPM and 40k TPM, with a "minute" of 2 s on both sides to keep the test short.
    monkeypatch.setattr(pacing, "MINUTE", 2.0)
    fake.limits = RateLimits(rpm=60, tpm=40_000, minute=2.0)
    write_articles(tmp_path / "news", 40)
    limits = {"rpm": 60, "tpm": 40_000} if configured else {}
    started = time.perf_counter()
    digest = briefer.digest([str(tmp_path / "news")], max_output_tokens=512, **limits)
    elapsed = time.perf_counter() - started
    assert digest.failures == [] and len(digest.articles) == 40
    assert fake.limits.refused <= 3
    # 41 calls of ~1,700 tokens each need ~70k tokens: the 40k bucket and one more
    # "minute" of refill at the least.
    assert elapsed >= 1.0


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "-100000000"},
        {"x-ratelimit-limit-requests": "inf", "x-ratelimit-remaining-requests": "inf"},
        {"x-ratelimit-limit-tokens": "1e300", "x-ratelimit-remaining-tokens": "-1e300"},
        {"x-ratelimit-limit-tokens": "nan", "x-ratelimit-remaining-tokens": "nan"},
    ],
)
def test_hostile_rate_limit_headers_neither_stall_nor_fail_the_run(
    fake: FakeOpenAI, tmp_path: Path, headers: dict[str, str]
) -> None:
    fake.responder = lambda request: None  # the usual briefing
    original = fake._next

    def with_headers(request):  # type: ignore[no-untyped-def]
        reply = original(request)
        reply.headers.update(headers)
        return reply

    fake._next = with_headers  # type: ignore[method-assign]
    try:
        now = [0.0]
        pacer = Pacer(4, clock=lambda: now[0])
        ticket = asyncio.run(pacer.acquire(100))
        pacer.learn(headers, ticket)
        asyncio.run(pacer.release(ticket))
        # Whatever the headers said, the next call waits at most a minute.
        assert pacer.requests.wait_for(1) <= pacing.MINUTE
        assert pacer.tokens.wait_for(100) <= pacing.MINUTE
        paths = write_articles(tmp_path / "news", 2)
        outcomes = briefer.summarize_many([str(p) for p in paths], use_cache=False)
        assert all(o.briefing is not None for o in outcomes), [str(o.error) for o in outcomes]
    finally:
        fake._next = original  # type: ignore[method-assign]


@pytest.mark.parametrize("configured", [True, False], ids=["configured", "learned"])
def test_a_sliding_window_with_its_own_tokenizer_sees_at_most_one_429(
    fake: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: bool
) -> None:
    # A server that counts a strict sliding window, with a tokenizer that counts more than
    # briefer's, announcing its limits only in headers; a "minute" of 3 s on both sides (a
    # shorter one makes a loaded machine's scheduling jitter count as a burst).
    monkeypatch.setattr(pacing, "MINUTE", 3.0)
    fake.limits = SlidingLimits(rpm=60, tpm=40_000, minute=3.0)
    write_articles(tmp_path / "news", 40)
    limits = {"rpm": 60, "tpm": 40_000} if configured else {}
    digest = briefer.digest([str(tmp_path / "news")], max_output_tokens=512, **limits)
    assert digest.failures == [] and len(digest.articles) == 40
    # The bound: 0 or 1 on a quiet machine; the old bucket pacing draws far more
    # (24-27 429s in bench.ratewindow).
    assert fake.limits.refused <= 3
