"""The OpenAI-compatible provider: OpenAI, Azure, OpenRouter, Ollama, vLLM, llama.cpp server.

The only module that imports `openai`. It builds chat-completion requests for each
structured-output mode, reads whatever a server sends back (the SDK does not validate a 200
body), and maps the SDK's errors onto the provider seam's outcomes. Its Batch API (`Batches`,
the provider's `batch` capability) sends the same requests as jobs.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ...errors import ContextLengthError, EndpointUnreachable, LLMError
from ...sanitize import message_line, redact
from ...settings import Settings
from . import retry
from .provider import LADDER, BatchState, Reply, Transient, Unsupported
from .rejections import classify
from .shape import RequestShape

if TYPE_CHECKING:
    from openai import AsyncOpenAI

OPENAI_ENDPOINT = "https://api.openai.com/v1"
TOOL_NAME = "submit_briefing"
MAX_RETRY_AFTER_SECONDS = 60.0
# Parameters a request can drop or rename when refused: at most this many resends per call.
MAX_RESHAPES = 4


class OpenAICompatible:
    """Chat completions at one OpenAI-compatible endpoint."""

    modes = LADDER
    # max_tokens, or max_completion_tokens where the model takes that (see shape.py).
    caps_output = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.endpoint = (settings.base_url or OPENAI_ENDPOINT).rstrip("/")
        # What messages and the cache file show: credentials in a base URL never leave.
        self.label = redact(self.endpoint)
        self.identity = self.endpoint
        self.model = settings.model
        self.shape = RequestShape.guess(settings.model)
        # Told when a refusal changed the shape, so it can be remembered across runs.
        self.on_reshape: Callable[[RequestShape], None] | None = None
        self._client: AsyncOpenAI | None = None

    @property
    def batch(self) -> Batches:
        """This endpoint's Batch API: its bodies are `params`, its jobs go through `sdk`."""
        return Batches(self)

    def remember_shape(self, stored: str | None, store: Callable[[str], None]) -> None:
        self.shape = RequestShape.loads(stored, self.shape)
        self.on_reshape = lambda shape: store(shape.dumps())

    def sdk(self) -> AsyncOpenAI:
        """The SDK client (the Batch API uses it too)."""
        if self._client is None:
            from openai import AsyncOpenAI

            self._client = AsyncOpenAI(
                # Local servers accept any key; the SDK insists on one.
                api_key=self.settings.api_key or "no-key",
                base_url=self.endpoint,
                max_retries=0,
                timeout=self.settings.timeout,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    def params(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any], max_output: int
    ) -> dict[str, Any]:
        """The request body for `mode` (also a Batch API line's body), in the shape this
        endpoint and model were found to take."""
        shape = self.shape
        params: dict[str, Any] = {"model": self.settings.model, "messages": messages}
        if shape.temperature and self.settings.temperature is not None:
            params["temperature"] = self.settings.temperature
        params[shape.limit] = max_output
        if mode == "json_schema":
            schema_format: dict[str, Any] = {"name": "briefing", "schema": schema}
            if shape.strict:
                schema_format["strict"] = True
            params["response_format"] = {"type": "json_schema", "json_schema": schema_format}
        elif mode == "tool":
            function: dict[str, Any] = {
                "name": TOOL_NAME,
                "description": "Submit the structured briefing.",
                "parameters": schema,
            }
            if shape.strict:
                function["strict"] = True
            params["tools"] = [{"type": "function", "function": function}]
            if shape.tool_choice == "named":
                params["tool_choice"] = {"type": "function", "function": {"name": TOOL_NAME}}
            elif shape.tool_choice == "required":
                params["tool_choice"] = "required"
        elif mode == "json_object":
            params["response_format"] = {"type": "json_object"}
        return params

    async def complete(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any], max_output: int
    ) -> Reply:
        """Send one request in `mode`; when the server refuses one of its parameters, send it
        again without that parameter and remember the new shape."""
        for _ in range(MAX_RESHAPES):
            params = self.params(mode, messages, schema, max_output)
            try:
                return await self._complete(mode, params)
            except _Refused as refused:
                shape = self.shape.without(refused.parameter)
                if shape is None:
                    raise LLMError(
                        f"{self.label} rejected the request: {refused.message}",
                        status=refused.status,
                    ) from None
                self.shape = shape
                if self.on_reshape is not None:
                    self.on_reshape(shape)
        raise LLMError(f"{self.label} kept refusing the request's parameters")

    async def _complete(self, mode: str, params: dict[str, Any]) -> Reply:
        import openai

        try:
            raw = await self.sdk().chat.completions.with_raw_response.create(**params)
            return self._reply(raw.parse(), mode, raw.headers)
        except openai.RateLimitError as exc:
            if _told_not_to_retry(exc.response.headers):
                raise LLMError(
                    f"HTTP {exc.status_code} from {self.label}, and the server says not to"
                    " retry (x-should-retry: false)",
                    status=exc.status_code,
                ) from None
            raise Transient(
                f"HTTP {exc.status_code} from {self.label}",
                status=exc.status_code,
                retry_after=_retry_after(exc.response.headers),
                throttled=True,
                headers=exc.response.headers,
            ) from None
        except openai.APIConnectionError as exc:
            if _refused_connection(exc):
                raise EndpointUnreachable(
                    f"Nothing is listening at {self.label} (connection refused): start the"
                    " server, or check --base-url (Ollama: http://localhost:11434/v1,"
                    " llama.cpp and vLLM: http://localhost:8000/v1), or brief offline with"
                    " --engine extractive"
                ) from None
            raise Transient(
                f"{type(exc).__name__} talking to {self.label}",
                unreachable=not isinstance(exc, openai.APITimeoutError),
            ) from None
        except (openai.APIResponseValidationError, json.JSONDecodeError) as exc:
            # A malformed or cut-off body is as transient as a dropped connection.
            kind = type(exc).__name__.removeprefix("API")
            raise Transient(f"{kind} reply talking to {self.label}") from None
        except openai.AuthenticationError:
            raise LLMError(
                f"{self.label} rejected the API key (HTTP 401): check OPENAI_API_KEY",
                status=401,
            ) from None
        except openai.NotFoundError:
            raise LLMError(
                f"Model {self.settings.model!r} or its endpoint was not found at"
                f" {self.label} (HTTP 404): check --model and --base-url",
                status=404,
            ) from None
        except openai.APIStatusError as exc:
            raise self._rejection(exc, params) from None

    def _rejection(self, exc: Any, params: dict[str, Any]) -> Exception:
        """What an error status means, read from the server's body, not the status alone."""
        status = exc.status_code
        message = self._server_message(exc)
        if status in (400, 413, 422) and is_context_length(exc, message):
            # No structured mode or parameter fits a request the window cannot hold: the
            # caller re-plans with the window the server stated.
            return ContextLengthError(
                f"{self.label}: the request exceeds the model's context window ({message})",
                limit=stated_limit(message),
                server_prompt_tokens=stated_prompt_tokens(message),
            )
        verdict = classify(status, exc.body, params)
        if verdict.kind == "parameter" and verdict.parameter is not None:
            return _Refused(verdict.parameter, message, status)
        if verdict.kind == "structured":
            return Unsupported(message)
        if verdict.kind == "transient" and _told_not_to_retry(exc.response.headers):
            return LLMError(
                f"HTTP {status} from {self.label}, and the server says not to retry"
                f" (x-should-retry: false): {message}",
                status,
            )
        if verdict.kind == "transient":
            return Transient(
                f"HTTP {status} from {self.label}",
                status=status,
                retry_after=_retry_after(exc.response.headers),
                headers=exc.response.headers,
            )
        return LLMError(f"{self.label} rejected the request (HTTP {status}): {message}", status)

    def _server_message(self, exc: Any) -> str:
        return api_message(exc, self.settings.api_key)

    def _reply(self, response: Any, mode: str, headers: Any) -> Reply:
        """The reply's text, whatever shape a server gave it.

        The SDK does not validate a 200 body, so every field is checked for what it is.
        """
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list) or not choices:
            raise Transient(f"a reply with no choices from {self.label}", answered=True)
        choice = choices[0]
        message = getattr(choice, "message", None)
        if message is None:
            raise Transient(f"a reply with no message from {self.label}", answered=True)
        refusal = getattr(message, "refusal", None)
        if refusal:
            raise LLMError(
                f"The model refused: {message_line(str(refusal), self.settings.api_key)}"
            )
        if mode == "tool":
            calls = getattr(message, "tool_calls", None)
            function = (
                getattr(calls[0], "function", None) if isinstance(calls, list) and calls else None
            )
            if function is None:
                raise Unsupported("no tool call in the reply", answered=True)
            content = _text(getattr(function, "arguments", None))
        else:
            content = _text(getattr(message, "content", None))
        usage = getattr(response, "usage", None)
        return Reply(
            content,
            getattr(choice, "finish_reason", None) == "length",
            _count(getattr(usage, "prompt_tokens", None)),
            _count(getattr(usage, "completion_tokens", None)),
            headers,
        )


# How servers state a context window: OpenAI and vLLM ("maximum context length is 8192
# tokens"), llama.cpp ("available context size (8192 tokens)"), llama-cpp-python
# ("exceed context window of 8192").
_STATED_LIMIT = re.compile(
    r"maximum context length is (\d+)|context size \((\d+) tokens\)|context window of (\d+)",
    re.IGNORECASE,
)
_CONTEXT_WORDS = re.compile(r"context (?:length|window|size)", re.IGNORECASE)


def is_context_length(exc: Any, message: str) -> bool:
    """True when an error says the request was longer than the model's context window."""
    code = getattr(exc, "code", None)
    return code == "context_length_exceeded" or bool(
        _STATED_LIMIT.search(message)
        or (_CONTEXT_WORDS.search(message) and "exceed" in message.lower())
    )


# How servers state what they counted: OpenAI and vLLM ("you requested 6042 tokens (3042 in
# the messages, 3000 in the completion)"), llama.cpp ("the request (5120 tokens)").
_STATED_PROMPT = re.compile(
    r"\((\d+) in the messages|requested (\d+) tokens for the input|the request \((\d+) tokens\)",
    re.IGNORECASE,
)


def stated_prompt_tokens(message: str) -> int | None:
    """The prompt tokens a server's context-length error says it counted, if it says so."""
    match = _STATED_PROMPT.search(message)
    return int(next(group for group in match.groups() if group)) if match else None


def stated_limit(message: str) -> int | None:
    """The context window in tokens a server's error message states, if it states one."""
    match = _STATED_LIMIT.search(message)
    return int(next(group for group in match.groups() if group)) if match else None


class _Refused(Exception):
    """The server refused one of the request's parameters (not the structured mode)."""

    def __init__(self, parameter: str, message: str, status: int) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.status = status


def _refused_connection(exc: Exception) -> bool:
    """True when nothing accepted the connection (as opposed to a timeout or a reset)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return True
        if type(cause).__name__ == "ConnectError" and "refused" in str(cause).lower():
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _text(content: Any) -> str:
    """Message content as text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [
            part.get("text") if isinstance(part, dict) else getattr(part, "text", None)
            for part in content
        ]
        return "".join(part for part in parts if isinstance(part, str))
    return ""


def _count(value: Any) -> int:
    """A token count as reported, or 0 when a server reports something else."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _told_not_to_retry(headers: Any) -> bool:
    """Whether the server asked, as OpenAI's does, that this request not be retried."""
    return str(headers.get("x-should-retry", "")).strip().lower() == "false"


def _retry_after(headers: Any) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name) if headers is not None else None
        if raw is None:
            continue
        try:
            return min(MAX_RETRY_AFTER_SECONDS, max(0.0, float(raw) * scale))
        except ValueError:
            continue  # an HTTP date: fall back to our own backoff
    return None


def api_message(exc: Any, secret: str | None) -> str:
    """The server's one-line error message, without credentials or control characters."""
    body = getattr(exc, "body", None)
    message = None
    if isinstance(body, dict):
        error = body.get("error")
        message = body.get("message") or (
            error.get("message") if isinstance(error, dict) else error
        )
    return message_line(str(message or exc), secret, limit=300)


class Batches:
    """The Batch API of an OpenAI-compatible endpoint (its provider's `batch` capability):
    the same endpoint, key and HTTP client as its chat requests, the same retry policy."""

    url = "/v1/chat/completions"
    window = "24h"
    # OpenAI's limits per request file (50,000 requests, 200 MB), with margin.
    max_requests_per_file = 50_000
    max_file_bytes = 190 * 1024 * 1024

    def __init__(self, provider: OpenAICompatible) -> None:
        self.provider = provider

    def params(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any], max_output: int
    ) -> dict[str, Any]:
        return self.provider.params(mode, messages, schema, max_output)

    def line(self, key: str, body: dict[str, Any]) -> bytes:
        item = {"custom_id": key, "method": "POST", "url": self.url, "body": body}
        return json.dumps(item, separators=(",", ":")).encode()

    def result(self, line: str) -> tuple[str, dict[str, Any] | None]:
        item = json.loads(line)
        response = item.get("response") or {}
        ok = response.get("status_code") == 200
        return str(item["custom_id"]), (response.get("body") or {}) if ok else None

    def reply(self, body: dict[str, Any]) -> Reply | None:
        """A Batch API result line's reply, or None when it holds none."""
        try:
            choice = body["choices"][0]
            message = choice["message"]
            calls = message.get("tool_calls") or []
            content = calls[0]["function"]["arguments"] if calls else message.get("content")
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        if not isinstance(content, str) or not content:
            return None
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
        assert usage is not None
        return Reply(
            content,
            choice.get("finish_reason") == "length",
            _count(usage.get("prompt_tokens")),
            _count(usage.get("completion_tokens")),
        )

    async def upload(self, name: str, content: bytes) -> str:
        uploaded = await self._call(
            lambda api: api.files.create(file=(name, content), purpose="batch")
        )
        return str(uploaded.id)

    async def create(self, file_id: str) -> BatchState:
        batch = await self._call(
            lambda api: api.batches.create(
                input_file_id=file_id,
                endpoint=self.url,
                completion_window=self.window,
                metadata={"created_by": "briefer"},
            )
        )
        return _batch_state(batch)

    async def retrieve(self, batch_id: str) -> BatchState:
        return _batch_state(await self._call(lambda api: api.batches.retrieve(batch_id)))

    async def cancel(self, batch_id: str) -> BatchState:
        return _batch_state(await self._call(lambda api: api.batches.cancel(batch_id)))

    async def content(self, file_id: str) -> str:
        response = await self._call(lambda api: api.files.content(file_id))
        return str(response.text)

    async def _call(self, request: Callable[[Any], Awaitable[Any]]) -> Any:
        """Run one API call, retrying what is transient (honouring Retry-After) by the one
        retry policy; LLMError for the rest."""
        import openai

        label, settings = self.provider.label, self.provider.settings
        attempt = 0
        while True:
            try:
                return await request(self.provider.sdk())
            except (
                openai.APIConnectionError,
                openai.RateLimitError,
                openai.InternalServerError,
            ) as exc:
                attempt += 1
                if retry.gives_up(attempt, settings.max_retries):
                    raise LLMError(
                        f"The Batch API at {label} kept failing; rerun the same command to"
                        " pick up where it stopped"
                    ) from None
                response = getattr(exc, "response", None)
                asked = _retry_after(response.headers) if response is not None else None
                await asyncio.sleep(retry.delay(attempt, asked))
            except openai.APIStatusError as exc:
                message = message_line(str(exc), settings.api_key, limit=300)
                raise LLMError(
                    f"The Batch API at {label} refused: {message}", status=exc.status_code
                ) from exc


def _batch_state(batch: Any) -> BatchState:
    counts = batch.request_counts
    return BatchState(
        id=str(batch.id),
        status=str(batch.status),
        total=int(getattr(counts, "total", 0) or 0),
        completed=int(getattr(counts, "completed", 0) or 0),
        failed=int(getattr(counts, "failed", 0) or 0),
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
    )
