"""`briefer logs`: what the cache holds, newest first, by input and model; never a key."""

from __future__ import annotations

import re
import time
from pathlib import Path

from click.testing import CliRunner

from briefer.cli import cli

from .conftest import EXAMPLES
from .fake_openai import FakeOpenAI


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_logs_show_requests_and_replies_newest_first(fake: FakeOpenAI, seed_article: Path) -> None:
    other = EXAMPLES / "port-expansion-vote.md"
    assert invoke("summarize", str(seed_article), "-q").exit_code == 0
    time.sleep(0.01)
    assert invoke("summarize", str(other), "-q", "-m", "gpt-4o").exit_code == 0
    result = invoke("logs", "-v")
    assert result.exit_code == 0, result.output
    headers = [line for line in result.stdout.splitlines() if line.startswith("model: ")]
    assert [h.split(" · ")[0] for h in headers] == ["model: gpt-4o", "model: gpt-4o-mini"]
    assert "prompt," in headers[0] and " s" in headers[0]
    assert "### request" in result.stdout and "[system]" in result.stdout
    assert '"headline"' in result.stdout
    assert "sk-test-secret" not in result.stdout


def test_logs_filter_by_input_and_model(fake: FakeOpenAI, seed_article: Path) -> None:
    other = EXAMPLES / "port-expansion-vote.md"
    invoke("summarize", str(seed_article), "-q")
    invoke("summarize", str(other), "-q", "-m", "gpt-4o")
    by_input = invoke("logs", "-i", str(seed_article), "-v")
    assert _entries(by_input.stdout) == 1 and "model: gpt-4o-mini" in by_input.stdout
    by_model = invoke("logs", "-m", "gpt-4o", "-v")
    assert _entries(by_model.stdout) == 1 and "model: gpt-4o ·" in by_model.stdout


def test_logs_with_an_empty_cache() -> None:
    result = invoke("logs")
    assert result.exit_code == 0 and "no requests" in result.stdout


def _entries(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("## "))


def test_a_logged_call_s_time_leaves_out_waits_for_retries(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    from .fake_openai import Reply

    fake.enqueue(Reply(status=429, headers={"retry-after": "1.5"}))
    started = time.monotonic()
    assert invoke("summarize", str(seed_article), "-q").exit_code == 0
    assert time.monotonic() - started >= 1.5
    logged = invoke("logs", "-v").stdout
    [seconds] = re.findall(r" · ([0-9.]+) s\b", logged)
    assert float(seconds) < 1.0


def test_a_forced_structured_mode_is_not_answered_from_another_mode_s_reply(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    assert invoke("summarize", str(seed_article), "-q").exit_code == 0
    assert invoke("summarize", str(seed_article), "-q", "--structured", "tool").exit_code == 0
    assert len(fake.requests) == 2 and "tools" in fake.requests[1]
    assert invoke("summarize", str(seed_article), "-q", "--structured", "tool").exit_code == 0
    assert len(fake.requests) == 2  # the tool reply is cached under its own key
