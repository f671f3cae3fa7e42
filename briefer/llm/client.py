"""The OpenAI-compatible client: structured output, retries, repair, cache, usage.

The only module that imports `openai`. One async core; callers run it in their own loop.
Structured output falls down a ladder when an endpoint rejects a rung:
json_schema -> a forced tool call -> json_object with the schema in the prompt -> plain
prompt + parse. The rung that worked is remembered per endpoint and model in the cache.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..budget import output_cap, request_tokens
from ..cache import Cache, CachedResponse, request_key
from ..errors import ConfigError, LLMError, SchemaError
from ..models import is_reasoning_model
from ..pacing import Pacer
from ..prompts import PromptSet
from ..sanitize import message_line, redact
from ..schema import Usage, strict_json_schema
from ..settings import Settings

if TYPE_CHECKING:
    from openai import AsyncOpenAI

T = TypeVar("T", bound=BaseModel)

LADDER = ("json_schema", "tool", "json_object", "prompt")
OPENAI_ENDPOINT = "https://api.openai.com/v1"
TOOL_NAME = "submit_briefing"
MAX_RETRY_AFTER_SECONDS = 60.0
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


class _Unsupported(Exception):
    """The endpoint does not support the structured-output mode that was tried."""


class _Malformed(Exception):
    """A 200 reply that is not a chat completion (no choices, no message, odd types)."""


@dataclass(frozen=True)
class _Reply:
    content: str
    truncated: bool
    prompt_tokens: int
    completion_tokens: int


class LLMClient:
    """Sends chat requests for structured replies to one OpenAI-compatible endpoint."""

    def __init__(
        self,
        settings: Settings,
        prompts: PromptSet,
        cache: Cache | None,
        count_tokens: Callable[[str], int] = lambda text: len(text) // 3,
    ) -> None:
        if not settings.llm_configured:
            raise ConfigError(
                "No API key: set OPENAI_API_KEY, or pass --base-url for a local server,"
                " or use --engine extractive."
            )
        self.settings = settings
        self.prompts = prompts
        self.cache = cache
        self.endpoint = (settings.base_url or OPENAI_ENDPOINT).rstrip("/")
        # What messages and the cache file show: credentials in a base URL never leave.
        self.label = redact(self.endpoint)
        self.structured_mode: str | None = None
        self.count_tokens = count_tokens
        self.pacer = Pacer(settings.concurrency, settings.rpm, settings.tpm)
        self._client: AsyncOpenAI | None = None

    def _openai(self) -> AsyncOpenAI:
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

    def output_limit(self, max_output: int | None = None) -> int:
        """Output tokens a call may take: `max_output` as the caller worked it out, else the
        default for replies that are not briefings; never past --max-output-tokens."""
        return output_cap(self.settings.model, self.settings.max_output_tokens, max_output)

    def request_key(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_output: int | None = None
    ) -> str:
        """Cache key of a logical request: everything that changes the answer, never the key."""
        return request_key(
            {
                "endpoint": self.endpoint,
                "model": self.settings.model,
                "messages": messages,
                "schema": schema,
                "temperature": self._temperature(),
                "max_output_tokens": self.output_limit(max_output),
                "prompt_version": self.prompts.version,
            }
        )

    def _temperature(self) -> float | None:
        return None if is_reasoning_model(self.settings.model) else self.settings.temperature

    async def structured(
        self,
        messages: list[dict[str, str]],
        model: type[T],
        usage: Usage,
        max_output: int | None = None,
    ) -> T:
        """Return the model's reply to `messages` validated as `model`, from cache when possible;
        the reply may take `max_output` tokens (see `output_limit`)."""
        schema = strict_json_schema(model)
        limit = self.output_limit(max_output)
        key = self.request_key(messages, schema, limit)
        if self.cache is not None and not self.settings.refresh:
            cached = self.cache.get(key)
            if cached is not None:
                try:
                    result = model.model_validate_json(cached.content)
                except ValidationError:
                    pass  # a damaged or foreign row: ask again, and the good reply replaces it
                else:
                    usage.cached_calls += 1
                    return result
        spent = Usage()
        try:
            result = await self._ask(messages, model, schema, spent, limit)
        finally:
            usage.add(spent)
        if self.cache is not None:
            self.cache.put(
                key,
                self.settings.model,
                CachedResponse(
                    result.model_dump_json(), spent.prompt_tokens, spent.completion_tokens
                ),
            )
        return result

    def batch_request(
        self, messages: list[dict[str, str]], model: type[BaseModel], max_output: int | None = None
    ) -> tuple[str, dict[str, Any]]:
        """The cache key of a logical request and the body a Batch API line carries for it,
        in the structured mode this endpoint is known to take (json_schema when unknown)."""
        schema = strict_json_schema(model)
        mode = self._rungs()[0]
        conversation = self._with_schema_instruction(mode, messages, schema)
        limit = self.output_limit(max_output)
        return self.request_key(messages, schema, limit), self._params(
            mode, conversation, schema, limit
        )

    def accept_batch_reply(self, key: str, body: dict[str, Any], model: type[BaseModel]) -> bool:
        """Store a Batch API reply under `key` when it is a valid `model`; False otherwise, and
        the request is later sent synchronously (with a repair turn if needed)."""
        try:
            choice = body["choices"][0]
            message = choice["message"]
            calls = message.get("tool_calls") or []
            content = calls[0]["function"]["arguments"] if calls else message.get("content")
            if choice.get("finish_reason") == "length" or not content:
                return False
            parsed = model.model_validate_json(_strip_fences(content))
        except (KeyError, IndexError, TypeError, ValidationError):
            return False
        if self.cache is not None:
            usage = body.get("usage") or {}
            self.cache.put(
                key,
                self.settings.model,
                CachedResponse(
                    parsed.model_dump_json(),
                    int(usage.get("prompt_tokens") or 0),
                    int(usage.get("completion_tokens") or 0),
                ),
            )
        return True

    def _rungs(self) -> tuple[str, ...]:
        if self.settings.structured != "auto":
            return (self.settings.structured,)
        known = self.structured_mode or (
            self.cache.structured_mode(self.label, self.settings.model) if self.cache else None
        )
        start = LADDER.index(known) if known in LADDER else 0
        return LADDER[start:]

    async def _ask(
        self,
        messages: list[dict[str, str]],
        model: type[T],
        schema: dict[str, Any],
        spent: Usage,
        limit: int,
    ) -> T:
        rungs = self._rungs()
        for position, mode in enumerate(rungs):
            try:
                result = await self._ask_in_mode(mode, messages, model, schema, spent, limit)
            except _Unsupported as exc:
                if position + 1 == len(rungs):
                    raise LLMError(
                        f"{self.label} rejected structured mode {mode!r}: {exc}", status=400
                    ) from None
                continue
            if mode != self.structured_mode:
                self.structured_mode = mode
                if self.cache is not None:
                    self.cache.remember_structured_mode(self.label, self.settings.model, mode)
            return result
        raise AssertionError("unreachable: the ladder always has a rung")

    async def _ask_in_mode(
        self,
        mode: str,
        messages: list[dict[str, str]],
        model: type[T],
        schema: dict[str, Any],
        spent: Usage,
        limit: int,
    ) -> T:
        conversation = self._with_schema_instruction(mode, messages, schema)
        attempts = 0
        while True:
            attempts += 1
            reply = await self._send(self._params(mode, conversation, schema, limit), mode, spent)
            try:
                return model.model_validate_json(_strip_fences(reply.content))
            except ValidationError as exc:
                if _is_not_json(exc) and not reply.truncated and mode == "json_schema":
                    # A server that ignores response_format answers in prose: go down the ladder.
                    raise _Unsupported("reply was not JSON") from exc
                if attempts > 1:
                    raise SchemaError(
                        f"The model's reply did not match the briefing schema after {attempts}"
                        f" attempts: {_first_error(exc)}",
                        attempts=attempts,
                        last_response=redact(reply.content, self.settings.api_key),
                    ) from None
                spent.repairs += 1
                problem = (
                    "it was cut off at the output token limit; write shorter stances and quotes."
                    if reply.truncated
                    else _describe(exc)
                )
                conversation = [
                    *conversation,
                    {"role": "assistant", "content": reply.content},
                    {"role": "user", "content": self.prompts["repair.user"].render(error=problem)},
                ]

    def _with_schema_instruction(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any]
    ) -> list[dict[str, str]]:
        if mode not in ("json_object", "prompt"):
            return messages
        instruction = self.prompts["schema.system"].render(
            schema=json.dumps(schema, separators=(",", ":"))
        )
        if messages and messages[0]["role"] == "system":
            system = {"role": "system", "content": messages[0]["content"] + "\n\n" + instruction}
            return [system, *messages[1:]]
        return [{"role": "system", "content": instruction}, *messages]

    def _params(
        self, mode: str, messages: list[dict[str, str]], schema: dict[str, Any], limit: int
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"model": self.settings.model, "messages": messages}
        if (temperature := self._temperature()) is not None:
            params["temperature"] = temperature
        # OpenAI's newer models accept only max_completion_tokens; many compatible servers
        # know only max_tokens.
        limit_name = "max_tokens" if self.settings.base_url else "max_completion_tokens"
        params[limit_name] = limit
        if mode == "json_schema":
            params["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "briefing", "strict": True, "schema": schema},
            }
        elif mode == "tool":
            params["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": TOOL_NAME,
                        "description": "Submit the structured briefing.",
                        "parameters": schema,
                        "strict": True,
                    },
                }
            ]
            params["tool_choice"] = {"type": "function", "function": {"name": TOOL_NAME}}
        elif mode == "json_object":
            params["response_format"] = {"type": "json_object"}
        return params

    async def _send(self, params: dict[str, Any], mode: str, spent: Usage) -> _Reply:
        """One logical call: retry transient failures with backoff, honouring Retry-After."""
        import openai

        reservation = self._reservation(params)
        attempt = 0
        while True:
            delay: float | None = None
            throttled = False
            ticket = await self.pacer.acquire(reservation)
            try:
                raw = await self._openai().chat.completions.with_raw_response.create(**params)
                self.pacer.learn(raw.headers, ticket)
                response = raw.parse()
                spent.calls += 1
                return self._reply(response, mode, spent)
            except (openai.RateLimitError, openai.InternalServerError) as exc:
                self.pacer.learn(exc.response.headers, ticket)
                throttled = isinstance(exc, openai.RateLimitError)
                delay = _retry_after(exc.response.headers)
                failure = f"HTTP {exc.status_code} from {self.label}"
                status: int | None = exc.status_code
            except (
                openai.APIConnectionError,
                openai.APIResponseValidationError,
                json.JSONDecodeError,
                _Malformed,
            ) as exc:
                # A malformed or cut-off body is as transient as a dropped connection.
                kind = type(exc).__name__.removeprefix("API").removeprefix("_")
                failure = f"{kind} reply talking to {self.label}"
                status = None
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if mode != LADDER[-1]:
                    raise _Unsupported(self._server_message(exc)) from exc
                raise LLMError(
                    f"{self.label} rejected the request: {self._server_message(exc)}",
                    status=exc.status_code,
                ) from None
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
                raise LLMError(
                    f"{self.label} answered HTTP {exc.status_code}: {self._server_message(exc)}",
                    status=exc.status_code,
                ) from None
            finally:
                await self.pacer.release(ticket, throttled, delay if throttled else None)
            attempt += 1
            if attempt > self.settings.max_retries:
                raise LLMError(f"{failure}; gave up after {attempt} attempts", status=status)
            spent.retries += 1
            if delay is None:
                delay = min(30.0, 0.5 * 2 ** (attempt - 1)) * (0.5 + random.random())
            await asyncio.sleep(delay)

    def _reservation(self, params: dict[str, Any]) -> int:
        """Tokens the provider meters for a request: its prompt and schema, plus all the
        output it may write."""
        schemas = [params[key] for key in ("response_format", "tools") if key in params]
        prompt = request_tokens(self.count_tokens, params["messages"], *schemas)
        limit = params.get("max_tokens") or params.get("max_completion_tokens") or 0
        return prompt + int(limit)

    def _server_message(self, exc: Any) -> str:
        return _api_message(exc, self.settings.api_key)

    def _reply(self, response: Any, mode: str, spent: Usage) -> _Reply:
        """The reply's text, whatever shape a server gave it; _Malformed when there is none.

        The SDK does not validate a 200 body, so every field is checked for what it is.
        """
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list) or not choices:
            raise _Malformed("a reply with no choices")
        choice = choices[0]
        message = getattr(choice, "message", None)
        if message is None:
            raise _Malformed("a reply with no message")
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
                raise _Unsupported("no tool call in the reply")
            content = _text(getattr(function, "arguments", None))
        else:
            content = _text(getattr(message, "content", None))
        usage = getattr(response, "usage", None)
        prompt_tokens = _count(getattr(usage, "prompt_tokens", None))
        completion_tokens = _count(getattr(usage, "completion_tokens", None))
        spent.prompt_tokens += prompt_tokens
        spent.completion_tokens += completion_tokens
        truncated = getattr(choice, "finish_reason", None) == "length"
        return _Reply(content, truncated, prompt_tokens, completion_tokens)


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


def _api_message(exc: Any, secret: str | None) -> str:
    """The server's one-line error message, without credentials or control characters."""
    body = getattr(exc, "body", None)
    message = None
    if isinstance(body, dict):
        error = body.get("error")
        message = body.get("message") or (
            error.get("message") if isinstance(error, dict) else error
        )
    return message_line(str(message or exc), secret, limit=300)


def _strip_fences(content: str) -> str:
    text = _FENCE.sub("", content.strip())
    if not text.startswith("{") and "{" in text and "}" in text:
        # Plain-prompt replies sometimes wrap the object in prose.
        text = text[text.index("{") : text.rindex("}") + 1]
    return text


def _is_not_json(exc: ValidationError) -> bool:
    return any(error["type"] == "json_invalid" for error in exc.errors())


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "reply"
    return f"{where}: {error['msg']}"


def _describe(exc: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or 'reply'}: {error['msg']}"
        for error in exc.errors()[:10]
    ]
    return "; ".join(problems)
