"""Which engine a run uses, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import briefer
from briefer.cli import cli
from briefer.errors import ConfigError


def test_a_named_model_without_key_or_base_url_is_refused_in_python(seed_article: Path) -> None:
    with pytest.raises(ConfigError, match="'gpt-4o' was asked for"):
        briefer.summarize(seed_article, model="gpt-4o")


def test_a_named_model_without_key_or_base_url_is_refused_on_the_command_line(
    seed_article: Path,
) -> None:
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-m", "gpt-4o"])
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.stderr and "--engine extractive" in result.stderr


def test_a_model_named_in_the_environment_counts_too(seed_article: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFER_MODEL", "llama3.1")
    with pytest.raises(ConfigError):
        briefer.summarize(seed_article)


def test_without_a_named_model_the_offline_engine_still_runs(seed_article: Path) -> None:
    assert briefer.summarize(seed_article).engine.name == "extractive"
    named = briefer.summarize(seed_article, model="gpt-4o", engine="extractive")
    assert named.engine.name == "extractive"
