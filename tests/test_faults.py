"""Faults the server throws at briefer, offline: rate limits, errors, broken bodies, cut-off
replies, hangs, an outage; and processes that share a cache or die mid-run."""

from __future__ import annotations

import datetime
import json
import os
import random
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import briefer
from briefer.cache import Cache
from briefer.cli import cli
from briefer.settings import Settings

from .conftest import EXAMPLES
from .fake_openai import FakeOpenAI, Reply, diligent_briefing

TIMEOUT = 1.0
HANG = 3.0


def write_articles(folder: Path, count: int) -> list[Path]:
    """`count` distinct short articles, each its own story."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"story-{n:02}.txt"
        path.write_text(
            f"Town {n} budget\n\nThe council of town {n} met on Monday to debate its budget. "
            f"Mayor Anna Berg{n} said spending on district {n} would rise by {n + 2} percent. "
            f'"We will not cut the school programme," Berg{n} said. '
            f"It is unclear whether the regional government will approve the plan {n}.",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def faulty(seed: int) -> Callable[[dict[str, Any]], Reply | None]:
    """10% 429 with Retry-After, 5% 500, 5% malformed or cut-off JSON, 2% hangs."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def respond(request: dict[str, Any]) -> Reply | None:
        with lock:
            roll = rng.random()
        if roll < 0.10:
            return Reply(status=429, headers={"retry-after-ms": "30"})
        if roll < 0.15:
            return Reply(status=500)
        if roll < 0.175:
            return Reply(raw_body='{"id": "chatcmpl-1", "object": "chat.completion", "choi')
        if roll < 0.20 and whole_article(request):
            # A cut-off reply is not a transient fault: it re-plans the article into parts,
            # once (tests/test_pipeline.py), so only whole-article requests are cut off here.
            return Reply(content='{"headline": "The council of', finish_reason="length")
        if roll < 0.22:
            return Reply(content=diligent_briefing(request["messages"]), delay=HANG)
        return None

    return respond


def whole_article(request: dict[str, Any]) -> bool:
    content = json.dumps(request["messages"])
    return "<<<ARTICLE" in content and "This is part" not in content


def good_replies_per_request(fake: FakeOpenAI) -> Counter[str]:
    """How many usable answers each distinct request received: the work that was paid for."""
    counts: Counter[str] = Counter()
    for request, reply in fake.served:
        usable = (
            reply.status == 200
            and reply.raw_body is None
            and reply.delay < TIMEOUT
            and reply.finish_reason == "stop"
        )
        if usable:
            counts[json.dumps(request["messages"], sort_keys=True)] += 1
    return counts


def test_a_digest_through_a_faulty_server_briefs_every_article_once(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    write_articles(tmp_path / "news", 30)
    fake.responder = faulty(seed=5)
    result = CliRunner().invoke(
        cli,
        ["digest", str(tmp_path / "news"), "-f", "json", "-q"],
        env={"BRIEFER_TIMEOUT": str(TIMEOUT)},
    )
    assert result.exit_code == 0, result.output
    digest = json.loads(result.stdout)
    assert len(digest["articles"]) == 30 and digest["failures"] == []
    statuses = Counter(reply.status for _, reply in fake.served)
    assert statuses[429] >= 1 and statuses[500] >= 1  # the faults did happen
    assert any(reply.delay == HANG for _, reply in fake.served)
    paid = good_replies_per_request(fake)
    assert max(paid.values()) == 1, "a request that was already answered was sent again"
    assert digest["usage"]["calls"] == 32  # 30 articles, the editor's pass, the synthesis

    fake.served.clear()
    rerun = CliRunner().invoke(cli, ["digest", str(tmp_path / "news"), "-f", "json", "-q"])
    assert rerun.exit_code == 0 and fake.served == []


def test_a_long_article_through_a_faulty_server_is_briefed(fake: FakeOpenAI) -> None:
    fake.responder = faulty(seed=11)
    briefing = briefer.summarize(
        EXAMPLES / "river-accord-special-report.txt",
        context_window=8192,
        timeout=TIMEOUT,
        max_retries=6,
    )
    assert briefing.headline.startswith("Consolidated:")  # chunks mapped, then consolidated
    assert briefing.positions and briefing.open_issues
    assert max(good_replies_per_request(fake).values()) == 1


def test_a_server_that_stays_down_gives_one_line_and_keeps_the_cache(
    fake: FakeOpenAI, tmp_path: Path, seed_article: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["summarize", str(seed_article), "-q"]).exit_code == 0
    config = tmp_path / "config.toml"
    config.write_text("max_retries = 2\n")
    fake.responder = lambda request: Reply(status=503, headers={"retry-after-ms": "10"})
    other = EXAMPLES / "water-tariffs.txt"
    result = runner.invoke(cli, ["summarize", str(other), "-q"])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "HTTP 503" in line and "gave up after 3 attempts" in line
    assert "Traceback" not in result.output
    assert Cache(Settings.load().cache_path).info().entries == 1
    fake.responder = None
    assert runner.invoke(cli, ["summarize", str(seed_article), "-q"]).exit_code == 0
    assert sum(1 for r, _ in fake.served if "Azerbaijan" in json.dumps(r)) == 1


def test_a_digest_while_the_server_is_down_lists_every_article_and_exits_1(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    write_articles(tmp_path / "news", 3)
    (tmp_path / "config.toml").write_text("max_retries = 1\n")
    fake.responder = lambda request: Reply(status=503, headers={"retry-after-ms": "10"})
    out = tmp_path / "digest.md"
    result = CliRunner().invoke(cli, ["digest", str(tmp_path / "news"), "-q", "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_text().count("HTTP 503") == 3
    errors, history = result.stderr.strip().splitlines()[:3], result.stderr.splitlines()[3:]
    assert all(line.startswith("Error: ") and "HTTP 503" in line for line in errors)
    assert history == [
        "Warning: history: no article was briefed for"
        f" {datetime.date.today().isoformat()}; the history was left as it was"
    ]


def test_two_processes_digesting_at_once_share_the_cache_without_losing_entries(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    paths = write_articles(tmp_path / "all", 16)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for n, path in enumerate(paths):
        # Overlapping halves: 0-9 in the first folder, 6-15 in the second.
        if n < 10:
            (first / path.name).write_text(path.read_text())
        if n >= 6:
            (second / path.name).write_text(path.read_text())
    fake.latency = 0.05
    env = {**os.environ, "BRIEFER_CONCURRENCY": "4"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "briefer", "digest", str(folder), "-q", "-f", "json"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for folder in (first, second)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    cache = Cache(Settings.load().cache_path)
    # 16 distinct articles, each briefed at least once, plus two editor's passes and syntheses.
    assert cache.info().entries == 16 + 2 + 2
    fake.served.clear()
    fake.latency = 0.0
    digest = briefer.digest([str(tmp_path / "all")])
    assert len(digest.articles) == 16
    assert len(fake.served) == 2  # only the new editor's pass and synthesis over all 16


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_cache_file_gives_a_clear_error_not_a_crash(
    fake: FakeOpenAI, seed_article: Path, damage: str
) -> None:
    path = Settings.load().cache_path
    path.parent.mkdir(parents=True, exist_ok=True)
    if damage == "garbage":
        path.write_bytes(os.urandom(8192))
    else:
        Cache(path).close()
        path.write_bytes(path.read_bytes()[:100])
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-q"])
    assert result.exit_code == 1
    assert "cache" in result.stderr.lower() and "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()
    assert "briefer cache clear" in line and "--no-cache" in line
    cleared = CliRunner().invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0 and "moved it to" in cleared.stdout
    assert path.with_name(path.name + ".unusable").exists()
    assert fake.requests == []
    fixed = CliRunner().invoke(cli, ["summarize", str(seed_article), "-q"])
    assert fixed.exit_code == 0 and len(fake.requests) == 1  # a fresh cache from here on
