from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

import briefer
from briefer import pacing
from briefer.pacing import Bucket, Pacer

from .fake_openai import FakeOpenAI, RateLimits
from .test_faults import write_articles


@pytest.fixture
def no_headroom(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pacing, "HEADROOM", 0.0)


@pytest.mark.usefixtures("no_headroom")
def test_a_bucket_waits_for_tokens_to_refill() -> None:
    now = [0.0]
    bucket = Bucket(600, lambda: now[0])  # 10 tokens a second
    assert bucket.wait_for(600) == 0
    bucket.take(600)
    assert bucket.wait_for(5) == pytest.approx(0.5)
    now[0] = 0.5
    assert bucket.wait_for(5) == pytest.approx(0.0)
    assert bucket.wait_for(10_000) == pytest.approx(59.5)  # never more than a full bucket
    assert Bucket(None, lambda: 0.0).wait_for(10**9) == 0


def test_a_bucket_keeps_some_headroom() -> None:
    bucket = Bucket(1000, lambda: 0.0)
    bucket.take(30)  # 970 left, but 3% of the bucket is kept back
    assert bucket.wait_for(940) == 0
    assert bucket.wait_for(950) > 0


@pytest.mark.usefixtures("no_headroom")
def test_limits_and_remaining_are_learned_from_headers() -> None:
    now = [0.0]
    pacer = Pacer(8, clock=lambda: now[0])
    first = asyncio.run(pacer.acquire(100))
    asyncio.run(pacer.acquire(50))  # a second call sent before any reply told the limit
    pacer.learn({"x-ratelimit-limit-tokens": "6000", "x-ratelimit-remaining-tokens": "110"}, first)
    # The reply counts its own 100 tokens; the other call's 50 are deducted as well.
    assert pacer.tokens.limit == 6000 and pacer.tokens.level == 60
    assert pacer.tokens.wait_for(160) == pytest.approx(1.0)
    configured = Pacer(8, rpm=100, clock=lambda: now[0])
    ticket = asyncio.run(configured.acquire(1))
    configured.learn(
        {"x-ratelimit-limit-requests": "5000", "x-ratelimit-remaining-requests": "3"}, ticket
    )
    assert configured.requests.limit == 100 and configured.requests.level == 3


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
