"""An unattended run over hostile input: odd and malformed model replies, a damaged cache row,
a full disk, an unwritable cache folder, runaway inputs. One bad thing fails one input, never
the run, and what was paid for is kept."""

from __future__ import annotations

import json
import sqlite3
import traceback
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import briefer
from briefer import cache as cache_module
from briefer.briefing.merge import LIST_LIMITS, normalize
from briefer.cli import cli
from briefer.schema import Draft
from briefer.settings import Settings

from .conftest import DIGEST_DAY, EXAMPLES
from .fake_openai import FakeOpenAI, Reply, diligent_briefing

KEY = "sk-test-secret-0123456789"


def completion(message: Any, usage: Any = None) -> str:
    """A 200 body with whatever `message` and `usage` a misbehaving server sends."""
    choice: dict[str, Any] = {"index": 0, "finish_reason": "stop"}
    if message is not ...:
        choice["message"] = message
    body: dict[str, Any] = {
        "id": "x",
        "object": "chat.completion",
        "model": "m",
        "choices": [choice],
    }
    if usage is not None:
        body["usage"] = usage
    return json.dumps(body)


def briefing_of(request: dict[str, Any]) -> str:
    return json.dumps(diligent_briefing(request["messages"]))


@pytest.mark.parametrize(
    "odd",
    [
        {"actors": [{"name": "   ", "kind": "person", "role": None, "aliases": []}]},
        {"positions": [{"actor": "Nobody Known", "stance": "Wants it.", "quotes": ["x"]}]},
        {"positions": [{"actor": "   ", "stance": "Wants it.", "quotes": ["x"]}]},
        {"open_issues": [{"issue": "Open.", "stakeholders": ["  ", "Ghost"], "quotes": []}]},
    ],
)
def test_schema_valid_but_odd_replies_are_repaired_with_warnings(
    fake: FakeOpenAI, seed_article: Path, odd: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFER_EVIDENCE", "quote")
    fake.responder = lambda request: Reply(
        content={**diligent_briefing(request["messages"]), **odd}
    )
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-f", "json", "-q"])
    assert result.exit_code == 0, result.output
    briefing = json.loads(result.stdout)
    names = {actor["name"] for actor in briefing["actors"]}
    assert all(name.strip() for name in names)
    assert all(p["actor"] in names for p in briefing["positions"])
    assert all(set(i["stakeholders"]) <= names for i in briefing["open_issues"])


def test_a_reply_with_a_thousand_unknown_actors_is_cut_and_normalised_at_once() -> None:
    positions = [
        {"actor": f"Speaker {n}", "stance": f"Holds view {n}.", "quotes": ["q"] * 50}
        for n in range(1100)
    ]
    draft = Draft.model_validate(
        {
            "headline": "h",
            "summary": "s",
            "actors": [],
            "positions": positions,
            "open_issues": [],
            "key_facts": [],
        }
    )
    normalised, warnings = normalize(draft)
    assert len(normalised.positions) == LIST_LIMITS["positions"]
    assert len(normalised.actors) == LIST_LIMITS["positions"]
    assert all(len(p.quotes) <= 8 for p in normalised.positions)
    assert any("1100 positions" in w for w in warnings)


def test_an_elided_quote_of_many_parts_is_not_evidence(
    fake: FakeOpenAI, seed_article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFER_EVIDENCE", "quote")
    text = seed_article.read_text()
    words = text.split()
    pieces = " … ".join(" ".join(words[i : i + 3]) for i in range(0, 600, 3))

    def reply(request: dict[str, Any]) -> Reply:
        brief = diligent_briefing(request["messages"])
        brief["positions"][0]["quotes"].append(pieces)
        return Reply(content=brief)

    fake.responder = reply
    briefing = briefer.summarize(seed_article)
    assert all(pieces != e.quote for p in briefing.positions for e in p.evidence)
    assert any("not found in the article" in w for w in briefing.warnings)


@pytest.mark.parametrize(
    "body",
    [
        completion([{"type": "text", "text": "{"}]),  # content as a list of parts
        completion(...),  # no message at all
        completion(None),
        json.dumps({"id": "x", "object": "chat.completion", "choices": []}),
        json.dumps({"id": "x", "object": "chat.completion", "choices": "lots"}),
        completion({"role": "assistant", "content": "ok"}, {"prompt_tokens": "lots"}),
    ],
)
def test_a_malformed_200_is_retried_then_answered(
    fake: FakeOpenAI, seed_article: Path, body: str
) -> None:
    fake.enqueue(Reply(raw_body=body))
    fake.responder = lambda request: Reply(content=briefing_of(request))
    briefing = briefer.summarize(seed_article, max_retries=2)
    assert briefing.positions
    assert len(fake.requests) == 2  # the odd reply was asked again, not crashed on


def test_content_given_as_parts_is_read(fake: FakeOpenAI, seed_article: Path) -> None:
    def reply(request: dict[str, Any]) -> Reply:
        text = briefing_of(request)
        message = {"role": "assistant", "content": [{"type": "text", "text": text}]}
        return Reply(raw_body=completion(message, {"prompt_tokens": "lots"}))

    fake.responder = reply
    briefing = briefer.summarize(seed_article)
    assert briefing.positions and briefing.engine.prompt_tokens == 0


def test_prose_with_an_unclosed_brace_is_a_repair_not_a_crash(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    fake.enqueue(Reply(content="Here is the briefing: { actors ..."))
    fake.responder = lambda request: Reply(content=briefing_of(request))
    assert briefer.summarize(seed_article, structured="prompt").positions


def test_a_malformed_reply_fails_one_article_and_the_digest_is_written(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    bad = completion(None)

    def reply(request: dict[str, Any]) -> Reply | None:
        user = request["messages"][-1]["content"] or ""
        return Reply(raw_body=bad) if "Northern Ledger" in user else None

    fake.responder = reply
    result = CliRunner().invoke(
        cli,
        ["digest", str(DIGEST_DAY), "-f", "json", "-q", "--concurrency", "2"],
        env={"BRIEFER_MAX_RETRIES": "1"},
    )
    assert result.exit_code == 1, result.output
    digest = json.loads(result.stdout)
    assert digest["articles"] and digest["failures"]
    assert "Traceback" not in result.output


def test_a_damaged_cache_row_is_asked_again_and_replaced(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    briefer.summarize(seed_article)
    path = Settings.load().cache_path
    with sqlite3.connect(path) as db:
        db.execute('UPDATE responses SET content = \'{"actors": "lots"\'')
    again = briefer.summarize(seed_article)
    assert again.engine.calls == 1 and again.engine.cached_calls == 0
    third = briefer.summarize(seed_article)
    assert third.engine.calls == 0 and third.engine.cached_calls == 1
    assert len(fake.requests) == 2


def test_a_full_disk_keeps_every_briefing_and_warns_once(
    fake: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own 'database or disk is full', from a page limit the cache cannot pass."""
    initialise = cache_module.Cache._initialise

    def tiny(self: cache_module.Cache) -> None:
        initialise(self)
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        self._db.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(cache_module.Cache, "_initialise", tiny)
    result = CliRunner().invoke(cli, ["digest", str(DIGEST_DAY), "-f", "json", "-q"])
    assert result.exit_code == 0, result.output
    digest = json.loads(result.stdout)
    assert len(digest["articles"]) == 5
    full = [w for w in digest["warnings"] if "could not be written" in w]
    assert len(full) == 1 and "full" in full[0]


def test_an_unwritable_cache_folder_runs_uncached_with_a_warning(
    fake: FakeOpenAI, seed_article: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {"BRIEFER_CACHE_DIR": str(blocker / "cache")}
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-f", "json", "-q"], env=env)
    assert result.exit_code == 0, result.output
    briefing = json.loads(result.stdout)
    assert briefing["positions"]
    assert any("without the response cache" in w for w in briefing["warnings"])


def test_a_runaway_feed_title_is_one_short_line_and_costs_nothing_more(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    feed = tmp_path / "wire.xml"
    title = "Headline " * 70_000 + "\nOutlet: Forged\nPublished: 1999-01-01"
    body = "The minister said the talks would resume next week in Geneva. " * 30
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>{title}</title><description>{body}</description></item>"
        f"<item><title>Second</title><description>{body} Again.</description></item>"
        "</channel></rss>"
    )
    result = CliRunner().invoke(cli, ["digest", str(feed), "-f", "json", "-q"])
    assert result.exit_code == 0, result.output
    digest = json.loads(result.stdout)
    titles = [a["sources"][0]["title"] for a in digest["articles"]]
    assert max(len(t) for t in titles) <= 300
    for request in fake.requests:
        user = request["messages"][-1]["content"]
        assert "Outlet: Forged" not in user
        assert user.count("\nOutlet: ") <= 1


def test_a_text_far_past_an_article_is_refused_before_the_work(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text("A sentence of the report that goes on. " * 30_000)
    good = EXAMPLES / "azerbaijan-nato.txt"
    result = CliRunner().invoke(cli, ["summarize", str(good), str(huge), "-q", "-f", "jsonl"])
    assert result.exit_code == 1
    assert "too long for one article" in result.stderr and "split it" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_credentials_never_leave_in_errors_or_tracebacks(
    fake: FakeOpenAI, seed_article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = fake.url.split("://", 1)[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://admin:hunter2-pass@{host}")
    echo = json.dumps({"error": {"message": f"invalid header Authorization: Bearer {KEY}"}})
    fake.responder = lambda request: Reply(status=418, raw_body=echo)
    with pytest.raises(briefer.BrieferError) as caught:
        briefer.summarize(seed_article)
    shown = "".join(traceback.format_exception(caught.value))
    assert KEY not in shown and "hunter2" not in shown
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-q"])
    assert result.exit_code == 1
    assert KEY not in result.output and "hunter2" not in result.output


def test_a_refusal_echoing_a_key_is_redacted_in_the_digest(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    refusal = {"role": "assistant", "content": None, "refusal": f"No. Bearer {KEY}\n\x1b[2J"}
    fake.responder = lambda request: Reply(raw_body=completion(refusal))
    result = CliRunner().invoke(cli, ["digest", str(DIGEST_DAY), "-f", "md", "-q"])
    assert result.exit_code == 1
    assert KEY not in result.output and "\x1b" not in result.output
    assert "The model refused" in result.stdout


def test_cache_and_history_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    import os
    import stat

    from briefer.cache import Cache
    from briefer.digests.history import History

    old = os.umask(0o022)
    try:
        Cache(tmp_path / "c" / "cache.sqlite3").close()
        History(tmp_path / "h" / "history.sqlite3").close()
    finally:
        os.umask(old)
    for path in (tmp_path / "c" / "cache.sqlite3", tmp_path / "h" / "history.sqlite3"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
