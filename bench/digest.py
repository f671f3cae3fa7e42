"""Digest benchmark, offline: 50 distinct articles against the local fake server answering
every call after LATENCY seconds, at concurrency 8.

    python -m bench.digest [--articles 50] [--latency 1.0] [--concurrency 8]

Ideal wall time: the map calls in waves of `concurrency`, each wave one latency, plus the
synthesis call. The target is at most 1.3 times that; a warm rerun must send no request.
Figures are from one run on whatever machine runs it; read them as ratios.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import tempfile
import time
from pathlib import Path

import briefer
from tests.fake_openai import FakeOpenAI

PLACES = ["Karsvik", "Alcara", "Dravia", "Kolmar", "Estavia", "Meridia", "Varna", "Brenholm"]
ROLES = ["Mayor", "Minister", "Governor", "Ambassador", "Director"]
TOPICS = ["budget", "port", "water tariff", "border", "school", "railway", "hospital", "grid"]


def write_articles(folder: Path, count: int, seed: int = 1) -> None:
    """`count` distinct ~400-word articles: no two are near-duplicates of each other."""
    rng = random.Random(seed)
    vocabulary = [f"{rng.choice('bdfgklmnprstv')}{rng.choice('aeiou')}{n}" for n in range(4000)]
    for n in range(count):
        place, role, topic = rng.choice(PLACES), rng.choice(ROLES), rng.choice(TOPICS)
        name = f"{rng.choice(['Anna', 'Piotr', 'Lena', 'Omar', 'Ines'])} Tester{n}"
        paragraphs = [
            f"{role} {name} said on Monday that the {topic} plan for {place} would go ahead.",
            f'"We will not wait for another year," {name} said.',
        ]
        for _ in range(8):
            words = " ".join(rng.choice(vocabulary) for _ in range(45))
            paragraphs.append(f"The {topic} council of {place} noted that {words}.")
        paragraphs.append(f"It is unclear whether the {topic} plan will pass before the vote.")
        (folder / f"article-{n:03}.txt").write_text(
            f"{topic.title()} plan {n} in {place}\nOutlet: Bench Wire {n % 5}\n"
            f"Published: 2026-11-26\n\n" + "\n\n".join(paragraphs),
            encoding="utf-8",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)

    server = FakeOpenAI()
    server.latency = args.latency
    folder = Path(tempfile.mkdtemp()) / "news"
    folder.mkdir()
    write_articles(folder, args.articles)
    settings = briefer.Settings.load(
        base_url=server.url,
        api_key="bench",
        cache_dir=tempfile.mkdtemp(),
        concurrency=args.concurrency,
        use_history=False,  # a benchmark's synthetic day is not the user's news
    )

    started = time.perf_counter()
    digest = briefer.digest([str(folder)], settings=settings)
    cold = time.perf_counter() - started
    cold_requests = len(server.requests)
    assert len(digest.articles) == args.articles and not digest.failures, digest.failures

    started = time.perf_counter()
    briefer.digest([str(folder)], settings=settings)
    warm = time.perf_counter() - started
    warm_requests = len(server.requests) - cold_requests
    server.close()

    waves = math.ceil(args.articles / args.concurrency)
    # After the briefings: the editor's pass (two articles or more), then the synthesis.
    steps = 1 + (args.articles >= 2)
    ideal = (waves + steps) * args.latency
    print(
        f"digest of {args.articles} articles, latency {args.latency:.1f} s/call, "
        f"concurrency {args.concurrency}"
    )
    print(
        f"  requests sent: {cold_requests} ({args.articles} map + {steps} after the briefings"
        " expected)"
    )
    print(f"  ideal: {waves} waves + {steps} step(s) = {ideal:.1f} s")
    print(f"  cold wall time: {cold:.2f} s = {cold / ideal:.2f} x ideal (target <= 1.30)")
    print(f"  warm rerun: {warm_requests} requests, {warm:.2f} s")
    # The smoke run in CI relies on these: every article briefed once, nothing sent again.
    assert cold_requests == args.articles + steps, cold_requests
    assert warm_requests == 0, warm_requests


if __name__ == "__main__":
    main()
