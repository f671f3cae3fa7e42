"""Long articles on small-context models: every request fits the window as the server counts
it (the fake server counts with another tokenizer than briefer's and refuses what does not
fit), parts' drafts are consolidated in rounds when one request cannot hold them, and the
output allowance shrinks on a small window instead of refusing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

import briefer
from briefer.cli import cli

from .fake_openai import FakeOpenAI, Reply, server_tokens

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset" / "articles"
EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


def real_news(words: int) -> str:
    """Real articles joined until the text has `words` words (the devset's, else examples)."""
    folder = DEVSET if DEVSET.is_dir() else EXAMPLES
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    joined: list[str] = []
    while sum(len(t.split()) for t in joined) < words:
        joined.append(texts[len(joined) % len(texts)])
    return "A long report\n\n" + "\n\n".join(joined)


def fits(fake: FakeOpenAI, window: int) -> None:
    for request in fake.requests:
        completion = request.get("max_tokens") or request.get("max_completion_tokens") or 0
        assert server_tokens(request) + completion <= window or request is fake.requests[0]


def test_parts_that_do_not_fit_one_consolidation_are_consolidated_in_rounds(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.context_window = 8000
    article = tmp_path / "long.txt"
    article.write_text(real_news(30_000))
    briefing = briefer.summarize(article, context_window=8000)
    assert fake.over_window <= 1  # a refusal teaches the server's count once, then none
    consolidations = [r for r in fake.requests if "<<<PARTIALS" in str(r["messages"])]
    assert len(consolidations) > 1, "one consolidation request held every part"
    assert any("consolidated in" in w for w in briefing.warnings)
    assert briefing.positions and briefing.actors


def test_a_window_briefer_is_not_told_costs_one_refusal_however_many_calls_are_in_flight(
    fake: FakeOpenAI,
) -> None:
    # A local server whose window (6,000) briefer cannot know: its guess for an unknown model
    # is larger, so until the server has answered a request of a size, a larger one goes
    # alone; the one refusal states the window and the server's count.
    fake.context_window = 6000
    briefing = briefer.summarize(text=real_news(11_000), model="llama-local", concurrency=4)
    assert fake.over_window == 1
    assert briefing.positions
    assert any("context window is 6000" in warning for warning in briefing.warnings)


def test_a_small_window_shrinks_the_output_instead_of_refusing(fake: FakeOpenAI) -> None:
    fake.context_window = 4096
    text = real_news(5_000)
    briefing = briefer.summarize(text=text, context_window=4096, max_output_tokens=2048)
    assert briefing.positions
    assert fake.over_window <= 1
    # phi3 (4,096 tokens in briefer's table and the server's) is no longer refused.
    fake.requests.clear()
    fake.over_window = 0
    fake.context_window = None
    briefing = briefer.summarize(text=text, model="phi3", use_cache=False)
    assert briefing.positions and fake.over_window <= 1


def test_a_window_too_small_to_brief_in_names_the_smallest_that_works(fake: FakeOpenAI) -> None:
    result = CliRunner().invoke(
        cli, ["summarize", str(EXAMPLES / "azerbaijan-nato.txt"), "--context-window", "2048"]
    )
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "too small to brief in" in line and "the smallest window that works is" in line
    smallest = int(line.split("the smallest window that works is ")[1].split()[0])
    fake.requests.clear()
    ok = CliRunner().invoke(
        cli,
        ["summarize", str(EXAMPLES / "azerbaijan-nato.txt"), "--context-window", str(smallest)],
    )
    assert ok.exit_code == 0, ok.output


def test_what_the_server_counts_is_learned_once_and_remembered(fake: FakeOpenAI) -> None:
    fake.context_window = 6000
    text = real_news(4_000)
    briefer.summarize(text=text, context_window=6000)
    assert fake.over_window <= 1
    learned = fake.over_window
    # A later run of the same endpoint and model starts from what was learned.
    fake.requests.clear()
    fake.over_window = 0
    briefer.summarize(text=real_news(4_500), context_window=6000)
    assert fake.over_window == 0 or learned == 0


def test_dry_run_plans_the_calls_a_run_makes(fake: FakeOpenAI, tmp_path: Path) -> None:
    window = 16_000
    fake.context_window = window
    # A first run teaches briefer how this server counts (remembered in the cache).
    briefer.summarize(text=real_news(6_000), context_window=window)
    article = tmp_path / "long.txt"
    article.write_text(real_news(9_000))
    args = ["summarize", str(article), "--context-window", str(window), "-q"]
    plan = CliRunner().invoke(cli, [*args, "--dry-run"])
    assert plan.exit_code == 0, plan.output
    planned = int(plan.stdout.split("sync:")[1].split("call")[0])
    fake.requests.clear()
    fake.over_window = 0
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert fake.over_window == 0
    assert planned == len(fake.requests) > 2


def test_a_repair_that_would_not_fit_the_window_names_the_problem_without_the_reply(
    fake: FakeOpenAI,
) -> None:
    # A small model's long, broken first reply: shown back beside the article it would not fit
    # a 4,096-token window, so the repair request carries the problem alone.
    fake.context_window = 4096
    fake.enqueue(Reply(content={"notes": "draft " * 3000}))
    text = (EXAMPLES / "azerbaijan-nato.txt").read_text()
    briefing = briefer.summarize(text=text, context_window=4096)
    assert briefing.positions and fake.over_window == 0
    first, repair = fake.requests
    assert [m["role"] for m in repair["messages"]] == ["system", "user", "user"]
    assert "could not be used" in repair["messages"][-1]["content"]


def test_a_part_the_model_cannot_brief_costs_that_part_not_the_article(
    fake: FakeOpenAI,
) -> None:
    from .fake_openai import diligent_briefing

    def broken_second_part(request: dict[str, Any]) -> Reply:
        if "This is part 2 of" in str(request["messages"]):
            return Reply(content={"headline": "?"})  # not a briefing, however often asked
        return Reply(content=diligent_briefing(request["messages"]))

    fake.responder = broken_second_part
    briefing = briefer.summarize(text=real_news(3_000), context_window=4096)
    parts = [w for w in briefing.warnings if w.startswith("part 2 of")]
    assert len(parts) == 1 and "the briefing covers the rest" in parts[0]
    assert briefing.positions
