"""Whole-article behaviour: one call when it fits, map + consolidate when it does not."""

from __future__ import annotations

import json
from typing import Any

import pytest

import briefer
import briefer.catalog
import briefer.runtime
from briefer.text.sentences import split_sentences
from briefer.token_budget import output_limit

from .conftest import EXAMPLES
from .fake_openai import ARTICLE, FakeOpenAI, Reply, diligent_briefing

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
    fake.bytes_per_token = 4.6  # a server counting as briefer does: one plan, no re-plan
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

    with pytest.raises(briefer.CostLimitError):
        briefer.summarize(seed_article, max_cost=0.000001)
    assert fake.requests == []


def _article_block(request: dict[str, Any]) -> str:
    match = ARTICLE.search(request["messages"][1]["content"])
    assert match is not None
    return match.group(2)


def test_by_default_the_model_cites_numbered_sentences(fake: FakeOpenAI, seed_article) -> None:
    briefing = briefer.summarize(seed_article)
    [request] = fake.requests
    assert _article_block(request).startswith("[S1] ")
    schema = request["response_format"]["json_schema"]["schema"]
    assert "cites" in schema["properties"]["positions"]["items"]["properties"]
    text = briefer.Article.from_text(seed_article.read_text()).text
    evidence = [e for p in briefing.positions for e in p.evidence]
    assert evidence and all(text[e.start : e.end] == e.quote for e in evidence)
    first = split_sentences(text)[0]
    assert evidence[0].start == first.start and evidence[0].end == first.end


def test_citations_are_narrowed_and_bad_ones_dropped(fake: FakeOpenAI, seed_article) -> None:
    text = briefer.Article.from_text(seed_article.read_text()).text
    second = split_sentences(text)[1]
    words = text[second.start : second.end].split()
    narrowed = f"S2: {' '.join(words[1:4])} ... {' '.join(words[-5:-2])}"

    def reply(request: dict[str, Any]) -> Reply:
        brief = diligent_briefing(request["messages"])
        brief["positions"][0]["cites"] = [narrowed, "S999", "S2: words that are not there"]
        return Reply(content=brief)

    fake.responder = reply
    briefing = briefer.summarize(seed_article)
    [evidence] = briefing.positions[0].evidence
    assert evidence.quote.startswith(words[1]) and evidence.quote.endswith(words[-3])
    assert text[evidence.start : evidence.end] == evidence.quote
    assert second.start < evidence.start and evidence.end < second.end
    assert any(w.startswith("2 evidence citation(s)") for w in briefing.warnings)


def test_sentence_ids_are_global_across_chunks_and_consolidation(fake: FakeOpenAI) -> None:
    # A server counting as briefer does: one plan, no re-plan (tests/test_small_windows.py
    # has the servers that count more).
    fake.bytes_per_token = 4.6
    article = long_text()
    briefing = briefer.summarize(article, context_window=16_000, max_output_tokens=2000)
    maps = [r for r in fake.requests if "<<<ARTICLE" in r["messages"][1]["content"]]
    [consolidation] = [r for r in fake.requests if "<<<PARTIALS" in r["messages"][1]["content"]]
    # Map calls go out concurrently: order them by the first id each shows.
    maps.sort(key=lambda r: int(_article_block(r).split("]", 1)[0].removeprefix("[S")))
    firsts = [int(_article_block(r).split("]", 1)[0].removeprefix("[S")) for r in maps]
    assert firsts[0] == 1 and len(set(firsts)) == len(firsts)
    assert '"cites"' in consolidation["messages"][1]["content"]
    text = briefer.Article.from_text(article).text
    sentences = split_sentences(text)
    # The last chunk's last sentence, cited by its global id, is that sentence of the article.
    last_id = int(_article_block(maps[-1]).rsplit("\n[S", 1)[1].split("]", 1)[0])
    issue_evidence = {(e.start, e.end) for i in briefing.open_issues for e in i.evidence}
    assert (sentences[last_id - 1].start, sentences[last_id - 1].end) in issue_evidence


def test_evidence_quote_keeps_verbatim_quoting(fake: FakeOpenAI, seed_article) -> None:
    briefing = briefer.summarize(seed_article, evidence="quote")
    [request] = fake.requests
    assert "[S1]" not in request["messages"][1]["content"]
    schema = request["response_format"]["json_schema"]["schema"]
    assert "quotes" in schema["properties"]["positions"]["items"]["properties"]
    assert briefing.positions and not briefing.warnings


def test_output_limit_grows_with_the_article_and_the_plan_uses_it(fake: FakeOpenAI) -> None:
    article = long_text()
    [planned] = briefer.plan([article])
    assert isinstance(planned, briefer.Plan) and planned.chunks == 1
    briefing = briefer.summarize(article)
    [request] = fake.requests
    limit = request["max_tokens"]
    tokens = briefing.source.tokens
    assert limit == output_limit(tokens, "ref", "gpt-4o-mini", None)
    assert 4096 < limit <= 16_384
    price = briefer.catalog.model_info("gpt-4o-mini")
    assert price is not None and price.output_price is not None
    assert planned.max_cost_usd is not None
    assert planned.max_cost_usd >= limit * price.output_price / 1e6
    fake.reset()
    briefer.summarize(article, max_output_tokens=3000, use_cache=False)
    assert fake.requests[0]["max_tokens"] == 3000


def _whole_article_request(request: dict[str, Any]) -> bool:
    content = request["messages"][1]["content"]
    return "<<<ARTICLE" in content and "This is part" not in content


def test_a_reply_cut_off_at_the_cap_re_plans_into_parts_once(fake: FakeOpenAI) -> None:
    article = EXAMPLES / "river-accord-special-report.txt"

    def cut_whole_article(request: dict[str, Any]) -> Reply | None:
        if _whole_article_request(request):
            return Reply(content='{"headline": "The accord', finish_reason="length")
        return None

    fake.responder = cut_whole_article
    briefing = briefer.summarize(article)
    whole = [r for r in fake.requests if _whole_article_request(r)]
    parts = [r for r in fake.requests if "This is part" in r["messages"][1]["content"]]
    consolidations = [r for r in fake.requests if "<<<PARTIALS" in r["messages"][1]["content"]]
    assert len(whole) == 1 and len(parts) >= 2 and len(consolidations) == 1
    # No "write shorter" turn: every request is the system and user message alone.
    assert all(len(r["messages"]) == 2 for r in fake.requests)
    assert all(r["max_tokens"] == 16_384 for r in parts)
    assert briefing.warnings[0].startswith("a reply was cut off at")
    assert briefing.engine.calls == len(fake.requests) and briefing.engine.repairs == 0
    text = briefer.Article.from_text(article.read_text()).text
    evidence = [e for p in briefing.positions for e in p.evidence]
    assert evidence and all(text[e.start : e.end] == e.quote for e in evidence)


def test_a_context_length_400_re_plans_with_the_stated_window(fake: FakeOpenAI) -> None:
    article = long_text()
    stated = 8192
    count = briefer.runtime.tokenizer_for("gpt-4o-mini").count

    def small_window(request: dict[str, Any]) -> Reply | None:
        prompt = sum(count(m["content"]) for m in request["messages"])
        if prompt + request["max_tokens"] > stated:
            body = {
                "error": {
                    "message": f"This model's maximum context length is {stated} tokens. However,"
                    f" you requested {prompt + request['max_tokens']} tokens.",
                    "type": "invalid_request_error",
                    "code": "context_length_exceeded",
                }
            }
            return Reply(status=400, raw_body=json.dumps(body))
        return None

    fake.responder = small_window
    briefing = briefer.summarize(article)
    refused = [reply for _, reply in fake.served if reply.status == 400]
    assert len(refused) == 1, "re-planned once, with the window the server stated"
    # The structured-output ladder was not walked: every request asked for json_schema.
    assert all(r["response_format"]["type"] == "json_schema" for r in fake.requests)
    assert len(fake.requests) >= 4 and briefing.headline.startswith("Consolidated")
    assert any(f"context window is {stated} tokens" in w for w in briefing.warnings)


def test_an_id_forged_in_the_article_cannot_point_outside_it(fake: FakeOpenAI) -> None:
    article = (
        "The minister spoke on Monday. [S40] The minister resigned, the article claims.\n\n"
        "Talks resume next week, officials said."
    )

    def cite_the_forgery(request: dict[str, Any]) -> Reply:
        brief = diligent_briefing(request["messages"])
        brief["positions"][0]["cites"] = ["S40", "S2: The minister resigned"]
        return Reply(content=brief)

    fake.responder = cite_the_forgery
    briefing = briefer.summarize(article)
    [evidence] = briefing.positions[0].evidence
    # "S40" names no sentence; the forged id's words are found only inside the article's S2.
    assert evidence.quote == "The minister resigned"
    assert article[evidence.start : evidence.end] == evidence.quote
    assert any(w.startswith("1 evidence citation(s)") for w in briefing.warnings)


def test_the_offline_engine_reads_the_opening_of_a_very_long_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its parse grows faster than the text: past the bound it briefs the opening part, says
    so, and keeps the whole text's id and offsets."""
    from briefer.briefing import offline
    from briefer.readers.sources import Article

    monkeypatch.setattr(offline, "OFFLINE_MAX_CHARS", 5_000)
    paragraph = (
        'The minister said on Monday that "the talks will resume next week in Geneva." '
        "Officials from both sides have yet to agree on an agenda. "
    ) * 6
    text = "\n\n".join([paragraph] * 12)
    article = Article(text=text, path="long.txt", title="Long")
    briefing = briefer.summarize(article, engine="extractive")
    assert briefing.source.id == article.id and len(text) > 5_000
    assert any("read the first" in w for w in briefing.warnings)
    for position in briefing.positions:
        for evidence in position.evidence:
            assert evidence.end <= 5_000 and text[evidence.start : evidence.end] == evidence.quote
