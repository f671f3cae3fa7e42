"""A valid but empty reply on an article full of quotes is flagged, not passed off."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import briefer
from briefer.briefing.thin import direct_quotes
from briefer.cli import cli
from briefer.events import Event, Warned

from .fake_openai import FakeOpenAI, Reply

EMPTY = {
    "headline": "Nothing much",
    "summary": "The article says little.",
    "actors": [],
    "positions": [],
    "open_issues": [],
    "key_facts": [],
}


def test_an_empty_reply_is_warned_about_in_the_briefing_and_on_stderr(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    assert direct_quotes(seed_article.read_text()) >= 2
    fake.enqueue(Reply(content=EMPTY))
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-f", "json"])
    assert result.exit_code == 0
    (warning,) = [w for w in json.loads(result.stdout)["warnings"] if "valid but empty" in w]
    assert "no actors and no positions" in warning
    assert "larger model" in warning and "--engine extractive" in warning
    assert "valid but empty" in result.stderr


def test_a_script_hears_an_empty_reply_as_a_warning_of_its_kind(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    fake.enqueue(Reply(content=EMPTY))
    events: list[Event] = []
    [outcome] = briefer.summarize_many([seed_article], on_event=events.append)
    assert outcome.briefing is not None
    [warned] = [e for e in events if isinstance(e, Warned)]
    assert warned.kind == "thin-reply" and warned.source == str(seed_article)
    assert warned.message in outcome.briefing.warnings
    # A full reply is no warning at all.
    events.clear()
    briefer.summarize(seed_article, on_event=events.append, use_cache=False)
    assert [e for e in events if isinstance(e, Warned)] == []


def test_a_full_reply_or_an_article_without_quotes_is_not_flagged(
    fake: FakeOpenAI, seed_article: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["positions"] and result.stderr == ""
    assert "valid but empty" not in result.stdout + result.stderr
    plain = tmp_path / "plain.txt"
    plain.write_text("The council met on Tuesday. It approved the budget for next year.\n")
    fake.enqueue(Reply(content=EMPTY))
    result = CliRunner().invoke(cli, ["summarize", str(plain), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warnings"] == [] and result.stderr == ""
