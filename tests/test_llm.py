"""The LLM client through the real openai SDK against the local fake server."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

import briefer
from briefer import LLMError, SchemaError

from .fake_openai import FakeOpenAI, Reply, diligent_briefing


def run(article: str, **options: object) -> briefer.Briefing:
    return briefer.summarize(article, **options)  # type: ignore[arg-type]


def good(fake: FakeOpenAI, text: str) -> Reply:
    return Reply(content=diligent_briefing([{"role": "user", "content": text}]))


def test_request_is_structured_and_delimited(fake: FakeOpenAI, seed_article) -> None:
    briefing = run(str(seed_article))
    (request,) = fake.requests
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    system, user = request["messages"]
    assert system["role"] == "system" and "untrusted" in system["content"]
    assert "Azimov" not in system["content"]
    marker = briefing.source.id[:16]
    assert f"<<<ARTICLE {marker}>>>" in user["content"]
    assert f"<<<END ARTICLE {marker}>>>" in user["content"]
    assert request["temperature"] == 0.0 and request["max_tokens"] == 4096
    assert briefing.engine.name == "llm" and briefing.engine.calls == 1


def test_identical_input_sends_identical_requests(fake: FakeOpenAI, seed_article) -> None:
    run(str(seed_article), use_cache=False)
    run(str(seed_article), use_cache=False)
    first, second = ({k: v for k, v in r.items() if k != "_headers"} for r in fake.requests)
    assert first == second


def test_429_with_retry_after_is_retried(fake: FakeOpenAI, seed_article) -> None:
    fake.enqueue(Reply(status=429, headers={"retry-after": "0.3"}), Reply(status=500))
    started = time.monotonic()
    briefing = run(str(seed_article))
    assert time.monotonic() - started >= 0.3
    assert len(fake.requests) == 3
    assert briefing.engine.retries == 2 and briefing.engine.calls == 1


def test_malformed_body_and_slow_reply_are_retried(fake: FakeOpenAI, seed_article) -> None:
    fake.enqueue(Reply(raw_body="{not json"), Reply(delay=2.0))
    briefing = run(str(seed_article), timeout=0.5)
    assert briefing.positions and briefing.engine.retries == 2


def test_server_that_stays_down_gives_a_clear_error(fake: FakeOpenAI, seed_article) -> None:
    fake.enqueue(*[Reply(status=503, headers={"retry-after": "0"}) for _ in range(5)])
    with pytest.raises(LLMError, match="HTTP 503.*gave up after 5 attempts"):
        run(str(seed_article), max_retries=4)


def test_invalid_reply_is_repaired_once(fake: FakeOpenAI, seed_article) -> None:
    fake.enqueue(Reply(content={"headline": "only a headline"}))
    briefing = run(str(seed_article))
    assert briefing.engine.repairs == 1 and briefing.engine.calls == 2
    repair = fake.requests[1]["messages"]
    assert repair[-2]["role"] == "assistant" and "could not be used" in repair[-1]["content"]
    assert "summary" in repair[-1]["content"]


def test_two_invalid_replies_raise_schema_error(fake: FakeOpenAI, seed_article) -> None:
    fake.enqueue(Reply(content={"headline": "x"}), Reply(content={"headline": "y"}))
    with pytest.raises(SchemaError) as raised:
        run(str(seed_article))
    assert raised.value.attempts == 2 and '"y"' in raised.value.last_response


def test_truncated_reply_is_re_planned_not_repaired(fake: FakeOpenAI, seed_article) -> None:
    fake.enqueue(Reply(content='{"headline": "cut', finish_reason="length"))
    briefing = run(str(seed_article))
    assert briefing.engine.repairs == 0
    assert all(len(request["messages"]) == 2 for request in fake.requests)
    assert any("cut off at" in w for w in briefing.warnings)


@pytest.mark.parametrize(
    ("rejected", "expected"),
    [
        ({"json_schema"}, "tool"),
        ({"json_schema", "tool"}, "json_object"),
        ({"json_schema", "tool", "json_object"}, "prompt"),
    ],
)
def test_ladder_falls_back_and_remembers(
    fake: FakeOpenAI, seed_article, rejected: set[str], expected: str
) -> None:
    fake.reject_modes |= rejected
    briefing = run(str(seed_article), use_cache=True)
    assert briefing.engine.structured_mode == expected
    assert len(fake.requests) == len(rejected) + 1
    if expected in ("json_object", "prompt"):
        assert "JSON Schema" in fake.requests[-1]["messages"][0]["content"]
    fake.requests.clear()
    run(str(seed_article), refresh=True)
    assert len(fake.requests) == 1, "the working rung is remembered"


def test_forced_structured_mode(fake: FakeOpenAI, seed_article) -> None:
    run(str(seed_article), structured="tool")
    (request,) = fake.requests
    assert request["tool_choice"]["function"]["name"] == "submit_briefing"


def test_async_api(fake: FakeOpenAI, seed_article) -> None:
    briefing = asyncio.run(briefer.summarize_async(str(seed_article)))
    assert briefing.engine.name == "llm"


def test_recorded_wire_response_is_grounded(
    fake: FakeOpenAI, seed_article, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .conftest import FIXTURES

    monkeypatch.setenv("BRIEFER_EVIDENCE", "quote")  # recorded before evidence by reference
    recorded = json.loads((FIXTURES / "responses" / "azerbaijan-nato.json").read_text())
    fake.enqueue(Reply(raw_body=json.dumps(recorded)))
    briefing = run(str(seed_article))
    text = briefer.Article.from_text(seed_article.read_text()).text
    assert {a.name for a in briefing.actors} >= {"Araz Azimov", "NATO", "James Appathurai"}
    for position in briefing.positions:
        for evidence in position.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote
    assert any("not found" in w for w in briefing.warnings), "the invented quote is dropped"
    assert any(e.direct for p in briefing.positions for e in p.evidence)


def test_missing_key_names_the_fix(seed_article) -> None:
    with pytest.raises(briefer.ConfigError, match="OPENAI_API_KEY.*--base-url"):
        run(str(seed_article), engine="llm")


@pytest.mark.parametrize(
    ("message", "limit"),
    [
        ("This model's maximum context length is 8192 tokens. However, you requested 9000", 8192),
        ("the request exceeds the available context size (4096 tokens), try increasing it", 4096),
        ("Requested tokens (9000) exceed context window of 2048", 2048),
        ("Input is longer than the context length allowed; it exceeds it", None),
    ],
)
def test_a_server_s_stated_context_window_is_read(message: str, limit: int | None) -> None:
    from briefer.engines.llm.openai_compat import is_context_length, stated_limit

    assert is_context_length(None, message)
    assert stated_limit(message) == limit
    assert not is_context_length(None, "response_format json_schema is not supported")


def test_an_endpoint_that_cannot_be_reached_stops_the_run_after_a_few_attempts(
    seed_article, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No network and a stored key: a few attempts in all, then one line naming the
    offline engine, instead of every input's five retries."""
    import socket

    from click.testing import CliRunner

    from briefer.cli import cli

    tried: list[str] = []
    resolve = socket.getaddrinfo

    def no_route(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in ("api.briefer-test.invalid", b"api.briefer-test.invalid"):
            tried.append(host)
            raise OSError("Temporary failure in name resolution")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_route)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-stored")
    paths = []
    for n in range(4):
        path = tmp_path / f"a{n}.txt"
        path.write_text(seed_article.read_text() + f"\nArticle {n}.\n")
        paths.append(str(path))
    result = CliRunner().invoke(
        cli,
        [
            "summarize",
            *paths,
            "--base-url",
            "http://api.briefer-test.invalid/v1",
            "--concurrency",
            "1",
            "-q",
        ],
    )
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: Cannot reach") and "--engine extractive" in line
    assert 3 <= len(tried) <= 4  # three attempts (a lookup may be retried once)


def test_a_reply_saying_not_to_retry_is_not_retried(fake: FakeOpenAI, seed_article) -> None:
    fake.enqueue(Reply(status=500, headers={"x-should-retry": "false"}))
    with pytest.raises(LLMError, match="x-should-retry: false"):
        run(str(seed_article))
    assert len(fake.requests) == 1
    fake.requests.clear()
    fake.enqueue(Reply(status=429, headers={"x-should-retry": "false"}))
    with pytest.raises(LLMError, match="says not to retry"):
        run(str(seed_article), use_cache=False)
    assert len(fake.requests) == 1
