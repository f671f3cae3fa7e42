"""The offline engine: a briefing from the article text alone, by rules, in milliseconds.

Same contract as the LLM engine. Deterministic: the same text gives the same briefing.
"""

from __future__ import annotations

import re
from collections import Counter

from ..grounding import SourceText, Span
from ..schema import Actor, Briefing, Engine, Evidence, KeyFact, OpenIssue, Position
from ..sources import Article, source_of
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
from .text import Sentence, sentences

MAX_OPEN_ISSUES = 6
MAX_KEY_FACTS = 5
MAX_POSITIONS_PER_ACTOR = 6

_OPEN_CUES = [
    (re.compile(r"\b(?:unclear|uncertain|unresolved|undecided|unknown|open question)\b", re.I), 3),
    (re.compile(r"\bwhether\b", re.I), 3),
    (re.compile(r"\bnot yet\b|\byet to\b|\bstill (?:to|has|have|not)\b|\bremains?\b", re.I), 2),
    (re.compile(r"\bno (?:timetable|decision|date|agreement|deal|commitment)\b", re.I), 3),
    (
        re.compile(
            r"\bwithout (?:an? )?(?:agreement|deal|decision|date|consensus)\b|\bwithout "
            r"(?:agreeing|reaching|settling|resolving|deciding)\b|\b(?:in doubt|at risk|on hold)\b",
            re.I,
        ),
        3,
    ),
    (re.compile(r"\b(?:has|have|had) not (?:yet )?been \w+ed\b", re.I), 2),
    (re.compile(r"\b(?:meet|talk|reconvene|resume) (?:again|later)\b", re.I), 2),
    (
        re.compile(r"\bexpect(?:s|ed)? (?:the|them|it|him|her|its|their) [^.;]{0,40}?\bto\b", re.I),
        2,
    ),
    (re.compile(r"\b(?:is|are) (?:expected|due|scheduled) to\b|\bhop(?:e|es|ed) to\b", re.I), 2),
    (re.compile(r"\b(?:is|are) expected\b", re.I), 1),
    (re.compile(r"\bwould\b[^.;]*\bif\b|\bif\b[^.;]*\bwould\b", re.I), 1),
    (
        re.compile(
            r"\b(?:reconvene|resume|next round|next session|final (?:vote|reading))\b", re.I
        ),
        1,
    ),
    (
        re.compile(
            r"\b(?:has|have|had|did) not (?:said|decided|agreed|replied|answered|"
            r"published|confirmed|set)\b|\bdeclined to\b|\bgave no\b",
            re.I,
        ),
        2,
    ),
    (
        re.compile(
            r"\b(?:expects?|expected|demands?|wants?|calls? for|conditions?|only if|"
            r"unless|provided that|if)\b",
            re.I,
        ),
        1,
    ),
    (re.compile(r"\b(?:might|may|could|would)\b", re.I), 1),
    (
        re.compile(
            r"\b(?:postponed|delay(?:ed)?|pending|stalled|deadlock|dispute[sd]?|brackets?)\b", re.I
        ),
        2,
    ),
    (re.compile(r"\?"), 1),
]
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,40}\s+[—–-]+\s+")
_LEADING_PRONOUN = re.compile(r"^(?:He|She|They)\s+")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


def brief(article: Article, tokens: int) -> Briefing:
    """Return the extractive briefing of `article`."""
    text = article.text
    parts = sentences(text)
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
        headline=_headline(article, parts),
        summary=_summary(parts),
        actors=actors,
        positions=positions,
        open_issues=issues,
        key_facts=_key_facts(
            parts, source_text, {(e.start, e.end) for p in positions for e in p.evidence}
        ),
        engine=Engine(name="extractive", model=None, prompt_version=None),
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
        score = sum(weight for cue, weight in _OPEN_CUES if cue.search(sentence.text))
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
        issue = _DATELINE.sub("", sentence.text)
        if speaker:
            issue = _LEADING_PRONOUN.sub(speaker + " ", issue, count=1)
        evidence = Evidence(
            quote=sentence.text,
            start=sentence.start,
            end=sentence.end,
            direct=source.is_direct(Span(sentence.start, sentence.end)),
        )
        issues.append(OpenIssue(issue=issue, stakeholders=stakeholders, evidence=[evidence]))
    return issues


def _key_facts(
    parts: list[Sentence], source: SourceText, used: set[tuple[int, int]]
) -> list[KeyFact]:
    facts: list[KeyFact] = []
    for sentence in parts:
        if len(facts) >= MAX_KEY_FACTS:
            break
        if (
            _NUMBER.search(sentence.text)
            and "“" not in sentence.text
            and '"' not in sentence.text
            and (sentence.start, sentence.end) not in used
        ):
            evidence = Evidence(
                quote=sentence.text, start=sentence.start, end=sentence.end, direct=False
            )
            facts.append(KeyFact(fact=_DATELINE.sub("", sentence.text), evidence=[evidence]))
    return facts


def _headline(article: Article, parts: list[Sentence]) -> str:
    if article.title:
        return article.title
    lead = _DATELINE.sub("", parts[0].text) if parts else ""
    words = lead.split()
    return " ".join(words[:16]) + ("…" if len(words) > 16 else "")


def _summary(parts: list[Sentence]) -> str:
    """The lead sentence and the most central of the next ones, in article order."""
    if not parts:
        return ""
    words = [set(re.findall(r"[a-z]{4,}", s.text.lower())) for s in parts]
    frequency = Counter(w for bag in words for w in bag)
    # A sentence opening with a pronoun needs the one before it to make sense.
    candidates = [
        i for i in range(1, min(len(parts), 12)) if not _LEADING_PRONOUN.match(parts[i].text)
    ]
    central = sorted(
        candidates, key=lambda i: -sum(frequency[w] for w in words[i]) / (len(words[i]) + 5)
    )[:2]
    chosen = [0, *sorted(central)]
    return " ".join(_DATELINE.sub("", parts[i].text) for i in chosen)
