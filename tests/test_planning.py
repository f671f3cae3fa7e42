"""Plans and prices: --price, and a model served on this machine costs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import briefer
from briefer.cli import cli
from briefer.errors import ConfigError
from briefer.settings import Settings

from .fake_openai import FakeOpenAI


def _plan(seed_article: Path, **options) -> briefer.Plan:
    (row,) = briefer.plan([seed_article], **options)
    assert isinstance(row, briefer.Plan)
    return row


def test_an_unpriced_model_on_a_remote_server_has_no_price(seed_article: Path) -> None:
    row = _plan(seed_article, model="mystery-7b", base_url="http://gpu.example:8000/v1")
    assert row.engine == "llm" and row.max_cost_usd is None


def test_a_named_price_prices_it(seed_article: Path) -> None:
    row = _plan(
        seed_article, model="mystery-7b", base_url="http://gpu.example:8000/v1", price="1/2"
    )
    expected = (row.prompt_tokens * 1.0 + 4096 * 2.0) / 1e6
    assert row.max_cost_usd == pytest.approx(expected)


def test_an_unpriced_model_on_this_machine_costs_nothing(seed_article: Path) -> None:
    row = _plan(seed_article, model="smollm2", base_url="http://127.0.0.1:8765/v1")
    assert row.max_cost_usd == 0.0


def test_a_priced_model_behind_a_local_proxy_keeps_its_price(seed_article: Path) -> None:
    row = _plan(seed_article, model="gpt-4o", base_url="http://localhost:4000/v1")
    assert row.max_cost_usd is not None and row.max_cost_usd > 0


def test_max_cost_runs_against_a_local_server(fake: FakeOpenAI, seed_article: Path) -> None:
    result = CliRunner().invoke(
        cli, ["summarize", str(seed_article), "-m", "smollm2", "--max-cost", "0.01", "-q"]
    )
    assert result.exit_code == 0, result.stderr
    assert fake.requests


def test_max_cost_refusal_names_the_price_option(seed_article: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "summarize",
            str(seed_article),
            "-m",
            "mystery-7b",
            "--base-url",
            "http://gpu.example/v1",
            "--max-cost",
            "1",
        ],
    )
    assert result.exit_code == 2 and "--price IN/OUT" in result.stderr


def test_price_comes_from_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('price = "0.5/1.5"\n')
    assert Settings.load().price_per_million == (0.5, 1.5)
    with pytest.raises(ConfigError, match="price"):
        Settings.load(price="cheap")
