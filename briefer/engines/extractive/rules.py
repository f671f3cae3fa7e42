"""The rules engine: a briefing from hand-written name patterns and gazetteers, in
milliseconds. The fallback of the offline engine when spaCy or its pipeline is missing."""

from __future__ import annotations

import re
from collections import Counter

from ...readers.sources import Article, source_of
from ...schema import Actor, Briefing, Engine, Evidence, OpenIssue, Position
from ...text.sentences import Sentence, split_sentences, whole_quotations
from ...text.source import SourceText
from ...text.spans import Span
from .actors import (
    Found,
    find_bodies,
    find_named_bodies,
    find_organisations,
    find_people,
    find_states,
    mark_acting,
)
from .attribution import Resolver, Statement, attribute
from .sections import DATELINE, LEADING_PRONOUN, headline, key_facts, openness, summary

MAX_OPEN_ISSUES = 6
MAX_POSITIONS_PER_ACTOR = 6

# What `engine.model` says of a briefing the rules made.
RULES_MODEL = "rules"


def brief(article: Article, tokens: int) -> Briefing:
    """Return the rules engine's briefing of `article`."""
    text = article.text
    parts = whole_quotations(split_sentences(text), text)
    found = _actors(text)
    resolver = Resolver(found)
    statements = attribute(parts, text, resolver)
    source_text = SourceText(text)

    positions = _positions(statements, source_text)
    speakers = {(st.start, st.end): st.actor for st in statements}
    issues = _open_issues(parts, resolver, source_text, speakers)
    involved = {p.actor for p in positions} | {s for i in issues for s in i.stakeholders}
    mentions = Counter(actor for _, _, actor in resolver.mentions(text))
    actors = [
        Actor(name=a.name, kind=a.kind, role=a.role, aliases=_aliases(a, text))
        for a in sorted(found, key=lambda a: a.first)
        if a.name in involved or a.acts or (a.kind == "person" and a.role) or mentions[a.name] >= 3
    ]
    kept = {a.name for a in actors}
    issues = [
        i.model_copy(update={"stakeholders": [s for s in i.stakeholders if s in kept]})
        for i in issues
    ]
    return Briefing(
        source=source_of(article, tokens),
        headline=headline(article, parts),
        summary=summary(parts),
        actors=actors,
        positions=positions,
        open_issues=issues,
        key_facts=key_facts(
            parts, source_text, {(e.start, e.end) for p in positions for e in p.evidence}
        ),
        engine=Engine(name="extractive", model=RULES_MODEL, prompt_version=None),
        warnings=[],
    )


def _aliases(actor: Found, text: str) -> list[str]:
    """The actor's aliases plus its surname when the text uses the surname alone."""
    aliases = list(actor.aliases)
    words = actor.name.split()
    if actor.kind == "person" and len(words) > 1:
        surname = re.escape(words[-1])
        if re.search(rf"(?<!{re.escape(words[-2])} )\b{surname}\b", text):
            aliases.append(words[-1])
    return aliases


def _actors(text: str) -> list[Found]:
    people = find_people(text)
    organisations = find_organisations(text)
    states = find_states(text)
    bodies = find_bodies(text)
    named = find_named_bodies(text)
    actors: dict[str, Found] = {}
    for group in (people, organisations, named, states, bodies):
        for name, actor in group.items():
            if not any(name in other.names() for other in actors.values()):
                actors[name] = actor
    found = list(actors.values())
    mark_acting(found, text)
    return found


def _positions(statements: list[Statement], source: SourceText) -> list[Position]:
    grouped: dict[tuple[str, int, int], Statement] = {}
    for statement in statements:
        grouped.setdefault((statement.actor, statement.start, statement.end), statement)
    positions: list[Position] = []
    per_actor: Counter[str] = Counter()
    for statement in sorted(grouped.values(), key=lambda s: s.start):
        if per_actor[statement.actor] >= MAX_POSITIONS_PER_ACTOR or not statement.stance:
            continue
        per_actor[statement.actor] += 1
        span_text = source.text[statement.start : statement.end]
        evidence = Evidence(
            quote=span_text, start=statement.start, end=statement.end, direct=statement.direct
        )
        positions.append(
            Position(actor=statement.actor, stance=statement.stance, evidence=[evidence])
        )
    return positions


def _open_issues(
    parts: list[Sentence],
    resolver: Resolver,
    source: SourceText,
    speakers: dict[tuple[int, int], str],
) -> list[OpenIssue]:
    """Sentences with the most open-question cues; a sentence whose speaker is known (often
    by a pronoun) names that speaker as a stakeholder and in place of the pronoun."""
    scored: list[tuple[int, Sentence]] = []
    for sentence in parts:
        score = openness(sentence.text)
        if score >= 3:
            scored.append((score, sentence))
    top = sorted(scored, key=lambda pair: (-pair[0], pair[1].index))[:MAX_OPEN_ISSUES]
    issues = []
    for _, sentence in sorted(top, key=lambda pair: pair[1].index):
        speaker = next(
            (
                actor
                for (start, end), actor in speakers.items()
                if sentence.start <= start and end <= sentence.end
            ),
            None,
        )
        mentioned = [a for _, _, a in resolver.mentions(sentence.text)]
        stakeholders = list(dict.fromkeys([speaker, *mentioned] if speaker else mentioned))
        issue = DATELINE.sub("", sentence.text)
        if speaker:
            issue = LEADING_PRONOUN.sub(speaker + " ", issue, count=1)
        evidence = source.evidence_at(Span(sentence.start, sentence.end))
        issues.append(OpenIssue(issue=issue, stakeholders=stakeholders, evidence=[evidence]))
    return issues
