"""Whole-article behaviour: one call when it fits, map + consolidate when it does not."""

from __future__ import annotations

import briefer

from .conftest import EXAMPLES
from .fake_openai import FakeOpenAI

LONG = EXAMPLES / "river-accord-special-report.txt"


def long_text(min_tokens: int = 20_000) -> str:
    text = LONG.read_text()
    body = briefer.Article.from_text(text).text
    copies = [f"Part {i}.\n\n{body}" for i in range(5)]
    article = "The river accord, collected\n\n" + "\n\n".join(copies)
    assert briefer.plan([article], engine="extractive")[0].article_tokens >= min_tokens  # type: ignore[union-attr]
    return article


def test_article_that_fits_goes_in_one_call(fake: FakeOpenAI) -> None:
    briefing = briefer.summarize(LONG)
    assert len(fake.requests) == 1 and briefing.engine.calls == 1


def test_long_article_is_mapped_then_consolidated(fake: FakeOpenAI) -> None:
    article = long_text()
    briefing = briefer.summarize(article, context_window=16_000, max_output_tokens=2000)
    maps = [r for r in fake.requests if "<<<ARTICLE" in r["messages"][1]["content"]]
    consolidations = [r for r in fake.requests if "<<<PARTIALS" in r["messages"][1]["content"]]
    assert len(maps) >= 2 and len(consolidations) == 1
    assert briefing.engine.calls == len(maps) + 1
    assert all("This is part" in r["messages"][1]["content"] for r in maps)
    assert briefing.headline.startswith("Consolidated")
    text = briefer.Article.from_text(article).text
    for position in briefing.positions:
        for evidence in position.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote
    # actors from every chunk unified into one entry each
    assert [a.name for a in briefing.actors] == ["Araz Azimov", "NATO"]


def test_map_prompts_fit_the_context_window(fake: FakeOpenAI) -> None:
    briefer.summarize(long_text(), context_window=16_000, max_output_tokens=2000)
    for request in fake.requests:
        assert request["max_tokens"] == 2000
    plans = briefer.plan([long_text()], context_window=16_000, max_output_tokens=2000)
    plan = plans[0]
    assert isinstance(plan, briefer.Plan)
    assert plan.prompt_tokens / plan.chunks < 16_000 - 2000


def test_second_run_sends_nothing_and_returns_the_same(fake: FakeOpenAI, seed_article) -> None:
    first = briefer.summarize(seed_article)
    requests = len(fake.requests)
    second = briefer.summarize(seed_article)
    assert len(fake.requests) == requests
    assert second.engine.cached_calls == 1 and second.engine.calls == 0
    assert first.model_dump(exclude={"engine"}) == second.model_dump(exclude={"engine"})


def test_many_inputs_keep_order_and_report_failures(
    fake: FakeOpenAI, seed_article, tmp_path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    outcomes = briefer.summarize_many([seed_article, empty, EXAMPLES / "water-tariffs.txt"])
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert "empty" in str(outcomes[1].error)


def test_max_cost_stops_before_sending(fake: FakeOpenAI, seed_article) -> None:
    import pytest

    with pytest.raises(briefer.BudgetError):
        briefer.summarize(seed_article, max_cost=0.000001)
    assert fake.requests == []
