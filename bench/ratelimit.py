"""Rate-limit benchmark, offline: a 200-article digest against the local fake server enforcing
60 requests and 40,000 tokens per minute the way OpenAI meters a key (continuously refilled
buckets; a request costs its prompt plus its max output tokens).

    python -m bench.ratelimit [--articles 200] [--minute 3.0]

To finish in a few minutes, the "minute" lasts --minute seconds on both the server and the
client (briefer.pacing.MINUTE); --minute 60 replays it in real time. Two runs: limits given
(--rpm 60 --tpm 40000) and limits learned from the server's x-ratelimit headers.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import briefer
from bench.digest import write_articles
from briefer import pacing
from tests.fake_openai import FakeOpenAI, RateLimits

RPM, TPM = 60, 40_000


def run(count: int, minute: float, configured: bool) -> None:
    server = FakeOpenAI()
    server.limits = RateLimits(RPM, TPM, minute=minute)
    folder = Path(tempfile.mkdtemp()) / "news"
    folder.mkdir()
    write_articles(folder, count, seed=7)
    limits = {"rpm": RPM, "tpm": TPM} if configured else {}
    settings = briefer.Settings.load(
        base_url=server.url,
        api_key="bench",
        cache_dir=tempfile.mkdtemp(),
        use_history=False,
        **limits,
    )
    started = time.perf_counter()
    digest = briefer.digest([str(folder)], settings=settings)
    seconds = time.perf_counter() - started
    admitted = [r for r, reply in server.served if reply.status == 200]
    tokens = sum(server.limits.cost(r) for r in admitted)
    minutes = seconds / minute
    floor = max(tokens / TPM, len(admitted) / RPM) - 1  # the first bucket is free
    label = "limits given (--rpm/--tpm)" if configured else "limits learned from headers"
    print(f"{label}:")
    print(
        f"  {len(digest.articles)} articles briefed, {len(digest.failures)} failed;"
        f" {len(admitted)} calls ({len(admitted) / count:.3f} per article),"
        f" {server.limits.refused} answered 429"
    )
    print(
        f"  {tokens:,} metered tokens in {minutes:.1f} minutes = {tokens / minutes:,.0f} TPM"
        f" (limit {TPM:,}); the buckets allow it in {floor:.1f} at best"
        f" ({minutes / floor:.2f} x that)"
    )
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--minute", type=float, default=3.0)
    args = parser.parse_args()
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)
    pacing.MINUTE = args.minute
    print(
        f"{args.articles}-article digest, server enforcing {RPM} RPM and {TPM:,} TPM,"
        f" one minute = {args.minute:g} s"
    )
    run(args.articles, args.minute, configured=True)
    run(args.articles, args.minute, configured=False)


if __name__ == "__main__":
    main()
