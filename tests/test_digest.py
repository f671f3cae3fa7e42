from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import briefer
from briefer.cache import Cache
from briefer.cli import cli
from briefer.digests.synthesis import CrossIndex, from_draft
from briefer.events import CallsMade, Event, Progressed
from briefer.progress import Progress
from briefer.schema import Digest, SynthesisDraft, digest_json_schema
from briefer.settings import Settings

from .conftest import DIGEST_DAY, FEEDS
from .fake_openai import FakeOpenAI, Reply

INPUTS = [str(DIGEST_DAY), str(FEEDS / "evening-wire.xml")]
DAY = "2026-11-26"
# In the window: 5 files of the folder and 2 feed items; one file is a re-run of another.
READ, UNIQUE = 7, 6


def _synthesis_request(request: dict[str, Any]) -> bool:
    return any("<<<BRIEFINGS" in (m["content"] or "") for m in request["messages"])


def _quotes(digest: Digest) -> list[str]:
    return [e.quote for a in digest.articles for p in a.briefing.positions for e in p.evidence]


def test_offline_digest_of_a_day_folds_duplicates_skips_other_days_and_groups_stories() -> None:
    digest = briefer.digest(INPUTS, date=DAY, engine="extractive")
    assert digest.date == DAY and digest.title == f"Digest — {DAY}"
    assert digest.usage.engine == "extractive" and digest.usage.calls == 0
    assert digest.skipped.outside_window == 2
    assert digest.skipped.duplicates == 1
    assert digest.usage.articles_read == READ and len(digest.articles) == UNIQUE
    assert not digest.failures

    [rerun] = [a for a in digest.articles if len(a.sources) > 1]
    assert {s.outlet for s in rerun.sources} == {"The Northern Ledger", "Nordic Wire"}
    assert rerun.sources[0].outlet == "The Northern Ledger"  # the fuller text is briefed

    ids = {a.id for a in digest.articles}
    by_story = {s.id: s for s in digest.stories}
    assert all(a.story in by_story and a.id in by_story[a.story].articles for a in digest.articles)
    titles = {a.id: a.sources[0].title or "" for a in digest.articles}
    grouped = [sorted(titles[i][:12] for i in s.articles) for s in digest.stories]
    assert sorted(["Minister sig", "Water tariff"]) in grouped
    assert sorted(["Fishermen we", "Karsvik coun"]) in grouped
    importances = [s.importance for s in digest.stories]
    assert importances == sorted(importances, reverse=True)

    assert digest.top_lines and all(set(t.articles) <= ids for t in digest.top_lines)
    assert digest.open_issues and all(set(i.articles) <= ids for i in digest.open_issues)
    kral = next(a for a in digest.actors if a.name == "Tomas Kral")
    assert len(kral.articles) == 2
    assert kral.contradictions and set(kral.contradictions[0].articles) == set(kral.articles)


def test_digest_json_follows_the_digest_schema() -> None:
    digest = briefer.digest(INPUTS, date=DAY, engine="extractive")
    jsonschema.validate(json.loads(digest.model_dump_json()), digest_json_schema())


def test_llm_digest_briefs_each_story_once_then_synthesises_from_the_briefings(
    fake: FakeOpenAI,
) -> None:
    digest = briefer.digest(INPUTS, date=DAY)
    synthesis_requests = [r for r in fake.requests if _synthesis_request(r)]
    # One call per article, the editor's pass, the synthesis.
    assert len(fake.requests) == UNIQUE + 2 and len(synthesis_requests) == 1
    assert digest.usage.calls == UNIQUE + 2 and digest.usage.engine == "llm"

    synthesis_prompt = synthesis_requests[0]["messages"][-1]["content"]
    # Briefings go in, not the raw articles: a sentence no briefing carries is absent.
    assert "[A1]" in synthesis_prompt and "[A6]" in synthesis_prompt
    assert "The association represents about 300 boats." not in synthesis_prompt
    assert "<<<ARTICLE" not in synthesis_prompt

    ids = [a.id for a in digest.articles]
    assert [t.articles for t in digest.top_lines] == [[i] for i in ids[:5]]
    assert digest.top_lines[0].line == digest.articles[0].briefing.headline[:80]
    assert digest.open_issues[0].articles == ids


def test_a_rerun_sends_nothing_and_gives_the_same_digest(fake: FakeOpenAI) -> None:
    first = briefer.digest(INPUTS, date=DAY)
    sent = len(fake.requests)
    second = briefer.digest(INPUTS, date=DAY)
    assert len(fake.requests) == sent
    assert second.usage.calls == 0 and second.usage.cached_calls == UNIQUE + 2
    assert _without_costs(second) == _without_costs(first)


def _without_costs(digest: Digest) -> dict[str, Any]:
    data = digest.model_dump(exclude={"usage"})
    for article in data["articles"]:
        del article["briefing"]["engine"]
    if data["changes"]:
        del data["changes"]["started"]  # the first run started the history, the rerun found it
    return data


def test_identical_input_gives_identical_requests(fake: FakeOpenAI) -> None:
    briefer.digest(INPUTS, date=DAY, use_cache=False)
    first = sorted(json.dumps(r["messages"]) for r in fake.requests)
    fake.requests.clear()
    briefer.digest(list(reversed(INPUTS)), date=DAY, use_cache=False, concurrency=2)
    assert sorted(json.dumps(r["messages"]) for r in fake.requests) == first


def test_a_failed_synthesis_falls_back_to_the_offline_one_and_is_listed(fake: FakeOpenAI) -> None:
    fake.responder = lambda r: Reply(status=403) if _synthesis_request(r) else None
    digest = briefer.digest(INPUTS, date=DAY)
    assert [f.source for f in digest.failures] == ["synthesis"]
    assert "HTTP 403" in digest.failures[0].reason
    assert digest.top_lines and len(digest.articles) == UNIQUE
    assert any("offline" in w for w in digest.warnings)


def test_model_synthesis_is_checked_against_the_briefings() -> None:
    digest = briefer.digest(INPUTS, date=DAY, engine="extractive")
    index = CrossIndex(digest.articles)
    draft = SynthesisDraft.model_validate(
        {
            "top_lines": [{"line": "A line.", "articles": ["A1", "[A2]", "A99"]}],
            "contradictions": [
                {"actor": "Kral", "articles": ["A1", "A2"], "note": "Differs."},
                {"actor": "Nobody Known", "articles": ["A1", "A2"], "note": "Invented."},
            ],
            "open_issues": [{"issue": "Open.", "stakeholders": ["Ferrer"], "articles": ["a3"]}],
        }
    )
    result = from_draft(draft, digest.articles, index)
    ids = [a.id for a in digest.articles]
    assert result.top_lines[0].articles == ids[:2]
    assert any("'A99'" in w for w in result.warnings)
    assert any("Nobody Known" in w for w in result.warnings)
    kral = next(a for a in result.actors if a.name == "Tomas Kral")
    assert Contradiction_notes(kral) == ["Differs."]
    assert result.open_issues[0].stakeholders == ["Luisa Ferrer"]
    assert result.open_issues[0].articles == [ids[2]]


def Contradiction_notes(actor: Any) -> list[str]:  # noqa: N802
    return [c.note for c in actor.contradictions]


def test_inputs_that_fail_are_listed_and_the_rest_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.txt").write_text((DIGEST_DAY / "tariff-bill-second-reading.txt").read_text())
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (folder / "empty.md").write_text("   \n")
    out = tmp_path / "digest.md"
    result = CliRunner().invoke(
        cli, ["digest", str(folder), str(tmp_path / "missing.xml"), "-o", str(out)]
    )
    assert result.exit_code == 1
    text = out.read_text()
    assert "Water tariff bill clears first hurdle" in text
    assert "## Not briefed" in text
    for name in ("image.txt", "empty.md", "missing.xml"):
        assert name in text
        assert name in result.stderr
    assert "Traceback" not in result.output


def test_cli_writes_html_and_json_and_reports_on_stderr(tmp_path: Path) -> None:
    page = tmp_path / "digest.html"
    runner = CliRunner()
    result = runner.invoke(cli, ["digest", *INPUTS, "--date", DAY, "-f", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_text().startswith("<!doctype html>")
    assert "offline extractive engine" in result.stderr
    assert f"digest: {DAY} · 6 articles in" in result.stderr
    assert "briefing " not in result.stderr  # no progress line when stderr is not a terminal
    result = runner.invoke(cli, ["digest", *INPUTS, "--since", "2026-11-26T16:00", "-f", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    # Since 16:00 the feed's 17:40 item is in, its 15:05 item out; files know only the day.
    assert data["skipped"]["outside_window"] == 3


def test_cli_rejects_a_bad_date_as_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["digest", *INPUTS, "--date", "the day before"])
    assert result.exit_code == 2
    assert "is not a date" in result.stderr and "Traceback" not in result.output


def test_progress_is_reported_with_counts_and_tokens(fake: FakeOpenAI) -> None:
    seen: list[briefer.Progress] = []
    briefer.digest(INPUTS, date=DAY, on_progress=seen.append)
    assert seen[0].done == 0 and seen[0].total == UNIQUE
    assert seen[-1].done == UNIQUE and seen[-1].failed == 0 and seen[-1].tokens > 0
    seen.clear()
    briefer.digest(INPUTS, date=DAY, on_progress=seen.append)
    assert seen[-1].cached == UNIQUE


def test_progress_line_draws_only_on_a_terminal() -> None:
    import io

    from briefer.cli.progress_line import ProgressLine

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        line = ProgressLine(stream)
        line(briefer.Progress(total=50, done=12, failed=1, cached=3, tokens=45210))
        line.close()
    assert "briefing 12/50 · 1 failed · 3 cached · 45,210 tokens" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")
    assert pipe.getvalue() == ""


def test_a_killed_digest_resumes_and_resends_only_unfinished_calls(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(12):
        (folder / f"story-{n:02}.txt").write_text(
            f"Story {n}\n\nThe council of town {n} met on Monday. "
            f"Mayor Anna Berg{n} said the budget for district {n} would rise by {n} percent. "
            f"Residents of district {n} asked whether the rise would cover the new school."
        )
    fake.latency = 0.3
    env = {**os.environ, "BRIEFER_CONCURRENCY": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefer", "digest", str(folder), "-q", "-o", str(tmp_path / "d")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    cache_path = Settings.load().cache_path

    def stored() -> int:
        return Cache(cache_path).info().entries if cache_path.exists() else 0

    # Killed mid-run: some replies stored (a reply is stored a moment after it arrives),
    # others still in flight.
    while (len(fake.requests) < 5 or stored() < 3) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (tmp_path / "d").exists()
    saved = Cache(Settings.load().cache_path).info().entries
    assert 3 <= saved < 12
    fake.requests.clear()
    fake.latency = 0.0
    digest = briefer.digest([str(folder)])
    assert len(fake.requests) == 12 + 2 - saved
    assert digest.usage.cached_calls == saved and len(digest.articles) == 12


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_an_empty_day_still_renders(fmt: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["digest", str(DIGEST_DAY), "--date", "2001-01-01", "-f", fmt])
    assert result.exit_code == 0
    assert "outside the date window" in result.stderr


def test_the_synthesis_prompt_keeps_the_most_important_briefings_within_its_budget() -> None:
    from briefer.digests.synthesis import render_briefings

    digest = briefer.digest(INPUTS, date=DAY, engine="extractive")

    def count(text: str) -> int:
        return len(text.split())

    everything, total = render_briefings(digest.articles, digest.stories, count, 10**6)
    assert total == UNIQUE
    first_story = digest.stories[0].articles
    budget = count(everything) // 2
    text, included = render_briefings(digest.articles, digest.stories, count, budget)
    assert 0 < included < UNIQUE and count(text) <= budget
    assert text.startswith("[A1] ") and digest.articles[0].id == first_story[0]


def test_a_digest_reports_its_model_calls_as_they_finish(fake: FakeOpenAI) -> None:
    events: list[Event] = []
    progress: list[Progress] = []
    digest = briefer.digest([str(DIGEST_DAY)], on_event=events.append, on_progress=progress.append)
    seen = [(e.done, e.planned) for e in events if isinstance(e, CallsMade)]
    assert seen and seen[-1][0] == seen[-1][1] >= len(digest.articles)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    # One stream: the progress `on_progress=` hears is the progress the events carry.
    assert progress == [e.progress for e in events if isinstance(e, Progressed)]
    assert progress[-1].done == progress[-1].total == len(digest.articles)


def test_a_cut_says_so_in_the_digest_and_on_stderr_even_when_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefer.digests import collect

    monkeypatch.setattr(collect, "MAX_ARTICLES", 4)
    result = CliRunner().invoke(cli, ["digest", str(DIGEST_DAY), "-q", "--no-history"])
    assert result.exit_code == 0, result.output
    assert "2 more entries were not read: a digest reads at most 4 articles" in result.stdout
    assert result.stderr.count("2 more entries were not read") == 1
