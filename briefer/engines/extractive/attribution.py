"""Attribute statements to speakers: direct quotes and reported speech. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...text.quotes import Quotation, quotations
from ...text.sentences import Sentence
from .actors import Found

_VERBS = (
    r"said|says|say|told|tells|added|adds|stated|states|warned|warns|argued|argues|insisted|"
    r"insists|noted|notes|explained|declared|announced|wrote|writes|asked|urged|urges|stressed|"
    r"conceded|replied|suggested|suggests|believes|believe|thinks|think|expects|expect|wants|"
    r"demanded|demands|rejected|rejects|pointed out|points out|drawn attention|drew attention|"
    r"proposed|proposes|offered|accused|denied|welcomed|criticised|criticized|promised|vowed|"
    r"threatened|refused|complained|acknowledged|admitted|confirmed|claimed|claims|maintained|"
    r"predicted|cautioned|called for|calls for|described|told reporters|has said|has argued|"
    r"countered|responded|retorted|observed|remarked|commented|signalled|signaled|indicated|"
    r"pledged|saying"
)
_VERB = re.compile(rf"\b(?:has |have |had |also |would |will )?(?:{_VERBS})\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_PRONOUN = re.compile(r"\b(he|she|He|She)\b")
_TITLE_REFERENCE = re.compile(
    r"\b[Tt]he\s+((?:deputy\s+|foreign\s+|prime\s+|vice\s+)*(?:minister|president|mayor|governor|"
    r"ambassador|spokesman|spokeswoman|spokesperson|director|chairman|chairwoman|chair|"
    r"chancellor|professor|analyst|envoy|secretary|leader|premier))\b"
)
# What stands between a reporting verb and the reported clause: "told deputies that",
# "said on Thursday evening that", "said on Monday,".
_THAT = re.compile(r"^(?:[\w'’-]+\s+){0,5}?that\s+|^(?:on\s+\w+\s+)?,?\s*", re.I)


@dataclass(frozen=True)
class Statement:
    """A position in the making: who, the evidence span, whether quoted, and the stance text."""

    actor: str
    start: int
    end: int
    direct: bool
    stance: str


class Resolver:
    """Maps mentions (names, aliases, surnames, pronouns, title references) to actors."""

    def __init__(self, actors: list[Found]) -> None:
        self.actors = actors
        names: list[tuple[str, str]] = []
        for actor in actors:
            for name in actor.names():
                names.append((name, actor.name))
            if actor.kind == "person" and len(actor.name.split()) > 1:
                names.append((actor.name.split()[-1], actor.name))
        names.sort(key=lambda pair: -len(pair[0]))
        self.pattern = (
            re.compile("|".join(rf"\b{re.escape(n)}\b" for n, _ in names)) if names else None
        )
        self.lookup = dict(names)
        self.last_person: str | None = None

    def mentions(self, text: str, offset: int = 0) -> list[tuple[int, int, str]]:
        """Actor mentions in `text` as (start, end, actor), offsets shifted by `offset`."""
        if self.pattern is None:
            return []
        return [
            (offset + m.start(), offset + m.end(), self.lookup[m.group()])
            for m in self.pattern.finditer(text)
        ]

    def by_title(self, title: str) -> str | None:
        """The last-mentioned person whose role contains `title` ("the deputy minister")."""
        title = title.lower()
        candidates = [
            a
            for a in self.actors
            if a.kind == "person" and a.role and title.split()[-1] in a.role.lower()
        ]
        exact = [a for a in candidates if title in (a.role or "").lower()]
        pool = exact or candidates
        if self.last_person in [a.name for a in pool]:
            return self.last_person
        return pool[-1].name if len(pool) == 1 else None

    def kind_of(self, name: str) -> str:
        return next((a.kind for a in self.actors if a.name == name), "other")


def _outside_quotes(sentence: Sentence, quotes: list[Quotation]) -> str:
    """The sentence with quoted text blanked, so names inside quotes are not speakers."""
    chars = list(sentence.text)
    for quote in quotes:
        for i in range(quote.start - sentence.start, quote.end - sentence.start):
            if 0 <= i < len(chars):
                chars[i] = " "
    return "".join(chars)


def _speaker(sentence: Sentence, blanked: str, resolver: Resolver) -> tuple[str, int] | None:
    """The actor who speaks in the sentence, and where the reported clause begins."""
    for match in _ACCORDING.finditer(blanked):
        after = resolver.mentions(blanked[match.end() : match.end() + 60], match.end())
        if after and after[0][0] == match.end():
            clause = blanked.find(",", after[0][1])
            return after[0][2], (clause + 1 if clause >= 0 else after[0][1])
    for verb in _VERB.finditer(blanked):
        base = max(0, verb.start() - 140)
        before = blanked[base : verb.start()]
        candidates = resolver.mentions(before, base)
        for title in _TITLE_REFERENCE.finditer(before):
            actor = resolver.by_title(title.group(1))
            if actor:
                candidates.append((base + title.start(), base + title.end(), actor))
        for pronoun in _PRONOUN.finditer(before):
            if resolver.last_person:
                candidates.append(
                    (base + pronoun.start(), base + pronoun.end(), resolver.last_person)
                )
        near = [c for c in candidates if verb.start() - c[1] <= 40]
        if candidates and not near:
            # "The port authority, which has championed the terminal for years, said": a long
            # relative clause between the subject and its verb.
            first = min(candidates, key=lambda c: c[0])
            if re.fullmatch(
                r"\s*,\s*(?:which|who|whose)\b[^.;]*,\s*", blanked[first[1] : verb.start()]
            ):
                return first[2], _clause_start(blanked, verb)
        if near:
            first = min(candidates, key=lambda c: c[0])
            between = blanked[first[1] : verb.start()]
            # "Armenia, which is a member of X, has said": the subject, not the nearest name.
            if re.match(r"\s*,\s*(?:which|who|whose)\b", between):
                return first[2], _clause_start(blanked, verb)
            return max(near, key=lambda c: c[1])[2], _clause_start(blanked, verb)
        after = resolver.mentions(blanked[verb.end() : verb.end() + 50], verb.end())
        if after and after[0][0] - verb.end() <= 6:
            return after[0][2], _clause_start(blanked, verb)
        for title in _TITLE_REFERENCE.finditer(blanked[verb.end() : verb.end() + 40]):
            actor = resolver.by_title(title.group(1))
            if actor and title.start() <= 2:
                return actor, _clause_start(blanked, verb)
    return None


_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|stated|wrote|writes|believes|thinks|expects|"
    r"pointed out|points out|drawn attention|drew attention|explained|noted|insisted|argued|"
    r"countered|responded|warned|saying)\b"
)


def _clause_start(blanked: str, verb: re.Match[str]) -> int:
    """Where the reported clause starts: after a reporting verb; 0 (whole sentence) otherwise."""
    return verb.end() if _REPORTING.search(verb.group()) else 0


def _trim_clause(clause: str, limit: int = 28) -> str:
    clause = _THAT.sub("", clause.strip(" ,.")).strip(" ,.")
    words = clause.split()
    text = " ".join(words[:limit]) + ("…" if len(words) > limit else "")
    return text[:1].upper() + text[1:]


def attribute(sentences: list[Sentence], text: str, resolver: Resolver) -> list[Statement]:
    """Direct and reported statements of the article, each attributed to an actor."""
    statements: list[Statement] = []
    last_speaker: str | None = None
    last_paragraph = -1
    # Read the article's quotation marks once: each sentence takes those that begin in it.
    article_quotes = [q for q in quotations(text) if len(q.text.split()) >= 3]
    for sentence in sentences:
        quotes = [q for q in article_quotes if sentence.start <= q.start < sentence.end]
        blanked = _outside_quotes(sentence, quotes)
        found = _speaker(sentence, blanked, resolver)
        if found is None and quotes and last_speaker and sentence.paragraph == last_paragraph:
            found = (last_speaker, 0)  # a quote continuing the previous speaker's words
        if found is not None:
            actor, clause_at = found
            long_quotes = [q for q in quotes if len(q.text.split()) >= 6]
            statements += [
                Statement(actor, q.start, q.end, True, _trim_clause(q.text)) for q in long_quotes
            ]
            reported = sentence.text[clause_at:] if clause_at else ""
            for quote in long_quotes:
                reported = reported.replace(quote.text, " ")
            # Without a long quote the sentence is the evidence; beside one, only when it also
            # reports something of its own ("said Brussels had offered X but '...'").
            if not long_quotes or len(reported.split()) >= 8:
                clause = sentence.text[clause_at:] if clause_at else sentence.text
                statements.append(
                    Statement(
                        actor,
                        sentence.start,
                        sentence.end,
                        False,
                        _trim_clause(clause or sentence.text),
                    )
                )
            last_speaker, last_paragraph = actor, sentence.paragraph
            if resolver.kind_of(actor) == "person":
                resolver.last_person = actor
        for _, _, actor in resolver.mentions(blanked):
            if resolver.kind_of(actor) == "person":
                resolver.last_person = actor
    return statements
