"""The spaCy engine: a briefing composed from one parsed Doc of the article text.

spaCy's offsets are offsets into the very text it parsed, so every evidence span is
`text[start:end]` of the article. Deterministic: inference has no randomness.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..grounding import SourceText, Span
from ..schema import Actor as ActorOut
from ..schema import Briefing, Engine, Evidence, OpenIssue, Position
from ..sources import Article, source_of
from .issues import open_sentences
from .quotes import quotations
from .sections import DATELINE, LEADING_PRONOUN, headline, key_facts, summary
from .spacy_actors import Actor, Cast, find_actors
from .spacy_attribution import Statement, attribute
from .text import Sentence

# A briefing lists the actors a reader needs, not every name: ranked, then capped.
MAX_ACTORS = 12
MAX_OPEN_ISSUES = 8
MAX_POSITIONS_PER_ACTOR = 8


def brief(article: Article, tokens: int, doc: Any, model: str) -> Briefing:
    """Return the briefing of `article` from `doc`, spaCy's parse of `article.text`."""
    text = article.text
    quotes = quotations(text)
    cast = find_actors(doc, [(q.start, q.end) for q in quotes])
    _mark_acting(doc, cast)
    statements = attribute(doc, cast, quotes)
    parts = _sentences(doc)
    chosen = _rank(cast)
    kept = {id(a) for a in chosen}
    positions = _positions([s for s in statements if id(s.actor) in kept], text)
    issues = _open_issues(parts, cast, kept, statements, SourceText(text))
    return Briefing(
        source=source_of(article, tokens),
        headline=headline(article, parts),
        summary=summary(parts),
        actors=[
            ActorOut(name=a.name, kind=a.kind, role=a.role, aliases=a.aliases)
            for a in sorted(chosen, key=lambda a: a.first)
        ],
        positions=positions,
        open_issues=issues,
        key_facts=key_facts(
            parts, SourceText(text), {(e.start, e.end) for p in positions for e in p.evidence}
        ),
        engine=Engine(name="extractive", model=model, prompt_version=None),
        warnings=[],
    )


def _sentences(doc: Any) -> list[Sentence]:
    parts: list[Sentence] = []
    paragraph = 0
    last_end = 0
    for sent in doc.sents:
        raw = sent.text
        start = sent.start_char + len(raw) - len(raw.lstrip())
        end = sent.end_char - (len(raw) - len(raw.rstrip()))
        if end <= start:
            continue
        paragraph += doc.text.count("\n\n", last_end, start)
        last_end = end
        parts.append(Sentence(len(parts), start, end, doc.text[start:end], paragraph))
    return parts


def _mark_acting(doc: Any, cast: Cast) -> None:
    """Count, for each actor, the verbs it is the subject of: an actor acts, a name in passing
    does not."""
    for token in doc:
        if token.dep_ in ("nsubj", "nsubjpass", "agent") and token.head.tag_.startswith("VB"):
            actor = cast.at(token.i)
            if actor is not None:
                actor.acts += 1


def _rank(cast: Cast) -> list[Actor]:
    """The actors a reader needs, most important first: speakers, then those that act and
    recur. A name mentioned once and doing nothing is context, not an actor."""

    def weight(actor: Actor) -> float:
        return 3.0 * actor.statements + 1.5 * actor.acts + len(actor.mentions)

    eligible = [
        a
        for a in cast.actors
        if a.statements > 0 or (a.acts > 0 and len(a.mentions) >= 2) or len(a.mentions) >= 3
    ]
    return sorted(eligible, key=lambda a: (-weight(a), a.first))[:MAX_ACTORS]


def _positions(statements: list[Statement], text: str) -> list[Position]:
    seen: set[tuple[int, int, int]] = set()
    per_actor: Counter[int] = Counter()
    positions: list[Position] = []
    for statement in sorted(statements, key=lambda s: (s.start, s.end)):
        key = (id(statement.actor), statement.start, statement.end)
        if key in seen or not statement.stance:
            continue
        seen.add(key)
        if per_actor[id(statement.actor)] >= MAX_POSITIONS_PER_ACTOR:
            continue
        per_actor[id(statement.actor)] += 1
        evidence = Evidence(
            quote=text[statement.start : statement.end],
            start=statement.start,
            end=statement.end,
            direct=statement.direct,
        )
        positions.append(
            Position(actor=statement.actor.name, stance=statement.stance, evidence=[evidence])
        )
    return positions


def _open_issues(
    parts: list[Sentence],
    cast: Cast,
    kept: set[int],
    statements: list[Statement],
    source: SourceText,
) -> list[OpenIssue]:
    """The sentences that most mark something as unresolved, with the actors they concern; a
    sentence's speaker stands in for its leading pronoun."""
    issues: list[OpenIssue] = []
    for sentence in open_sentences(parts, MAX_OPEN_ISSUES):
        speaker = next(
            (
                s.actor
                for s in statements
                if sentence.start <= s.start < sentence.end and id(s.actor) in kept
            ),
            None,
        )
        mentioned = [a for a in cast.mentioned_in(sentence.start, sentence.end) if id(a) in kept]
        stakeholders = list(
            dict.fromkeys(a.name for a in [*([speaker] if speaker else []), *mentioned])
        )
        issue = DATELINE.sub("", sentence.text)
        if speaker is not None:
            issue = LEADING_PRONOUN.sub(speaker.name + " ", issue, count=1)
        evidence = Evidence(
            quote=sentence.text,
            start=sentence.start,
            end=sentence.end,
            direct=source.is_direct(Span(sentence.start, sentence.end)),
        )
        issues.append(OpenIssue(issue=issue, stakeholders=stakeholders, evidence=[evidence]))
    return issues
