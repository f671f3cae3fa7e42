"""Benchmarks, offline: prompt overhead per example article against the local fake server,
and extractive-engine throughput.

    python -m bench.run

Figures are from one run on whatever machine runs it; read them as ratios.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import briefer
from briefer.readers.sources import Article
from tests.fake_openai import FakeOpenAI

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


def prompt_overhead(model: str = "gpt-4o-mini") -> None:
    server = FakeOpenAI()
    cache_dir = tempfile.mkdtemp()
    settings = briefer.Settings.load(
        base_url=server.url, api_key="bench", model=model, cache_dir=cache_dir
    )
    print(f"model {model}: calls and prompt tokens per example (tokens counted by briefer)")
    print(f"{'article':38} {'words':>6} {'art.tok':>7} {'calls':>5} {'prompt':>7} {'ratio':>6}")
    for path in sorted(EXAMPLES.glob("*.*")):
        article = Article.from_text(path.read_text())
        plan = briefer.plan([article], settings=settings)[0]
        assert isinstance(plan, briefer.Plan)
        before = len(server.requests)
        briefer.summarize(article, settings=settings)
        calls = len(server.requests) - before
        ratio = plan.prompt_tokens / plan.article_tokens
        print(
            f"{path.name:38} {len(article.text.split()):>6} {plan.article_tokens:>7} "
            f"{calls:>5} {plan.prompt_tokens:>7} {ratio:>6.2f}"
        )
    fixed = plan.prompt_tokens - plan.article_tokens
    print(f"fixed instruction + schema overhead of the last article: {fixed} tokens")
    server.close()


def extractive_throughput(rounds: int = 60) -> None:
    body = Article.from_text((EXAMPLES / "port-expansion-vote.md").read_text()).text
    # ~1,000 words: the article twice, with a distinct tail so no two texts are equal.
    texts = [f"{body}\n\n{body}\n\nEdition {i}." for i in range(rounds)]
    words = len(texts[0].split())
    settings = briefer.Settings.load(engine="extractive")
    briefer.summarize(texts[0], settings=settings)  # warm-up: imports, tokenizer
    started = time.perf_counter()
    for text in texts:
        briefer.summarize(text, settings=settings)
    elapsed = time.perf_counter() - started
    print(
        f"extractive engine: {rounds / elapsed:.1f} articles/s on {words}-word articles"
        f" ({elapsed / rounds * 1000:.1f} ms each)"
    )


if __name__ == "__main__":
    os.environ.pop("OPENAI_API_KEY", None)
    os.environ.pop("OPENAI_BASE_URL", None)
    prompt_overhead()
    extractive_throughput()
