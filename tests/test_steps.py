"""A digest's model steps: one runner, and a plan that walks the same steps, so --dry-run and
--max-cost count every call a digest makes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefer.cli import cli

from .conftest import DIGEST_DAY
from .fake_openai import FakeOpenAI, Reply, completion, diligent_briefing

DAY, YESTERDAY = "2026-11-26", "2026-11-25"


def _copy_to_day(folder: Path, day: str, *names: str) -> None:
    folder.mkdir()
    for name in names:
        text = (DIGEST_DAY / name).read_text().replace("Published: 2026-11-26", f"Published: {day}")
        (folder / name).write_text(text)


def _two_days(tmp_path: Path) -> tuple[list[str], list[str]]:
    """Yesterday recorded in a history; the arguments of today's digest against it."""
    history = tmp_path / "h.sqlite3"
    one, two = tmp_path / "one", tmp_path / "two"
    _copy_to_day(one, YESTERDAY, "tariff-bill-second-reading.txt", "harbour-terminal-approved.txt")
    _copy_to_day(
        two,
        DAY,
        "tariff-minister-signals-delay.html",
        "fishermen-weigh-court-challenge.md",
        "harbour-terminal-wire.txt",
    )
    common = ["--history", str(history), "-q", "--price", "1/2"]
    first = CliRunner().invoke(cli, ["digest", str(one), "--date", YESTERDAY, *common])
    assert first.exit_code == 0, first.output
    return ["digest", str(two), "--date", DAY, *common], common


@pytest.mark.parametrize("window", [[], ["--context-window", "6000"]], ids=["large", "small"])
def test_the_plan_counts_every_call_the_digest_makes(
    fake: FakeOpenAI, tmp_path: Path, window: list[str]
) -> None:
    # On a small window the steps split their data over several calls: the plan must too.
    today = [*_two_days(tmp_path)[0], *window]
    plan = CliRunner().invoke(cli, [*today, "--dry-run"])
    assert plan.exit_code == 0, plan.output
    planned = int(re.search(r"^sync:\s+(\d+) call", plan.stdout, re.M).group(1))  # type: ignore[union-attr]
    assert "position comparison" in plan.stdout and "editor's pass" in plan.stdout
    fake.requests.clear()
    result = CliRunner().invoke(cli, [*today, "-f", "json"])
    assert result.exit_code == 0, result.output
    asked = [str(r["messages"]) for r in fake.requests]
    assert any("<<<POSITIONS" in m for m in asked), "no position comparison was made"
    assert any("<<<CARDS" in m for m in asked) and any("<<<BRIEFINGS" in m for m in asked)
    assert planned == len(fake.requests)


def test_steps_with_no_room_in_the_window_are_planned_as_none_and_fall_back(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    # A window the articles fit but no step's instructions and reply leave data room in.
    today = [*_two_days(tmp_path)[0], "--context-window", "3200"]
    plan = CliRunner().invoke(cli, [*today, "--dry-run"])
    assert plan.exit_code == 0, plan.output
    planned = int(re.search(r"^sync:\s+(\d+) call", plan.stdout, re.M).group(1))  # type: ignore[union-attr]
    fake.requests.clear()
    result = CliRunner().invoke(cli, [*today, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert planned == len(fake.requests) == 3  # the three articles' map calls, no step
    assert "the synthesis did not fit the model's context window" in result.stderr


def test_max_cost_below_the_whole_digest_stops_it_before_the_first_call(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    today, _ = _two_days(tmp_path)
    plan = CliRunner().invoke(cli, [*today, "--dry-run"])
    articles_only = sum(
        # The articles' rows, not the steps' after them.
        float(cost)
        for cost in re.findall(r"^/.*\$(\d+\.\d+)\s+\$\d+\.\d+$", plan.stdout, re.M)
    )
    whole = float(re.search(r"cost at most \$(\d+\.\d+)", plan.stdout).group(1))  # type: ignore[union-attr]
    assert whole > articles_only > 0
    fake.requests.clear()
    limit = (articles_only + whole) / 2  # enough for the articles, not for the steps after
    result = CliRunner().invoke(cli, [*today, "--max-cost", f"{limit:.6f}"])
    assert result.exit_code == 2
    assert "over --max-cost" in result.stderr
    assert fake.requests == []


def test_a_step_the_planner_does_not_know_is_not_run() -> None:
    import asyncio
    from dataclasses import dataclass

    from briefer.digests import steps
    from briefer.runtime import Runtime
    from briefer.schema import Usage
    from briefer.settings import Settings

    @dataclass
    class Unplanned:
        name = "unplanned step"

        def offline(self) -> str:
            return "offline"

    runtime = Runtime.open(Settings(engine="extractive"))
    try:
        with pytest.raises(AssertionError, match="not in steps.STEPS"):
            asyncio.run(steps.run(runtime, Unplanned(), Usage()))  # type: ignore[arg-type]
    finally:
        asyncio.run(runtime.aclose())


def test_a_reply_s_references_arrive_in_one_form_whatever_the_model_wrote() -> None:
    from briefer.schema import EditorDraft, PositionsDraft, SynthesisDraft

    editor = EditorDraft.model_validate(
        {"stories": [{"headline": "h", "articles": [" [a2]", "A3", "[A4] "]}]}
    )
    assert editor.stories[0].articles == ["A2", "A3", "A4"]
    synthesis = SynthesisDraft.model_validate(
        {
            "top_lines": [{"line": "l", "articles": ["a1"]}],
            "contradictions": [{"actor": "x", "articles": ["[A1]", "a2"], "note": "n"}],
            "open_issues": [{"issue": "i", "stakeholders": [], "articles": [" A5"]}],
        }
    )
    assert [synthesis.top_lines[0].articles, synthesis.contradictions[0].articles] == [
        ["A1"],
        ["A1", "A2"],
    ]
    assert synthesis.open_issues[0].articles == ["A5"]
    change = PositionsDraft.model_validate(
        {"changes": [{"before": "[b1]", "after": " n2 ", "note": "moved"}]}
    ).changes[0]
    assert (change.before, change.after) == ("B1", "N2")


def test_only_the_runner_renders_a_step_s_request() -> None:
    """The marker that fences a step's data is made in one place: no step module imports the
    prompts, so none can build its messages (or forget the marker) by itself."""
    import ast

    from briefer.digests import steps

    package = Path(steps.__file__).parent
    for name in ("editor_pass", "synthesis", "position_compare", "step"):
        tree = ast.parse((package / f"{name}.py").read_text())
        imported = {
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        }
        assert "prompts" not in {module.split(".")[-1] for module in imported}, name


def test_the_run_walks_the_steps_the_plan_walks() -> None:
    """build_digest takes each step of steps.STEPS in its order (the work around it too); a
    step added to the list without its place in the run fails here, not in a user's digest."""
    from briefer.digests import build, steps

    assert list(build.AT_STEP) == [kind.name for kind in steps.STEPS]


def _many_articles(folder: Path, count: int, title_words: int = 8, paragraphs: int = 6) -> None:
    """`count` made-up articles of one day, each its own story, with long first sentences
    (the cards and briefings the steps carry are larger than the plan's estimates)."""
    import random

    rng = random.Random(3)
    syllables = "bdfgklmnprstv"

    def words(n: int) -> str:
        return " ".join(
            f"{rng.choice(syllables)}{rng.choice('aeiou')}{rng.choice(syllables)}{rng.randrange(5000)}"
            for _ in range(n)
        )

    folder.mkdir()
    for i in range(count):
        body = [f"Officials in {words(40)} said on Monday.", f"A second sentence that {words(30)}."]
        body += [f"The council noted that {words(45)}." for _ in range(paragraphs)]
        (folder / f"a{i:03}.txt").write_text(
            f"Story {i} {words(title_words)}\nOutlet: Wire {i % 5}\nPublished: {DAY}\n\n"
            + "\n\n".join(body)
        )


def _planned(args: list[str]) -> tuple[int, float]:
    plan = CliRunner().invoke(cli, [*args, "--dry-run"])
    assert plan.exit_code == 0, plan.output
    calls = re.search(r"^sync:\s+(\d+) call", plan.stdout, re.M)
    cost = re.search(r"cost at most \$(\d+\.\d+)", plan.stdout)
    assert calls and cost, plan.stdout
    return int(calls.group(1)), float(cost.group(1))


@pytest.mark.parametrize("window", ["8000", "6000"])
def test_on_a_small_window_the_plan_counts_every_call_the_digest_can_make(
    fake: FakeOpenAI, tmp_path: Path, window: str
) -> None:
    # Cards larger than the plan's estimate, split into several parts at story boundaries.
    _many_articles(tmp_path / "news", 60)
    args = ["digest", str(tmp_path / "news"), "--no-history", "-q", "--price", "1/2"]
    args += ["--context-window", window]
    planned, _ = _planned(args)
    fake.requests.clear()
    result = CliRunner().invoke(cli, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    cards = sum("<<<CARDS" in str(r["messages"]) for r in fake.requests)
    assert cards >= 2, "the editor's pass should take several parts here"
    assert planned >= len(fake.requests)


def test_a_step_none_of_whose_data_fits_says_so(fake: FakeOpenAI, tmp_path: Path) -> None:
    # The window leaves each step room for less than two cards and less than one briefing.
    _many_articles(tmp_path / "news", 20)
    args = ["digest", str(tmp_path / "news"), "--no-history", "-q", "--context-window", "5000"]
    fake.requests.clear()
    result = CliRunner().invoke(cli, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    asked = [str(r["messages"]) for r in fake.requests]
    assert not any("<<<CARDS" in m or "<<<BRIEFINGS" in m for m in asked)
    for step in ("editor's pass", "synthesis"):
        assert f"the {step} did not fit the model's context window" in result.stderr


def _billing_the_whole_output(request: dict[str, Any]) -> Reply:
    """The fake's diligent answer, its usage claiming the whole output limit."""
    body = completion(request, Reply(content=diligent_briefing(request["messages"])))
    cap = int(request.get("max_tokens") or request.get("max_completion_tokens") or 0)
    body["usage"]["completion_tokens"] = cap
    return Reply(raw_body=json.dumps(body))


def _billed(fake: FakeOpenAI) -> float:
    """USD the fake's answers would be billed at --price 1/2, by the usage each reported."""
    total = 0.0
    for request, reply in fake.served:
        if reply.status != 200:
            continue
        body = json.loads(reply.raw_body) if reply.raw_body else completion(request, reply)
        usage = body["usage"]
        total += (usage["prompt_tokens"] * 1 + usage["completion_tokens"] * 2) / 1_000_000
    return total


def test_max_cost_holds_when_replies_cost_more_than_the_plan_foresaw(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    """Every reply bills its whole output limit, and one off-schema reply costs a repair turn
    no plan counts: the run spends at most --max-cost, and says what it left out."""
    args = [*_two_days(tmp_path)[0], "--refresh"]
    _, whole = _planned(args)
    fake.requests.clear()
    fake.served.clear()
    fake.responder = _billing_the_whole_output
    fake.replies.append(Reply(content={"headline": "no schema"}))
    limit = whole + 0.0001
    result = CliRunner().invoke(cli, [*args, "--max-cost", f"{limit:.4f}", "-f", "json"])
    assert _billed(fake) <= limit
    assert "over --max-cost" in result.stderr
    assert result.exit_code in (0, 1), result.output


def test_a_rerun_of_the_history_s_only_day_plans_no_position_comparison(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    # Without --date the digest's day is its articles' latest: the day the history holds.
    history = tmp_path / "h.sqlite3"
    _copy_to_day(
        tmp_path / "one",
        YESTERDAY,
        "tariff-bill-second-reading.txt",
        "harbour-terminal-approved.txt",
    )
    args = ["digest", str(tmp_path / "one"), "--history", str(history), "-q", "--price", "1/2"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    plan = CliRunner().invoke(cli, [*args, "--refresh", "--dry-run"])
    assert plan.exit_code == 0, plan.output
    assert "position comparison" not in plan.stdout
    planned = int(re.search(r"^sync:\s+(\d+) call", plan.stdout, re.M).group(1))  # type: ignore[union-attr]
    fake.requests.clear()
    result = CliRunner().invoke(cli, [*args, "--refresh"])
    assert result.exit_code == 0, result.output
    assert planned == len(fake.requests)


def test_on_a_window_that_splits_articles_max_cost_at_the_plan_briefs_every_one(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    """Parts of a typical size would not fit two to a consolidation request on this window,
    but the run's parts do: the plan counts those calls too, so a limit at the plan's price
    briefs every article, with every reply billed at its whole output limit."""
    _many_articles(tmp_path / "news", 8, paragraphs=12)
    args = ["digest", str(tmp_path / "news"), "--no-history", "-q", "--price", "1/2"]
    args += ["--context-window", "3200"]
    planned, whole = _planned(args)
    fake.requests.clear()
    fake.served.clear()
    fake.responder = _billing_the_whole_output
    result = CliRunner().invoke(cli, [*args, "--max-cost", f"{whole + 0.0001:.4f}", "-f", "json"])
    assert result.exit_code == 0, result.output
    digest = json.loads(result.stdout)
    assert len(digest["articles"]) == 8 and not digest["failures"]
    consolidations = sum("<<<PARTIALS" in str(r["messages"]) for r in fake.requests)
    assert consolidations > 0, "the articles should be split and their parts consolidated"
    assert planned >= len(fake.requests)
    assert _billed(fake) <= whole + 0.0001


def test_the_cost_a_dry_run_prints_passes_as_max_cost(fake: FakeOpenAI, tmp_path: Path) -> None:
    """The plan's "cost at most" is rounded up, so a user can copy it into --max-cost."""
    _many_articles(tmp_path / "news", 7)
    args = ["digest", str(tmp_path / "news"), "--no-history", "-q", "--price", "1.37/2.91"]
    _, whole = _planned(args)
    result = CliRunner().invoke(cli, [*args, "--max-cost", f"{whole:.4f}", "-f", "json"])
    assert result.exit_code == 0, result.output
