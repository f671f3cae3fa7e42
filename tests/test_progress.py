"""The progress line: the same for summarize and digest, with calls for one long input, and
no "0 tokens" beside replies that came from the cache or a Batch API job."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from click.testing import CliRunner

from briefer.api import summarize_each
from briefer.cli.progress_line import ProgressLine, describe
from briefer.digests.build import Progress
from briefer.events import CallsMade, Event
from briefer.settings import Settings

from .conftest import EXAMPLES
from .fake_openai import FakeOpenAI

LONG = EXAMPLES / "river-accord-special-report.txt"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cached_replies_are_not_reported_as_zero_tokens() -> None:
    assert describe(Progress(total=4, done=4, cached=4)) == "briefing 4/4 · 4 cached"
    assert describe(Progress(total=4, done=1, tokens=1200)) == "briefing 1/4 · 1,200 tokens"
    assert describe(Progress(total=1)) == "briefing 0/1"
    # The offline engine spends no tokens: none are mentioned.
    assert describe(Progress(total=3, done=2)) == "briefing 2/3"


def test_one_long_input_shows_its_calls() -> None:
    screen = Terminal()
    line = ProgressLine(screen)
    line(Progress(total=1))
    line.parts(3, 7)
    assert screen.getvalue().endswith("briefing 0/1 · call 3/7")


def test_summarize_reports_each_call_of_a_long_input(fake: FakeOpenAI) -> None:
    reports: list[tuple[int, int]] = []
    settings = Settings.load(context_window=4096, max_output_tokens=1000)

    async def run() -> None:
        def hear(event: Event) -> None:
            if isinstance(event, CallsMade):
                reports.append((event.done, event.planned))

        async for _ in summarize_each([LONG], settings, events=hear):
            pass

    asyncio.run(run())
    planned = reports[-1][1]
    assert planned > 2 and reports[-1] == (planned, planned)
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)


def test_summarize_draws_the_digest_progress_line(
    fake: FakeOpenAI, seed_article: Path, monkeypatch
) -> None:
    from briefer.cli import cli
    from briefer.cli import progress_line as progress

    screen = Terminal()

    class OnScreen(ProgressLine):
        def __init__(self, stream, enabled=True, before_first=None) -> None:
            super().__init__(screen, enabled, before_first)

    monkeypatch.setattr(progress, "ProgressLine", OnScreen)
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), str(LONG), "-f", "jsonl"])
    assert result.exit_code == 0
    drawn = screen.getvalue()
    assert "briefing 0/2" in drawn and "briefing 2/2" in drawn and "tokens" in drawn
