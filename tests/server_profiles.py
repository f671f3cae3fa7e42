"""What real OpenAI-compatible servers accept and refuse, as gates for the fake server.

Each profile looks at a request as that server would and returns the error it sends (status
code and body as the server writes them), or None when the server would answer. The bodies
follow the servers' own code:

- llama-cpp-python 0.3.x (`llama_cpp/server`): `response_format.type` is a Literal of
  "text" and "json_object"; its route error handler turns the pydantic validation error into
  HTTP 500 `internal_server_error` (seen from the real server: see test_llama_server.py);
  a prompt past n_ctx is a 400 `context_length_exceeded`.
- Ollama (`openai/openai.go`): errors are `{"error": {"message", "type", "param", "code"}}`
  with type `invalid_request_error` for 400; a model without a tool template answers
  `... does not support tools`. It ignores `tool_choice` and `strict`.
- vLLM (`entrypoints/openai`): `ErrorResponse` at the top level (`{"object": "error", ...,
  "type": "BadRequestError", "code": 400}`); a request past max_model_len is refused with
  "This model's maximum context length is ...".
- Azure OpenAI (a reasoning-model deployment under a name of the user's choosing): the
  OpenAI error object with `param` and `code`: `max_tokens` is an `unsupported_parameter`,
  a temperature other than 1 an `unsupported_value`; a flagged prompt is `content_filter`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .fake_openai import Reply

Gate = Callable[[dict[str, Any]], Reply | None]


def _error(status: int, body: dict[str, Any]) -> Reply:
    return Reply(status=status, raw_body=json.dumps(body))


def _prompt_tokens(request: dict[str, Any]) -> int:
    return sum(len(m.get("content") or "") for m in request["messages"]) // 4


def llama_cpp_python(n_ctx: int = 8192) -> Gate:
    def gate(request: dict[str, Any]) -> Reply | None:
        kind = (request.get("response_format") or {}).get("type")
        if kind is not None and kind not in ("text", "json_object"):
            message = (
                "1 validation error:\n  {'type': 'literal_error', 'loc': ('body',"
                " 'response_format', 'type'), 'msg': \"Input should be 'text' or"
                f" 'json_object'\", 'input': '{kind}', 'ctx': {{'expected': \"'text' or"
                ' \'json_object\'"}}\n\n  File "llama_cpp/server/app.py", line 376, in'
                " create_chat_completion\n    POST /v1/chat/completions"
            )
            return _error(
                500,
                {
                    "error": {
                        "message": message,
                        "type": "internal_server_error",
                        "param": None,
                        "code": None,
                    }
                },
            )
        requested = _prompt_tokens(request) + int(request.get("max_tokens") or 0)
        if requested > n_ctx:
            return _error(
                400,
                {
                    "error": {
                        "message": f"This model's maximum context length is {n_ctx} tokens."
                        f" However, you requested {requested} tokens. Please reduce the"
                        " length of the messages.",
                        "type": "invalid_request_error",
                        "param": "messages",
                        "code": "context_length_exceeded",
                    }
                },
            )
        return None

    return gate


def ollama(model: str = "gemma2") -> Gate:
    def gate(request: dict[str, Any]) -> Reply | None:
        if request.get("tools"):
            return _error(
                400,
                {
                    "error": {
                        "message": f"registry.ollama.ai/library/{model}:latest does not"
                        " support tools",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": None,
                    }
                },
            )
        return None

    return gate


def vllm(max_model_len: int = 32768) -> Gate:
    def gate(request: dict[str, Any]) -> Reply | None:
        prompt = _prompt_tokens(request)
        completion = int(request.get("max_completion_tokens") or request.get("max_tokens") or 0)
        if prompt + completion > max_model_len:
            return _error(
                400,
                {
                    "object": "error",
                    "message": f"This model's maximum context length is {max_model_len}"
                    f" tokens. However, you requested {prompt + completion} tokens ({prompt}"
                    f" in the messages, {completion} in the completion). Please reduce the"
                    " length of the messages or completion.",
                    "type": "BadRequestError",
                    "param": None,
                    "code": 400,
                },
            )
        return None

    return gate


def vllm_without_named_tool_choice() -> Gate:
    """An older vLLM: tool calls only with tool_choice "auto" or left out, and no `strict`."""

    def gate(request: dict[str, Any]) -> Reply | None:
        function = (request.get("tools") or [{}])[0].get("function") or {}
        if "strict" in function:
            message = (
                "1 validation error for ChatCompletionRequest\ntools.0.function.strict\n"
                "  Extra inputs are not permitted [type=extra_forbidden]"
            )
        elif request.get("tool_choice") not in (None, "auto"):
            message = (
                "Only 'auto' tool_choice is supported: tool_choice of this form is not supported"
            )
        else:
            return None
        return _error(
            400,
            {
                "object": "error",
                "message": message,
                "type": "BadRequestError",
                "param": None,
                "code": 400,
            },
        )

    return gate


def azure_reasoning_deployment() -> Gate:
    def gate(request: dict[str, Any]) -> Reply | None:
        if "max_tokens" in request:
            return _error(
                400,
                {
                    "error": {
                        "message": "Unsupported parameter: 'max_tokens' is not supported with"
                        " this model. Use 'max_completion_tokens' instead.",
                        "type": "invalid_request_error",
                        "param": "max_tokens",
                        "code": "unsupported_parameter",
                    }
                },
            )
        if request.get("temperature") not in (None, 1, 1.0):
            return _error(
                400,
                {
                    "error": {
                        "message": "Unsupported value: 'temperature' does not support"
                        f" {request['temperature']} with this model. Only the default (1)"
                        " value is supported.",
                        "type": "invalid_request_error",
                        "param": "temperature",
                        "code": "unsupported_value",
                    }
                },
            )
        return None

    return gate


def azure_content_filter() -> Gate:
    def gate(request: dict[str, Any]) -> Reply | None:
        return _error(
            400,
            {
                "error": {
                    "message": "The response was filtered due to the prompt triggering Azure"
                    " OpenAI's content management policy. Please modify your prompt and retry.",
                    "type": None,
                    "param": "prompt",
                    "code": "content_filter",
                    "status": 400,
                }
            },
        )

    return gate


PROFILES: dict[str, tuple[str, Gate]] = {
    # name: (model as that server is usually asked for, gate)
    "llama-cpp-python": ("smollm2", llama_cpp_python()),
    "ollama": ("gemma2", ollama()),
    "vllm": ("Qwen/Qwen2.5-7B-Instruct", vllm()),
    "azure-openai": ("briefs-reasoning", azure_reasoning_deployment()),
}
