"""What an OpenAI-compatible server's error says, read from its status and body.

Servers disagree on status codes: llama-cpp-python answers an unsupported `response_format`
with HTTP 500, FastAPI-based servers validate with 422, vLLM and OpenAI with 400 (OpenAI and
Azure also name the offending `param`). So the status alone decides nothing; this module
reads the body to tell apart:

- a request parameter the server or model does not take (`max_tokens` where it wants
  `max_completion_tokens`, a temperature a reasoning model refuses, `strict`, a named
  `tool_choice`): send again without it;
- a structured-output mode it does not take (`response_format`, `json_schema`, `tools`):
  step down the ladder;
- anything else: a 400 about context length, content policy or an unknown model is final,
  a 5xx is worth retrying.

Pure functions, no I/O: tested against the bodies real servers send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["parameter", "structured", "final", "transient"]

# Parameters briefer can send differently (or leave out) when a server refuses them.
PARAMETERS = ("max_completion_tokens", "max_tokens", "temperature", "strict", "tool_choice")
# Words with which servers say that they do not take a parameter or value at all.
_REFUSAL = re.compile(
    r"unsupported|not supported|unrecogni[sz]ed|unknown|not permitted|not allowed|extra"
    r" (?:inputs?|fields?)|does not support|only the default|is not available|invalid"
    r" (?:parameter|argument)|instead",
    re.IGNORECASE,
)
_REFUSAL_CODES = {"unsupported_parameter", "unsupported_value", "unknown_parameter"}
# Errors about the request's content, whatever else their text names: never a reason to
# change how the request is shaped.
_FINAL_CODES = {"context_length_exceeded", "content_filter", "content_policy_violation"}
_STRUCTURED_PARAMS = {"response_format", "tools", "functions", "function_call"}
_STRUCTURED_WORDS = re.compile(
    r"response_format|json_schema|json_object|structured output|\btools?\b|function[ _]call",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rejection:
    """What a server's error means for the next request: `kind`, and for a parameter, which."""

    kind: Kind
    parameter: str | None = None


def classify(status: int, body: Any, sent: dict[str, Any]) -> Rejection:
    """Read an error reply to the request `sent` (its body as the SDK parsed it)."""
    message, param, code = _fields(body)
    if code in _FINAL_CODES:
        return Rejection("final")
    parameter = _refused_parameter(message, param, code, sent)
    if parameter is not None:
        return Rejection("parameter", parameter)
    if param in _STRUCTURED_PARAMS or _about_structured(message, sent):
        return Rejection("structured")
    if status == 422:
        # FastAPI's request validation: the body's shape was refused, and the shapes briefer
        # varies are the structured-output ones.
        return Rejection("structured")
    if status >= 500:
        return Rejection("transient")
    return Rejection("final")


def _fields(body: Any) -> tuple[str, str | None, str | None]:
    """The error's text, `param` and `code`, from `{"error": {...}}`, a bare error object
    (vLLM's `{"object": "error", ...}`), FastAPI's `{"detail": [...]}` or plain text."""
    if not isinstance(body, dict):
        return str(body or ""), None, None
    inner = body.get("error")
    if isinstance(inner, dict):
        body = inner
    text = body.get("message") or body.get("detail") or inner or body
    param, code = body.get("param"), body.get("code")
    return (
        str(text),
        param if isinstance(param, str) else None,
        code if isinstance(code, str) else None,
    )


def _refused_parameter(
    message: str, param: str | None, code: str | None, sent: dict[str, Any]
) -> str | None:
    """The parameter of `sent` that the error says is not taken at all, if any (an error
    that only names it, as "max_tokens is too large" does, is about its value)."""
    refused = code in _REFUSAL_CODES or _REFUSAL.search(message) is not None
    if not refused:
        return None
    for name in PARAMETERS:
        if _sends(sent, name) and (param == name or re.search(rf"\b{name}\b", message)):
            return name
    return None


def _sends(sent: dict[str, Any], name: str) -> bool:
    if name == "strict":
        format_ = sent.get("response_format") or {}
        tools = sent.get("tools") or [{}]
        return bool(
            (format_.get("json_schema") or {}).get("strict")
            or tools[0].get("function", {}).get("strict")
        )
    return name in sent


def _about_structured(message: str, sent: dict[str, Any]) -> bool:
    structured = "response_format" in sent or "tools" in sent
    return structured and _STRUCTURED_WORDS.search(message) is not None
