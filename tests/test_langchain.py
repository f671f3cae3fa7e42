"""LangChain both ways: its chat models as a provider behind briefer's seam (LangChain's own
fake chat model, and ChatOpenAI talking to the fake server), and briefer as a Runnable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import briefer
from briefer.briefing.citations import numbered
from briefer.cli import cli
from briefer.events import Event, Warned
from briefer.text.sentences import split_sentences

from .fake_openai import FakeOpenAI, diligent_briefing

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset" / "articles"
pytest.importorskip("langchain_core")


def tool_calling_fake(replies: list[dict[str, Any]]) -> Any:
    """LangChain's GenericFakeChatModel, answering each call with a tool call carrying one of
    `replies` (as a real tool-calling model answers with_structured_output)."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    class ToolCallingFake(GenericFakeChatModel):
        def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
            return self

    messages = iter(
        AIMessage(
            content="",
            tool_calls=[{"name": "briefing", "args": reply, "id": f"call{n}"}],
            usage_metadata={"input_tokens": 100, "output_tokens": 50, "total_tokens": 150},
        )
        for n, reply in enumerate(replies)
    )
    return ToolCallingFake(messages=messages)


def test_a_langchain_fake_chat_model_briefs_through_the_same_contract(
    seed_article: Path,
) -> None:
    text = briefer.readers.sources.load_file(seed_article).text
    shown = numbered(text, split_sentences(text))
    reply = diligent_briefing([{"role": "user", "content": f"<<<ARTICLE x>>>\n{shown}\n"}])
    reply["positions"].append({"actor": "NATO", "stance": "Invented.", "cites": ["S999"]})
    events: list[Event] = []
    briefing = briefer.summarize(
        seed_article, llm=tool_calling_fake([reply]), on_event=events.append
    )
    assert briefing.engine.name == "llm" and briefing.engine.model == "ToolCallingFake"
    # LangChain's fake has no output cap field: its provider says so, and the run tells it.
    [warned] = [e for e in events if isinstance(e, Warned)]
    assert warned.kind == "provider" and "no per-call output limit" in warned.message
    assert warned.message in briefing.warnings
    assert briefing.engine.calls == 1 and briefing.engine.prompt_tokens == 100
    assert briefing.positions
    for position in briefing.positions:
        for evidence in position.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote
    assert any("naming no sentence" in w for w in briefing.warnings)  # grounding ran


def test_a_chat_model_without_structured_output_is_a_clear_error(seed_article: Path) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    with pytest.raises(briefer.ConfigError, match="no structured output"):
        briefer.summarize(seed_article, llm=FakeListChatModel(responses=["{}"]))


def chat_openai(fake: FakeOpenAI) -> Any:
    langchain_openai = pytest.importorskip("langchain_openai")
    return langchain_openai.ChatOpenAI(
        model="gpt-4o-mini", base_url=fake.url, api_key="sk-test-secret-0123456789"
    )


def test_chat_openai_briefs_devset_articles_through_the_fake_server(fake: FakeOpenAI) -> None:
    from jsonschema import Draft202012Validator

    if not DEVSET.is_dir():
        pytest.skip("../shared/devset is not beside this checkout")
    schema = json.loads(
        (Path(__file__).parent / "fixtures" / "briefing-v1.schema.json").read_text()
    )
    articles = sorted(DEVSET.glob("*.txt"))[:4]
    outcomes = briefer.summarize_many(articles, llm=chat_openai(fake))
    assert len(fake.requests) == len(articles)
    assert "tools" in fake.requests[0] or "response_format" in fake.requests[0]
    for path, outcome in zip(articles, outcomes, strict=True):
        assert outcome.briefing is not None, outcome.error
        Draft202012Validator(schema).validate(json.loads(outcome.briefing.model_dump_json()))
        text = briefer.readers.sources.load_file(path).text
        for position in outcome.briefing.positions:
            for evidence in position.evidence:
                assert text[evidence.start : evidence.end] == evidence.quote
    again = briefer.summarize_many(articles, llm=chat_openai(fake))
    assert len(fake.requests) == len(articles)  # the cache sits above the seam
    assert all(o.briefing and o.briefing.engine.cached_calls == 1 for o in again)


def test_the_cli_builds_a_langchain_provider_from_the_config_file(
    fake: FakeOpenAI, seed_article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("langchain_openai")
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.delenv("OPENAI_API_KEY")
    (tmp_path / "config.toml").write_text(
        'provider = "langchain:langchain_openai.ChatOpenAI"\n'
        "[provider_options]\n"
        f'model = "gpt-4o-mini"\nbase_url = "{fake.url}"\napi_key = "sk-test-0123456789"\n'
    )
    result = CliRunner().invoke(cli, ["summarize", str(seed_article), "-f", "json", "-q"])
    assert result.exit_code == 0, result.output
    briefing = json.loads(result.stdout)
    assert briefing["engine"]["model"] == "gpt-4o-mini" and briefing["positions"]
    assert len(fake.requests) == 1
    bad = CliRunner().invoke(cli, ["summarize", str(seed_article), "--provider", "langchain:nope"])
    assert bad.exit_code == 2 and "module" in bad.stderr


def test_briefer_as_a_runnable_takes_documents_in_a_chain(fake: FakeOpenAI) -> None:
    from langchain_core.documents import Document
    from langchain_core.runnables import RunnableLambda

    text = "Talks stall\n\n" + "The minister said the talks would resume next week. " * 4
    runnable = briefer.as_runnable()
    briefing = runnable.invoke(Document(page_content=text, metadata={"source": "wire/1"}))
    assert isinstance(briefing, briefer.Briefing) and briefing.source.path == "wire/1"
    chain = RunnableLambda(lambda docs: docs) | runnable
    briefings = chain.invoke([Document(page_content=text), Document(page_content=text + " More.")])
    assert [type(b) for b in briefings] == [briefer.Briefing, briefer.Briefing]
    with pytest.raises(briefer.BrieferError):
        runnable.invoke(Document(page_content="   "))


def test_chat_openai_requests_carry_briefer_s_output_limit(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    events: list[Event] = []
    briefing = briefer.summarize(
        seed_article, llm=chat_openai(fake), max_output_tokens=1500, on_event=events.append
    )
    [request] = fake.requests
    assert (request.get("max_tokens") or request.get("max_completion_tokens")) == 1500
    assert not any(isinstance(e, Warned) for e in events)
    assert not any("output limit" in w for w in briefing.warnings)
    # A lower cap the chat model was built with is kept.
    fake.requests.clear()
    model = chat_openai(fake).model_copy(update={"max_tokens": 700})
    briefer.summarize(seed_article, llm=model, max_output_tokens=1500, use_cache=False)
    [request] = fake.requests
    assert (request.get("max_tokens") or request.get("max_completion_tokens")) == 700
