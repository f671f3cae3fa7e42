from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import briefer
from briefer.cli import cli
from briefer.digests import changes
from briefer.digests.grouping import lead
from briefer.digests.history import DayRecord, History, IssueRow, PositionRow, StoryRow
from briefer.errors import HistoryError
from briefer.events import Event, Warned
from briefer.schema import Digest
from briefer.text.hearsay import as_reported_by
from briefer.text.names import name_key

from .conftest import DIGEST_DAY, FEEDS
from .fake_openai import FakeOpenAI

INPUTS = [str(DIGEST_DAY), str(FEEDS / "evening-wire.xml")]
DAY = "2026-11-26"
YESTERDAY = "2026-11-25"


def _record(day: str, stories: int = 2) -> DayRecord:
    return DayRecord(
        day=day,
        title=f"Digest — {day}",
        stories=[StoryRow(day, f"Story {n}", [f"text {n}"], day, 1) for n in range(stories)],
        positions=[
            PositionRow(day, "Eva Lind", "eva lind", "Backs the tender", "We back it", None)
        ],
        issues=[IssueRow(day, "Whether the tender reopens", ["Eva Lind"])],
    )


def test_a_day_recorded_again_replaces_the_first_record(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.record(_record(YESTERDAY))
        history.record(_record(DAY, stories=3))
        history.record(_record(DAY, stories=1))
        days = history.days()
        assert [(d.day, d.stories, d.positions, d.issues) for d in days] == [
            (YESTERDAY, 2, 1, 1),
            (DAY, 1, 1, 1),
        ]
        assert history.previous_day(DAY) == YESTERDAY and history.previous_day(YESTERDAY) is None
        assert [p.day for p in history.actor_positions("eva lind")] == [YESTERDAY, DAY]
        assert len(history.actor_positions("lind")) == 2  # a surname finds the full name
        assert history.actor_positions("va lin") == []
        assert history.stories_since(YESTERDAY, DAY)[0].signature == ["text 0"]


@pytest.mark.parametrize("content", [b"garbage" * 2000, b"SQLite format 3\x00" + b"\x07" * 500])
def test_a_damaged_history_file_raises_a_history_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(content)
    with pytest.raises(HistoryError, match="damaged"):
        History(path)


def test_another_programs_database_is_not_taken_for_a_history(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    other.close()
    with pytest.raises(HistoryError, match="another program"):
        History(path)


def test_a_damaged_history_costs_one_warning_and_the_digest_is_still_written(
    tmp_path: Path,
) -> None:
    history = tmp_path / "h.sqlite3"
    history.write_bytes(b"not a database" * 1000)
    out = tmp_path / "digest.md"
    result = CliRunner().invoke(
        cli, ["digest", *INPUTS, "--date", DAY, "--history", str(history), "-q", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1 and str(history) in warnings[0]
    assert out.read_text().startswith(f"# Digest — {DAY}")


def test_a_missing_history_is_started_and_every_story_is_new(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "history.sqlite3"
    digest = briefer.digest(INPUTS, date=DAY, engine="extractive", history_path=path)
    assert path.exists() and digest.changes is not None
    assert digest.changes.previous_day is None and digest.changes.started
    assert digest.changes.history == str(path)
    assert {s.status for s in digest.stories} == {"new"}
    assert {s.first_seen for s in digest.stories} == {DAY}
    assert not digest.warnings


def test_a_started_history_is_one_notice_line(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    args = ["digest", *INPUTS, "--date", DAY, "--history", str(path), "-o", str(tmp_path / "d.md")]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert [line for line in first.stderr.splitlines() if "digest history" in line] == [
        f"briefer: no digest history yet; started one at {path}"
    ]
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert (tmp_path / "d.md").read_text().startswith("# Digest")
    assert "digest history" not in again.stderr


def test_no_history_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    result = CliRunner().invoke(
        cli, ["digest", *INPUTS, "--date", DAY, "--history", str(path), "--no-history", "-q"]
    )
    assert result.exit_code == 0 and not path.exists()
    assert '"changes"' not in result.stdout and "What changed" not in result.stdout


def test_the_title_names_the_day_or_the_range_without_date() -> None:
    digest = briefer.digest(INPUTS, engine="extractive")
    assert digest.title == "Digest — 2026-11-19 to 2026-11-26" and digest.date == DAY


def _today() -> tuple[Digest, dict[str, str]]:
    digest = briefer.digest(INPUTS, date=DAY, engine="extractive", use_history=False)
    texts = {}
    for article in digest.articles:
        path = Path(article.sources[0].path or "")
        if path.is_file():
            texts[article.id] = briefer.readers.sources.Article.from_text(path.read_text()).text
    return digest, texts


def test_stories_continue_positions_change_and_issues_settle() -> None:
    digest, texts = _today()
    kral = next(a for a in digest.actors if a.name == "Tomas Kral")
    stance = next(p for p in kral.positions if "withdraw" in p.stance)
    story = digest.stories[0]
    lead_article = next(a for a in digest.articles if a.id == story.articles[0])
    title = lead_article.sources[0].title or ""
    past = changes.Past(
        previous_day=YESTERDAY,
        stories=[
            StoryRow(
                "2026-11-24",
                "Earlier",
                [f"{title}\n{lead(texts[lead_article.id])}"],
                "2026-11-20",
                1,
            ),
            StoryRow(
                YESTERDAY, "Unrelated", ["Glacier tourism levy on cruise ships"], YESTERDAY, 1
            ),
        ],
        positions=[
            PositionRow(
                YESTERDAY,
                "Tomas Kral",
                name_key("Tomas Kral"),
                stance.stance.replace("would not withdraw", "would withdraw"),
                "We will withdraw the bill.",
                "Minister weighs retreat",
            )
        ],
        issues=[
            IssueRow(YESTERDAY, "Whether Karsvik council approves the container terminal", []),
            IssueRow(YESTERDAY, "Glacier tourism levy on cruise ships remains undecided", []),
            IssueRow(YESTERDAY, "Whether fishermen take the terminal case to court", []),
            IssueRow(YESTERDAY, digest.articles[0].briefing.open_issues[0].issue, []),
        ],
    )
    stories, found = changes.compare(digest, texts, past)
    assert stories[0].status == "continuing" and stories[0].first_seen == "2026-11-20"
    assert found.continuing_stories >= 1 and found.new_stories >= 1
    assert found.new_stories + found.continuing_stories == len(stories)
    [change] = found.positions
    assert change.actor == "Tomas Kral" and change.before.day == YESTERDAY
    assert change.before.quote == "We will withdraw the bill."
    assert change.after.stance == stance.stance and change.after.quote
    assert change.after.article in {a.id for a in digest.articles}
    # An issue still open today is not listed; whatever else the engine left open today,
    # the issue of the other two that no article mentions is "not mentioned".
    listed = {o.issue[:20]: o.status for o in found.issues}
    assert listed["Glacier tourism levy"] == "not mentioned"
    assert digest.articles[0].briefing.open_issues[0].issue[:20] not in listed
    # With nothing left open today, an issue today's articles speak to is settled.
    closed = [
        a.model_copy(update={"briefing": a.briefing.model_copy(update={"open_issues": []})})
        for a in digest.articles
    ]
    settled = digest.model_copy(update={"articles": closed, "open_issues": []})
    _, found = changes.compare(settled, texts, past)
    statuses = {o.issue[:20]: o.status for o in found.issues}
    assert statuses["Whether Karsvik coun"] == "settled"
    assert statuses["Glacier tourism levy"] == "not mentioned"
    # Still discussed, nothing decided: neither open nor settled, so not listed.
    assert "Whether fishermen tak" not in statuses
    [karsvik] = [o for o in found.issues if o.issue.startswith("Whether Karsvik council")]
    assert karsvik.articles and karsvik.day == YESTERDAY


def _copy_to_day(folder: Path, day: str, *names: str) -> None:
    """Example articles as if published on `day`."""
    folder.mkdir(exist_ok=True)
    for name in names:
        text = (DIGEST_DAY / name).read_text().replace("Published: 2026-11-26", f"Published: {day}")
        (folder / name).write_text(text)


def test_two_days_digested_in_order_through_the_cli(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite3"
    day_one, day_two = tmp_path / "one", tmp_path / "two"
    _copy_to_day(
        day_one, YESTERDAY, "tariff-bill-second-reading.txt", "harbour-terminal-approved.txt"
    )
    _copy_to_day(
        day_two, DAY, "tariff-minister-signals-delay.html", "fishermen-weigh-court-challenge.md"
    )
    runner = CliRunner()

    def run(folder: Path, day: str) -> dict[str, object]:
        result = runner.invoke(
            cli,
            ["digest", str(folder), "--date", day, "--history", str(history), "-f", "json", "-q"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        data: dict[str, object] = json.loads(result.stdout)
        return data

    run(day_one, YESTERDAY)
    second = run(day_two, DAY)
    assert second["schema_version"] == "2"
    stories = second["stories"]
    assert isinstance(stories, list)
    assert {s["status"] for s in stories} == {"continuing"}
    assert {s["first_seen"] for s in stories} == {YESTERDAY}
    run(day_two, DAY)  # a rerun replaces the day
    listing = runner.invoke(cli, ["history", "--history", str(history), "-f", "json"])
    days = json.loads(listing.stdout)["days"]
    assert [d["day"] for d in days] == [YESTERDAY, DAY]
    table = runner.invoke(cli, ["history", "--history", str(history)]).stdout
    assert f"| {DAY} | Digest — {DAY} |" in table
    actor = runner.invoke(
        cli, ["history", "actor", "Kral", "--history", str(history), "-f", "json"]
    )
    positions = json.loads(actor.stdout)["positions"]
    assert {p["day"] for p in positions} == {YESTERDAY, DAY}
    assert all(p["actor"] == "Tomas Kral" and p["quote"] for p in positions)
    markdown = runner.invoke(cli, ["history", "actor", "Tomas Kral", "--history", str(history)])
    assert markdown.stdout.startswith("# Tomas Kral over time") and f"## {DAY}" in markdown.stdout


def test_what_others_said_of_an_actor_yesterday_is_no_change_of_its_position() -> None:
    digest, texts = _today()
    kral = next(a for a in digest.actors if a.name == "Tomas Kral")
    stance = next(p for p in kral.positions if "withdraw" in p.stance).stance
    row = PositionRow(
        YESTERDAY,
        "Tomas Kral",
        name_key("Tomas Kral"),
        stance.replace("would not withdraw", "would withdraw"),
        "Kral will withdraw the bill, the union said.",
        "Union claims retreat",
    )
    past = changes.Past(previous_day=YESTERDAY, stories=[], positions=[row], issues=[])
    assert len(changes.compare(digest, texts, past)[1].positions) == 1
    hearsay = dataclasses.replace(row, stance=as_reported_by(row.stance, "fishermen's union"))
    past = changes.Past(previous_day=YESTERDAY, stories=[], positions=[hearsay], issues=[])
    assert changes.compare(digest, texts, past)[1].positions == []


def test_the_digest_shows_what_changed_in_markdown_and_html(tmp_path: Path) -> None:
    from briefer.render import render_digest

    history = tmp_path / "h.sqlite3"
    _copy_to_day(tmp_path / "one", YESTERDAY, "harbour-terminal-approved.txt")
    briefer.digest(
        [str(tmp_path / "one")], date=YESTERDAY, engine="extractive", history_path=history
    )
    digest = briefer.digest(INPUTS, date=DAY, engine="extractive", history_path=history)
    markdown = render_digest(digest, "md")
    assert "## What changed" in markdown and "Continuing since" in markdown
    html = render_digest(digest, "html")
    assert html.index('id="changes"') < html.index('id="top-lines"') < html.index('id="stories"')
    assert '<details class="index">' in html and "<script" not in html.split("<main>")[1]


def test_history_command_on_a_damaged_or_empty_file(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database" * 1000)
    result = CliRunner().invoke(cli, ["history", "--history", str(damaged)])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error:") and "damaged" in line
    empty = CliRunner().invoke(cli, ["history", "--history", str(tmp_path / "new.sqlite3")])
    assert empty.exit_code == 0 and empty.stdout == "No digest recorded yet.\n"
    nobody = CliRunner().invoke(
        cli, ["history", "actor", "Nobody", "--history", str(tmp_path / "new.sqlite3")]
    )
    assert nobody.stdout == "No position of Nobody in the history.\n"


def _digest(folder: Path, history: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        cli, ["digest", str(folder), "--history", str(history), "-f", "json", "-q", *extra]
    )


def test_a_run_that_briefs_nothing_records_nothing(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite3"
    assert _digest(DIGEST_DAY, history, "--date", DAY).exit_code == 0
    before = History(history).days()
    # A mistyped path, then an empty window: the day held stays as it was.
    missing = _digest(tmp_path / "exmples", history, "--date", DAY)
    assert missing.exit_code == 1
    empty = _digest(DIGEST_DAY, history, "--date", "2026-11-27")
    assert empty.exit_code == 0
    assert "no article was briefed for 2026-11-27" in empty.stderr
    assert History(history).days() == before
    events: list[Event] = []
    briefer.digest([DIGEST_DAY], date="2026-11-27", history_path=history, on_event=events.append)
    assert [(e.kind, e.message) for e in events if isinstance(e, Warned)] == [
        (
            "history",
            "history: no article was briefed for 2026-11-27; the history was left as it was",
        ),
    ]
    page = CliRunner().invoke(
        cli, ["digest", str(DIGEST_DAY), "--date", "2026-11-27", "--history", str(history)]
    )
    assert "No articles for 2026-11-27 (6 outside the date window)." in page.stdout


def test_a_failing_rerun_keeps_the_fuller_day(tmp_path: Path, fake: FakeOpenAI) -> None:
    from .fake_openai import Reply

    history = tmp_path / "h.sqlite3"
    assert _digest(DIGEST_DAY, history, "--date", DAY, "--no-cache").exit_code == 0
    [held] = History(history).days()
    # The same day against a server that answers 500 to every call.
    fake.responder = lambda request: Reply(status=500, headers={"retry-after": "0"})
    rerun = _digest(DIGEST_DAY, history, "--date", DAY, "--no-cache")
    assert rerun.exit_code == 1
    assert f"no article was briefed for {DAY}" in rerun.stderr
    assert History(history).days() == [held]
    # Then a server failing the calls about one story: the fuller record stays too.
    fake.responder = lambda request: (
        Reply(status=500, headers={"retry-after": "0"}) if "arbour" in str(request) else None
    )
    rerun = _digest(DIGEST_DAY, history, "--date", DAY, "--no-cache")
    assert rerun.exit_code == 1 and json.loads(rerun.stdout)["articles"]
    assert f"kept the earlier record of {DAY}" in rerun.stderr
    assert History(history).days() == [held]


def test_history_forget_removes_one_day(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite3"
    with History(history) as held:
        held.record(_record(YESTERDAY))
        held.record(_record(DAY))
    result = CliRunner().invoke(cli, ["history", "forget", DAY, "--history", str(history)])
    assert result.exit_code == 0 and f"Forgot the digest of {DAY}" in result.stdout
    assert [d.day for d in History(history).days()] == [YESTERDAY]
    again = CliRunner().invoke(cli, ["history", "forget", DAY, "--history", str(history)])
    assert again.exit_code == 2 and f"holds no digest of {DAY}" in again.stderr
    bad = CliRunner().invoke(cli, ["history", "forget", "monday", "--history", str(history)])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr


def test_a_damaged_row_costs_one_warning_and_the_digest_is_still_written(
    tmp_path: Path,
) -> None:
    history = tmp_path / "h.sqlite3"
    with History(history) as held:
        held.record(_record(YESTERDAY))
    with sqlite3.connect(history) as db:
        db.execute("UPDATE stories SET signature = 'garbage'")
        db.execute("UPDATE issues SET stakeholders = 'garbage'")
    result = _digest(DIGEST_DAY, history, "--date", DAY)
    assert result.exit_code == 0, result.output
    assert "damaged row" in result.stderr and "Traceback" not in result.output
    assert json.loads(result.stdout)["articles"]


def test_an_actor_is_found_by_any_name_it_went_by_whatever_the_day_s_label(
    tmp_path: Path,
) -> None:
    def day(date: str, label: str, aliases: list[str]) -> Digest:
        actor = {
            "name": label,
            "kind": "person",
            "aliases": aliases,
            "articles": ["a1"],
            "positions": [{"article": "a1", "stance": f"Stance of {date}", "evidence": []}],
        }
        return Digest.model_validate(
            {"title": date, "date": date, "actors": [actor], "usage": {"engine": "extractive"}}
        )

    with History(tmp_path / "h.sqlite3") as history:
        history.record(changes.record(day(YESTERDAY, "Eva Maria Lind", ["Eva Lind", "Lind"]), {}))
        history.record(changes.record(day(DAY, "Eva Lind", ["Lind"]), {}))
        found = history.actor_positions(name_key("Eva Lind"))
        assert [(p.day, p.actor) for p in found] == [
            (YESTERDAY, "Eva Maria Lind"),
            (DAY, "Eva Lind"),
        ]
        # A surname alone is recorded for no one: it still finds by words, as before.
        assert len(history.actor_positions("lind")) == 2
