"""The command group: help text, --debug anywhere, Ctrl-C, the engine notice's place."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from briefer.cli import cli
from briefer.cli.app import debug_first
from briefer.errors import InputError

from .conftest import DIGEST_DAY
from .fake_openai import FakeOpenAI


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_help_lists_each_command_by_its_whole_first_sentence() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    commands = result.output.split("Commands:", 1)[1]
    assert "..." not in commands
    # The digest command's first sentence, wrapped but whole.
    assert " ".join(commands.split()).count("with every source cited.") == 1


def test_subgroup_help_lists_whole_sentences() -> None:
    result = invoke("cache", "--help")
    assert result.exit_code == 0 and "Commands:" in result.output
    assert "..." not in result.output.split("Commands:", 1)[1]


def test_debug_is_accepted_after_the_subcommand(tmp_path: Path, monkeypatch) -> None:
    from briefer import api

    def fail(*args, **kwargs):
        raise InputError("x", "boom")

    monkeypatch.setattr(api, "plan", fail)
    result = invoke("summarize", str(tmp_path / "a.txt"), "--dry-run", "--debug")
    assert "No such option" not in result.output
    # --debug re-raises instead of printing one line.
    assert isinstance(result.exception, InputError)


def test_debug_first_leaves_arguments_after_double_dash() -> None:
    assert debug_first(["summarize", "--", "--debug"]) == ["summarize", "--", "--debug"]
    assert debug_first(["summarize", "a", "--debug"]) == ["--debug", "summarize", "a"]


def test_offline_notice_is_not_printed_before_no_such_file(tmp_path: Path) -> None:
    result = invoke("summarize", str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr
    assert "extractive engine" not in result.stderr


def test_offline_notice_is_printed_once_an_article_was_briefed(seed_article: Path) -> None:
    result = invoke("summarize", str(seed_article))
    assert result.exit_code == 0
    assert result.stderr.count("using the offline extractive engine") == 1


def test_digest_offline_notice_waits_for_an_article(tmp_path: Path) -> None:
    result = invoke("digest", str(tmp_path / "missing"))
    assert result.exit_code == 1 and "no such file" in result.stderr
    assert "extractive engine" not in result.stderr
    result = invoke("digest", str(DIGEST_DAY), "--date", "2026-11-26")
    assert result.stderr.count("using the offline extractive engine") == 1


def test_digest_overview_counts_in_words() -> None:
    from briefer.render.digest_markdown import counted

    assert counted(1, "duplicate") == "1 duplicate"
    assert counted(2, "duplicate") == "2 duplicates"
    assert counted(1, "story") == "1 story"
    assert counted(3, "story") == "3 stories"
    result = invoke("digest", str(DIGEST_DAY), "--date", "2026-11-26", "-q", "--no-history")
    assert result.exit_code == 0, result.output
    assert "· 1 duplicate folded in ·" in result.stdout and "1 duplicates" not in result.output


def test_ctrl_c_exits_130_and_says_rerunning_resumes(fake: FakeOpenAI, seed_article: Path) -> None:
    fake.latency = 30.0
    process = subprocess.Popen(
        [sys.executable, "-m", "briefer", "summarize", str(seed_article)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    # Wait until the request is in flight, then press Ctrl-C.
    deadline = time.monotonic() + 20
    while not fake.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "Rerun the same command to resume" in stderr
    assert "Traceback" not in stderr


def test_options_only_a_model_uses_are_named_when_offline(seed_article: Path) -> None:
    result = invoke("summarize", str(seed_article), "--temperature", "0.7", "--batch", "-q")
    assert result.exit_code == 0
    assert (
        "briefer: --batch, --temperature apply to a model; the offline extractive engine"
        " ignores them." in result.stderr
    )
    assert "apply to a model" not in invoke("summarize", str(seed_article)).stderr


def test_ctrl_c_offline_does_not_promise_a_cache(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    devset = Path(__file__).resolve().parents[2] / "shared" / "devset" / "articles"
    sources = sorted((devset if devset.is_dir() else DIGEST_DAY).glob("*.txt"))
    texts = [s.read_text(encoding="utf-8") for s in sources]
    # Pairs of different articles: many distinct, long texts (no near-duplicates to fold).
    for i, first in enumerate(texts):
        for j, second in enumerate(texts[i + 1 :], i + 1):
            (folder / f"{i:02}-{j:02}.txt").write_text(f"Pair {i} {j}\n\n{first}\n\n{second}")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefer", "digest", str(folder), "--no-history"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    # Past the imports and into the briefing (some 240 articles take far longer than this).
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Interrupted. Nothing was written for the unfinished inputs." in stderr
    assert "cache" not in stderr and "Traceback" not in stderr
