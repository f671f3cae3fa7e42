"""Many articles into one Digest: expand inputs, keep the date window, set near-duplicates
aside, brief concurrently, group into stories, synthesise across the briefings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..briefing import pipeline
from ..briefing.batch import BatchOutcome, prefetch
from ..briefing.planning import check_cost_limit
from ..errors import HistoryError, reason_of
from ..events import Progressed, Sink, WarningKind
from ..progress import Progress
from ..readers.inputs import Window
from ..readers.sources import Article, source_of
from ..runtime import Runtime
from ..schema import (
    Briefing,
    Changes,
    Digest,
    DigestArticle,
    DigestUsage,
    Failure,
    Skipped,
    Story,
    Usage,
)
from ..settings import Settings
from ..text.names import actor_keys
from . import (
    changes,
    collect,
    editor_pass,
    furniture,
    grouping,
    position_compare,
    steps,
    synthesis,
)
from .history import History

STORY_ACTORS = 8
A = TypeVar("A")
R = TypeVar("R")


async def build_digest(
    sources: Sequence[str | Path],
    settings: Settings,
    *,
    window: Window | None = None,
    title: str | None = None,
    events: Sink | None = None,
) -> Digest:
    """Return the digest of every article the inputs hold inside the window; `events` hears
    where the run is as it goes (see briefer.events)."""
    window = window or Window()
    runtime = Runtime.open(settings)
    runtime.events = events
    try:
        read, groups, representatives = await collect.read_distinct(sources, window, runtime.access)
        day_read = collect.day_of(window, [a.published for a in read.articles])
        comparing = steps.has_earlier_day(runtime, day_read)
        # The steps after the briefings count against --max-cost too, before the first call.
        after = steps.plan_steps(runtime, representatives, comparing)
        check_cost_limit(runtime, representatives, [step.max_cost_usd for step in after])
        batched = BatchOutcome()
        if settings.batch:
            batched = await prefetch(runtime, representatives)
        briefed, failures, usage = await _brief_all(runtime, representatives)
        # A canonical order (newest first, then by text hash), so the same articles give the
        # same digest and the same synthesis request whatever order the inputs came in.
        kept = sorted(briefed, key=lambda i: representatives[i].id)
        kept.sort(key=lambda i: representatives[i].published or "", reverse=True)
        articles = [
            _digest_article(runtime, briefed[i], [read.articles[m] for m in groups[i]])
            for i in kept
        ]
        day, span = _day_and_span(window, articles)
        texts = {a.id: representatives[i].text for a, i in zip(articles, kept, strict=True)}
        sofar = SoFar(
            runtime=runtime,
            usage=usage,
            read=read,
            distinct=len(groups),
            batched=batched,
            texts=texts,
            articles=articles,
            day=day,
            title=title or f"Digest — {span}",
            failures=read.failures + failures,
        )
        # The run walks the steps the plan walked, in the same order.
        for kind in steps.STEPS:
            await AT_STEP[kind.name](sofar)
        assert sofar.digest is not None
        return sofar.digest
    finally:
        await runtime.aclose()


@dataclass
class SoFar:
    """A digest between its briefings and its end: what each step reads, and adds to."""

    runtime: Runtime
    usage: Usage
    read: collect.Read
    distinct: int
    batched: BatchOutcome
    texts: dict[str, str]  # each article's text by its id
    articles: list[DigestArticle]
    day: str
    title: str
    failures: list[Failure]
    stories: list[Story] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the steps' notes, in their order
    digest: Digest | None = None


async def _group(sofar: SoFar) -> None:
    """Stories: the editor's pass over the briefings (offline: the grouping), with the lines
    the day's pages repeat compared by no story and resting under no position."""
    texts = sofar.texts
    furnished = furniture.repeated(texts)
    articles, sofar.stories, edited = await _stories(
        sofar,
        sofar.articles,
        [furniture.without(texts[a.id], furnished) for a in sofar.articles],
    )
    sofar.articles = furniture.strip(articles, texts, furnished)
    sofar.failures += edited.failures
    sofar.warnings += [*edited.warnings, *edited.value.warnings]


async def _synthesise(sofar: SoFar) -> None:
    """The digest: the synthesis across the briefings (offline: the cross-article index),
    with every note of the run."""
    runtime, read, batched = sofar.runtime, sofar.read, sofar.batched
    synthesised = await steps.run(
        runtime,
        synthesis.Synthesise(
            sofar.articles,
            sofar.stories,
            synthesis.CrossIndex(sofar.articles),
            sofar.title,
            sofar.day,
            spacy_model=runtime.settings.spacy_model,
        ),
        sofar.usage,
    )
    warnings = runtime.warnings()

    def note(kind: WarningKind, message: str) -> None:
        runtime.warn(kind, message)
        warnings.append(message)

    for message in [*sofar.warnings, *synthesised.warnings, *synthesised.value.warnings]:
        note("step", message)
    if batched.failed:
        note(
            "batch",
            f"{batched.failed} batch request(s) failed, expired or came back unusable;"
            " they were sent synchronously",
        )
    for message in read.notes:
        note("inputs", message)
    if read.over_cap:
        note(
            "inputs",
            f"{read.over_cap} more entries were not read: a digest reads at most"
            f" {collect.MAX_ARTICLES:,} articles",
        )
    if read.teasers:
        note(
            "inputs",
            f"{read.teasers} feed entr{'y' if read.teasers == 1 else 'ies'} briefed from the"
            " feed's own text: the linked page could not be fetched",
        )
    sofar.digest = Digest(
        title=sofar.title,
        date=sofar.day,
        top_lines=synthesised.value.top_lines,
        stories=sofar.stories,
        articles=sofar.articles,
        actors=synthesised.value.actors,
        open_issues=synthesised.value.open_issues,
        failures=sofar.failures + synthesised.failures,
        skipped=Skipped(
            outside_window=read.outside_window,
            duplicates=len(read.articles) - sofar.distinct,
        ),
        usage=DigestUsage(
            engine="llm" if runtime.client else "extractive",
            model=runtime.client.provider.model if runtime.client else None,
            prompt_version=runtime.prompts.version if runtime.client else None,
            articles_read=len(read.articles),
            articles_briefed=len(sofar.articles),
            **sofar.usage.counts().model_dump(),
            batch_requests=batched.requests,
            batch_jobs=batched.submitted + batched.resumed,
        ),
        # The same note from many articles or steps is one note.
        warnings=list(dict.fromkeys(warnings)),
    )


async def _compare(sofar: SoFar) -> None:
    """With a history: the digest compared with earlier days (the position comparison among
    the changes) and recorded."""
    assert sofar.digest is not None
    if not sofar.runtime.settings.use_history:
        return
    digest = await _with_history(sofar, sofar.digest)
    # The position comparison, when a model made it, is part of the digest's cost.
    sofar.digest = digest.model_copy(
        update={"usage": digest.usage.model_copy(update=sofar.usage.counts().model_dump())}
    )


# What the run does at each step of steps.STEPS: the step, and the digest's work around it.
AT_STEP: dict[str, Callable[[SoFar], Awaitable[None]]] = {
    editor_pass.EditorPass.name: _group,
    synthesis.Synthesise.name: _synthesise,
    position_compare.ComparePositions.name: _compare,
}


def _history_warned(runtime: Runtime, digest: Digest, problem: str) -> Digest:
    """`digest` with one more warning about its history, told to the run's listener too (a
    reader of the digest sees "history: …"; a listener knows it by its kind)."""
    message = f"history: {problem}"
    runtime.warn("history", message)
    return digest.model_copy(update={"warnings": [*digest.warnings, message]})


async def _with_history(sofar: SoFar, digest: Digest) -> Digest:
    """The digest compared with the history (stories marked, changes listed), and recorded
    there; on a history that cannot be used, the digest as it is with one warning."""
    runtime, texts = sofar.runtime, sofar.texts
    day = digest.date or ""
    if not digest.articles:
        # An empty window, a mistyped path or an outage: recording it would erase the day
        # a rerun replaces and leave tomorrow's "What changed" nothing to compare with.
        note = f"no article was briefed for {day}; the history was left as it was"
        return _history_warned(runtime, digest, note)
    try:
        with History(runtime.settings.resolved_history_path) as history:
            previous = history.previous_day(day)
            keys = [actor_keys([a.name]) for a in digest.actors]
            past = changes.Past(
                previous_day=previous,
                stories=history.stories_since(changes.lookback_start(day), day),
                positions=history.latest_positions([k for ks in keys for k in ks], day),
                issues=history.issues_of(previous) if previous else [],
            )
            stories, found = changes.compare(digest, texts, past, runtime.settings.spacy_model)
            found.history = str(history.path)
            extra = await _compare_positions(sofar, digest, past, found)
            digest = digest.model_copy(
                update={
                    "stories": stories,
                    "changes": found,
                    "failures": digest.failures + extra[0],
                    "warnings": digest.warnings + extra[1],
                }
            )
            held = history.articles_of(day)
            if digest.failures and held is not None and held > len(digest.articles):
                note = (
                    f"kept the earlier record of {day} ({held} articles):"
                    f" this run briefed {len(digest.articles)} and {len(digest.failures)}"
                    " failed; rerun when they can be briefed"
                )
                return _history_warned(runtime, digest, note)
            history.record(changes.record(digest, texts))
            found.started = history.created
    except HistoryError as exc:
        return _history_warned(runtime, digest, f"{exc}; this digest was not compared or recorded")
    return digest


async def _compare_positions(
    sofar: SoFar, digest: Digest, past: changes.Past, found: Changes
) -> tuple[list[Failure], list[str]]:
    """With a model, replace the offline changed positions in `found` by the model's verdict
    over both digests' positions; when that call fails, keep the offline ones. Returns the
    failure and warnings to add to the digest."""
    chosen = position_compare.candidates(digest.actors, past.positions)
    headlines = {a.id: a.briefing.headline for a in digest.articles}
    step = position_compare.ComparePositions(chosen, digest.date or "", headlines, found.positions)
    compared = await steps.run(sofar.runtime, step, sofar.usage)
    found.positions = compared.value.changes
    warnings = compared.warnings + compared.value.warnings
    for message in warnings:
        sofar.runtime.warn("step", message)
    return compared.failures, warnings


def _day_and_span(window: Window, articles: list[DigestArticle]) -> tuple[str, str]:
    """The digest's day (the window's, else the latest article's, else today's) and how its
    title names what it covers: that day, or the range of the articles' days."""
    dates = sorted({s.published for a in articles for s in a.sources if s.published})
    day = collect.day_of(window, dates)
    if window.day or len(dates) < 2:
        return day, day
    return day, f"{dates[0]} to {dates[-1]}"


async def _brief_all(
    runtime: Runtime, articles: list[Article]
) -> tuple[dict[int, Briefing], list[Failure], Usage]:
    briefed: dict[int, Briefing] = {}
    failures: list[Failure] = []
    usage = Usage()
    progress = Progress(total=len(articles))
    runtime.tell(Progressed(progress))
    async for index, result in pipeline.brief_each(runtime, articles):
        if isinstance(result, Briefing):
            briefed[index] = result
            usage.add(result.engine)
            progress = progress.after(result)
        else:
            failures.append(Failure(source=articles[index].path or "-", reason=reason_of(result)))
            progress = progress.after(None)
        runtime.tell(Progressed(progress))
    return briefed, failures, usage


def _digest_article(runtime: Runtime, briefing: Briefing, copies: list[Article]) -> DigestArticle:
    others = sorted(
        (
            source_of(article, runtime.tokenizer.count(article.text))
            for article in copies
            if article.path != briefing.source.path or article.id != briefing.source.id
        ),
        key=lambda source: (source.path or "", source.id),
    )
    return DigestArticle(
        id=briefing.source.id[:12],
        sources=[briefing.source, *others],
        story=None,
        briefing=briefing,
    )


def _weight(article: DigestArticle) -> float:
    """Prominence of one article: outlets carrying it first, then how much it reports."""
    briefing = article.briefing
    outlets = {s.outlet or s.path for s in article.sources}
    return (
        3.0 * len(outlets)
        + len(briefing.positions)
        + 0.5 * len(briefing.open_issues)
        + 0.25 * len(briefing.actors)
    )


async def _stories(
    sofar: SoFar, articles: list[DigestArticle], texts: list[str]
) -> tuple[list[DigestArticle], list[Story], steps.Ran[editor_pass.Edited]]:
    """Group articles into stories: the editor's pass when the LLM engine runs, else (or when
    that call fails) the offline grouping. Returns the articles in story order, the stories,
    and the step's result (its failure and notes)."""
    offline, weights = offline_grouping(articles, texts)
    step = editor_pass.EditorPass(articles, offline, sofar.day)
    edited = await steps.run(sofar.runtime, step, sofar.usage)
    if edited.failures or edited.warnings or sofar.runtime.client is None or len(articles) < 2:
        headlines: list[str | None] = [None] * len(offline)
        return *_story_list(articles, offline, headlines, weights), edited
    # The editor's stories rank like the offline ones: by the summed weight of their articles.
    ranked = sorted(
        zip(edited.value.groups, edited.value.headlines, strict=True),
        key=lambda pair: (-sum(weights[m] for m in pair[0]), min(pair[0])),
    )
    groups = [sorted(members, key=lambda m: (-weights[m], m)) for members, _ in ranked]
    ordered, stories = _story_list(articles, groups, [h for _, h in ranked], weights)
    return ordered, stories, edited


def offline_grouping(
    articles: list[DigestArticle], texts: list[str]
) -> tuple[list[list[int]], list[float]]:
    """The offline grouping of `articles` (story order, as grouping.group gives it) and each
    article's weight: the stories without a model, and the order of the editor's cards."""
    weights = [_weight(a) for a in articles]
    profiles = [
        grouping.Profile(title=a.briefing.source.title or "", text=text, weight=weight)
        for a, text, weight in zip(articles, texts, weights, strict=True)
    ]
    return grouping.group(profiles), weights


def _story_list(
    articles: list[DigestArticle],
    groups: list[list[int]],
    headlines: list[str | None],
    weights: list[float],
) -> tuple[list[DigestArticle], list[Story]]:
    """Stories from groups of article indexes (lead article first); a story without a given
    headline takes its lead article's."""
    ordered: list[DigestArticle] = []
    stories: list[Story] = []
    for number, (members, headline) in enumerate(zip(groups, headlines, strict=True), 1):
        story_id = f"S{number}"
        members_articles = [articles[m].model_copy(update={"story": story_id}) for m in members]
        actor_counts = Counter(
            actor.name for article in members_articles for actor in article.briefing.actors
        )
        stories.append(
            Story(
                id=story_id,
                headline=headline or members_articles[0].briefing.headline,
                articles=[a.id for a in members_articles],
                actors=[name for name, _ in actor_counts.most_common(STORY_ACTORS)],
                importance=round(sum(weights[m] for m in members), 2),
            )
        )
        ordered.extend(members_articles)
    return ordered, stories
