"""LangChain chat models as a provider: Anthropic, Gemini, Bedrock, Mistral, Ollama (native)
and every other integration LangChain has, through its `with_structured_output`.

The model brings its own client, retries and structured-output method; briefer keeps the
cache, the repair turn, pacing and grounding above the seam as for any provider.
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Callable
from typing import Any

from ...errors import ConfigError, LLMError
from ...sanitize import message_line
from .provider import Reply, Transient

NATIVE = "native"
# How integrations name their output cap: ChatOpenAI, ChatAnthropic, ChatMistralAI and most
# others `max_tokens`; Gemini `max_output_tokens`; ChatOllama `num_predict`.
_OUTPUT_CAP_FIELDS = ("max_tokens", "max_output_tokens", "max_completion_tokens", "num_predict")
# Integrations report a cut-off reply in their own words.
_TRUNCATED = {"length", "max_tokens", "MAX_TOKENS"}


class LangChainChat:
    """A LangChain chat model (any `BaseChatModel`) behind the provider seam."""

    modes = (NATIVE,)

    def __init__(self, chat_model: Any) -> None:
        if not hasattr(chat_model, "with_structured_output"):
            raise ConfigError(
                f"{type(chat_model).__name__} is not a LangChain chat model"
                " (it has no with_structured_output)"
            )
        self.chat_model = chat_model
        name = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None)
        self.label = f"langchain:{type(chat_model).__name__}" + (f"/{name}" if name else "")
        self.identity = self.label
        self.model = str(name or type(chat_model).__name__)
        self.caps_output = _output_cap_field(chat_model) is not None

    # A chat model has no Batch API here and no request shape to learn: it builds its own.
    batch = None

    def remember_shape(self, stored: str | None, store: Callable[[str], None]) -> None:
        return None

    async def complete(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any], max_output: int
    ) -> Reply:
        tool = {"title": "briefing", "description": "Submit the structured result.", **schema}
        try:
            structured = capped(self.chat_model, max_output).with_structured_output(
                tool, include_raw=True
            )
        except NotImplementedError:
            raise ConfigError(
                f"{type(self.chat_model).__name__} has no structured output (tool calling or"
                " JSON schema); use a chat model that supports it"
            ) from None
        try:
            # The sync path in a worker thread: integrations cache async HTTP clients bound to
            # the event loop they were first used on, and each briefer.summarize() runs its own.
            result = await asyncio.to_thread(structured.invoke, messages)
        except Exception as exc:
            status = getattr(exc, "status_code", None)
            failure = f"{self.label} failed: {message_line(str(exc), limit=300)}"
            if status == 429 or (isinstance(status, int) and status >= 500):
                raise Transient(failure, status=status, throttled=status == 429) from None
            raise LLMError(failure, status=status if isinstance(status, int) else None) from None
        raw = result.get("raw") if isinstance(result, dict) else None
        parsed = result.get("parsed") if isinstance(result, dict) else None
        # A reply the model's parser could not read goes back as text: the repair turn above
        # the seam shows the model what was wrong.
        content = json.dumps(parsed) if isinstance(parsed, dict) else _text(raw)
        usage = getattr(raw, "usage_metadata", None) or {}
        metadata = getattr(raw, "response_metadata", None) or {}
        finish = metadata.get("finish_reason") or metadata.get("stop_reason")
        return Reply(
            content,
            finish in _TRUNCATED,
            int(usage.get("input_tokens") or 0),
            int(usage.get("output_tokens") or 0),
        )

    async def aclose(self) -> None:
        """The chat model owns its connections."""


def capped(chat_model: Any, max_output: int) -> Any:
    """A copy of the chat model whose output cap is `max_output`, or the cap it was built with
    when that is lower. LangChain has no per-call cap every integration honours, but each
    names one field for it; a model with none of the known fields is used as it is (its
    provider says so: `caps_output` is False)."""
    name = _output_cap_field(chat_model)
    if name is None:
        return chat_model
    built = getattr(chat_model, name, None)
    if isinstance(built, int) and 0 < built <= max_output:
        return chat_model
    return chat_model.model_copy(update={name: max_output})


def _output_cap_field(chat_model: Any) -> str | None:
    """The field the chat model's integration caps its output by, if it is a known one."""
    fields = getattr(type(chat_model), "model_fields", {})
    return next((name for name in _OUTPUT_CAP_FIELDS if name in fields), None)


def load_chat_model(spec: str, options: dict[str, Any]) -> Any:
    """Instantiate `module.Class` (from `--provider langchain:module.Class`) with `options`."""
    module_name, _, class_name = spec.rpartition(".")
    if not module_name:
        raise ConfigError(
            f"--provider langchain:{spec}: name the class with its module,"
            " e.g. langchain:langchain_anthropic.ChatAnthropic"
        )
    try:
        chat_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(
            f"--provider langchain:{spec} cannot be loaded ({exc}); install its package"
        ) from None
    try:
        return chat_class(**options)
    except Exception as exc:
        raise ConfigError(
            f"{spec}({', '.join(options)}) failed: {message_line(str(exc), limit=200)}"
        ) from None


def _text(message: Any) -> str:
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part.get("text", "") if isinstance(part, dict) else str(part) for part in content
        )
    return ""
