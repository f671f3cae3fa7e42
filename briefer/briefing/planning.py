"""Plans and costs, sending nothing: the calls, prompt tokens and worst-case cost of briefing
articles (directly or through the Batch API), and the --max-cost check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, CostLimitError
from ..readers.sources import Article
from ..runtime import Runtime
from ..schema import Draft, as_draft, strict_json_schema
from ..spending import cost_of
from ..token_budget import output_limit, request_tokens
from .merge import merge_drafts
from .pipeline import (
    CONSOLIDATION_TOKENS_PER_CHUNK,
    EMPTY_DRAFT,
    Limits,
    collapse_plan,
    consolidate_messages,
    consolidation_groups,
    draft_tokens,
    map_calls,
)
from .pipeline import consolidation_output as pipeline_consolidation_output


@dataclass(frozen=True)
class Plan:
    """What briefing one article will send: calls, prompt tokens, worst-case cost (and with
    its map calls sent through the Batch API)."""

    source: str
    engine: str
    article_tokens: int
    chunks: int
    calls: int
    prompt_tokens: int
    cached_calls: int
    max_cost_usd: float | None
    max_cost_batch_usd: float | None = None
    # Prompt tokens of the calls the cache does not hold: what a run would send.
    prompt_tokens_to_send: int = 0


def plan(runtime: Runtime, article: Article) -> Plan:
    """Work out, without sending anything, the calls and tokens briefing `article` takes."""
    tokens = runtime.tokenizer.count(article.text)
    name = article.path or "-"
    if runtime.client is None:
        return Plan(name, "extractive", tokens, 1, 0, 0, 0, 0.0, 0.0)
    client = runtime.client
    settings = runtime.settings
    per_chunk = map_calls(runtime, article)
    chunks = len(per_chunk)
    schema = strict_json_schema(runtime.reply_model)
    schema_tokens = runtime.schema_tokens
    prompt_tokens = cached = map_tokens_to_send = map_output = 0
    drafts: list[Draft] = []
    for call in per_chunk:
        call_tokens = request_tokens(runtime.tokenizer.count, call.messages) + schema_tokens
        prompt_tokens += call_tokens
        key = client.request_key(call.messages, schema, client.output_limit(call.max_output))
        if (draft := _cached_draft(runtime, key)) is not None:
            cached += 1
            drafts.append(draft)
            continue
        map_tokens_to_send += call_tokens
        map_output += call.max_output
    calls = chunks
    consolidation_tokens = consolidation_output = 0
    if chunks > 1:
        # The rounds `_collapse` would make: for the drafts themselves when the cache holds
        # every part's reply, else for drafts of a typical part's size.
        sizes = (
            [draft_tokens(runtime, draft) for draft in drafts]
            if len(drafts) == chunks
            else [CONSOLIDATION_TOKENS_PER_CHUNK] * chunks
        )
        carried = collapse_plan(runtime, article, sizes)
        if not carried and len(drafts) < chunks:
            # Parts of a typical size would not fit two to a request, but a run's may be
            # smaller: at most one call for each merge of two.
            carried = [2 * CONSOLIDATION_TOKENS_PER_CHUNK] * (chunks - 1)
        calls += len(carried)
        overhead = request_tokens(
            runtime.tokenizer.count, consolidate_messages(runtime, article, EMPTY_DRAFT, chunks)
        )
        consolidation_tokens = sum(overhead + data + schema_tokens for data in carried)
        # Each consolidated briefing is at most as long as a briefing of the whole article.
        consolidation_output = len(carried) * output_limit(
            tokens, settings.evidence, settings.model, settings.max_output_tokens
        )
        if len(drafts) == chunks:
            # Every part's reply is cached: the consolidation requests are known exactly, and
            # may be cached too (then a run sends nothing for this article).
            known = _cached_collapse(runtime, article, drafts)
            if known is not None:
                calls = chunks + known[0]
                consolidation_tokens = known[1]
                cached += known[0]
                consolidation_output = 0
        prompt_tokens += consolidation_tokens
    consolidation_to_send = consolidation_tokens if consolidation_output else 0
    consolidation = cost_of(settings, consolidation_to_send, consolidation_output)
    mapping = [
        cost_of(settings, map_tokens_to_send, map_output, batch=batch) for batch in (False, True)
    ]
    sync, batch = (
        (None, None)
        if consolidation is None or None in mapping
        else (consolidation + (mapping[0] or 0.0), consolidation + (mapping[1] or 0.0))
    )
    return Plan(
        name,
        "llm",
        tokens,
        chunks,
        calls,
        prompt_tokens,
        cached,
        sync,
        batch,
        prompt_tokens_to_send=map_tokens_to_send + consolidation_to_send,
    )


def _cached_collapse(
    runtime: Runtime, article: Article, drafts: list[Draft]
) -> tuple[int, int] | None:
    """The consolidation calls (and their prompt tokens) `_collapse` makes for `drafts`, when
    the cache holds every one of their replies; None when it lacks one."""
    client = runtime.client
    assert client is not None
    schema = strict_json_schema(runtime.reply_model)
    calls = tokens = 0
    level = drafts
    while len(level) > 1:
        sizes = [draft_tokens(runtime, draft) for draft in level]
        groups = consolidation_groups(runtime, article, sizes, Limits())
        if groups is None:
            break
        following = []
        for group in groups:
            if len(group) == 1:
                following.append(level[group[0]])
                continue
            merged, _ = merge_drafts([level[i] for i in group])
            messages = consolidate_messages(runtime, article, merged, len(group))
            output = pipeline_consolidation_output(runtime, article, messages, Limits())
            key = client.request_key(messages, schema, client.output_limit(output))
            reply = _cached_draft(runtime, key)
            if reply is None:
                return None
            calls += 1
            tokens += request_tokens(runtime.tokenizer.count, messages) + runtime.schema_tokens
            following.append(reply)
        level = following
    return calls, tokens


def _cached_draft(runtime: Runtime, key: str) -> Draft | None:
    """The cached reply under `key` as a Draft, when the run may use the cache."""
    if runtime.cache is None or runtime.settings.refresh:
        return None
    content = runtime.cache.peek(key)
    if content is None:
        return None
    try:
        reply: Any = runtime.reply_model.model_validate_json(content)
    except ValueError:
        return None  # a damaged row: the run will ask again
    return as_draft(reply)


def check_cost_limit(
    runtime: Runtime, articles: list[Article], after: Sequence[float | None] = ()
) -> None:
    """Stop before the first call when briefing `articles`, and the calls `after` them (a
    digest's steps, at their worst-case cost), could cost more than --max-cost. The run's
    meter (spending.py) holds every call to the limit as it goes."""
    limit = runtime.settings.max_cost
    if limit is None or runtime.client is None:
        return
    total = 0.0
    costs = [
        planned.max_cost_batch_usd if runtime.settings.batch else planned.max_cost_usd
        for planned in (plan(runtime, article) for article in articles)
    ]
    for cost in [*costs, *after]:
        if cost is None:
            raise ConfigError(
                f"--max-cost needs a price for model {runtime.settings.model!r}, which briefer"
                " does not know: name one with --price IN/OUT (USD per million input and output"
                " tokens, or `price` in the config file), or drop --max-cost"
            )
        total += cost
    if total > limit:
        raise CostLimitError(total, limit)
