"""Compatibility suite: summarize and digest against servers that behave as real ones do
(profiles in server_profiles.py), and what briefer reads from their errors."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefer.cli import cli
from briefer.engines.llm.rejections import classify

from . import server_profiles
from .conftest import DIGEST_DAY, EXAMPLES
from .fake_openai import FakeOpenAI, Reply

DAY = "2026-11-26"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def _mode(request: dict[str, Any]) -> str:
    if "tools" in request:
        return "tool"
    return (request.get("response_format") or {}).get("type", "prompt")


@pytest.mark.parametrize("profile", sorted(server_profiles.PROFILES))
def test_summarize_and_digest_against_each_server(
    fake: FakeOpenAI, seed_article: Path, profile: str
) -> None:
    model, gate = server_profiles.PROFILES[profile]
    fake.gate = gate
    result = invoke("summarize", str(seed_article), "-m", model, "-f", "json", "-q")
    assert result.exit_code == 0, result.stderr
    briefing = json.loads(result.stdout)
    assert briefing["engine"]["name"] == "llm" and briefing["actors"]
    # A refusal is paid for once: no request was retried as if the server were overloaded.
    assert briefing["engine"]["retries"] == 0
    result = invoke("digest", str(DIGEST_DAY), "--date", DAY, "-m", model, "-f", "json", "-q")
    assert result.exit_code == 0, result.stderr
    digest = json.loads(result.stdout)
    assert digest["articles"] and not digest["failures"]


def test_llama_cpp_500_on_json_schema_steps_down_once_and_is_remembered(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    fake.gate = server_profiles.llama_cpp_python()
    assert invoke("summarize", str(seed_article), "-m", "smollm2", "-q").exit_code == 0
    modes = [_mode(request) for request in fake.requests]
    assert modes == ["json_schema", "tool"]
    fake.requests.clear()
    assert invoke("summarize", str(seed_article), "-m", "smollm2", "-q", "--refresh").exit_code == 0
    assert [_mode(request) for request in fake.requests] == ["tool"]


def test_a_refused_mode_is_not_tried_again_when_the_next_mode_s_reply_fails(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    # A small local model answers the tool call with something that is not a briefing: the
    # article fails, but json_schema was refused all the same, and the next call starts below.
    fake.gate = server_profiles.llama_cpp_python()
    fake.enqueue(*[Reply(content={"not": "a briefing"})] * 2)
    assert invoke("summarize", str(seed_article), "-m", "smollm2", "-q").exit_code == 1
    fake.requests.clear()
    assert invoke("summarize", str(seed_article), "-m", "smollm2", "-q").exit_code == 0
    assert [_mode(request) for request in fake.requests] == ["tool"]


def test_calls_waiting_their_turn_skip_a_mode_the_server_refused_meanwhile(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    # One call at a time (a llama.cpp server's single slot): the calls queued behind the first
    # chose their mode before its refusal came back, and must not each be refused again.
    fake.gate = server_profiles.llama_cpp_python()
    paths = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    result = invoke("summarize", *paths, "-m", "smollm2", "--concurrency", "1", "-q")
    assert result.exit_code == 0, result.stderr
    modes = [_mode(request) for request in fake.requests]
    assert modes.count("json_schema") == 1 and set(modes) == {"json_schema", "tool"}


def test_azure_reasoning_deployment_parameters_are_learned_once(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    fake.gate = server_profiles.azure_reasoning_deployment()
    assert invoke("summarize", str(seed_article), "-m", "briefs-reasoning", "-q").exit_code == 0
    # max_tokens refused, then temperature refused, then the answer: all in json_schema mode.
    assert len(fake.requests) == 3
    assert {_mode(request) for request in fake.requests} == {"json_schema"}
    fake.requests.clear()
    args = ("summarize", str(seed_article), "-m", "briefs-reasoning", "-q", "--refresh")
    assert invoke(*args).exit_code == 0
    (request,) = fake.requests
    assert "max_completion_tokens" in request and "temperature" not in request


def test_ollama_model_without_tools_gets_json_schema(fake: FakeOpenAI, seed_article: Path) -> None:
    fake.gate = server_profiles.ollama()
    args = ("summarize", str(seed_article), "-m", "gemma2", "-q", "--structured", "tool")
    result = invoke(*args)
    assert result.exit_code == 1 and "does not support tools" in result.stderr
    fake.requests.clear()
    assert invoke("summarize", str(seed_article), "-m", "gemma2", "-q").exit_code == 0
    assert [_mode(request) for request in fake.requests] == ["json_schema"]


def test_strict_and_named_tool_choice_are_dropped_when_refused(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    fake.gate = server_profiles.vllm_without_named_tool_choice()
    args = ("summarize", str(seed_article), "-m", "old-vllm", "-q", "--structured", "tool")
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    # strict refused, then the named tool_choice, then "required": three refusals, one answer.
    assert [reply.status for _, reply in fake.served] == [400, 400, 400, 200]
    last = fake.requests[-1]
    assert "tool_choice" not in last and "strict" not in last["tools"][0]["function"]
    fake.requests.clear()
    fake.served.clear()
    assert invoke(*args, "--refresh").exit_code == 0
    assert [reply.status for _, reply in fake.served] == [200]


def test_an_unreachable_base_url_stops_a_digest_with_one_line() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = invoke(
        "digest", str(DIGEST_DAY), "--date", DAY, "--base-url", f"http://127.0.0.1:{port}/v1"
    )
    assert result.exit_code == 1
    assert result.stderr.count("Nothing is listening") == 1


@pytest.mark.parametrize(
    "gate",
    [server_profiles.vllm(max_model_len=2048), server_profiles.llama_cpp_python(n_ctx=2048)],
    ids=["vllm", "llama-cpp-python"],
)
def test_a_context_length_400_does_not_walk_the_ladder(
    fake: FakeOpenAI, seed_article: Path, gate: server_profiles.Gate
) -> None:
    fake.gate = gate
    result = invoke("summarize", str(seed_article), "-m", "some-model", "-q")
    assert result.exit_code == 1
    assert "maximum context length" in result.stderr
    # One request in the first mode the server takes (llama.cpp refuses json_schema first),
    # and not one more down the ladder.
    statuses = [reply.status for _, reply in fake.served]
    assert statuses[-1] == 400 and statuses.count(400) == 1
    assert not {"json_object", "prompt"} & {_mode(request) for request in fake.requests}


def test_a_content_filter_400_is_final(fake: FakeOpenAI, seed_article: Path) -> None:
    fake.gate = server_profiles.azure_content_filter()
    result = invoke("summarize", str(seed_article), "-m", "gpt-4o", "-q")
    assert result.exit_code == 1 and "content management policy" in result.stderr
    assert len(fake.requests) == 1


def test_an_unreachable_base_url_fails_fast_and_once(seed_article: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    other = tmp_path / "other.txt"
    other.write_text(seed_article.read_text() + "\nA second article.\n")
    started = time.monotonic()
    result = invoke(
        "summarize", str(seed_article), str(other), "--base-url", f"http://127.0.0.1:{port}/v1"
    )
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert result.stderr.count("Nothing is listening") == 1
    assert "--base-url" in result.stderr


# What briefer reads from error bodies real servers send.
REASONING_REQUEST = {"model": "m", "messages": [], "max_tokens": 10, "temperature": 0.0}
SCHEMA_REQUEST = {
    "model": "m",
    "messages": [],
    "max_tokens": 10,
    "response_format": {"type": "json_schema", "json_schema": {"strict": True, "schema": {}}},
}
TOOL_REQUEST = {
    "model": "m",
    "messages": [],
    "max_tokens": 10,
    "tools": [{"type": "function", "function": {"name": "f", "strict": True}}],
    "tool_choice": {"type": "function", "function": {"name": "f"}},
}


@pytest.mark.parametrize(
    ("status", "body", "sent", "kind", "parameter"),
    [
        # llama-cpp-python: HTTP 500 for a response_format it does not know.
        (
            500,
            {
                "message": "1 validation error: ('body', 'response_format', 'type') Input should"
                " be 'text' or 'json_object'",
                "type": "internal_server_error",
            },
            SCHEMA_REQUEST,
            "structured",
            None,
        ),
        # A 500 about nothing structured: an overloaded server, retried.
        (500, {"message": "CUDA out of memory"}, SCHEMA_REQUEST, "transient", None),
        # FastAPI request validation.
        (
            422,
            {"detail": [{"loc": ["body", "tool_choice"], "msg": "bad"}]},
            REASONING_REQUEST,
            "structured",
            None,
        ),
        # OpenAI's param names the structured mode.
        (
            400,
            {"message": "Invalid schema", "param": "response_format"},
            SCHEMA_REQUEST,
            "structured",
            None,
        ),
        # OpenAI / Azure reasoning models.
        (
            400,
            {
                "message": "Unsupported parameter: 'max_tokens' is not supported with this model."
                " Use 'max_completion_tokens' instead.",
                "param": "max_tokens",
                "code": "unsupported_parameter",
            },
            REASONING_REQUEST,
            "parameter",
            "max_tokens",
        ),
        (
            400,
            {
                "message": "Unsupported value: 'temperature' does not support 0 with this model.",
                "param": "temperature",
                "code": "unsupported_value",
            },
            REASONING_REQUEST,
            "parameter",
            "temperature",
        ),
        # A server that forbids extra fields refusing `strict`.
        (
            400,
            {
                "message": "('body', 'tools', 0, 'function', 'strict'): Extra inputs are not"
                " permitted"
            },
            TOOL_REQUEST,
            "parameter",
            "strict",
        ),
        # vLLM without named tool choice.
        (
            400,
            {
                "object": "error",
                "message": "tool_choice of this form is not supported",
                "type": "BadRequestError",
                "code": 400,
            },
            TOOL_REQUEST,
            "parameter",
            "tool_choice",
        ),
        # Not about the request's shape: final, whatever the status.
        (
            400,
            {
                "message": "max_tokens is too large: 100000. This model supports at most 16384"
                " completion tokens, whereas you provided 100000.",
                "param": "max_tokens",
                "code": None,
            },
            REASONING_REQUEST,
            "final",
            None,
        ),
        (
            400,
            {
                "message": "This model's maximum context length is 8192 tokens.",
                "code": "context_length_exceeded",
                "param": "messages",
            },
            SCHEMA_REQUEST,
            "final",
            None,
        ),
        (400, {"message": "Invalid model name"}, SCHEMA_REQUEST, "final", None),
    ],
)
def test_error_bodies_are_read_not_just_the_status(
    status: int, body: Any, sent: dict[str, Any], kind: str, parameter: str | None
) -> None:
    verdict = classify(status, body, sent)
    assert (verdict.kind, verdict.parameter) == (kind, parameter)
