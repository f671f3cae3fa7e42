"""Attribute quotations and reported speech to actors over a spaCy parse, as quote-attribution
systems such as the BBC's Citron do: a reporting verb's subject is the speaker and its clausal
complement (or the quotation beside it) the content; "according to X" names a source; a
quotation with no verb of its own continues the previous sentence's speaker when nothing else
speaks in between. Quotations nobody can be found for stay unattributed."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, NamedTuple

from ...text.names import HONORIFICS, TITLES
from ...text.quotes import Quotation
from .lexicon import TAKING_A_STAND, is_reporting, is_stance, verb_lemma
from .spacy_actors import Actor, Cast
from .spacy_speakers import (
    PERSON_PRONOUNS,
    QUANTIFIERS,
    Negation,
    a_person,
    mark_affiliation,
    name_after,
    name_before,
    negation,
    opens_with_that,
    phrase,
    resolve,
    someone_described,
    subject_of,
    titled_name_at_verb,
)

# Shorter quotations are scare quotes or names ("the 'Somali' battalion"), not statements.
MIN_QUOTE_WORDS = 4
# How many sentences on a pronoun still refers to the last speaker rather than to the last
# person who was a subject.
_SPEAKER_SPAN = 2
_CLOSING_MARKS = frozenset("\"”’'»")
# Nouns for numbers a source publishes.
_FIGURES = frozenset("data figures statistics estimates numbers records census".split())
# Acts of speech only people perform, and the plural nouns for what is said or written that
# news makes their subjects all the same ("reports say", "the minutes state").
_ONLY_PEOPLE_DO = frozenset(
    """say tell argue insist claim deny blame accuse urge demand complain criticise criticize
    praise condemn vow pledge promise threaten allege contend admit concede""".split()
)
_SAID_OF_THINGS = _FIGURES | frozenset(
    """reports studies polls surveys documents papers findings results rumours rumors
    headlines articles letters emails messages tweets posts filings minutes signs banners
    slogans leaflets rules guidelines laws regulations terms accounts stories lyrics words
    numbers media outlets newspapers channels websites sites""".split()
)
# Plurals that stand for people already named or for no one in particular ("others say").
_QUANTIFYING = QUANTIFIERS | {"others", "those", "these"}
# Words that count a part of a whole: "three quarters of", "half of", "the majority of".
_PARTITIVE = QUANTIFIERS | frozenset(
    """half halves third thirds quarter quarters fifth fifths tenth tenths majority minority
    none percent""".split()
)
# How far after a person's statement an unattributed quotation still goes on with it.
_CONTINUED_GAP = 400
_CONTINUED_WORDS = 6
# A speaker's own voice: "I", "I'm", "my", "me".
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|[Mm]e|[Mm]y)\b")


@dataclass(frozen=True)
class Statement:
    """A position in the making: who, the evidence span, whether quoted, and the stance text."""

    actor: Actor
    start: int
    end: int
    direct: bool
    stance: str
    # Weaker evidence than a verb of saying: attributed by going on with the last speaker, or
    # read from a verb of wanting or deciding. An actor's share keeps the stronger first.
    weak: bool = False
    # Another actor who says the actor holds it ("officials said Dravia sought ...").
    reported_by: Actor | None = None


class Speaker(NamedTuple):
    """A reporting verb's speaker, the verb's offset, the content it reports (if any) and its
    negation ("did not say"), which the statement must keep."""

    actor: Actor
    at: int
    content: str | None
    negated: Negation | None = None
    # Introduced by "according to" or a body's "reported": it may only relay the words.
    relay: bool = False
    # A verb of wanting or deciding, not of saying.
    held: bool = False
    # Found through "he" or "she": the text did not name who speaks.
    by_pronoun: bool = False
    # Another actor in whose words the verb of wanting or deciding sits.
    reported_by: Actor | None = None
    # Said by someone who holds an office of a body ("a Secret Service spokesman said"): the
    # "he" who goes on speaking.
    by_office: bool = False


def attribute(doc: Any, cast: Cast, quotes: list[Quotation]) -> list[Statement]:
    """Direct and reported statements of the article, each attributed to an actor."""
    statements: list[Statement] = []
    unattributed: list[int] = []  # where quotations start that no one could be given
    claimed: set[int] = set()
    previous: Actor | None = None
    # The person who spoke last and in which sentence: "he said" goes on with them.
    speaking: tuple[int, Actor] | None = None
    for number, sent in enumerate(doc.sents):
        here = [
            i
            for i, q in enumerate(quotes)
            if q.start < sent.end_char and sent.start_char < q.end and i not in claimed
        ]
        if not here and _is_tag(sent):
            # '"... collision?" Wang said.': the parser closed the quotation's sentence
            # before the tag that names its speaker.
            here = [
                i
                for i, q in enumerate(quotes)
                if i not in claimed and 0 <= sent.start_char - q.end <= 3
            ]
        current = speaking[1] if speaking and number - speaking[0] <= _SPEAKER_SPAN else None
        speakers = _speakers(sent, cast, quotes, current)
        people = _who_speak_on(speakers, sent)
        if people:
            speaking = (number, people[-1])
        named_here = bool(speakers)
        if not speakers and here:
            introducer = _colon_speaker(sent, cast, quotes)
            carried = introducer or _carried(sent, quotes, previous)
            speakers = [Speaker(carried, sent.start_char, None)] if carried else []
            # A colon introduces its quotation here, however many sentences it runs on.
            named_here = introducer is not None
        doubted = False  # a "he" found to be someone else: nothing carries on from it
        for index in here:
            quote = quotes[index]
            if not speakers or len(quote.text.split()) < MIN_QUOTE_WORDS:
                continue
            if quote.end > sent.end_char and not named_here:
                # The quotation runs on into the next sentence, which may name its speaker
                # ('"One. Two," she said.'): only a speaker found here claims it here.
                continue
            speaker = _utterer(min(speakers, key=lambda s: _distance(s.at, quote)), speakers, sent)
            claimed.add(index)
            if speaker.by_pronoun and _speaks_of(quote.text, speaker.actor):
                # '"Donald Trump should release his returns," he said': "he" is someone
                # else, whoever the last name was; the quotation stays unattributed, and
                # so do the ones that go on from it.
                doubted = True
                unattributed.append(quote.start)
                continue
            statements.append(_quoted(speaker, quote, doc))
        for speaker in speakers:
            actor, content, negated = speaker.actor, speaker.content, speaker.negated
            if content is None:
                continue
            outside = _outside(sent, quotes)
            long_quote = any(
                len(quotes[i].text.split()) >= MIN_QUOTE_WORDS
                and quotes[i].start >= sent.start_char
                for i in here
            )
            # Beside a quotation, the sentence is evidence only when it reports more of its own:
            # words outside the marks, in the reported clause itself.
            residual = content
            for i in here:
                residual = residual.replace(quotes[i].text.strip(" ,.;:!?"), " ")
            if long_quote and (len(outside.split()) < 12 or len(residual.split()) < 6):
                continue
            span = _trimmed(sent)
            if span is not None:
                stance = stance_of(content, negated=negated)
                statements.append(
                    Statement(
                        actor,
                        span[0],
                        span[1],
                        False,
                        stance,
                        weak=speaker.held,
                        reported_by=speaker.reported_by,
                    )
                )
                actor.relays += speaker.relay
        previous = (
            speakers[-1].actor if speakers else (previous if _is_quote_only(sent, quotes) else None)
        )
        if doubted:
            previous, speaking = None, None
    statements += _continued(doc, cast, quotes, claimed, statements, unattributed)
    for statement in statements:
        statement.actor.statements += 1
    return statements


def _who_speak_on(speakers: list[Speaker], sent: Any) -> list[Actor]:
    """The people (or a body's officers) who speak in the sentence in their own right, not
    inside what another of its speakers says ("the president believed Sessions testified
    truthfully" goes on with the president)."""
    verbs = {t.idx: t for t in sent}
    by_verb = {s.at: s.actor for s in speakers}

    def inside_another_s(speaker: Speaker) -> bool:
        verb = verbs.get(speaker.at)
        return verb is not None and any(
            by_verb.get(a.idx, speaker.actor) is not speaker.actor for a in verb.ancestors
        )

    return [
        s.actor
        for s in speakers
        if (s.actor.kind == "person" or s.by_office) and not inside_another_s(s)
    ]


def _continued(
    doc: Any,
    cast: Cast,
    quotes: list[Quotation],
    claimed: set[int],
    statements: list[Statement],
    unattributed: list[int],
) -> list[Statement]:
    """Statements for quotations no sentence attributes: news text goes on quoting the person
    it is quoting without naming them again, so an unattributed quotation is the last
    speaker's when that is a person who spoke just before it, and no one else spoke or was
    named in between; else, in the first person, the person the sentence before is about."""
    spoken = sorted(((s.end, s.actor) for s in statements), key=lambda e: e[0])
    found: list[Statement] = []
    for index, quote in enumerate(quotes):
        if index in claimed or not _goes_on_speaking(quote.text):
            continue
        before = [(end, actor) for end, actor in spoken if end <= quote.start]
        if before and any(before[-1][0] <= at < quote.start for at in unattributed):
            continue  # it goes on from a quotation whose speaker is unknown
        if _reported_by_someone_else(doc, quote, quotes):
            continue  # 'State television reported that the army had "..."': not the last one's
        speaker = (
            _named_above(doc, cast, quote)
            or _last_speaker(doc, cast, quote, before)
            or _introduced(doc, cast, quote)
        )
        if speaker is not None and _addresses(quote.text, speaker):
            continue  # '"..., Martin, I believe in you!"': said to Martin, not by him
        if speaker is not None:
            found.append(
                Statement(speaker, quote.start, quote.end, True, stance_of(quote.text), weak=True)
            )
    return found


def _named_above(doc: Any, cast: Cast, quote: Quotation) -> Actor | None:
    """The actor whose name alone stands before a quotation, after the end of a sentence: a
    statement set out under its source's name (a line "Scottish Government" and then its
    reply, the line break lost), as a transcript sets out who speaks."""
    before = doc.char_span(0, quote.start, alignment_mode="contract")
    if before is None or not len(before):
        return None
    end = before[-1].i
    while end >= 0 and doc[end].is_punct and doc[end].idx >= quote.start - 2:
        end -= 1  # the opening mark itself, when the parse has it before the quotation
    actor = cast.at(end) if end >= 0 else None
    if actor is None:
        return None
    start = cast.name_start(end)
    while start > 0 and doc[start - 1].lower_ == "the":
        start -= 1
    if start > 0 and doc[start - 1].text not in (".", "?", "!", '"', "”", "'", "’"):
        return None
    return actor


def _reported_by_someone_else(doc: Any, quote: Quotation, quotes: list[Quotation]) -> bool:
    """Whether the quotation's sentence has its own verb of saying with a subject of its own
    (a name or a noun, not "he" or "she"), outside the quotation."""
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    return any(
        is_reporting(t.text)
        and not _inside(t.idx, quotes)
        and any(c.dep_ == "nsubj" and c.tag_.startswith("NN") for c in t.children)
        for t in span[0].sent
    )


def _last_speaker(
    doc: Any, cast: Cast, quote: Quotation, before: list[tuple[int, Actor]]
) -> Actor | None:
    """The person who spoke last before `quote`, when close and no other person is named
    in between."""
    if not before or before[-1][1].kind != "person":
        return None
    end, actor = before[-1]
    text = doc.text
    if len(text[end : quote.start]) > _CONTINUED_GAP or text.count(".", end, quote.start) > 2:
        return None
    others = [a for a in _people_named(doc, cast, end, quote.start) if a is not actor]
    return None if others else actor


def _people_named(doc: Any, cast: Cast, start: int, end: int) -> list[Actor]:
    """The people named between two offsets as more than what qualifies a noun ("Chan's
    films", "the Trump administration"): after "Tong says ... Most of Chan's films offer
    visual feasts.", a quotation is still Tong's."""
    found: list[Actor] = []
    between = doc.char_span(start, end, alignment_mode="contract")
    for token in between if between is not None else ():
        actor = cast.at(token.i)
        if actor is None or actor.kind != "person" or actor in found:
            continue
        head = token  # the name's own head: "Berg" of "Anna Berg 's"
        while head.head.i != head.i and cast.at(head.head.i) is actor:
            head = head.head
        if head.dep_ not in ("poss", "compound"):
            found.append(actor)
    return found


def _introduced(doc: Any, cast: Cast, quote: Quotation) -> Actor | None:
    """The one person the sentence before a first-person quotation no one is named for is
    about: 'For Zhao, the thrill was worth more than $400. "I've never thought I'd dare fly in
    a helicopter ..."' is hers."""
    if not _FIRST_PERSON.search(quote.text):
        return None
    opening = doc.char_span(quote.start, quote.start + 1, alignment_mode="expand")
    if opening is None or opening.sent.start == 0:
        return None
    before = doc[opening.sent.start - 1].sent
    if before.end_char < quote.start - 3 and doc.text[before.end_char : quote.start].strip(' "'):
        return None
    people = _people_named(doc, cast, before.start_char, quote.start)
    return people[0] if len(people) == 1 else None


def _goes_on_speaking(quoted: str) -> bool:
    """Whether an unattributed quotation reads as more of a speaker's words: a clause or more,
    not a question (an interviewer's) or a short phrase quoted from elsewhere (a motto)."""
    return len(quoted.split()) >= _CONTINUED_WORDS and not quoted.rstrip().endswith("?")


def _quoted(speaker: Speaker, quote: Quotation, doc: Any) -> Statement:
    """The statement of a quotation. When the verb that reports it is negated ("did not think
    '...'"), the quotation alone would state the opposite of what the speaker holds: the
    stance carries the negation and the evidence runs over the negated reporting clause. So
    too when the quotation goes on a clause whose negation stands outside it ('he would never
    "condone the killing"'): the stance is the clause from its negation."""
    text = doc.text
    negated = speaker.negated
    inside = negated is not None and negated.scope[0] <= quote.start < negated.scope[1]
    if negated is None or not inside:
        start = _negation_before(doc, quote)
        if start is None:
            return Statement(speaker.actor, quote.start, quote.end, True, stance_of(quote.text))
        lead = " ".join(text[start : quote.start].strip(" \"“‘'").split())
        stance = stance_of(f"{lead} {quote.text.strip()}")
        return Statement(speaker.actor, start, _closed(quote.end, text), False, stance)
    start, end = min(negated.start, quote.start), max(negated.end, quote.end)
    if end == quote.end:
        end = _closed(end, text)
    return Statement(speaker.actor, start, end, False, stance_of(quote.text, negated=negated))


def _closed(end: int, text: str) -> int:
    """A span that holds a quotation's opening mark holds its closing one too."""
    return end + 1 if text[end : end + 1] in _CLOSING_MARKS else end


def _negation_before(doc: Any, quote: Quotation) -> int | None:
    """Where the clause a quotation goes on starts, when its verb is negated outside the marks
    ('would never "condone ..."', 'will not "bow to pressure"'): the offset of the verb's
    first auxiliary or negation; None when the quotation carries its own verb's polarity."""
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    first = next((t for t in span if t.is_alpha), None) if span is not None else None
    if first is None or not first.tag_.startswith("VB"):
        return None
    before = [c for c in first.children if c.dep_ in ("aux", "neg") and c.idx < quote.start]
    if not any(c.dep_ == "neg" for c in before):
        return None
    return int(min(c.idx for c in before))


def _addresses(quoted: str, actor: Actor) -> bool:
    """Whether a quotation calls a person by a name of theirs set off by commas, as one speaks
    to someone ("..., Martin, I believe in you!")."""
    if actor.kind != "person":
        return False
    names = {w for name in actor.names() for w in name.split() if len(w) > 2}
    return any(re.search(rf"(?:^|,\s*){re.escape(w)}\s*[,!?]", quoted) for w in names)


def _speaks_of(quoted: str, actor: Actor) -> bool:
    """Whether a quotation names a person by their full name, as one speaks of someone else."""
    return actor.kind == "person" and " " in actor.name and actor.name in quoted


def _utterer(nearest: Speaker, speakers: list[Speaker], sent: Any) -> Speaker:
    """Who utters a quotation whose nearest verb is one of wanting or deciding: the speaker
    of the verb of saying that reports that verb ("Davis said Britain wanted to 'look at
    the whole package'": the words are Davis's), else that verb's own subject."""
    if not nearest.held:
        return nearest
    verbs = {token.idx: token for token in sent}
    held = verbs.get(nearest.at)
    if held is None:
        return nearest
    above = {ancestor.idx for ancestor in held.ancestors}
    return next((s for s in speakers if not s.held and s.at in above), nearest)


def _speakers(
    sent: Any, cast: Cast, quotes: list[Quotation], current: Actor | None = None
) -> list[Speaker]:
    """(speaker, verb offset, reported content) for each reporting verb of the sentence;
    "he" or "she" is `current`, the person speaking in the sentences just before, if any."""
    found: list[Speaker] = []
    by_verb: dict[int, Actor] = {}  # the speakers of this sentence's reporting verbs so far
    # Its verbs of saying (not of wanting): who says, and the words naming them.
    said_by: dict[int, tuple[Actor, Any]] = {}
    for token in sent:
        if _inside(token.idx, quotes):
            continue
        if token.lower_ == "according":
            source = next(
                (
                    g
                    for c in token.children
                    if c.lower_ == "to"
                    for g in c.children
                    if g.dep_ == "pobj"
                ),
                None,
            )
            if source is not None and source.lower_ in _FIGURES:
                source = _publisher(source)
            # "according to Part Two of the report": a title of a document, not a new actor.
            actor = resolve(source, cast, invent=False) if source is not None else None
            if actor is not None:
                found.append(Speaker(actor, token.idx, _outside(sent, quotes), relay=True))
            continue
        if not token.tag_.startswith("VB"):
            continue
        if (
            not is_reporting(token.text)
            and not (_takes_a_side(token) and _holds(token))
            and not _reports_a_finding(token)
        ):
            continue
        if token.tag_ == "VB" and verb_lemma(token.text) in TAKING_A_STAND:
            continue  # "needs to endorse", "went on to hail": the act only named
        if verb_lemma(token.text) == "recall" and any(c.dep_ == "dobj" for c in token.children):
            continue  # "Ostroda is recalling 5,000 cars": a recall, not a memory told
        quoted = _quoted_as_saying(token) or _agent(token)
        if quoted is None and any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
            continue  # "is expected", "was told": the subject is not the one who speaks
        subject = quoted or subject_of(token)
        # "Three quarters of the nurses questioned said": the nurses.
        counted = _counted(subject, token) if subject is not None else None
        subject = counted or subject
        if subject is not None and _inside(subject.idx, quotes):
            # The parser took a word of the quotation for the subject: the verb's other
            # subject outside it ('"Both (Trump) and I believe ...," Xi said'), or the speaker
            # it hung on that word in apposition ('"..., a real devil," another neighbour,
            # Hatice, said').
            subject = next(
                (
                    c
                    for c in [*subject.head.children, *subject.children]
                    if c.dep_ in ("nsubj", "appos") and not _inside(c.idx, quotes)
                ),
                subject,
            )
        if subject is not None and cast.on_page(subject.idx):
            # A linked headline run into the sentence: the subject is the story's other one.
            subject = next(
                (c for c in subject.head.children if c.dep_ == "nsubj" and not cast.on_page(c.idx)),
                subject,
            )
        if _states_nothing(token, subject):
            continue
        above = _speaker_above(token, by_verb)
        if subject is None:
            actor = (
                titled_name_at_verb(None, token, cast)
                or name_before(token, cast)
                or name_after(token, cast)
                or _named_after_quote(token, cast, quotes)
            )
        elif above is not None and _could_be(subject, above):
            # "Nunes said that he did not think ...", "the automaker said it wanted ...": the
            # pronoun is who said it.
            actor = above
        elif (
            current is not None
            and subject.lower_ in PERSON_PRONOUNS
            and current.agrees(subject.lower_)
        ):
            # The speaker goes on unless the sentence before made another person its subject
            # ("Ryan said ... Nunes cancelled the meetings. The next day he said ...").
            actor = (
                _subject_above(token, cast, subject.lower_)
                or _spoke_earlier_in_sentence(by_verb, subject.lower_)
                or _new_subject(sent, cast, quotes, current, subject.lower_)
                or current
            )
        elif subject.lower_ in PERSON_PRONOUNS and (before := _frame_before(sent, quotes)):
            actor = _interviewed(before, cast, subject.lower_) or resolve(subject, cast)
        elif counted is not None:
            actor = cast.group(_whole_s_name(counted), counted.idx)
        else:
            actor = titled_name_at_verb(subject, token, cast) or resolve(subject, cast)
        aged = _aged_name_before(token, cast) if actor is None else None
        if aged is not None:
            actor = aged
        if actor is None and subject is not None and not _inside(subject.idx, quotes):
            if _people_by_what_they_do(subject, token):
                actor = cast.group(phrase(subject), subject.idx)
            elif someone_described(subject, token):
                # Who they are is their role: "the mayor" after "a resident said" is not them.
                actor = cast.person(phrase(subject), subject.idx)
                actor.role = actor.role or subject.lower_
        if actor is None:
            continue
        if subject is not None:
            mark_affiliation(subject, actor, cast)
            if actor.kind != "person":
                # A body found only now ("the government says") is a subject "it" may mean.
                cast.add_subject(subject.idx, actor)
        by_verb[token.i] = actor
        held = not is_reporting(token.text)
        reporter = _reporter(token, actor, said_by, cast) if held else None
        if not held:
            said_by[token.i] = (actor, subject)
        content = _held(token, sent) if held else _content(token, sent)
        if aged is not None:
            content = _before_the_tag(token, sent)
        relay = verb_lemma(token.text) == "report" and actor.kind != "person"
        by_pronoun = subject is not None and subject.lower_ in PERSON_PRONOUNS
        by_office = (
            subject is not None and subject.lower_ in TITLES and subject.tag_ == "NN"
        ) and actor.kind != "person"
        found.append(
            Speaker(
                actor,
                token.idx,
                content,
                negation(token),
                relay,
                held,
                by_pronoun,
                reporter,
                by_office,
            )
        )
        # "Officials, including the minister Tom Weller, said …": he says it too; "Taylor
        # and his co-organiser McKenzie Lock explain that …": both do.
        also: list[Actor] = []
        if subject is not None and subject.lower_ not in PERSON_PRONOUNS:
            # "two players, Ann Lee and Ruth Ames, who said …": the first name is `actor`, the
            # others in apposition are people as well ("McCarthy, R-Calif., said" is not
            # California's, nor "McConnell, a Republican," the party's).
            also += [
                other
                for other in _included(subject, cast)
                if other is not actor and (actor.kind == "group" or other.kind == actor.kind)
            ]
            also += [other for other in _joined(subject, actor, cast) if other not in also]
        found += [
            Speaker(other, token.idx, content, negation(token), False, held) for other in also
        ]
        reported = _reported_subject(token, cast, quotes) if relay else None
        if reported is not None and reported is not actor:
            # "The Post reported that the Secret Service had requested …": the body that
            # reports relays what an actor the text knows did or said.
            found.append(Speaker(reported, token.idx, content, negation(token)))
    # "X said ..., the agency reported" or "..., according to the paper": the one who relays
    # the words is not the one who holds them, when the sentence names that one too.
    holders = [speaker for speaker in found if not speaker.relay]
    if holders:
        for speaker in found:
            speaker.actor.sources += speaker.relay
    return holders or found


def _people_by_what_they_do(subject: Any, verb: Any) -> bool:
    """Whether a plural common noun the lexicon does not know as people is a group of them by
    what it does: only people say, urge, blame or vow ("rights advocates blamed ..."); a
    document or a count only shows or suggests, and a quotation or an exchange is no one."""
    return (
        subject.tag_ == "NNS"
        and subject.dep_ == "nsubj"
        and subject.head.i == verb.i  # its own subject ("allegations surfaced accusing X")
        and subject.lower_ not in _QUANTIFYING
        and verb_lemma(verb.text) in _ONLY_PEOPLE_DO
        and subject.lower_ not in _SAID_OF_THINGS
        and not any(c.tag_ == "NNP" for c in subject.subtree)
        # "the senators", "both senators": people named before, not a group of its own.
        and not any(c.dep_ in ("det", "poss", "predet") for c in subject.children)
    )


def _counted(subject: Any, verb: Any) -> Any | None:
    """The people a count of them stands for, where only people do what it does: "three
    quarters of the nurses questioned said", "many of the residents say", "60 percent of
    voters blame"."""
    if subject.lower_ not in _PARTITIVE and subject.tag_ != "CD":
        return None
    if subject.lower_ == "one" or any(c.dep_ == "appos" for c in subject.children):
        return None  # "one of the study's authors, Professor Lena Ortiz": one person, named
    if subject.dep_ != "nsubj" or verb_lemma(verb.text) not in _ONLY_PEOPLE_DO:
        return None
    of = _of(subject)
    whole = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if whole is None or whole.tag_ != "NNS" or whole.lower_ in _SAID_OF_THINGS:
        return None
    return None if any(t.tag_ == "NNP" for t in whole.subtree) else whole


def _whole_s_name(whole: Any) -> str:
    """A counted group's name with the body it belongs to, when short: "members of the
    monetary committee", not "members"."""
    name = phrase(whole)
    of = _of(whole)
    if of is None or of.right_edge.i - of.i >= 5:
        return name
    return f"{name} {whole.doc[of.i : of.right_edge.i + 1].text}"


def _of(noun: Any) -> Any | None:
    """The "of" a noun's phrase goes on with ("quarters of the nurses"), if any."""
    return next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)


def _publisher(figures: Any) -> Any | None:
    """Who published the figures a source names: "data from Oxfam", "Oxfam's figures"; none
    for a data set named for where it comes from ("US Census data"), which holds no view."""
    for child in figures.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _reporter(
    verb: Any, actor: Actor, said_by: dict[int, tuple[Actor, Any]], cast: Cast
) -> Actor | None:
    """Another actor in whose words a verb of wanting or deciding sits: in "officials say
    Dravia sought to block the deal", Dravia holds it on the officials' word. Its own people
    speak for it (`_speaks_for`)."""
    for ancestor in verb.ancestors:
        reporter, subject = said_by.get(ancestor.i, (actor, None))
        if reporter is not actor and not _speaks_for(reporter, subject, actor, cast):
            return reporter
    return None


_PRONOUN_KINDS = {
    "he": ("person",),
    "she": ("person",),
    "it": ("organization", "state"),
    "they": ("group",),
}


def _could_be(pronoun: Any, actor: Actor) -> bool:
    """Whether a pronoun may stand for the actor: "it" a body, "he" or "she" a person, "they"
    a group."""
    return actor.kind in _PRONOUN_KINDS.get(pronoun.lower_, ())


def _speaks_for(reporter: Actor, subject: Any, actor: Actor, cast: Cast) -> bool:
    """Whether a speaker may speak for the actor whose wish it reports: named in the subject
    ("Dravia's minister said Dravia wants a deal") or a possessive there ("its leader said the
    group wants ..."); a person on a body's wishes ("He said the association would decide
    ..." of its chairman: whose office it is, the text often says sentences away); a person
    with a role on another's. A body on another's wishes, or a person without a role on
    another person's, reports them on its own word."""
    if subject is not None and any(
        cast.at(t.i) is actor or t.tag_ == "PRP$" for t in subject.subtree
    ):
        return True
    return reporter.kind == "person" and (actor.kind != "person" or bool(reporter.role))


def _aged_name_before(verb: Any, cast: Cast) -> Actor | None:
    """A person named with their age right before the verb ("..., Taylor, 37, said."), where
    the parser hung the name elsewhere and made a noun of the clause the verb's subject."""
    doc = verb.doc
    at = verb.i - 1
    if at < 3 or doc[at].text != "," or doc[at - 1].tag_ != "CD" or doc[at - 2].text != ",":
        return None
    named = cast.at(at - 3)
    return named if named is not None and named.kind == "person" else None


def _before_the_tag(verb: Any, sent: Any) -> str | None:
    """What comes before a closing tag ("X rose, Taylor, 37, said."): up to its first comma."""
    commas = [t.i for t in sent if t.text == "," and t.i < verb.i]
    if len(commas) < 3 or not all(t.tag_ == "NNP" for t in verb.doc[commas[-3] + 1 : commas[-2]]):
        return None  # not ", Name, 37, said"
    before = str(verb.doc[sent.start : commas[-3]].text)
    return before if len(before.split()) >= 4 else None


def _states_nothing(verb: Any, subject: Any | None) -> bool:
    """Whether a verb of saying or wanting states no position of its subject's: a condition
    ("only if Kolmar agrees to share the cost"), what no one did ("no Turkish politician had
    announced", "nobody accused it"), "it" inherited through "would be" ("she said it would be
    to think about ..."), the question put to the speaker ("Asked what her first decision
    would be, ...") or a correspondent's dateline."""
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
        return True
    if (
        subject is not None
        and subject.head.i == verb.i
        and subject.tag_ in ("NN", "NNP")
        and not any(c.dep_ == "conj" for c in subject.children)
        and (verb.tag_ == "VB" or (verb.tag_ == "VBP" and opens_with_that(verb)))
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    ):
        # "it is important that Comey say publicly ...": a verb in its bare form after its
        # own subject (not "Comey says") is what is asked of them, not what they said.
        return True
    if subject is not None and (
        _nobody(subject) or (subject.lower_ == "it" and subject.head.i != verb.i)
    ):
        return True
    return _a_question(verb) or _reports_from(verb)


def _reports_from(verb: Any) -> bool:
    """Whether "report" only says where a correspondent files from ("Ann Lee reports from
    Lima"): a byline, nothing reported."""
    return verb_lemma(verb.text) == "report" and not any(
        c.dep_ in ("ccomp", "dobj", "xcomp", "advcl") for c in verb.children
    )


def _a_question(verb: Any) -> bool:
    """Whether a verb of asking without a subject of its own reports the question put to
    the speaker ("Asked what her first decision would be, she said ...")."""
    if verb_lemma(verb.text) != "ask" or any(c.dep_ == "nsubj" for c in verb.children):
        return False
    for child in verb.children:
        if child.dep_ == "ccomp":
            first = child.left_edge
            return bool(first.tag_ in ("WP", "WRB", "WDT") or first.lower_ in ("whether", "if"))
    return False


def _nobody(subject: Any) -> bool:
    """Whether a subject says that no one is: "nobody", "no one", "none of them", "no
    Turkish politician"."""
    if subject.lower_ in ("nobody", "none", "noone"):
        return True
    if subject.lower_ == "one" and subject.i > 0 and subject.doc[subject.i - 1].lower_ == "no":
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)


def _joined(subject: Any, actor: Actor, cast: Cast) -> list[Actor]:
    """The named actors joined to a subject by "and" ("Taylor and Lock"), besides `actor`."""
    others: list[Actor] = []
    for noun in subject.conjuncts:
        other = cast.at(noun.i)
        if other is not None and other is not actor and other not in others:
            others.append(other)
    return others


def _included(group: Any, cast: Cast) -> list[Actor]:
    """The named actors a group subject includes ("members, including Mike Pence, …") or
    names in apposition ("two senators, Ann Lee and Tom Weller, …")."""
    nouns = [c for c in group.children if c.dep_ == "appos"]
    for child in group.children:
        if child.dep_ == "prep" and child.lower_ == "including":
            nouns += [noun for noun in child.children if noun.dep_ == "pobj"]
    members: list[Actor] = []
    for noun in nouns:
        for named in (noun, *noun.conjuncts):
            actor = cast.at(named.i)
            if actor is not None and actor not in members:
                members.append(actor)
    return members


def _reported_subject(verb: Any, cast: Cast, quotes: list[Quotation]) -> Actor | None:
    """The subject of the clause a verb of reporting reports, when it names an actor itself
    (not a phrase with a name inside it: "the number of cases of X") outside any quotation."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            subject = subject_of(child)
            if subject is not None and not _inside(subject.idx, quotes):
                return cast.at(subject.i)
    return None


def _new_subject(
    sent: Any, cast: Cast, quotes: list[Quotation], current: Actor, pronoun: str
) -> Actor | None:
    """A person other than `current` who is the subject of the sentence before `sent`: the
    nearer candidate for a "he" or "she". (Within `sent` the person a reported
    clause is about is not its speaker: "Masood was calm, she said".)"""
    doc = sent.doc
    before = _frame_before(sent, quotes)
    if before is None:
        return None
    since = before.start_char
    for offset, actor in reversed(cast.subjects):
        if offset >= sent.start_char:
            continue
        if offset < since:
            break
        if actor.kind == "person" and actor.agrees(pronoun) and _main_subject(doc, offset):
            return actor if actor is not current else None
    interviewed = _interviewed(before, cast, pronoun)
    return interviewed if interviewed is not current else None


def _frame_before(sent: Any, quotes: list[Quotation]) -> Any | None:
    """The sentence before `sent`, or before the quotation `sent` goes on from."""
    doc = sent.doc
    if sent.start == 0:
        return None
    before = doc[sent.start - 1].sent
    if _is_quote_only(before, quotes) and before.start > 0:
        before = doc[before.start - 1].sent
    return before


_TALKING = frozenset(
    "speak speaks spoke spoken speaking talk talks talked talking interview interviews"
    " interviewed interviewing".split()
)


def _interviewed(sent: Any, cast: Cast, pronoun: str) -> Actor | None:
    """The person a sentence says someone other than a person spoke to or interviewed ("CNN
    spoke to Kara-Murza in 2015"): the "he" who speaks in the sentences after it."""
    for verb in sent:
        if verb.lower_ not in _TALKING or not verb.tag_.startswith("VB"):
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if (
            subject is None
            or ((by := cast.at(subject.i)) is not None and by.kind == "person")
            or subject.lower_ in PERSON_PRONOUNS
        ):
            continue
        for child in verb.children:
            whom = child
            if child.dep_ == "prep" and child.lower_ in ("to", "with"):
                whom = next((g for g in child.children if g.dep_ == "pobj"), child)
            elif child.dep_ != "dobj":
                continue
            actor = cast.at(whom.i)
            if actor is not None and actor.kind == "person" and actor.agrees(pronoun):
                return actor
    return None


def _agent(verb: Any) -> Any | None:
    """Who does what a verb in the passive tells ("the plan was criticised by Ann Lee"): the
    one who speaks or takes the stand."""
    if not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    return next(
        (g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"),
        None,
    )


def _named_after_quote(verb: Any, cast: Cast, quotes: list[Quotation]) -> Actor | None:
    """The name between a quotation and its verb of saying when the parser gave the verb no
    subject ('"...," another neighbour, Hatice, said'): the one nearest the verb."""
    closing = [q.end for q in quotes if verb.sent.start_char <= q.end <= verb.idx]
    if not closing:
        return None
    between = [t for t in verb.sent if max(closing) <= t.idx < verb.idx]
    for token in reversed(between):
        actor = cast.at(token.i)
        if actor is not None:
            if actor.kind == "organization" and any(a_person(t.lower_) for t in between):
                actor.kind = "person"  # a name beside "neighbour"
            return actor
    return None


def _spoke_earlier_in_sentence(by_verb: dict[int, Actor], pronoun: str) -> Actor | None:
    """The last person who spoke earlier in the same sentence, if the pronoun agrees: in "Ann
    Lee said she was worried: '...,' she said." the second "she" is Lee, whoever spoke before."""
    for actor in reversed(by_verb.values()):
        if actor.kind == "person" and actor.agrees(pronoun):
            return actor
    return None


def _subject_above(verb: Any, cast: Cast, pronoun: str) -> Actor | None:
    """The person named as subject of the clause `verb` hangs from, if the pronoun agrees:
    "Nunes has yet to share it, though he indicated that he would" is Nunes's, whoever spoke
    before. (A clause someone reports is no such clause: "Masood was calm, she said".)"""
    for above in verb.ancestors:
        subjects = [c for c in above.children if c.dep_ == "nsubj" and c.i < verb.i]
        if subjects:
            actor = cast.at(subjects[0].i)
            if actor is not None and actor.kind == "person" and actor.agrees(pronoun):
                return actor
            return None
    return None


def _main_subject(doc: Any, offset: int) -> bool:
    """Whether the mention at `offset` is a subject in its own right, not of a clause someone
    reports ("She said Masood had two children") nor of one that only tells what a noun is ("a
    committee on which Mr Lowry sits"), unless that clause says something ("Ross, who said")."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None:
        return False
    clause = span[0].head
    if clause.dep_ == "relcl":
        return is_reporting(clause.text)
    return clause.dep_ not in ("ccomp", "xcomp")


def _speaker_above(verb: Any, by_verb: dict[int, Actor]) -> Actor | None:
    """The actor whose reporting verb governs `verb` in the parse: a pronoun in reported
    speech that agrees with it is most often the one reporting it."""
    return next((by_verb[a.i] for a in verb.ancestors if a.i in by_verb), None)


def _content(verb: Any, sent: Any) -> str | None:
    """The reported clause: the verb's clausal complement, what comes before a reporting
    clause set into the sentence ("Reports rose, the ACCC said, and ..."), else the rest of
    the sentence."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            start = child.left_edge.i
            if child.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in verb.children):
                start = verb.i  # "asked Steve Penny to step down": whom, and to do what
            return str(verb.doc[start : _whole_word_end(child.right_edge.i, verb, sent)].text)
    speaker_after = any(c.dep_ == "nsubj" and c.i > verb.i for c in verb.children)
    if (verb.dep_ == "parataxis" and verb.head.i < verb.i) or speaker_after:
        # "..., the ACCC said, and ...", "Leaders lobbied Nasser, says Ann Lee.": what is
        # said comes before the verb.
        start = verb.left_edge.i if verb.dep_ == "parataxis" else verb.i
        before = str(verb.doc[sent.start : start].text).rstrip(" ,;:-")
        return before if len(before.split()) >= 4 else None
    rest = verb.doc[verb.i : sent.end].text
    return str(rest) if len(rest.split()) >= 4 else None


def _quoted_as_saying(verb: Any) -> Any | None:
    """The subject of "X was quoted as saying", "X is cited as saying", the object of "the
    agency quoted X as saying": X is who spoke."""
    if verb_lemma(verb.text) not in ("quote", "cite"):
        return None
    saying = [
        t
        for prep in verb.children
        if prep.dep_ == "prep" and prep.lower_ == "as"
        for t in prep.children
        if t.dep_ == "pcomp" and is_reporting(t.text)
    ]
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
    subjects += [c for c in verb.children if c.dep_ == "dobj"]
    return subjects[0] if saying and subjects else None


def _whole_word_end(end: int, verb: Any, sent: Any) -> int:
    """The end (exclusive) of a clause that ends at token `end`, not inside a word: the parser
    may make each piece of a hyphenated word a complement of its own ("the firm had co" + "-"
    + "operated with the inquiry"), and the clause goes on with the rest of the word and,
    where a piece hangs from the reporting verb, what depends on it."""
    doc = verb.doc
    while end + 1 < sent.end and not doc[end].whitespace_:
        following = doc[end + 1]
        if following.text != "-" and not following.is_alpha:
            break
        end = following.right_edge.i if following.head.i == verb.i else end + 1
    return end + 1


def _takes_a_side(verb: Any) -> bool:
    """A verb of wanting, intending, deciding or taking sides, or "call" for a demand or a
    judgement: "the union called for guarantees", "called on the government to resign",
    "called the vote shameful", "called the test a great event" (not "called his lawyer",
    "called off the search")."""
    if is_stance(verb.text):
        return True
    if not verb.lower_.startswith("call") or not verb.tag_.startswith("VB"):
        return False
    deps = {c.dep_ for c in verb.children}
    if "nsubjpass" in deps or "auxpass" in deps:
        return False  # "he was called a hero": named, not judging
    prepositions = {c.lower_ for c in verb.children if c.dep_ == "prep"}
    return (
        "for" in prepositions
        or ("on" in prepositions and "xcomp" in deps)
        or ("dobj" in deps and "oprd" in deps)
    )


# Verbs that report a finding or a forecast when a clause follows ("the inquiry found that
# ...", "the budget office projected that ..."), and nothing said when none does ("found the
# body", "projected images").
_FINDING = frozenset("find finds found finding project projects projected projecting".split())


def _reports_a_finding(verb: Any) -> bool:
    return verb.lower_ in _FINDING and any(c.dep_ == "ccomp" for c in verb.children)


def _holds(verb: Any) -> bool:
    """Whether a verb of wanting or deciding states its subject's own position: the verb of
    its clause with a subject of its own ("Egypt, which supports Fatah,"), or going on from
    another such verb ("wants to seek"); not a relative clause whose object is what it
    modifies ("a request that Dravia opposed": what is opposed stands outside it), not
    what someone else requires of its subject ("requires parliament to approve")."""
    if verb.dep_ == "relcl":
        # Only when what the clause modifies is its subject ("which", "who").
        return any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in verb.children)
    if any(c.dep_ == "nsubj" for c in verb.children):
        return True
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.lower_.startswith("call"):
        # "protesters gathered, calling the policies murderous": theirs (not "had senators
        # calling for changes", whose callers are the senators).
        return bool(verb.i > 0 and verb.doc[verb.i - 1].text == ",")
    return verb.dep_ in ("xcomp", "conj") and is_stance(verb.head.text)


def _held(verb: Any, sent: Any) -> str | None:
    """What a verb of wanting or deciding reports, with the verb: "wants more stores",
    "decided to seek help" (its complement alone would drop the attitude)."""
    end = min(verb.right_edge.i + 1, sent.end)
    held = verb.doc[verb.i : end].text
    return str(held) if len(held.split()) >= 3 else None


def _colon_speaker(sent: Any, cast: Cast, quotes: list[Quotation]) -> Actor | None:
    """ "The minister was blunt: '...'": the subject of the clause that a colon ends — the
    verb before the colon highest in the parse (the parser may hang that clause under the
    quotation's own verb), with a subject outside the quotation; else the speaker a line is
    labelled with ("TRUMP: People covered "can expect ..."")."""
    colons = [token for token in sent if token.text == ":"]
    for token in colons:
        if not any(0 <= q.start - token.idx <= 3 for q in quotes):
            continue
        framing = [
            (verb, subject)
            for verb in sent
            if verb.idx < token.idx
            and verb.tag_.startswith("VB")
            and not _inside(verb.idx, quotes)
            and (subject := subject_of(verb)) is not None
            and not _inside(subject.idx, quotes)
        ]
        if not framing:
            return _labelled(sent, token, cast)
        _, subject = min(framing, key=lambda pair: sum(1 for _ in pair[0].ancestors))
        return resolve(subject, cast)
    if colons and any(colons[0].idx < q.start < sent.end_char for q in quotes):
        return _labelled(sent, colons[0], cast)
    return None


def _labelled(sent: Any, colon: Any, cast: Cast) -> Actor | None:
    """The speaker a line is labelled with, as transcripts and fact checks set them: "SEAN
    SPICER, White House press secretary, Tuesday: '...'", "TRUMP: '...'": a name in capitals
    opening the line (after stray marks), its office abbreviation dropped."""
    words = [t for t in sent if t.idx < colon.idx and not t.is_punct]
    if len(words) > 1 and words[0].is_sent_start and is_reporting(words[0].text):
        # "Complained Pelosi at the time:": the verb put first, then who spoke.
        return cast.at(words[1].i)
    caps: list[str] = []
    for word in words:
        letters = word.text.rstrip(".")
        if not (letters.isupper() and letters.isalpha() and len(letters) > 1):
            break
        caps.append(word.text)
    rest = words[len(caps) :]
    if not caps or (rest and not any(t.text == "," for t in sent if t.idx < colon.idx)):
        return None  # not a label: capitals that open a sentence of their own
    while len(caps) > 1 and caps[0].lower() in HONORIFICS:
        caps = caps[1:]  # "SEN. CHUCK SCHUMER"
    name = " ".join(word.capitalize() for word in caps)
    surname = name.split()[-1]
    named = [
        a
        for a in cast.actors
        if name in a.names() or surname in a.names() or a.name.split()[-1] == surname
    ]
    if len(caps) > 3 or caps[0] == "THE" or any(a.kind != "person" for a in named):
        return None  # "THE FACTS:", a dateline's place, a body
    known = [a for a in named if a.kind == "person"]
    if len({id(a) for a in known}) == 1:
        return known[0]
    return cast.person(name, sent.start_char)


def _carried(sent: Any, quotes: list[Quotation], previous: Actor | None) -> Actor | None:
    """The previous sentence's speaker, for a sentence that only goes on quoting or that refers
    back to the speaker by a pronoun or a title."""
    if previous is None:
        return None
    if _is_quote_only(sent, quotes):
        return previous
    refers = any(
        (t.tag_ == "PRP" and t.lower_ in PERSON_PRONOUNS and previous.kind == "person")
        or (t.lower_ in TITLES and previous.role and t.lower_ in previous.role.lower())
        for t in sent
        if t.dep_ in ("nsubj", "nsubjpass") and not _inside(t.idx, quotes)
    )
    return previous if refers else None


def _is_tag(sent: Any) -> bool:
    """Whether the sentence is only a speech tag ("Wang said.", "she added on Monday."), not
    a sentence of its own ("Russian authorities denied the accusation.")."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    return 0 < len(words) <= 5 and any(
        is_reporting(t.text) and not any(c.dep_ == "dobj" for c in t.children) for t in words
    )


def _is_quote_only(sent: Any, quotes: list[Quotation]) -> bool:
    return len(_outside(sent, quotes).split()) <= 2 and any(
        q.start < sent.end_char and sent.start_char < q.end for q in quotes
    )


def _outside(sent: Any, quotes: list[Quotation]) -> str:
    """The sentence's words outside quotation marks."""
    text = sent.text
    chars = list(text)
    for q in quotes:
        for i in range(max(q.start, sent.start_char), min(q.end, sent.end_char)):
            chars[i - sent.start_char] = " "
    return re.sub(r"[\"“”'‘’]", " ", "".join(chars))


def _inside(offset: int, quotes: list[Quotation]) -> bool:
    """True when `offset` falls inside a quotation (`quotes` are in order, disjoint)."""
    at = bisect_right(quotes, offset, key=lambda q: q.start) - 1
    return at >= 0 and offset < quotes[at].end


def _distance(offset: int, quote: Quotation) -> int:
    return (
        0
        if quote.start <= offset < quote.end
        else min(abs(offset - quote.start), abs(offset - quote.end))
    )


def _trimmed(sent: Any) -> tuple[int, int] | None:
    text = sent.text
    # The parser may start a sentence with the closing mark of the quotation before it.
    stray = re.match(r"[\"”’']\s+", text)
    if stray:
        text = text[stray.end() :]
    start = sent.end_char - len(text.lstrip())
    end = sent.end_char - (len(text) - len(text.rstrip()))
    return (start, end) if end > start else None


def stance_of(clause: str, limit: int = 28, negated: Negation | None = None) -> str:
    """The stance a clause states; under a negated reporting verb, led by that verb as written
    ("Did not say: ...") so that the stance does not claim what the speaker did not."""
    clause = re.sub(r"^(?:that)\s+", "", " ".join(clause.split()).strip(' ,."“”')).strip(" ,.")
    words = clause.split()
    text = " ".join(words[:limit]) + ("…" if len(words) > limit else "")
    if negated is not None:
        text = _negated(" ".join(negated.words.split()), text)
    return text[:1].upper() + text[1:]


def _negated(lead: str, text: str) -> str:
    """The stance under a negated verb: the content after its reporting clause ("Did not say:
    the bill is fair"), or the clause run on when the content is the rest of the sentence from
    the verb ("did not respond to requests", not "did not respond: respond to requests")."""
    verb, _, rest = text.partition(" ")
    if verb == lead.split()[-1]:
        return f"{lead} {rest}".rstrip()
    return f"{lead}: {text}"
