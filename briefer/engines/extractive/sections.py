"""The parts of a briefing both extractive engines compose the same way: headline, summary,
key facts, and how open a sentence leaves a question. Pure functions."""

from __future__ import annotations

import re
from collections import Counter

from ...readers.sources import Article
from ...schema import Evidence, KeyFact
from ...text.sentences import Sentence
from ...text.source import SourceText

MAX_KEY_FACTS = 5

# Generic marks of an open question: hedges, pending decisions, conditions, the future.
OPEN_CUES = [
    (re.compile(r"\b(?:unclear|uncertain|unresolved|undecided|unknown|open question)\b", re.I), 3),
    (re.compile(r"\bwhether\b", re.I), 3),
    (
        re.compile(
            r"\bnot yet\b|\byet to\b|\bstill (?:to|has|have|not)\b|\bremains? (?:to be|in "
            r"doubt|open|divided|at odds|in limbo|stalled|far apart)\b",
            re.I,
        ),
        2,
    ),
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
DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,40}\s+[—–-]+\s+")
LEADING_PRONOUN = re.compile(r"^(?:He|She|They)\s+")
NUMBER = re.compile(r"\b\d[\d,.]*\b")


def openness(sentence: str) -> int:
    """How strongly a sentence marks something as unresolved: the sum of its cues' weights."""
    return sum(weight for cue, weight in OPEN_CUES if cue.search(sentence))


def key_facts(
    parts: list[Sentence], source: SourceText, used: set[tuple[int, int]]
) -> list[KeyFact]:
    facts: list[KeyFact] = []
    for sentence in parts:
        if len(facts) >= MAX_KEY_FACTS:
            break
        if (
            NUMBER.search(sentence.text)
            and "“" not in sentence.text
            and '"' not in sentence.text
            and (sentence.start, sentence.end) not in used
        ):
            evidence = Evidence(
                quote=sentence.text, start=sentence.start, end=sentence.end, direct=False
            )
            facts.append(KeyFact(fact=DATELINE.sub("", sentence.text), evidence=[evidence]))
    return facts


def headline(article: Article, parts: list[Sentence]) -> str:
    if article.title:
        return article.title
    lead = DATELINE.sub("", parts[0].text) if parts else ""
    words = lead.split()
    return " ".join(words[:16]) + ("…" if len(words) > 16 else "")


def summary(parts: list[Sentence]) -> str:
    """The lead sentence and the most central of the next ones, in article order."""
    if not parts:
        return ""
    words = [set(re.findall(r"[a-z]{4,}", s.text.lower())) for s in parts]
    frequency = Counter(w for bag in words for w in bag)
    # A sentence opening with a pronoun needs the one before it to make sense.
    candidates = [
        i for i in range(1, min(len(parts), 12)) if not LEADING_PRONOUN.match(parts[i].text)
    ]
    central = sorted(
        candidates, key=lambda i: -sum(frequency[w] for w in words[i]) / (len(words[i]) + 5)
    )[:2]
    chosen = [0, *sorted(central)]
    return " ".join(DATELINE.sub("", parts[i].text) for i in chosen)
