"""Article -> Briefing: map chunks, merge, consolidate, ground."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..catalog import context_window, max_output
from ..engines import extractive
from ..engines.llm import LLMClient
from ..errors import (
    BrieferError,
    ConfigError,
    ContextLengthError,
    EndpointUnreachable,
    SchemaError,
    TruncatedError,
    reason_of,
)
from ..readers.sources import Article, source_of
from ..runtime import Runtime
from ..schema import Briefing, Draft, Engine, Usage, as_draft, as_reply, reply_model
from ..text.sentences import Sentence, split_sentences
from ..token_budget import fitting_budget, message_tokens, output_cap, output_limit
from . import chunking, citations, offline
from .grounding import ground
from .merge import merge_drafts, normalize
from .thin import thin_reply_warning

# Without the model's replies, the consolidation input can only be estimated per chunk: about
# 700 tokens a part's draft, as 20 parts of a real 11,000-word text took (issue 19).
CONSOLIDATION_TOKENS_PER_CHUNK = 700
# The offline engine's parse grows faster than the text; past this it reads the opening.
CHUNK_OVERLAP_TOKENS = 100
ID_TOKENS = 2
# The frame of a consolidation request without its drafts: what its overhead is measured on.
EMPTY_DRAFT = Draft(
    headline="-", summary="-", actors=[], positions=[], open_issues=[], key_facts=[]
)
MIN_ARTICLE_BUDGET = 256
# The least output a briefing is allowed when a small window is shared between the article
# and the reply: enough for a few actors and positions cited by sentence id.
OUTPUT_FLOOR = 1024


def marker_of(article: Article) -> str:
    # Derived from the text, so identical input gives an identical request, yet an article
    # cannot contain the marker that closes it.
    return article.id[:16]


def _evidence_prompt(runtime: Runtime) -> tuple[str, str]:
    """The reply field that carries evidence, and the rules for it, in the run's mode."""
    mode = runtime.settings.evidence
    rules = runtime.prompts[f"evidence.{mode}"].render().strip()
    return ("cites" if mode == "ref" else "quotes"), rules


def map_messages(
    runtime: Runtime,
    article: Article,
    chunk: chunking.Chunk,
    parts: int,
    sentences: list[Sentence] | None = None,
) -> list[dict[str, str]]:
    """The system and user messages that brief one chunk of an article. In ref mode the
    chunk is shown one numbered sentence a line (`sentences`: the article's table)."""
    part = (
        f"This is part {chunk.index + 1} of {parts} of a longer article; brief only this part.\n"
        if parts > 1
        else ""
    )
    shown = chunk.text
    if runtime.settings.evidence == "ref":
        table = split_sentences(article.text) if sentences is None else sentences
        shown = citations.numbered(article.text, table, chunk.start, chunk.end)
    user = runtime.prompts["map.user"].render(
        part=part,
        title=article.title or "(none)",
        outlet=article.outlet or "(unknown)",
        published=article.published or "(unknown)",
        marker=marker_of(article),
        article=shown,
    )
    field, evidence = _evidence_prompt(runtime)
    return [
        {
            "role": "system",
            "content": runtime.prompts["map.system"].render(field=field, evidence=evidence),
        },
        {"role": "user", "content": user},
    ]


def consolidate_messages(
    runtime: Runtime, article: Article, merged: Draft, parts: int
) -> list[dict[str, str]]:
    """The messages that turn the merged partial drafts into one briefing."""
    partials = as_reply(merged, runtime.settings.evidence)
    user = runtime.prompts["consolidate.user"].render(
        title=article.title or "(none)",
        parts=str(parts),
        marker=marker_of(article),
        partials=partials.model_dump_json(indent=1),
    )
    field, _ = _evidence_prompt(runtime)
    return [
        {"role": "system", "content": runtime.prompts["consolidate.system"].render(field=field)},
        {"role": "user", "content": user},
    ]


@dataclass(frozen=True)
class Limits:
    """What a re-plan imposes on the map calls: the context window a server stated, at most
    `part_tokens` of article per call, and `full_output` (each call may write as much as
    the model allows)."""

    window: int | None = None
    part_tokens: int | None = None
    full_output: bool = False
    # On a window too small for the usual allowance: the output every call may take.
    output_ceiling: int | None = None


@dataclass(frozen=True)
class MapCall:
    """One map request: its messages, the most output tokens it may take, and the tokens of
    article it carries."""

    messages: list[dict[str, str]]
    max_output: int
    tokens: int


def _output(runtime: Runtime, limits: Limits) -> Callable[[int], int]:
    """Output tokens allowed for a call carrying that many tokens of article."""
    usual = _usual_output(runtime, limits)
    if limits.output_ceiling is None:
        return usual
    ceiling = limits.output_ceiling
    return lambda tokens: min(ceiling, usual(tokens))


def _usual_output(runtime: Runtime, limits: Limits) -> Callable[[int], int]:
    settings = runtime.settings
    if limits.full_output:
        # As much as the model allows, leaving at least half the window to the article.
        window = limits.window or context_window(settings.model, settings.context_window)
        wanted = min(max_output(settings.model), window // 2)
        ceiling = output_cap(settings.model, settings.max_output_tokens, wanted)
        return lambda tokens: ceiling
    if limits.window:
        # A window the server stated: the output may take at most half of it.
        half = limits.window // 2
        return lambda tokens: min(
            half,
            output_limit(tokens, settings.evidence, settings.model, settings.max_output_tokens),
        )
    return lambda tokens: output_limit(
        tokens, settings.evidence, settings.model, settings.max_output_tokens
    )


def _counter(runtime: Runtime) -> Callable[[str], int]:
    """Tokens of article text as the map request shows it (numbered sentences in ref mode)."""
    count = runtime.tokenizer.count
    if runtime.settings.evidence != "ref":
        return count

    def shown(text: str) -> int:
        sentences = split_sentences(text)
        # Numbered here from S1; in the request, by their place in the whole article, whose
        # longer ids ([S1234]) take up to two tokens more each.
        return count(citations.numbered(text, sentences)) + ID_TOKENS * len(sentences)

    return shown


def _map_overhead(runtime: Runtime, article: Article) -> int:
    """Tokens of a map request without its article: instructions, metadata, schema."""
    empty = chunking.Chunk(index=0, start=0, end=0, text="", tokens=0)
    overhead = message_tokens(runtime.tokenizer.count, map_messages(runtime, article, empty, 2, []))
    return overhead + runtime.schema_tokens


def fitted(runtime: Runtime, article: Article, limits: Limits = Limits()) -> Limits:
    """`limits`, with the output allowance shrunk when the window cannot hold the usual one
    beside a useful share of article; ConfigError naming the smallest window that works when
    not even OUTPUT_FLOOR fits."""
    settings = runtime.settings
    margin = runtime.tokenizer.margin
    overhead = _map_overhead(runtime, article)
    window = limits.window or context_window(settings.model, settings.context_window)
    budget = fitting_budget(window, overhead, margin, _output(runtime, limits))
    if budget >= MIN_ARTICLE_BUDGET or limits.output_ceiling is not None:
        return limits
    # Half of what the instructions leave goes to the reply, half to the article.
    free = int(window - overhead * margin)
    ceiling = free // 2
    if ceiling < OUTPUT_FLOOR or free - ceiling < MIN_ARTICLE_BUDGET * margin:
        smallest = int(overhead * margin + OUTPUT_FLOOR + MIN_ARTICLE_BUDGET * margin) + 1
        smallest = max(smallest, int(overhead * margin) + 2 * OUTPUT_FLOOR + 1)
        raise ConfigError(
            f"A context window of {window} tokens is too small to brief in: the instructions"
            f" take {int(overhead * margin)} and a briefing at least {OUTPUT_FLOOR}; the"
            f" smallest window that works is {smallest} tokens (--context-window)"
        )
    return dataclasses.replace(limits, output_ceiling=ceiling)


def article_budget(runtime: Runtime, article: Article, limits: Limits = Limits()) -> int:
    """Tokens of article text one map call can carry, after instructions, schema and output
    (the output shrunk, see `fitted`, when the window is small)."""
    settings = runtime.settings
    limits = fitted(runtime, article, limits)
    window = limits.window or context_window(settings.model, settings.context_window)
    overhead = _map_overhead(runtime, article)
    budget = fitting_budget(window, overhead, runtime.tokenizer.margin, _output(runtime, limits))
    return min(budget, limits.part_tokens) if limits.part_tokens else budget


def chunks_of(
    runtime: Runtime, article: Article, limits: Limits = Limits()
) -> list[chunking.Chunk]:
    return chunking.split(
        article.text,
        article_budget(runtime, article, limits),
        _counter(runtime),
        overlap=CHUNK_OVERLAP_TOKENS,
    )


def map_calls(runtime: Runtime, article: Article, limits: Limits = Limits()) -> list[MapCall]:
    """The map calls briefing `article` takes: one per chunk, each with its output limit."""
    limits = fitted(runtime, article, limits)
    chunks = chunks_of(runtime, article, limits)
    table = split_sentences(article.text) if runtime.settings.evidence == "ref" else []
    output = _output(runtime, limits)
    return [
        MapCall(
            map_messages(runtime, article, chunk, len(chunks), table),
            output(chunk.tokens),
            chunk.tokens,
        )
        for chunk in chunks
    ]


async def brief(runtime: Runtime, article: Article) -> Briefing:
    """Brief one article with the engine the settings choose."""
    if runtime.client is None:
        # A thread: the parse takes a while, and calls or progress go on meanwhile.
        briefing = await offline.in_thread_within(
            lambda: _brief_offline(runtime, article), runtime.settings.offline_time_limit
        )
        return _told(runtime, briefing)
    return await _brief_llm(runtime, runtime.client, article)


def _told(runtime: Runtime, briefing: Briefing) -> Briefing:
    """`briefing`, after telling the run's listener (once a run) when the offline engine
    made it on its rules."""
    if briefing.engine.model == extractive.RULES_MODEL:
        runtime.warn("offline-rules", extractive.fallback_warning(runtime.settings.spacy_model))
    return briefing


def _brief_offline(runtime: Runtime, article: Article) -> Briefing:
    tokens = runtime.tokenizer.count(article.text)
    return offline.brief_offline(article, tokens, runtime.settings.spacy_model)


async def brief_each(
    runtime: Runtime, articles: Sequence[Article]
) -> AsyncIterator[tuple[int, Briefing | BrieferError]]:
    """Brief many articles concurrently; yield (index, briefing or error) as each finishes.

    Configuration errors and an endpoint nothing listens at stop the run: they would fail
    every article the same way.
    """
    processes = offline.processes_for(runtime.settings, len(articles))
    if runtime.client is None and processes > 1:
        tokens = [runtime.tokenizer.count(article.text) for article in articles]
        spacy_model = runtime.settings.spacy_model
        async for index, outcome in offline.brief_in_processes(
            articles, tokens, spacy_model, processes, runtime.settings.offline_time_limit
        ):
            yield index, (_told(runtime, outcome) if isinstance(outcome, Briefing) else outcome)
        return
    # The client bounds calls in flight; this bounds articles started, so memory stays flat.
    # Offline, threads share one core's worth of Python: a few are as fast as many.
    at_once = max(2, runtime.settings.concurrency * 2)
    if runtime.client is None:
        at_once = min(at_once, offline.THREADS)
    started = asyncio.Semaphore(at_once)

    async def one(index: int, article: Article) -> tuple[int, Briefing | BrieferError]:
        async with started:
            try:
                return index, await brief(runtime, article)
            except (ConfigError, EndpointUnreachable):
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
    try:
        draft, warnings = await _draft(runtime, client, article, usage)
    except (TruncatedError, ContextLengthError) as exc:
        draft, warnings = await _redraft(runtime, client, article, usage, exc)
    engine = Engine(
        name="llm",
        model=client.provider.model,
        prompt_version=runtime.prompts.version,
        structured_mode=client.structured_mode,
        **usage.model_dump(),
    )
    source = source_of(article, runtime.tokenizer.count(article.text))
    warnings = [*warnings, *runtime.warnings()]
    if runtime.settings.evidence == "ref":
        table = citations.Citations(article.text)
        briefing = ground(
            draft, article, source, engine, warnings, table.evidence, table.dropped_note
        )
    else:
        briefing = ground(draft, article, source, engine, warnings)
    if (thin := thin_reply_warning(briefing, article.text)) is not None:
        runtime.warn("thin-reply", thin, article.path or "-")
        briefing = briefing.model_copy(update={"warnings": [*briefing.warnings, thin]})
    return briefing


async def _draft(
    runtime: Runtime, client: LLMClient, article: Article, usage: Usage, limits: Limits = Limits()
) -> tuple[Draft, list[str]]:
    """Map the article's chunks and merge them (consolidating when there are several)."""
    model = reply_model(runtime.settings.evidence)
    calls = map_calls(runtime, article, limits)
    planned = len(calls) + (len(calls) > 1)
    runtime.parts_planned(planned)
    done = 0

    async def part(messages: list[dict[str, str]], max_output: int) -> Any:
        nonlocal done
        reply = await client.structured(messages, model, usage, max_output)
        runtime.part_done()  # progress for a long article: one more of its calls is in
        done += 1
        return reply

    unusable: dict[int, SchemaError] = {}

    async def mapped(index: int, call: MapCall) -> Any:
        nonlocal done
        if len(calls) == 1:
            return await part(call.messages, call.max_output)
        try:
            return await part(call.messages, call.max_output)
        except SchemaError as exc:
            # One part a model cannot brief (a small model's broken JSON, twice) costs that
            # part, said in the warnings, not the whole article.
            unusable[index] = exc
            runtime.part_done()
            done += 1
            return None

    tasks = [asyncio.ensure_future(mapped(i, call)) for i, call in enumerate(calls)]
    try:
        replies = await asyncio.gather(*tasks)
    except BaseException:
        # A plan given up (to be re-planned, or failed): its other calls are cancelled, and
        # those that never came are no longer awaited by the progress line.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        runtime.parts_planned(-(planned - done))
        raise
    if len(unusable) == len(calls):
        raise next(iter(unusable.values()))
    drafts = [as_draft(reply) for reply in replies if reply is not None]
    skipped = [
        f"part {index + 1} of {len(calls)} was not briefed ({exc}); the briefing covers the rest"
        for index, exc in sorted(unusable.items())
    ]
    if len(drafts) == 1:
        draft, warnings = normalize(drafts[0])
        return draft, [*skipped, *warnings]
    consolidated, notes = await _collapse(runtime, article, drafts, limits, part)
    draft, warnings = normalize(consolidated)
    return draft, [*skipped, *notes, *warnings]


Ask = Callable[[list[dict[str, str]], int], Any]


async def _collapse(
    runtime: Runtime, article: Article, drafts: list[Draft], limits: Limits, ask: Ask
) -> tuple[Draft, list[str]]:
    """One draft from the parts' drafts, as LangChain's map-reduce collapses: while they do
    not fit one consolidation request, consolidate groups of consecutive drafts that do, then
    the groups' results; deterministic, and no request past the window."""
    level = drafts
    rounds = 0
    while True:
        sizes = [draft_tokens(runtime, draft) for draft in level]
        groups = consolidation_groups(runtime, article, sizes, limits)
        if groups is None:
            # Not even two drafts fit one request: the deterministic merge stands alone.
            merged, _ = merge_drafts(level)
            note = (
                f"the context window cannot hold a consolidation of {len(level)} parts;"
                " they were merged without one"
            )
            return merged, [note]
        if len(groups) > 1:
            rounds += 1
            runtime.parts_planned(sum(len(group) > 1 for group in groups))
        results = await asyncio.gather(
            *(
                _consolidate(runtime, article, [level[i] for i in group], limits, ask)
                for group in groups
            )
        )
        if len(groups) == 1:
            notes = [f"consolidated in {rounds + 1} rounds"] if rounds else []
            return results[0], notes
        level = list(results)


async def _consolidate(
    runtime: Runtime, article: Article, group: list[Draft], limits: Limits, ask: Ask
) -> Draft:
    if len(group) == 1:
        return group[0]
    merged, _ = merge_drafts(group)
    messages = consolidate_messages(runtime, article, merged, len(group))
    reply = await ask(messages, consolidation_output(runtime, article, messages, limits))
    return as_draft(reply)


def collapse_plan(
    runtime: Runtime, article: Article, sizes: Sequence[int], limits: Limits = Limits()
) -> list[int]:
    """The drafts' tokens each consolidation call of `_collapse` would carry, round by round,
    for drafts of `sizes` tokens (a consolidated draft counted as its parts together, at most
    a briefing of the whole article); empty when they would be merged without a call."""
    settings = runtime.settings
    whole = output_limit(
        runtime.tokenizer.count(article.text), settings.evidence, settings.model, None
    )
    carried: list[int] = []
    level = list(sizes)
    while len(level) > 1:
        groups = consolidation_groups(runtime, article, level, limits)
        if groups is None:
            return carried
        merged = [sum(level[i] for i in group) for group in groups]
        carried += [size for size, group in zip(merged, groups, strict=True) if len(group) > 1]
        level = [min(size, whole) for size in merged]
    return carried


def draft_tokens(runtime: Runtime, draft: Draft) -> int:
    """Tokens a draft takes in a consolidation request's partials."""
    shown = as_reply(draft, runtime.settings.evidence).model_dump_json(indent=1)
    return runtime.tokenizer.count(shown)


def consolidation_groups(
    runtime: Runtime, article: Article, sizes: Sequence[int], limits: Limits
) -> list[list[int]] | None:
    """Consecutive drafts grouped so that each group's consolidation request (instructions,
    the drafts, and at least OUTPUT_FLOOR of output) fits the window; one group when all fit;
    None when not even two drafts fit together (no round would make progress). Sizes are the
    drafts' tokens (`draft_tokens`), so the plan can group estimates the same way."""
    settings = runtime.settings
    window = limits.window or context_window(settings.model, settings.context_window)
    empty = consolidate_messages(runtime, article, EMPTY_DRAFT, len(sizes))
    overhead = message_tokens(runtime.tokenizer.count, empty) + runtime.schema_tokens
    margin = runtime.tokenizer.margin

    def fits(total: int) -> bool:
        return (overhead + total) * margin + OUTPUT_FLOOR <= window

    groups: list[list[int]] = [[0]]
    total = sizes[0]
    for index, size in enumerate(sizes[1:], 1):
        if fits(total + size):
            groups[-1].append(index)
            total += size
        else:
            groups.append([index])
            total = size
    if len(groups) > 1 and all(len(group) == 1 for group in groups):
        return None
    return groups


# A context length refusal teaches the server's count, which a second refusal (a request
# planned before the first was answered) may still correct; past this, the article fails.
MAX_REPLANS = 2


async def _redraft(
    runtime: Runtime,
    client: LLMClient,
    article: Article,
    usage: Usage,
    exc: TruncatedError | ContextLengthError,
) -> tuple[Draft, list[str]]:
    """The draft of an article re-planned after a reply was cut off or a request did not fit
    the window as the server counts it."""
    for attempt in range(1, MAX_REPLANS + 1):
        try:
            limits, note = _replan(runtime, article, exc)
        except ConfigError:
            raise exc from None  # no part of the article fits what the server allows
        try:
            draft, warnings = await _draft(runtime, client, article, usage, limits)
        except ContextLengthError as again:
            if attempt == MAX_REPLANS:
                raise
            exc = again
            continue
        return draft, [f"{note}: briefed in parts and consolidated", *warnings]
    raise AssertionError("unreachable: the last attempt returns or raises")


def _replan(
    runtime: Runtime, article: Article, exc: TruncatedError | ContextLengthError
) -> tuple[Limits, str]:
    """The limits that brief the article in parts after a reply was cut off or a request did
    not fit the server's context window; and why, for the briefing's warnings."""
    if isinstance(exc, ContextLengthError):
        configured = context_window(runtime.settings.model, runtime.settings.context_window)
        if exc.count_ratio:
            runtime.learn_margin(exc.count_ratio)
            if exc.limit is None or exc.limit >= configured:
                # The window was right, the count was not: the plan a fresh run makes now
                # (with the ratio learned), so that a rerun finds every reply in the cache.
                why = "the server counts more tokens than briefer"
                article_budget(runtime, article)  # ConfigError: nothing fits
                return Limits(), why
        stated = exc.limit
        window = (
            stated or context_window(runtime.settings.model, runtime.settings.context_window) // 2
        )
        why = f"the server's context window is {stated} tokens" if stated else str(exc)
        article_budget(runtime, article, Limits(window=window))  # ConfigError: nothing fits
        return Limits(window=window), why
    # Each part gets half the text of the largest part that was cut off, and as much output
    # as the model allows: one re-plan must do.
    largest = max(call.tokens for call in map_calls(runtime, article))
    part = max(MIN_ARTICLE_BUDGET, largest // 2)
    why = f"a reply was cut off at {exc.max_output} output tokens"
    return Limits(part_tokens=part, full_output=True), why


def consolidation_output(
    runtime: Runtime, article: Article, messages: list[dict[str, str]], limits: Limits
) -> int:
    """Output tokens for the consolidated briefing: what the whole article needs, within the
    room its prompt leaves in the context window."""
    settings = runtime.settings
    wanted = _output(runtime, limits)(runtime.tokenizer.count(article.text))
    window = limits.window or context_window(settings.model, settings.context_window)
    prompt = message_tokens(runtime.tokenizer.count, messages) + runtime.schema_tokens
    room = int(window - prompt * runtime.tokenizer.margin)
    return max(MIN_ARTICLE_BUDGET, min(wanted, room))
