"""The Batch API path against the fake server's files and batches endpoints."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import briefer
from briefer.briefing import batch
from briefer.cli import cli
from briefer.events import BatchChecked, Event

from .conftest import DIGEST_DAY, EXAMPLES, FEEDS
from .fake_openai import FakeOpenAI
from .test_faults import write_articles

INPUTS = [str(DIGEST_DAY), str(FEEDS / "evening-wire.xml")]
DAY = "2026-11-26"
UNIQUE = 6


@pytest.fixture(autouse=True)
def quick_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFER_BATCH_POLL_SECONDS", "0.02")


def chat_requests(fake: FakeOpenAI) -> int:
    return len(fake.requests)


def test_a_batch_digest_sends_its_map_calls_as_one_job_and_the_rest_directly(
    fake: FakeOpenAI,
) -> None:
    events: list[Event] = []
    digest = briefer.digest(INPUTS, date=DAY, batch=True, on_event=events.append)
    notes = [e.status for e in events if isinstance(e, BatchChecked)]
    [job] = fake.batches.jobs.values()
    assert len(job.lines) == UNIQUE
    assert {line["url"] for line in job.lines} == {"/v1/chat/completions"}
    # Evidence by reference: the batch bodies ask for citations, with the article's output limit.
    assert all("cites" in json.dumps(line["body"]["response_format"]) for line in job.lines)
    assert all(line["body"]["max_tokens"] >= 4096 for line in job.lines)
    assert job.batch["completion_window"] == "24h"
    assert chat_requests(fake) == 2  # only the editor's pass and the synthesis went directly
    assert len(digest.articles) == UNIQUE and not digest.failures
    assert digest.usage.batch_requests == UNIQUE and digest.usage.batch_jobs == ["batch_1"]
    assert notes[-1] == "batch: 1 job(s), 6/6 done (completed)"
    # The results are in the cache: a later synchronous run sends nothing.
    fake.requests.clear()
    again = briefer.digest(INPUTS, date=DAY)
    assert chat_requests(fake) == 0 and again.usage.cached_calls == UNIQUE + 2


def test_failed_items_are_sent_synchronously(fake: FakeOpenAI) -> None:
    failing: set[str] = set()

    def fail_two(custom_id: str) -> bool:
        if len(failing) < 2:
            failing.add(custom_id)
        return custom_id in failing

    fake.batches.fail_item = fail_two
    digest = briefer.digest(INPUTS, date=DAY, batch=True)
    assert len(digest.articles) == UNIQUE and not digest.failures
    assert chat_requests(fake) == 2 + 2  # the failed two, the editor's pass, the synthesis
    assert any("2 batch request(s) failed" in w for w in digest.warnings)


def test_an_expired_job_keeps_what_it_finished(fake: FakeOpenAI) -> None:
    fake.batches.expire_after = 4
    digest = briefer.digest(INPUTS, date=DAY, batch=True)
    [job] = fake.batches.jobs.values()
    assert job.batch["status"] == "expired"
    assert chat_requests(fake) == (UNIQUE - 4) + 2
    assert len(digest.articles) == UNIQUE and not digest.failures


def test_request_files_respect_the_per_file_limits(
    fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefer.engines.llm.openai_compat import Batches

    assert batch.request_files([b"x" * 10] * 5, 50, 10**9) == [[b"x" * 10] * 5]
    assert [len(f) for f in batch.request_files([b"x" * 10] * 5, 50, 25)] == [2, 2, 1]
    monkeypatch.setattr(Batches, "max_requests_per_file", 4)
    briefer.digest(INPUTS, date=DAY, batch=True)
    assert [len(job.lines) for job in fake.batches.jobs.values()] == [4, 2]


def test_a_killed_batch_run_resumes_without_submitting_again(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    write_articles(tmp_path / "news", 8)
    fake.batches.delay = 3.0
    process = subprocess.Popen(
        [sys.executable, "-m", "briefer", "digest", str(tmp_path / "news"), "--batch", "-q"],
        env={**os.environ, "BRIEFER_BATCH_POLL_SECONDS": "0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not fake.batches.jobs and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # a few polls
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(fake.batches.jobs) == 1
    listing = CliRunner().invoke(cli, ["batch", "list"])
    assert "batch_1" in listing.stdout and "pending" in listing.stdout

    digest = briefer.digest([str(tmp_path / "news")], batch=True)
    assert len(fake.batches.jobs) == 1  # waited for the job in flight, submitted nothing new
    assert digest.usage.batch_jobs == ["batch_1"] and digest.usage.batch_requests == 0
    assert len(digest.articles) == 8 and chat_requests(fake) == 2
    assert "in cache" in CliRunner().invoke(cli, ["batch", "list"]).stdout


def test_batch_status_and_cancel(fake: FakeOpenAI) -> None:
    fake.batches.delay = 60.0
    runner = CliRunner()
    job = fake.batches._create(
        {"input_file_id": "file-x", "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    )
    assert job[0] == 404  # no such file: the fake checks what it is given
    fake.batches.files["file-1"] = b'{"custom_id": "k", "body": {"messages": []}}\n'
    fake.batches._create(
        {"input_file_id": "file-1", "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    )
    status = runner.invoke(cli, ["batch", "status", "batch_1"])
    assert status.exit_code == 0 and "0/1 done (in_progress)" in status.stdout
    cancelled = runner.invoke(cli, ["batch", "cancel", "batch_1"])
    assert cancelled.exit_code == 0 and "(cancelled)" in cancelled.stdout
    missing = runner.invoke(cli, ["batch", "status", "batch_9"])
    assert missing.exit_code == 1 and "refused" in missing.stderr


def test_dry_run_shows_the_sync_and_batch_plans(fake: FakeOpenAI) -> None:
    result = CliRunner().invoke(cli, ["digest", *INPUTS, "--date", DAY, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "6 distinct articles; 1 duplicate folded in; 2 outside the date window" in (
        result.stdout
    )
    sync = next(line for line in result.stdout.splitlines() if line.startswith("sync:"))
    batched = next(line for line in result.stdout.splitlines() if line.startswith("batch:"))
    assert "8 call(s) to send" in sync  # 6 articles, the editor's pass, the synthesis
    assert "6 map call(s) in Batch API jobs + 2 sent directly" in batched
    sync_cost = float(sync.rsplit("$", 1)[1])
    batch_cost = float(batched.split("$", 1)[1].split()[0])
    assert batch_cost < sync_cost
    assert fake.requests == [] and not fake.batches.jobs


def test_summarize_many_inputs_with_batch(fake: FakeOpenAI) -> None:
    paths = [str(p) for p in sorted(EXAMPLES.glob("*.*"))]
    result = CliRunner().invoke(cli, ["summarize", *paths, "--batch", "-f", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(paths)
    [job] = fake.batches.jobs.values()
    assert len(job.lines) == len(paths) and chat_requests(fake) == 0


def test_batch_needs_the_cache(fake: FakeOpenAI) -> None:
    result = CliRunner().invoke(cli, ["digest", *INPUTS, "--batch", "--no-cache"])
    assert result.exit_code == 2 and "drop --no-cache" in result.stderr


def test_max_cost_counts_batch_prices_with_batch(fake: FakeOpenAI) -> None:
    paths = [str(p) for p in sorted(EXAMPLES.glob("*.*"))]
    plans = briefer.plan(paths, model="gpt-4o-mini")
    sync = sum(p.max_cost_usd for p in plans if isinstance(p, briefer.Plan))
    batched = sum(p.max_cost_batch_usd for p in plans if isinstance(p, briefer.Plan))
    limit = (sync + batched) / 2  # enough for the batch plan, not for the direct one
    direct = CliRunner().invoke(cli, ["summarize", *paths, "--max-cost", str(limit), "-q"])
    assert direct.exit_code == 2 and "over --max-cost" in direct.stderr
    assert fake.requests == []  # refused before sending anything
    result = CliRunner().invoke(
        cli, ["summarize", *paths, "--batch", "--max-cost", str(limit), "-q", "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert len(fake.batches.jobs) == 1 and len(result.stdout.splitlines()) == len(paths)
