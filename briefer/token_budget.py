"""Token budgets, in one place for planning, pacing, synthesis, --dry-run and --max-cost: what
a request costs as a provider meters it, and how much data fits a model's context window."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from .catalog import max_output

# Chat formatting adds a few tokens per message beyond the content.
MESSAGE_OVERHEAD_TOKENS = 4
# On top of the ratio between a server's token count and briefer's that one refusal showed:
# the ratio varies from text to text.
COUNT_RATIO_SLACK = 1.06

Count = Callable[[str], int]


def message_tokens(count: Count, messages: Iterable[dict[str, Any]]) -> int:
    """Tokens of chat messages as sent: their content plus the per-message formatting."""
    return sum(count(m.get("content") or "") + MESSAGE_OVERHEAD_TOKENS for m in messages)


def json_tokens(count: Count, value: Any) -> int:
    """Tokens of a JSON value sent with a request (a response schema, a tool definition)."""
    return count(json.dumps(value, separators=(",", ":")))


def request_tokens(count: Count, messages: Iterable[dict[str, Any]], *schemas: Any) -> int:
    """Prompt tokens of a request: its messages and every schema it carries."""
    return message_tokens(count, messages) + sum(json_tokens(count, s) for s in schemas)


def data_budget(window: int, max_output: int, overhead: int, margin: float) -> int:
    """Tokens of data (an article, briefings, story cards) one request can carry in a context
    window of `window` tokens, after `max_output` and `overhead` tokens of instructions and
    schema; `margin` (>= 1) covers a tokenizer that only approximates the model's."""
    return int((window - max_output - overhead * margin) / margin)


# What a briefing's reply takes: a base (headline, summary, the lists' framing) plus a share
# of the article, since longer articles hold more actors, positions and evidence. Quoting
# copies the evidence out (about half of a reply, issue #12: ~2,100 tokens for a 400-word
# article); citing by sentence id costs far less (bench/evidence.py).
REPLY_BASE_TOKENS = {"quote": 1000, "ref": 600}
REPLY_TOKENS_PER_ARTICLE_TOKEN = {"quote": 2.0, "ref": 1.0}
# The cap is this many times the typical reply: a reply cut off at the cap is re-planned
# into parts, which costs more than the headroom.
REPLY_HEADROOM = 2.0
# Replies other than briefings (synthesis, editor's pass) and a floor for briefings.
DEFAULT_OUTPUT_TOKENS = 4096
OUTPUT_STEP = 256


def output_cap(model: str, cap: int | None, wanted: int | None = None) -> int:
    """Most output tokens to allow a reply: `wanted` (DEFAULT_OUTPUT_TOKENS when not given),
    within what the model allows and the user's cap (--max-output-tokens)."""
    wanted = wanted or DEFAULT_OUTPUT_TOKENS
    return max(1, min(wanted, max_output(model), cap or wanted))


def output_limit(article_tokens: int, evidence: str, model: str, cap: int | None) -> int:
    """Most output tokens a briefing of `article_tokens` tokens of text may take: the one
    estimate that requests, plans, --dry-run and --max-cost all use."""
    typical = REPLY_BASE_TOKENS[evidence] + REPLY_TOKENS_PER_ARTICLE_TOKEN[evidence] * max(
        0, article_tokens
    )
    wanted = -(-int(typical * REPLY_HEADROOM) // OUTPUT_STEP) * OUTPUT_STEP
    return output_cap(model, cap, max(wanted, DEFAULT_OUTPUT_TOKENS))


def fitting_budget(window: int, overhead: int, margin: float, output: Callable[[int], int]) -> int:
    """The most tokens of data one request can carry when its output limit grows with its
    data (`output(data_tokens)`): the largest b with b <= data_budget(window, output(b), ...)."""
    low, high = 0, max(0, window)
    while low < high:
        middle = (low + high + 1) // 2
        if middle <= data_budget(window, output(middle), overhead, margin):
            low = middle
        else:
            high = middle - 1
    return low
