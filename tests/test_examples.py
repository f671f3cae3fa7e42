"""The committed example outputs are what the offline engine writes today.

They drift whenever the engine or a renderer changes; this test fails then. To regenerate them:
`UPDATE_EXAMPLES=1 python -m pytest tests/test_examples.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefer.cli import cli

ROOT = Path(__file__).parent.parent
OUTPUT = ROOT / "examples" / "output"
ARTICLES = sorted(p.name for p in (ROOT / "examples" / "articles").iterdir())
DIGEST = [
    "digest",
    "examples/digest",
    "examples/feeds/evening-wire.xml",
    "--date",
    "2026-11-26",
    "--no-history",
    "-q",
]


@pytest.fixture(autouse=True)
def from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # The outputs name their inputs by the relative paths the README's commands use.
    monkeypatch.chdir(ROOT)


def _recorded_pipeline() -> str:
    recorded = json.loads((OUTPUT / "azerbaijan-nato.extractive.json").read_text())
    return str(recorded["engine"]["model"])


def _check(name: str, args: list[str]) -> None:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = OUTPUT / name
    if os.environ.get("UPDATE_EXAMPLES"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8"), f"{path} has drifted"


@pytest.fixture
def same_pipeline() -> None:
    """Skip where another spaCy pipeline (or none) would write other briefings."""
    result = CliRunner().invoke(
        cli, ["summarize", "examples/articles/azerbaijan-nato.txt", "-q", "-f", "json"]
    )
    used = json.loads(result.stdout)["engine"]["model"]
    if used != _recorded_pipeline():
        pytest.skip(f"the examples were written with {_recorded_pipeline()}, not {used}")


@pytest.mark.parametrize("article", [a for a in ARTICLES if not a.endswith(".html")])
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_a_briefing_example_is_current(article: str, fmt: str, same_pipeline: None) -> None:
    stem = Path(article).stem
    _check(
        f"{stem}.extractive.{fmt}", ["summarize", f"examples/articles/{article}", "-q", "-f", fmt]
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_digest_example_is_current(fmt: str, same_pipeline: None) -> None:
    _check(f"digest-2026-11-26.extractive.{fmt}", [*DIGEST, "-f", fmt])
