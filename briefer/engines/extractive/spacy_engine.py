"""The spaCy engine: a briefing composed from one parsed Doc of the article text.

spaCy's offsets are offsets into the very text it parsed, so every evidence span is
`text[start:end]` of the article. Deterministic: inference has no randomness.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from ...readers.sources import Article, source_of
from ...schema import Actor as ActorOut
from ...schema import Briefing, Engine, Evidence, OpenIssue, Position
from ...text.hearsay import as_reported_by
from ...text.names import TITLES
from ...text.quotes import Quotation, quotations
from ...text.sentences import PARAGRAPH, Sentence
from ...text.source import SourceText
from ...text.spans import Span, within
from .authorship import author_of, opinions
from .issues import open_sentences
from .lexicon import BE_FORMS, is_medium, is_reporting, verb_lemma
from .page import furniture, posts
from .sections import DATELINE, LEADING_PRONOUN, headline, key_facts, summary
from .spacy_actors import Actor, Cast, find_actors, join_name_particles, mark_pronouns
from .spacy_attribution import MIN_QUOTE_WORDS, Statement, attribute, stance_of
from .spacy_speakers import named_after_bare_roles, state_qualifying

# A briefing lists the actors a reader needs, not every name: ranked, then capped.
MAX_ACTORS = 12
# A long political story quotes many: each speaker stays, up to this many.
MAX_SPEAKERS = 18
# A story with no actor by the rules names this many of those it names most.
_FEATURED = 2
MAX_OPEN_ISSUES = 8
MAX_POSITIONS_PER_ACTOR = 16
# What an actor does, told in a sentence of its own, is a position too ("the miner halted
# work at its pits"); past this many an actor's deeds are the story's narrative, not its stand.
MAX_DEEDS_PER_ACTOR = 2
# Verbs of only being something: their subject does nothing.
_BEING = BE_FORMS | frozenset(
    "remain remains remained become becomes became becoming seem seems seemed".split()
)
# Verbs that tell what someone owns or counts, where they are or whom they saw, not what they
# did ("the party holds 40 seats").
# The pipeline runs without a lemmatizer (nlp._EXCLUDE), so the forms are listed.
_CIRCUMSTANCE = frozenset(
    "have has had live lives lived arrive arrives arrived meet meets met"
    " speak speaks spoke talk talks talked hold holds held own owns owned include includes"
    " included employ employs employed".split()
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Groups named by a bare plural that says nothing of whose they are.
_ANONYMOUS = frozenset({"officials", "officers", "people", "sources"})
# Beyond this many words of a quotation's sentences outside it, the evidence is the quotation.
ATTRIBUTED_WORDS = 30


def brief(article: Article, tokens: int, doc: Any, model: str) -> Briefing:
    """Return the briefing of `article` from `doc`, spaCy's parse of `article.text`."""
    text = article.text
    # The parse is of the repaired text (same offsets); evidence is cut from the article's.
    quotes = quotations(doc.text)
    quoted = [(q.start, q.end) for q in quotes]
    page = furniture(doc, quoted)
    join_name_particles(doc)
    # A name in the page's furniture (a post's author, a byline) is no mention of an actor.
    spoken = spoken_spans(quotes)
    cast = find_actors(doc, spoken, [(span.start, span.end) for span in page])
    _mark_acting(doc, cast, spoken)
    mark_pronouns(doc, cast, spoken)
    statements = [
        clipped
        for s in attribute(doc, cast, quotes)
        if (clipped := _clipped(s, page, text)) is not None
    ]
    statements += _posted(posts(doc, page), cast, text)
    parts = _without(_sentences(doc, text), page, text)
    signed = author_of(doc, cast, parts)
    if signed is not None:
        # An opinion piece: its argument is its author's.
        author, note = signed
        argued = opinions(
            doc, author, parts, note, [*quoted, *((s.start, s.end) for s in statements)]
        )
        author.statements += len(argued)
        statements += argued
    chosen = _rank(cast)
    kept = {id(a) for a in chosen}
    held = [s for s in statements if id(s.actor) in kept]
    positions = _positions(held + _deeds(doc, cast, kept, held, parts), text, parts)
    source = SourceText(text)  # folding the text for is_direct costs; once per article
    issues = _open_issues(parts, cast, kept, statements, source)
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
            parts, source, {(e.start, e.end) for p in positions for e in p.evidence}
        ),
        engine=Engine(name="extractive", model=model, prompt_version=None),
        warnings=[],
    )


def _outside(start: int, end: int, page: list[Span], text: str) -> list[Span]:
    """The pieces of text[start:end] outside the page's furniture, trimmed, of 3 words or
    more: a sentence the parser ran across an embedded post keeps its story on either side."""
    pieces = [(start, end)]
    for span in page:
        cut: list[tuple[int, int]] = []
        for a, b in pieces:
            if span.end <= a or b <= span.start:
                cut.append((a, b))
            else:
                cut += [(a, span.start), (span.end, b)]
        pieces = [(a, b) for a, b in cut if b > a]
    kept: list[Span] = []
    for a, b in pieces:
        words = text[a:b].strip()
        if len(words.split()) >= 3:
            at = a + text[a:b].index(words)
            kept.append(Span(at, at + len(words)))
    return kept


def _without(parts: list[Sentence], page: list[Span], text: str) -> list[Sentence]:
    """The sentences without the page's furniture, each piece left a sentence of its own."""
    kept: list[Sentence] = []
    for part in parts:
        for piece in _outside(part.start, part.end, page, text):
            kept.append(
                Sentence.cut(
                    text, piece.start, piece.end, index=len(kept), paragraph=part.paragraph
                )
            )
    return kept


def _clipped(statement: Statement, page: list[Span], text: str) -> Statement | None:
    """The statement's evidence without furniture: its longest piece outside it, if any."""
    pieces = _outside(statement.start, statement.end, page, text)
    if not pieces:
        return None
    if [(p.start, p.end) for p in pieces] == [(statement.start, statement.end)]:
        return statement
    longest = max(pieces, key=lambda p: p.end - p.start)
    kept = text[longest.start : longest.end]
    stance = statement.stance
    if stance and _folded(stance.rstrip("…").split()[:3]) not in _folded(kept.split()):
        # The parse ran the stance into the furniture ("Whatsapp Tumblr ... Benhammou"):
        # the words left are the statement.
        stance = stance_of(kept)
    return dataclasses.replace(statement, start=longest.start, end=longest.end, stance=stance)


def _folded(words: list[str]) -> str:
    return " ".join(w.strip(' ,.;:"“”').lower() for w in words)


def spoken_spans(quotes: list[Quotation]) -> list[tuple[int, int]]:
    """The quotations that are someone's words, where no actor is mentioned: a name in scare
    quotes (the "Islamic Front") is named, not quoted."""
    return [(q.start, q.end) for q in quotes if len(q.text.split()) >= MIN_QUOTE_WORDS]


def _sentences(doc: Any, text: str) -> list[Sentence]:
    """spaCy's sentences, split again at blank lines (the parser may run a sentence across a
    paragraph break) and without pieces that are only punctuation."""
    parts: list[Sentence] = []
    paragraph = 0
    last_end = 0
    for sent in doc.sents:
        for piece in PARAGRAPH.split(text[sent.start_char : sent.end_char]):
            at = text.find(piece, max(last_end, sent.start_char)) if piece else -1
            stripped = piece.strip()
            if at < 0 or not any(c.isalnum() for c in stripped):
                continue
            start = at + len(piece) - len(piece.lstrip())
            end = start + len(stripped)
            paragraph += text.count("\n\n", last_end, start)
            last_end = end
            parts.append(Sentence.cut(text, start, end, index=len(parts), paragraph=paragraph))
    return parts


def _mark_acting(doc: Any, cast: Cast, quoted: list[tuple[int, int]]) -> None:
    """Count, for each actor, the verbs it is the subject of: an actor acts, a name in passing
    does not. A subject inside a quotation is the speaker's topic, not someone a later "he"
    goes back to."""
    for token in doc:
        actor = cast.at(token.i) or state_qualifying(token, cast) or _holder_named(token, cast)
        if actor is None:
            continue
        role = _subject_role(token)
        done = _done_by(token)
        if done is not None and within(done.idx, quoted):
            continue  # '... prompted by a donation," Tom Butler said': the words' own agent
        if role is not None:
            actor.acts += 1
            if role != "nsubjpass" and _drives(token):
                actor.drives += 1
            # ("Cotton and Daines raised objections": each of them a subject.) An agent is the
            # "he" or "it" after only when the passive's subject is no actor ("North Korea is
            # banned by the UN, but it claims": North Korea).
            if not within(token.idx, quoted) and not _acted_on(token, cast):
                cast.subjects.append((token.idx, actor))
        elif _is_audience(token):
            actor.audience += 1


def _done_by(token: Any) -> Any | None:
    """The passive verb whose by-phrase names `token` ("was signed by the board"), else None."""
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return token.head.head
    return None


def _acted_on(agent: Any, cast: Cast) -> bool:
    """Whether an agent's passive verb has an actor for its subject."""
    done = _done_by(agent)
    return done is not None and any(c.dep_ == "nsubjpass" and cast.at(c.i) for c in done.children)


def _posted(found: list[tuple[Span, str]], cast: Cast, text: str) -> list[Statement]:
    """What an embedded post says, its author's own words (the credit names them)."""
    statements = []
    for span, name in found:
        # "Donald J. Trump" signs what the story calls "Donald Trump".
        ends = _first_and_last(name)
        author = next(
            (
                a
                for a in cast.actors
                if a.kind == "person" and (name in a.names() or _first_and_last(a.name) == ends)
            ),
            None,
        )
        if author is None:
            author = cast.person(name, span.start)
        author.statements += 1
        said = " ".join(text[span.start : span.end].split())
        statements.append(Statement(author, span.start, span.end, True, stance_of(said)))
    return statements


def _first_and_last(name: str) -> tuple[str, str]:
    words = name.split()
    return words[0], words[-1]


def _holder_named(token: Any, cast: Cast) -> Actor | None:
    """The person a title that is a clause's subject names in apposition: "The head of
    Merkel's office, Peter Altmaier, has congratulated Rutte" is Altmaier acting (and the
    "he" after it is his)."""
    if token.dep_ != "nsubj":
        return None
    if token.lower_ not in TITLES:
        return named_after_bare_roles(token, cast)  # "Musician and actor Ron Mesland said"
    clauses = {t.i for c in token.subtree if c.dep_ == "relcl" for t in c.subtree}
    for t in token.subtree:
        actor = cast.at(t.i) if t.dep_ == "appos" and t.i not in clauses else None
        if actor is not None and actor.kind == "person":
            return actor
    return None


def _deeds(
    doc: Any, cast: Cast, kept: set[int], statements: list[Statement], parts: list[Sentence]
) -> list[Statement]:
    """What the kept actors do, each told as a sentence's main clause with the actor its
    subject: analysts list an act ("Vesperia disrupted the withdrawal", "Freedonia has been
    pressing Vesperia") among a party's positions. Not a verb of saying (the statements have
    those), of being or of circumstance ("has 12 stores", "met the envoy"), not in a year
    before the story's, and not a sentence that already carries someone's words."""
    # The story's own year, as far as the text tells: the latest it names.
    latest = max((int(y) for y in _YEAR.findall(doc.text)), default=0)
    told: Counter[int] = Counter()
    deeds: list[Statement] = []
    for offset, actor in cast.subjects:
        if id(actor) not in kept or told[id(actor)] >= MAX_DEEDS_PER_ACTOR:
            continue
        subject = doc.char_span(offset, offset + 1, alignment_mode="expand")[0]
        first = subject
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "Cotton and Daines raised objections": Daines did too
        verb = first.head
        if first.dep_ != "nsubj" or verb.dep_ != "ROOT" or not _drives(subject):
            continue
        if is_reporting(verb.text) or verb.lower_ in _BEING or verb.lower_ in _CIRCUMSTANCE:
            continue
        sentence = next((p for p in parts if p.start <= offset < p.end), None)
        if sentence is None or any(
            s.start < sentence.end and sentence.start < s.end for s in statements
        ):
            continue
        years = [int(y) for y in _YEAR.findall(sentence.text)]
        if years and max(years) < latest:
            continue  # "In 2009 Freedonia blocked the river": the background, not the story
        told[id(actor)] += 1
        stance = stance_of(sentence.text)
        deeds.append(Statement(actor, sentence.start, sentence.end, False, stance, weak=True))
    return deeds


def _drives(subject: Any) -> bool:
    """Whether the subject drives the story: does something in a main or reported clause,
    not in one that sets the scene ("as the FBI reopens its probe", "when the Cabinet met")
    or describes something else, and not only is something ("the lake is unique"); "are
    certain to resist", "are committed to raising" is doing."""
    while subject.dep_ == "conj" and subject.head.i != subject.i:
        subject = subject.head
    done = _done_by(subject)  # "was signed by the president": the verb the agent does
    verb = subject.head if done is None else done
    if verb.dep_ in ("advcl", "relcl", "pcomp", "acl"):
        return False
    if verb.lower_ not in _BEING:
        return True
    return any(
        t.tag_.startswith("VB") and t.dep_ in ("xcomp", "pcomp")
        for a in verb.children
        if a.dep_ in ("acomp", "prep")
        for t in a.subtree
    )


def _subject_role(token: Any) -> str | None:
    """The subject relation a token holds to a verb, itself or as a conjunct of the subject
    ("Russia and Iran are not negotiating": both negotiate), else None."""
    for _ in range(4):
        if token.dep_ in ("nsubj", "nsubjpass", "agent") and token.head.tag_.startswith("VB"):
            return str(token.dep_)
        if _done_by(token) is not None:
            # "The event was addressed by Senator Mitchell": he did it, and is the "he" after.
            return "agent"
        if token.dep_ != "conj" or token.head.i == token.i:
            return None
        token = token.head
    return None


def _is_audience(token: Any) -> bool:
    """A name that speech is addressed to: "told TASS", "in an interview with the AP". A
    medium that only carries what others say is not an actor."""
    head = token.head
    if token.dep_ in ("dobj", "dative") and verb_lemma(head.text) == "tell":
        return True
    return bool(token.dep_ == "pobj" and head.lower_ == "with" and head.head.lower_ == "interview")


def _rank(cast: Cast) -> list[Actor]:
    """The actors a reader needs, most important first: speakers, then those that act and
    recur. A name mentioned once and doing nothing is context, not an actor."""

    def weight(actor: Actor) -> float:
        return (
            3.0 * actor.statements + 2.0 * actor.speaks_for + 1.5 * actor.acts + len(actor.mentions)
        )

    def eligible(actor: Actor) -> bool:
        if actor.kind == "organization" and is_medium(actor.name):
            # A medium carries what others say; it is an actor only where it takes a stand
            # of its own (an editorial, an accusation), not where it reports or is cited.
            return actor.statements > actor.relays
        if actor.kind == "group" and actor.name.lower() in _ANONYMOUS and actor.statements < 2:
            return False  # "officials said": whose, the text does not say; a source, no actor
        if actor.statements > 0 or actor.speaks_for > 1:
            return True
        if actor.audience and actor.audience >= actor.acts:
            return False  # addressed more than acting: a medium
        if actor.kind == "person" and actor.role and actor.acts > 0:
            return True  # holds an office and acts
        if actor.kind == "person" and actor.sources > 0:
            return True  # the named source of what another does or wants
        if actor.kind in ("state", "other"):
            # A place is setting, not an actor, unless it acts ("Moscow denied").
            return actor.drives > 0 and len(actor.mentions) >= 2
        if actor.kind == "organization" and actor.drives > 0:
            return True  # a body named once that does something ("BHP Billiton halted work")
        # Named often, but named as what things are or belong to ("his AOL account") is not.
        named = len(actor.mentions) - actor.modifiers
        return (actor.drives > 0 and len(actor.mentions) >= 2) or named >= 3

    chosen = [a for a in cast.actors if eligible(a)]
    if not chosen:
        # A story no one speaks or acts in by name (a feature, a scene): who or what it
        # names most, named at least twice, is what a reader needs to know it is about.
        often = [
            a
            for a in cast.actors
            if len(a.mentions) - a.modifiers >= 2
            and not (a.kind == "organization" and is_medium(a.name))
        ]
        chosen = sorted(often, key=lambda a: (-len(a.mentions), a.first))[:_FEATURED]
    # Who is quoted or reported comes before who is only named, however often: past the
    # cap, a speaker's positions would be lost with it. So every speaker is kept up to a
    # hard cap, and those only named fill what room the usual cap leaves.
    ranked = sorted(chosen, key=lambda a: (a.statements == 0, -weight(a), a.first))
    speakers = [a for a in ranked if a.statements > 0][:MAX_SPEAKERS]
    named = [a for a in ranked if a.statements == 0][: max(0, MAX_ACTORS - len(speakers))]
    return speakers + named


def _positions(statements: list[Statement], text: str, sentences: list[Sentence]) -> list[Position]:
    seen: set[tuple[int, int, int]] = set()
    per_actor: Counter[int] = Counter()
    positions: list[tuple[int, Position]] = []
    spans = {id(s): _attributed(s, text, sentences) for s in statements}
    # Within an actor's share, statements from verbs of saying come first.
    for statement in sorted(statements, key=lambda s: (s.weak, s.start, s.end)):
        key = (id(statement.actor), statement.start, statement.end)
        if key in seen or not statement.stance or _told_within(statement, statements, spans):
            continue
        seen.add(key)
        if per_actor[id(statement.actor)] >= MAX_POSITIONS_PER_ACTOR:
            continue
        per_actor[id(statement.actor)] += 1
        evidence = [
            Evidence(
                quote=text[statement.start : statement.end],
                start=statement.start,
                end=statement.end,
                direct=statement.direct,
            )
        ]
        start, end = spans[id(statement)]
        if (start, end) != (statement.start, statement.end):
            # The quotation, then the sentence it stands in: who said it, of what.
            evidence.append(Evidence(quote=text[start:end], start=start, end=end, direct=False))
        stance = statement.stance
        if statement.reported_by is not None:
            stance = as_reported_by(stance, statement.reported_by.name)
        position = Position(actor=statement.actor.name, stance=stance, evidence=evidence)
        positions.append((statement.start, position))
    return [position for _, position in sorted(positions, key=lambda pair: pair[0])]


def _told_within(
    statement: Statement, statements: list[Statement], spans: dict[int, tuple[int, int]]
) -> bool:
    """Whether the same actor's evidence holds this statement already: a quotation inside the
    clause reported, or the last sentence of a quotation in that quotation's sentences
    (`spans`: each statement's evidence span, by id). Of two quotations in one sentence
    ('"X," she said, "Y."'), the first holds the second."""
    for other in statements:
        if other is statement or other.actor is not statement.actor or not other.stance:
            continue
        if (other.start, other.end) == (statement.start, statement.end):
            continue
        if other.start <= statement.start and statement.end <= other.end:
            return True
        start, end = spans[id(other)]
        if start <= statement.start and statement.end <= end and other.start < statement.start:
            return True
    return False


def _attributed(statement: Statement, text: str, sentences: list[Sentence]) -> tuple[int, int]:
    """The evidence span of a quotation: the whole sentences it stands in, so that the
    evidence shows who said it and what a fragment ("cannot make this decision") was said
    of; the quotation alone when the rest of those sentences is too long to read with it."""
    if not statement.direct:
        return statement.start, statement.end
    holding = [s for s in sentences if s.start < statement.end and statement.start < s.end]
    if not holding:
        return statement.start, statement.end
    start, end = min(statement.start, holding[0].start), max(statement.end, holding[-1].end)
    outside = text[start : statement.start].split() + text[statement.end : end].split()
    around = [w for w in outside if any(c.isalnum() for c in w)]
    if not around or len(around) > ATTRIBUTED_WORDS:
        return statement.start, statement.end  # nothing but its marks around it, or a story
    return start, end


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
        evidence = source.evidence_at(Span(sentence.start, sentence.end))
        issues.append(OpenIssue(issue=issue, stakeholders=stakeholders, evidence=[evidence]))
    return issues
