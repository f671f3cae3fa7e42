"""Article -> Briefing: plan, map chunks, merge, consolidate, ground."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from . import chunking, extractive
from .cache import Cache
from .errors import BrieferError, BudgetError, CacheUnavailable, ConfigError, reason_of
from .fetching import Fetcher
from .grounding import SourceText
from .llm import LLMClient, Usage
from .merge import merge_drafts, normalize
from .models import context_window, estimate_cost
from .prompts import PromptSet
from .prompts import load as load_prompts
from .schema import (
    Actor,
    Briefing,
    Draft,
    Engine,
    Evidence,
    KeyFact,
    OpenIssue,
    Position,
    Source,
    strict_json_schema,
)
from .settings import Settings
from .sources import Article, source_of
from .tokens import Tokenizer, tokenizer_for

# Chat formatting adds a few tokens per message beyond the content.
MESSAGE_OVERHEAD_TOKENS = 4
# Without the model's replies, the consolidation input can only be estimated per chunk.
CONSOLIDATION_TOKENS_PER_CHUNK = 1200
CHUNK_OVERLAP_TOKENS = 100
MIN_ARTICLE_BUDGET = 256


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


@dataclass
class Runtime:
    """What runs share: settings, prompts, cache and (when the LLM engine is used) the client."""

    settings: Settings
    prompts: PromptSet
    cache: Cache | None
    client: LLMClient | None = None
    notices: list[str] = field(default_factory=list)
    _tokenizer: Tokenizer | None = field(default=None, repr=False)

    def warnings(self) -> list[str]:
        """What every output of this run should mention: a cache it could not use or write."""
        problem = self.cache.problem if self.cache is not None else None
        return [*self.notices, *([problem] if problem else [])]

    @functools.cached_property
    def fetcher(self) -> Fetcher:
        """The run's one fetcher: its policy, and its budget counted over the whole run."""
        return Fetcher(allow_private=self.settings.allow_private_urls)

    @classmethod
    def open(cls, settings: Settings) -> Runtime:
        prompts = load_prompts(settings.prompts_dir)
        engine = resolve_engine(settings)
        cache, notices = None, []
        if settings.use_cache and engine == "llm":
            try:
                cache = Cache(settings.cache_path)
            except CacheUnavailable as exc:
                # An unattended run would rather brief uncached than brief nothing.
                notices.append(f"running without the response cache: {exc}")
        runtime = cls(settings, prompts, cache, notices=notices)
        if engine == "llm":
            runtime.client = LLMClient(
                settings, prompts, cache, count_tokens=lambda text: runtime.tokenizer.count(text)
            )
        return runtime

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = tokenizer_for(self.settings.model)
        return self._tokenizer

    @functools.cached_property
    def schema_tokens(self) -> int:
        """Tokens the Draft schema adds to every call: computed once per run, not per article."""
        return self.tokenizer.count(json.dumps(strict_json_schema(Draft), separators=(",", ":")))

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
        if self.cache is not None:
            self.cache.close()


def resolve_engine(settings: Settings) -> str:
    """'llm' or 'extractive': auto picks the LLM when a key or base URL is configured."""
    if settings.engine == "auto":
        return "llm" if settings.llm_configured else "extractive"
    return settings.engine


def _marker(article: Article) -> str:
    # Derived from the text, so identical input gives an identical request, yet an article
    # cannot contain the marker that closes it.
    return article.id[:16]


def map_messages(
    runtime: Runtime, article: Article, chunk: chunking.Chunk, parts: int
) -> list[dict[str, str]]:
    """The system and user messages that brief one chunk of an article."""
    part = (
        f"This is part {chunk.index + 1} of {parts} of a longer article; brief only this part.\n"
        if parts > 1
        else ""
    )
    user = runtime.prompts["map.user"].render(
        part=part,
        title=article.title or "(none)",
        outlet=article.outlet or "(unknown)",
        published=article.published or "(unknown)",
        marker=_marker(article),
        article=chunk.text,
    )
    return [
        {"role": "system", "content": runtime.prompts["map.system"].render()},
        {"role": "user", "content": user},
    ]


def consolidate_messages(
    runtime: Runtime, article: Article, merged: Draft, parts: int
) -> list[dict[str, str]]:
    """The messages that turn the merged partial drafts into one briefing."""
    user = runtime.prompts["consolidate.user"].render(
        title=article.title or "(none)",
        parts=str(parts),
        marker=_marker(article),
        partials=merged.model_dump_json(indent=1),
    )
    return [
        {"role": "system", "content": runtime.prompts["consolidate.system"].render()},
        {"role": "user", "content": user},
    ]


def _message_tokens(tokenizer: Tokenizer, messages: list[dict[str, str]]) -> int:
    return sum(tokenizer.count(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in messages)


def article_budget(runtime: Runtime, article: Article) -> int:
    """Tokens of article text one map call can carry, after instructions, schema and output."""
    settings = runtime.settings
    tokenizer = runtime.tokenizer
    empty = chunking.Chunk(0, 0, 0, "", 0)
    overhead = _message_tokens(tokenizer, map_messages(runtime, article, empty, 2))
    overhead += runtime.schema_tokens
    available = context_window(settings.model, settings.context_window)
    available -= settings.max_output_tokens
    budget = int((available - overhead * tokenizer.margin) / tokenizer.margin)
    if budget < MIN_ARTICLE_BUDGET:
        raise ConfigError(
            f"Context window of {available + settings.max_output_tokens} tokens leaves no room for"
            f" article text after {settings.max_output_tokens} output tokens; raise"
            " --context-window or lower --max-output-tokens"
        )
    return budget


def chunks_of(runtime: Runtime, article: Article) -> list[chunking.Chunk]:
    return chunking.split(
        article.text,
        article_budget(runtime, article),
        runtime.tokenizer.count,
        overlap=CHUNK_OVERLAP_TOKENS,
    )


def map_calls(runtime: Runtime, article: Article) -> list[list[dict[str, str]]]:
    """The messages of each map call briefing `article` takes: one call per chunk."""
    chunks = chunks_of(runtime, article)
    return [map_messages(runtime, article, chunk, len(chunks)) for chunk in chunks]


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
    schema = strict_json_schema(Draft)
    schema_tokens = runtime.schema_tokens
    prompt_tokens = cached = map_to_send = map_tokens_to_send = 0
    for messages in per_chunk:
        call_tokens = _message_tokens(runtime.tokenizer, messages) + schema_tokens
        prompt_tokens += call_tokens
        if runtime.cache is not None and not settings.refresh:
            if runtime.cache.contains(client.request_key(messages, schema)):
                cached += 1
                continue
        map_to_send += 1
        map_tokens_to_send += call_tokens
    calls = chunks
    consolidation_tokens = 0
    if chunks > 1:
        calls += 1
        consolidation_tokens = CONSOLIDATION_TOKENS_PER_CHUNK * chunks + schema_tokens
        prompt_tokens += consolidation_tokens
    output = settings.max_output_tokens
    consolidation = estimate_cost(settings.model, consolidation_tokens, output if calls > 1 else 0)
    mapping = [
        estimate_cost(settings.model, map_tokens_to_send, map_to_send * output, batch=batch)
        for batch in (False, True)
    ]
    sync, batch = (
        (None, None)
        if consolidation is None or None in mapping
        else (consolidation + (mapping[0] or 0.0), consolidation + (mapping[1] or 0.0))
    )
    return Plan(name, "llm", tokens, chunks, calls, prompt_tokens, cached, sync, batch)


def check_budget(runtime: Runtime, articles: list[Article]) -> None:
    """Raise BudgetError when briefing `articles` could cost more than --max-cost (at Batch
    API prices for the map calls with --batch)."""
    limit = runtime.settings.max_cost
    if limit is None or runtime.client is None:
        return
    total = 0.0
    for article in articles:
        planned = plan(runtime, article)
        cost = planned.max_cost_batch_usd if runtime.settings.batch else planned.max_cost_usd
        if cost is None:
            raise ConfigError(
                f"--max-cost needs a price for model {runtime.settings.model!r}, which briefer"
                " does not know; drop --max-cost or use a model with a known price"
            )
        total += cost
    if total > limit:
        raise BudgetError(total, limit)


async def brief(runtime: Runtime, article: Article) -> Briefing:
    """Brief one article with the engine the settings choose."""
    if runtime.client is None:
        return extractive.brief(article, tokens=runtime.tokenizer.count(article.text))
    return await _brief_llm(runtime, runtime.client, article)


async def brief_each(
    runtime: Runtime, articles: Sequence[Article]
) -> AsyncIterator[tuple[int, Briefing | BrieferError]]:
    """Brief many articles concurrently; yield (index, briefing or error) as each finishes.

    Configuration errors stop the run: they would fail every article the same way.
    """
    # The client bounds calls in flight; this bounds articles started, so memory stays flat.
    started = asyncio.Semaphore(max(2, runtime.settings.concurrency * 2))

    async def one(index: int, article: Article) -> tuple[int, Briefing | BrieferError]:
        async with started:
            try:
                return index, await brief(runtime, article)
            except ConfigError:
                raise
            except BrieferError as exc:
                return index, exc
            except Exception as exc:
                # Whatever else goes wrong with one article (an odd reply, a bug) is that
                # article's failure; the others go on.
                failure = BrieferError(reason_of(exc))
                failure.__cause__ = exc
                return index, failure

    tasks = [asyncio.ensure_future(one(i, article)) for i, article in enumerate(articles)]
    try:
        for finished in asyncio.as_completed(tasks):
            yield await finished
    finally:
        for task in tasks:
            task.cancel()


async def _brief_llm(runtime: Runtime, client: LLMClient, article: Article) -> Briefing:
    usage = Usage()
    drafts = await asyncio.gather(
        *(client.structured(messages, Draft, usage) for messages in map_calls(runtime, article))
    )
    if len(drafts) == 1:
        draft, warnings = normalize(drafts[0])
    else:
        merged, _ = merge_drafts(list(drafts))
        consolidated = await client.structured(
            consolidate_messages(runtime, article, merged, len(drafts)), Draft, usage
        )
        draft, warnings = normalize(consolidated)
    engine = Engine(
        name="llm",
        model=runtime.settings.model,
        prompt_version=runtime.prompts.version,
        calls=usage.calls,
        cached_calls=usage.cached_calls,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        retries=usage.retries,
        repairs=usage.repairs,
        structured_mode=client.structured_mode,
    )
    source = source_of(article, runtime.tokenizer.count(article.text))
    return ground(draft, article, source, engine, [*warnings, *runtime.warnings()])


def ground(
    draft: Draft, article: Article, source: Source, engine: Engine, warnings: list[str]
) -> Briefing:
    """Locate every quote of `draft` in the article; drop what cannot be located, with warnings."""
    text = SourceText(article.text)
    warnings = list(warnings)
    dropped = 0

    def located(quotes: list[str]) -> list[Evidence]:
        nonlocal dropped
        found: dict[tuple[int, int], Evidence] = {}
        for quote in quotes:
            evidence = text.evidence(quote)
            if evidence is None:
                dropped += 1
                continue
            found.setdefault((evidence.start, evidence.end), evidence)
        return sorted(found.values(), key=lambda e: e.start)

    positions: list[Position] = []
    for position in draft.positions:
        evidence = located(position.quotes)
        if evidence:
            positions.append(
                Position(actor=position.actor, stance=position.stance, evidence=evidence)
            )
        else:
            warnings.append(
                f"position of {position.actor} dropped: none of its quotes is in the article"
            )
    open_issues = [
        OpenIssue(issue=i.issue, stakeholders=i.stakeholders, evidence=located(i.quotes))
        for i in draft.open_issues
    ]
    key_facts = [KeyFact(fact=f.fact, evidence=located(f.quotes)) for f in draft.key_facts]
    if dropped:
        warnings.insert(0, f"{dropped} evidence quote(s) not found in the article were dropped")
    return Briefing(
        source=source,
        headline=draft.headline.strip(),
        summary=draft.summary.strip(),
        actors=[Actor.model_validate(actor.model_dump()) for actor in draft.actors],
        positions=positions,
        open_issues=open_issues,
        key_facts=key_facts,
        engine=engine,
        warnings=warnings,
    )
