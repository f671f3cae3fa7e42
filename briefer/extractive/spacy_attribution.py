"""Attribute quotations and reported speech to actors over a spaCy parse, as quote-attribution
systems such as the BBC's Citron do: a reporting verb's subject is the speaker and its clausal
complement (or the quotation beside it) the content; "according to X" names a source; a
quotation with no verb of its own continues the previous sentence's speaker when nothing else
speaks in between. Quotations nobody can be found for stay unattributed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .lexicon import DEMONYMS, ORG_NOUNS, TITLES, is_reporting
from .spacy_actors import Actor, Cast
from .text import Quotation

# Shorter quotations are scare quotes or names ("the 'Somali' battalion"), not statements.
MIN_QUOTE_WORDS = 4
# Relations along which a verb without a subject of its own takes its head's: "paused and
# said", "issued a statement, saying", "was quick to add".
_INHERITS = {"conj", "xcomp", "advcl", "acl", "ccomp", "pcomp"}
_GROUP_MODIFIERS = {"compound", "amod", "nummod"}
_PERSON_PRONOUNS = {"he", "she"}
_ORG_PRONOUNS = {"it"}
# Prepositions that tie a speaker to a body ("a spokesman for", "head of", "officials from").
_BELONGING = {"for", "of", "at", "from", "with"}
# Nouns that refer back to whichever organisation the text named last.
_ANY_BODY = {"company", "firm", "group", "organisation", "organization", "charity"}


@dataclass(frozen=True)
class Statement:
    """A position in the making: who, the evidence span, whether quoted, and the stance text."""

    actor: Actor
    start: int
    end: int
    direct: bool
    stance: str


def attribute(doc: Any, cast: Cast, quotes: list[Quotation]) -> list[Statement]:
    """Direct and reported statements of the article, each attributed to an actor."""
    statements: list[Statement] = []
    claimed: set[int] = set()
    previous: Actor | None = None
    for sent in doc.sents:
        here = [
            i
            for i, q in enumerate(quotes)
            if q.start < sent.end_char and sent.start_char < q.end and i not in claimed
        ]
        speakers = _speakers(sent, cast, quotes)
        if not speakers and here:
            carried = _colon_speaker(sent, cast, quotes) or _carried(sent, quotes, previous)
            speakers = [(carried, sent.start_char, None)] if carried else []
        for index in here:
            quote = quotes[index]
            if not speakers or len(quote.text.split()) < MIN_QUOTE_WORDS:
                continue
            actor = min(speakers, key=lambda s: _distance(s[1], quote))[0]
            claimed.add(index)
            statements.append(Statement(actor, quote.start, quote.end, True, _stance(quote.text)))
        for actor, _, content in speakers:
            if content is None:
                continue
            outside = _outside(sent, quotes)
            long_quote = any(
                len(quotes[i].text.split()) >= MIN_QUOTE_WORDS
                and quotes[i].start >= sent.start_char
                for i in here
            )
            # Beside a quotation, the sentence is evidence only when it reports more of its own.
            if long_quote and len(outside.split()) < 12:
                continue
            span = _trimmed(sent)
            if span is not None:
                statements.append(Statement(actor, span[0], span[1], False, _stance(content)))
        previous = (
            speakers[-1][0] if speakers else (previous if _is_quote_only(sent, quotes) else None)
        )
    for statement in statements:
        statement.actor.statements += 1
    return statements


def _speakers(
    sent: Any, cast: Cast, quotes: list[Quotation]
) -> list[tuple[Actor, int, str | None]]:
    """(speaker, verb offset, reported content) for each reporting verb of the sentence."""
    found: list[tuple[Actor, int, str | None]] = []
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
            actor = _resolve(source, cast) if source is not None else None
            if actor is not None:
                found.append((actor, token.idx, _outside(sent, quotes)))
            continue
        if not token.tag_.startswith("VB") or not is_reporting(token.text):
            continue
        subject = _subject(token)
        actor = _resolve(subject, cast) if subject is not None else None
        if actor is None:
            continue
        found.append((actor, token.idx, _content(token, sent)))
    return found


def _subject(verb: Any) -> Any | None:
    """The verb's subject, or the subject of the verb it hangs from; a relative pronoun stands
    for the noun its clause modifies."""
    token = verb
    for _ in range(4):
        for child in token.children:
            if child.dep_ == "nsubj":
                if child.tag_ in ("WP", "WDT") and token.dep_ == "relcl":
                    return token.head
                return child
        if token.dep_ == "relcl":
            return token.head
        if token.dep_ not in _INHERITS or token.head is token:
            return None
        token = token.head
    return None


def _resolve(token: Any, cast: Cast) -> Actor | None:
    """The actor a subject refers to: a named mention, a pronoun or title referring back, an
    organisation named inside the phrase, or a group named by a common noun."""
    actor = cast.at(token.i)
    if actor is not None:
        return actor
    lower = token.lower_
    if token.tag_ == "PRP":
        if lower in _PERSON_PRONOUNS:
            return cast.last_before(token.idx, ("person",))
        if lower in _ORG_PRONOUNS:
            return cast.last_before(token.idx, ("organization",))
        return None
    if not token.tag_.startswith("NN"):
        return None
    # "a spokesman for the ministry", "Israel's government": the named body inside the phrase.
    named = _named_inside(token, cast)
    if named is not None:
        return named
    for child in token.children:
        if child.dep_ == "amod" and child.text in DEMONYMS:
            state = DEMONYMS[child.text]
            known = next((a for a in cast.actors if a.name == state), None)
            return known or _made(cast, state, "state", token.idx)
    definite = any(c.dep_ in ("det", "poss") and c.lower_ != "a" for c in token.children)
    if lower in TITLES:
        return cast.last_before(token.idx, ("person",), lower) if definite else None
    if lower in ORG_NOUNS and definite:
        # "the ministry" is the body named with that word; "the company" the last one named.
        named_like = [
            a
            for a in cast.actors
            if a.kind != "person" and any(lower in n.lower().split() for n in a.names())
        ]
        if named_like:
            return max(
                named_like, key=lambda a: max((m for m in a.mentions if m < token.idx), default=-1)
            )
        if lower in _ANY_BODY:
            return cast.last_before(token.idx, ("organization",))
    if token.tag_ in ("NNS", "NNPS") or lower in ORG_NOUNS or lower == "police":
        return cast.group(_phrase(token), token.idx)
    return None


def _named_inside(token: Any, cast: Cast) -> Actor | None:
    """The actor a common-noun subject names inside its phrase: a person in apposition
    ("the ambassador, Vasily Istratov"), else a body it belongs to ("the ministry's
    spokesman", "a spokesman for the ministry"); not a place it is in ("analysts in Baku")."""
    ranked: list[tuple[int, int, Actor]] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ not in _BELONGING:
            continue
        if child.dep_ not in ("appos", "poss", "compound", "prep", "nmod"):
            continue
        for t in child.subtree:
            actor = cast.at(t.i)
            if actor is not None and t.dep_ != "relcl":
                first = 0 if child.dep_ == "appos" and actor.kind == "person" else 1
                ranked.append((first, t.i, actor))
                break
    return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None


def _made(cast: Cast, name: str, kind: str, at: int) -> Actor:
    actor = cast.group(name, at)
    if kind == "state":
        actor.kind = "state"
    return actor


def _phrase(token: Any) -> str:
    """A common-noun subject without its article: "insurance analysts", "the government"."""
    words = [c for c in token.children if c.dep_ in _GROUP_MODIFIERS and c.i < token.i]
    start = min([token.i, *(w.left_edge.i for w in words)])
    span = token.doc[start : token.i + 1]
    text = " ".join(t.text for t in span if t.tag_ != "CD")
    return text if span[0].tag_.startswith("NNP") else text[:1].lower() + text[1:]


def _content(verb: Any, sent: Any) -> str | None:
    """The reported clause: the verb's clausal complement, else the rest of the sentence."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            return str(verb.doc[child.left_edge.i : child.right_edge.i + 1].text)
    rest = verb.doc[verb.i + 1 : sent.end].text
    return str(rest) if len(rest.split()) >= 4 else None


def _colon_speaker(sent: Any, cast: Cast, quotes: list[Quotation]) -> Actor | None:
    """ "The minister was blunt: '...'": the subject of the clause that a colon ends."""
    for token in sent:
        if token.text == ":" and any(0 <= q.start - token.idx <= 3 for q in quotes):
            root = token.head
            subject = _subject(root) if root.tag_.startswith("VB") else None
            return _resolve(subject, cast) if subject is not None else None
    return None


def _carried(sent: Any, quotes: list[Quotation], previous: Actor | None) -> Actor | None:
    """The previous sentence's speaker, for a sentence that only goes on quoting or that refers
    back to the speaker by a pronoun or a title."""
    if previous is None:
        return None
    if _is_quote_only(sent, quotes):
        return previous
    refers = any(
        (t.tag_ == "PRP" and t.lower_ in _PERSON_PRONOUNS and previous.kind == "person")
        or (t.lower_ in TITLES and previous.role and t.lower_ in previous.role.lower())
        for t in sent
        if t.dep_ in ("nsubj", "nsubjpass") and not _inside(t.idx, quotes)
    )
    return previous if refers else None


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
    return any(q.start <= offset < q.end for q in quotes)


def _distance(offset: int, quote: Quotation) -> int:
    return (
        0
        if quote.start <= offset < quote.end
        else min(abs(offset - quote.start), abs(offset - quote.end))
    )


def _trimmed(sent: Any) -> tuple[int, int] | None:
    text = sent.text
    start = sent.start_char + len(text) - len(text.lstrip())
    end = sent.end_char - (len(text) - len(text.rstrip()))
    return (start, end) if end > start else None


def _stance(clause: str, limit: int = 28) -> str:
    clause = re.sub(r"^(?:that)\s+", "", " ".join(clause.split()).strip(' ,."“”')).strip(" ,.")
    words = clause.split()
    text = " ".join(words[:limit]) + ("…" if len(words) > limit else "")
    return text[:1].upper() + text[1:]
