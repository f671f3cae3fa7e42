"""--dry-run prices a job before there is a key, and plans only what the cache lacks."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefer.cli import cli

from .conftest import DIGEST_DAY, EXAMPLES
from .fake_openai import FakeOpenAI

LONG = EXAMPLES / "river-accord-special-report.txt"
SMALL_WINDOW = ("--context-window", "4096", "--max-output-tokens", "1000")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_dry_run_prices_a_named_model_without_a_key(seed_article: Path) -> None:
    result = invoke("summarize", str(seed_article), "-m", "gpt-4o", "--dry-run")
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if "azerbaijan" in line)
    assert row.split()[1] == "llm" and "$0.0000" not in row
    assert "1 call(s) to send" in result.stdout


def test_dry_run_of_a_digest_without_a_key(seed_article: Path) -> None:
    result = invoke("digest", str(DIGEST_DAY), "--date", "2026-11-26", "-m", "gpt-4o", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert " llm " in result.stdout


def test_dry_run_after_a_run_plans_nothing_to_send(fake: FakeOpenAI, seed_article: Path) -> None:
    assert invoke("summarize", str(seed_article), str(LONG), "-q", *SMALL_WINDOW).exit_code == 0
    result = invoke("summarize", str(seed_article), str(LONG), "--dry-run", *SMALL_WINDOW)
    assert result.exit_code == 0, result.stderr
    assert "sync:  0 call(s) to send, 0 prompt tokens, cost at most $0.0000" in result.stdout
    assert "batch: 0 map call(s) in Batch API jobs + 0 sent directly" in result.stdout
    long_row = next(line for line in result.stdout.splitlines() if "river-accord" in line)
    chunks, calls, cached = long_row.split()[3:6]
    assert int(chunks) > 1 and calls == cached  # the consolidation call is cached too


def test_the_plan_table_keeps_a_long_path_s_start_and_file_name(
    seed_article: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "a-rather-long-folder-name" / "and-another-level-below-it"
    folder.mkdir(parents=True)
    article = folder / "azerbaijan-nato-membership.txt"
    article.write_text(seed_article.read_text())
    result = CliRunner().invoke(cli, ["summarize", str(article), "--dry-run", "-m", "gpt-4o"])
    assert result.exit_code == 0, result.output
    row = result.stdout.splitlines()[1]
    name = row.split(" llm ")[0].rstrip()
    assert name.startswith(str(article)[:6]) and name.endswith("azerbaijan-nato-membership.txt")
    assert "…" in name and len(name) == 38
