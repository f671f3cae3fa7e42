"""Who the article is about, from spaCy's entities: mentions grouped into actors by the text's
own evidence (a surname after a full name, an acronym beside or matching its spelled-out name,
a capital standing for a state the text names). Pure functions over a parsed Doc."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...schema import ActorKind
from ...text.names import (
    HONORIFICS,
    OFFICE_ABBREVIATIONS,
    PARTICLES,
    PERSON_ROLES,
    ROLE_WORDS,
    SHARED_ROLES,
    SUFFIXES,
    TITLES,
    holds_office,
)
from ...text.spans import within
from .lexicon import (
    BE_FORMS,
    CAPITALS,
    DEMONYMS,
    HEADS,
    INSTRUMENTS,
    KNOWN_STATES,
    ORG_NOUNS,
    RELIGIONS,
    STATE_ALIASES,
    is_medium,
    is_reporting,
)

# What a county's name opens with: "Co Galway", "County Clare" are places.
_COUNTY = frozenset({"Co", "Co.", "County"})
_KINDS: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "state",
    "NORP": "group",
    # The small model tags some organisations as places ("Oxfam"); a place that speaks is an
    # actor of its own kind, kept only when it does speak.
    "LOC": "other",
}
# Characters that mark a broken entity: mojibake and replacement characters, URLs, handles.
_BROKEN = re.compile(r"[?\ufffd@/#_=<>|]|https?:|\.com\b")
# A court case ("Roe v. Wade") or two names run together across a spaced dash.
_JOINED = re.compile(r"\s(?:v|vs)\.?\s|\s[-–—]\s")
_ACRONYM = re.compile(r"^[A-Z][A-Z&.]{1,7}$")
# Initials some write as a word ("Defra", "Nato", "Unicef"): an alias only when bracketed
# after the name whose initials they are.
_WORD_ACRONYM = re.compile(r"^[A-Z][a-z]{2,6}$")
_FUNCTION = {"of", "for", "and", "the", "on", "in", "de", "&"}
# Buildings that stand for the body in them ("White House", "Elysee Palace").
_SEATS = {"house", "palace"}
# Ranks and forms of address written before a surname ("Lord Fowler", "Rabbi Cohen"): no
# first name.
_ADDRESS = frozenset(
    "lord lady mister madam baron baroness saint rabbi imam pope father sister brother".split()
)
# Words of address that only stand before a person's name.
_COURTESY = frozenset({"mr", "mrs", "ms", "miss", "dr"})


@dataclass
class Actor:
    """An actor being assembled: its names, kind, role and where the text mentions it."""

    name: str
    kind: ActorKind
    first: int
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    # The labels of the mentions by the actor's whole name: the small model labels a full name
    # more reliably than a surname alone ("Trump" is often an ORG, "Donald Trump" rarely).
    full_labels: Counter[str] = field(default_factory=Counter)
    # Mentions as the body someone heads ("the managing director of X"): a person is not.
    headed: int = 0
    # Character offsets of each mention outside quotations, in text order, and how many of
    # them only qualify another noun ("his AOL account", "the Trump campaign").
    mentions: list[int] = field(default_factory=list)
    modifiers: int = 0
    # How often it is the subject of a verb (`drives`: of one it does, not one done to it),
    # and how many statements are attributed to it.
    acts: int = 0
    drives: int = 0
    statements: int = 0
    # How often a speaker is introduced as speaking for it ("a spokesman for the ministry").
    speaks_for: int = 0
    # How often speech is addressed to it ("told TASS"), and how many of its statements only
    # relay someone else's ("..., the paper reported", "according to the paper").
    audience: int = 0
    relays: int = 0
    # How often it is named as the source of what another holds ("X plans ..., according to
    # its director"): not the holder, but a named source the story rests on.
    sources: int = 0
    # "he" or "she", as the text itself refers to this person (see `mark_pronouns`), if known.
    pronoun: str | None = None

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def agrees(self, pronoun: str) -> bool:
        """Whether "he" or "she" can refer to this actor, as far as the text tells."""
        return self.pronoun is None or self.pronoun == pronoun.lower()

    def add_alias(self, alias: str) -> None:
        if alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)


@dataclass
class Cast:
    """The actors of one article and an index from tokens to the actor they mention."""

    actors: list[Actor]
    by_token: dict[int, Actor]
    # (offset, actor) of each mention that is a clause's subject, in text order.
    subjects: list[tuple[int, Actor]] = field(default_factory=list)
    # The page's furniture: no name in it makes an actor.
    page: Sequence[tuple[int, int]] = ()
    # Who a bare title ("the president") was found to mean when no one held it by name: a
    # later "the president" is the same person, not whoever the text named last.
    by_bare_title: dict[str, Actor] = field(default_factory=dict)

    def on_page(self, offset: int) -> bool:
        return within(offset, self.page)

    def at(self, index: int) -> Actor | None:
        return self.by_token.get(index)

    def mentioned_in(self, start: int, end: int) -> list[Actor]:
        """Actors mentioned between two character offsets, in order of first mention there."""
        found = [(a.mentions, a) for a in self.actors]
        hits = [
            (min(m for m in ms if start <= m < end), a)
            for ms, a in found
            if any(start <= m < end for m in ms)
        ]
        return [a for _, a in sorted(hits, key=lambda pair: pair[0])]

    def last_before(
        self,
        at: int,
        kinds: tuple[str, ...],
        title: str | None = None,
        media: bool = True,
    ) -> Actor | None:
        """The actor of one of `kinds` mentioned last before offset `at` (with `title` in its
        role when given, a news medium only if `media`): what "he", "the minister" or "the
        company" refers back to."""
        best: tuple[int, Actor] | None = None
        for actor in self.actors:
            if actor.kind not in kinds or (not media and is_medium(actor.name)):
                continue
            if title and not holds_office(actor.role, title):
                continue
            # Mentions found while attributing are appended out of order: take the latest.
            last = max((m for m in actor.mentions if m < at), default=-1)
            if last >= 0 and (best is None or last > best[0]):
                best = (last, actor)
        return best[1] if best else None

    def last_subject_before(self, at: int, pronoun: str | None = None) -> Actor | None:
        """What "he", "she" or "the Wisconsin Republican" refers to: the last person that was
        a clause's subject before `at` (a subject is more salient than an object), else the
        last one mentioned; not one the text calls by the other pronoun."""

        def agrees(actor: Actor) -> bool:
            return pronoun is None or actor.agrees(pronoun)

        for offset, actor in reversed(self.subjects):
            if offset < at and actor.kind == "person" and agrees(actor):
                return actor
        best = self.last_before(at, ("person",))
        return best if best is not None and agrees(best) else None

    def name_start(self, index: int) -> int:
        """The first token of the name token `index` stands in (itself when it names no one)."""
        actor, start = self.at(index), index
        while actor is not None and start > 0 and self.at(start - 1) is actor:
            start -= 1
        return start

    def add_subject(self, at: int, actor: Actor) -> None:
        """Record `actor` as a clause's subject at offset `at`, keeping text order."""
        if (at, actor) not in self.subjects:
            bisect.insort(self.subjects, (at, actor), key=lambda pair: pair[0])

    def _subject_before(self, at: int) -> Actor | None:
        """The last clause subject before `at`, if any."""
        before = [(offset, actor) for offset, actor in self.subjects if offset < at]
        return max(before, key=lambda pair: pair[0])[1] if before else None

    def group_subject_before(self, at: int) -> Actor | None:
        """What "they" refers to: the last clause subject before `at`, when that is a group
        named by a plural ("Farmers say ... They hope ...")."""
        actor = self._subject_before(at)
        return actor if actor is not None and actor.kind == "group" else None

    def body_subject_before(self, at: int) -> Actor | None:
        """What "it" refers to when the last clause subject before `at` is a body (an
        organisation, a state, or a group named by what it is: "the government", "the company"):
        that body, even when another was named after it ("The government says ... for
        Parliament. It estimates ..." is the government's)."""
        actor = self._subject_before(at)
        if actor is None:
            return None
        if actor.kind in ("organization", "state") or (
            actor.kind == "group" and actor.name.lower().split()[-1] in ORG_NOUNS
        ):
            return actor
        if " " not in actor.name and actor.labels["ORG"]:
            return actor  # "Greenpeace", labelled a person as often as a body
        return None

    def group(self, name: str, at: int) -> Actor:
        """The actor named by a common noun phrase ("analysts", "the government"), made once:
        phrases with the same head noun ("the largest cities", "the cities") are one group."""
        key = " ".join(name.lower().split()) or "?"
        head = key.split()[-1]
        for actor in self.actors:
            names = [n.lower() for n in actor.names()]
            # "the cities" and "the largest cities" are one group; "Dravian officials" and
            # "Estavian officials" are two: both qualify the head, and differently.
            same_head = actor.kind == "group" and any(
                n.split()[-1] == head and (len(n.split()) == 1 or len(key.split()) == 1 or n == key)
                for n in names
            )
            if key in names or same_head:
                actor.mentions.append(at)
                if len(name.split()) == 1 or key in names:
                    return actor
                actor.add_alias(name)
                return actor
        actor = Actor(name, "group", at, mentions=[at])
        self.actors.append(actor)
        return actor

    def person(self, name: str, at: int) -> Actor:
        """Someone the text names by a phrase or a name no entity gave ("the father of X", "a
        local resident", a post's author), made once as `group` makes it, a person."""
        actor = self.group(name, at)
        actor.kind = "person"
        return actor


def clean_name(text: str, label: str) -> str | None:
    """The entity's name without a leading article, possessive or honorific; None if broken."""
    text = " ".join(text.split())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    text = re.sub(r"['’]s?$", "", text).strip(" -–—,.;:\"“”'")
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", text):
        text += "."  # "U.S." keeps the stop it is spelled with
    if label == "PERSON":
        words = text.split()
        while words and words[0].lower() in HONORIFICS:
            words = words[1:]
        text = " ".join(words)
    if len(text) < 2 or not any(c.isalpha() for c in text) or _BROKEN.search(text):
        return None
    if _JOINED.search(text):
        return None  # "Smith v. Jones" names a case; "A - B" runs two names into one
    if text.lower() == text:
        return None  # spaCy's small model tags some common words as names
    return text


def clean_role(text: str) -> str:
    """A role without its article and stray quotation marks or punctuation."""
    text = " ".join(text.split()).strip(" ,.;:-\"“”'‘’")
    return re.sub(r"^(?:an?|the)\s+", "", text, flags=re.I)


def _proper(ent: Any, by_label: dict[str, set[str]]) -> Any | None:
    """The entity's tokens without leading words that are not part of a name ("Sometimes
    Masood"), as a Span; None when no proper noun is left. `by_label`: the names the
    recogniser gives each label somewhere in the text."""
    doc = ent.doc
    places = by_label.get("GPE", set()) | by_label.get("LOC", set())
    people = by_label.get("PERSON", set())
    start, end = _before_a_dash(ent)
    if start == end:
        return None
    while start < end and not doc[start].tag_.startswith("NNP"):
        start += 1
    if end - start > 1 and doc[start].is_sent_start and is_reporting(doc[start].text):
        start += 1  # "Complained Pelosi at the time:": the verb put first, then who spoke
    # "ambassador to Egypt Sergey Kirpichenko": the recogniser ran a place into the name,
    # and, after a title, may take the whole for a body ("Ambassador to China Andrei
    # Denisov").
    if end - start > 2 and doc[start].text in KNOWN_STATES:
        if ent.label_ == "PERSON":
            start += 1
        elif (
            ent.label_ == "ORG"
            and _after_a_title(doc, start)
            and all(t.tag_ == "NNP" for t in doc[start + 1 : start + 3])
        ):
            from spacy.tokens import Span  # here: spaCy is an optional dependency

            return Span(doc, start + 1, end, label="PERSON")
    elif ent.label_ in ("ORG", "PERSON", "GPE") and end - start > 2 and _after_a_title(doc, start):
        # A place this list does not know ("Ambassador to Cyprus Stanislav Osadchy", "to the
        # Republic of Cyprus Stanislav Osadchy"): the person is the name after it.
        from spacy.tokens import Span  # here: spaCy is an optional dependency

        named = start + _place_words(doc, start, end, places)
        if end - named >= 2 and all(t.tag_ == "NNP" and t.is_title for t in doc[named:end]):
            return Span(doc, named, end, label="PERSON")
    # "general strike against Donald Trump Europe as a role model": a heading run into the
    # sentence. The text names both parts on their own: the person and the place.
    if (
        ent.label_ == "PERSON"
        and end - start > 2
        and doc[end - 1].text in places
        and doc[start : end - 1].text in people
    ):
        end -= 1
    # "the Bank of Russia Elvira Nabiullina said": a body's name run into a person's, whom
    # the text names on their own elsewhere (in full, or a first name and that surname).
    if ent.label_ in ("ORG", "GPE") and end - start > 2:
        for k in range(end - start - 1, 1, -1):
            words = doc[end - k : end]
            named = words.text in people or (k == 2 and words[-1].text in people)
            if named and all(t.tag_ == "NNP" for t in words):
                from spacy.tokens import Span  # here: spaCy is an optional dependency

                return Span(doc, end - k, end, label="PERSON")
    # "the Department for Environment (Dewa": the recogniser ran the bracketed initials in.
    end = next((t.i for t in doc[start + 1 : end] if t.text == "("), end)
    while end - start > 1 and doc[end - 1].is_lower and doc[end - 1].tag_.startswith(("RB", "VB")):
        end -= 1  # "Barton later said": the recogniser ran an adverb or a verb into the name
    if all(t.lower_ in TITLES for t in doc[start:end]):
        return None  # "Commander", "President": a title, not a name
    if ent.label_ == "ORG" and _introduces_a_person(doc[start:end]):
        return None  # "Permanent Representative to the UN ... Alexey Borodavkin": his title
    return doc[start:end] if start < end else None


# Words inside a body's name: "Bank of China", "Department for Education".
_LINKS = frozenset(("of", "and", "for", "&"))


def spaced_dash(token: Any) -> bool:
    """Whether a token is a dash between words, spaced as a dash rather than a hyphen."""
    return bool(
        token.text in ("-", "–", "—")
        and token.i > 0
        and token.whitespace_
        and token.doc[token.i - 1].whitespace_
    )


def _before_a_dash(ent: Any) -> tuple[int, int]:
    """The part of an entity the recogniser ran across a spaced dash that is a name: the
    first proper-noun run ("Mouin Rabbani - Former ..." a speaker's caption, "Alex Chalk -
    defied"), else the next ("Labour MPs - Jane Roe"); (start, start) when no part is one.
    The entity itself when it holds no dash between words."""
    doc = ent.doc
    dashes = [t.i for t in ent[1:-1] if spaced_dash(t)]
    if not dashes:
        return ent.start, ent.end
    bounds = [ent.start, *dashes, ent.end]
    for start, end in zip(bounds, bounds[1:], strict=False):
        start += start in dashes
        while start < end and doc[start].lower_ == "the":
            start += 1
        words = doc[start:end]
        if (
            len(words) > 0
            and all(
                (t.tag_ == "NNP" and (t.is_title or t.is_upper))
                or t.lower_ in PARTICLES
                or t.lower_ in _LINKS
                for t in words
            )
            and words[0].text[:1].isupper()
            and words[-1].tag_ == "NNP"
            and all(t.is_alpha for t in words)
        ):
            return start, end
    return ent.start, ent.start


def _introduces_a_person(words: Any) -> bool:
    """Whether a capitalised phrase ending in a title is the title of a person the parse hangs
    on it ("Russia's Permanent Representative to the UN Office in Geneva Alexey Borodavkin"),
    not a body whose name ends in one ("Health Service Executive", "Department of Justice")."""
    last = words[-1]
    if len(words) > 3 or last.lower_ not in TITLES or any(t.lower_ == "of" for t in words):
        return False
    return any(t.ent_type_ == "PERSON" for t in last.subtree if t.i >= words.end)


def _after_a_title(doc: Any, at: int) -> bool:
    """Whether the token at `at` follows a title and its preposition ("Ambassador to", "envoy
    for", "minister in", "Ambassador to the")."""
    before = at - 1
    if before >= 0 and doc[before].lower_ == "the":
        before -= 1
    return (
        before >= 1
        and doc[before].lower_ in ("to", "for", "in", "on")
        and doc[before - 1].lower_ in TITLES
        and doc[at].tag_ == "NNP"
    )


def _place_words(doc: Any, start: int, end: int, places: set[str]) -> int:
    """How many words a place run into a name after a title takes: as many as the text names
    as a place elsewhere, else through the word after its "of" ("Republic of Cyprus"), else
    one."""
    for k in range(end - start - 2, 0, -1):
        if doc[start : start + k].text in places or doc[start : start + k].text in KNOWN_STATES:
            return k
    small = [i for i in range(start, end - 2) if doc[i].is_lower]
    return small[-1] + 2 - start if small else 1


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _FUNCTION and w[0].isupper())


def abbreviates(acronym: str, actor: Actor) -> bool:
    """Whether `acronym` (three capitals or more) is the initials of the organisation's name
    or of its last words ("ICE" for "U.S. Immigration and Customs Enforcement"), with or
    without its small words ("DOJ")."""
    if actor.kind != "organization" or not _ACRONYM.match(acronym) or len(acronym) < 3:
        return False
    initials = _initials(actor.name)
    if initials.endswith(acronym) and len(initials) - len(acronym) <= 1:
        return True
    # Some keep the small words' letters: "DOJ" for "Department of Justice".
    return "".join(w[0].upper() for w in actor.name.split()) == acronym


def _role(ent: Any) -> str | None:
    """A title before the name ("Defence Minister") or an appositive ("head of X at Y")."""
    doc = ent.doc
    start = ent.start
    # Walk left over the modifiers that hang inside the name's phrase: "Deputy Foreign Minister".
    while (
        start > 0
        and doc[start - 1].dep_ in ("compound", "amod")
        and doc[start - 1].i < doc[start - 1].head.i < ent.end
    ):
        start -= 1
    words = [t.lower_ for t in doc[start : ent.start]]
    if any(w in TITLES for w in words):
        return clean_role(doc[start : ent.start].text)
    if ent.start > 0 and (office := doc[ent.start - 1].lower_.rstrip(".")) in OFFICE_ABBREVIATIONS:
        return OFFICE_ABBREVIATIONS[office]  # "Sen. Tom Cotton"
    for child in ent.root.children:
        if child.dep_ == "appos" and child.i > ent.end - 1:
            span = doc[child.left_edge.i : child.right_edge.i + 1]
            if len(span) <= 14 and any(t.lower_ in ROLE_WORDS for t in span):
                return clean_role(span.text)
    return None


def join_name_particles(doc: Any) -> None:
    """Give back to a person's name the surname the small model cut at a particle ("Marine
    Le" + "Pen", "Ursula von" + "der Leyen"): the name runs on through particles to the proper
    noun that ends it; entities the run overlapped are dropped. A body's name the model cut
    short is whole again (see `_body_name_end`)."""
    from spacy.tokens import Span as Entity  # spaCy is there: `doc` is its Doc

    mended: list[Any] = []
    taken = -1
    changed = False
    entities = list(doc.ents)
    for n, entity in enumerate(entities):
        if entity.start <= taken:
            continue
        start, end = entity.start, entity.end
        if entity.label_ == "ORG":
            end = _body_name_end(doc, entity, entities[n + 1 : n + 2])
        elif entity.label_ in ("GPE", "LOC"):
            start = _place_name_start(doc, entity, mended[-1].end if mended else 0)
        elif entity.label_ == "PERSON":
            end = _surname_end(doc, entity)
            if _first_name_before(doc, entity):
                start -= 1
                if mended and mended[-1].end > start:
                    mended.pop()  # "Ivanka" as a product: the first name of "Ivanka Trump"
        if (start, end) == (entity.start, entity.end):
            mended.append(entity)
        else:
            mended.append(Entity(doc, start, end, label=entity.label_))
            taken = end - 1
            changed = True
    if changed:
        doc.ents = mended


def _body_name_end(doc: Any, entity: Any, following: list[Any]) -> int:
    """Where a body's name the model cut short ends: no name ends in "and" or "of", so one
    so cut runs on through the body named right after it ("the Australian Competition and" +
    "Consumer Commission"); nor in a people's adjective, so "the National Association of
    British" runs on through "and Irish Millers"."""
    last = entity[-1]
    if (
        last.lower_ in ("and", "of", "for", "&")
        and following
        and following[0].label_ == "ORG"
        and following[0].start == entity.end
    ):
        return int(following[0].end)
    if (
        last.text in DEMONYMS
        and entity.end + 1 < len(doc)
        and doc[entity.end].lower_ in ("and", "&")
    ):
        run = entity.end + 1
        while run < len(doc) and doc[run].is_title and doc[run].tag_ in ("NNP", "NNPS", "JJ"):
            run += 1
        if run > entity.end + 1 and doc[run - 1].tag_ in ("NNP", "NNPS"):
            return int(run)
    return int(entity.end)


def _place_name_start(doc: Any, entity: Any, free: int) -> int:
    """Where a place's name starts when the model left out its first words (often at a
    sentence's start: "New" of "New South Wales"): back through the capitalised words that
    qualify the same noun, none of them an office, before `free` (the end of the last
    entity kept)."""
    start: int = entity.start
    while start > free:
        word = doc[start - 1]
        if not (word.tag_ == "NNP" and word.is_title and word.dep_ == "compound"):
            break
        if word.head.i < entity.start or word.head.i >= entity.end + 1:
            break
        if word.lower_ in TITLES or word.lower_.rstrip(".") in HONORIFICS or word.ent_type_:
            break
        start -= 1
    return start


def _first_name_before(doc: Any, entity: Any) -> bool:
    """Whether a surname alone ("Trump") follows a first name the small model left out of it
    or took for something else ("Ivanka" as a product): then it is that person, not the
    other one of the surname."""
    if len(entity) != 1 or entity.start == 0:
        return False
    before = doc[entity.start - 1]
    return bool(
        before.tag_ == "NNP"
        and before.is_alpha
        and before.is_title
        and before.ent_type_ in ("", "PRODUCT", "WORK_OF_ART")
        and before.lower_ not in TITLES
        and before.lower_ not in HONORIFICS
        and before.lower_ not in _ADDRESS
    )


def _surname_end(doc: Any, entity: Any) -> int:
    """Where a person's name ends once the particles it ends in, or that follow it, are run
    through to a proper noun: the entity's own end when there is none."""
    i: int = entity.end
    while entity.start < i <= len(doc) and doc[i - 1].lower_ in PARTICLES:
        i -= 1  # the entity may end in its particles; start the run at the first one
    run = i
    while run < len(doc) and doc[run].lower_ in PARTICLES and run - i < 3:
        run += 1
    if run == i or run >= len(doc) or doc[run].tag_ not in ("NNP", "NNPS"):
        return int(entity.end)
    return run + 1


def find_actors(
    doc: Any, quoted: list[tuple[int, int]], page: Sequence[tuple[int, int]] = ()
) -> Cast:
    """Group the named entities of `doc` into actors; `quoted` spans hold no mentions, and
    names in the `page`'s furniture (a post's author, a byline) are no actors at all."""
    entities: list[tuple[Any, str, str]] = []
    cut_from: dict[int, Any] = {}  # a person cut out of a body's name: the whole name
    by_label: dict[str, set[str]] = {}
    for entity in doc.ents:
        by_label.setdefault(entity.label_, set()).add(entity.text)
    letters = [c for c in doc.text if c.isalpha()]
    shouting = sum(c.isupper() for c in letters) > len(letters) / 2  # a text all in capitals
    for whole in doc.ents:
        if whole.label_ not in _KINDS:
            continue
        if within(whole.start_char, page):
            continue  # (the Cast below keeps the page for names found while attributing)
        ent = _proper(whole, by_label)
        label = (ent.label_ if ent is not None else "") or whole.label_
        if ent is not None and (
            ent[0].lower_.rstrip(".") in _COURTESY
            or (len(ent) > 1 and ent[0].lower_.rstrip(".") in OFFICE_ABBREVIATIONS)
        ):
            label = "PERSON"  # "Ms Le Pen", "Prof Curtice", whatever the recogniser says
        name = clean_name(ent.text, label) if ent is not None else None
        if ent is None or name is None:
            continue
        if name in DEMONYMS or name in RELIGIONS or name.split()[-1].lower() in INSTRUMENTS:
            continue  # "Russian" qualifies; "the Russian government" is resolved where it acts
        if label in ("PERSON", "ORG") and byline_caps(name) and not shouting:
            continue  # "KATHERINE FAULDERS and DAVID CAPLAN write": the page's byline
        if label == "PERSON" and len(name.split()) > 1 and name.split()[-1].lower() in _SEATS:
            label = "ORG"  # "the Trump White House": a seat of government, not a person
        entities.append((ent, label, name))
        if ent.label_ == "PERSON" and whole.label_ != "PERSON":
            cut_from[ent.start] = whole

    named = {STATE_ALIASES.get(name, name) for _, _, name in entities}
    actors: dict[str, Actor] = {}
    by_token: dict[int, Actor] = {}

    def target(name: str, label: str) -> str:
        name = STATE_ALIASES.get(name, name)
        if label in ("GPE", "ORG") and name in CAPITALS and CAPITALS[name] in named:
            return CAPITALS[name]
        return name

    # Longer names first, so that "Wallis" and "NATO" find "Jon Wallis" and the spelled-out name.
    order = sorted(
        entities,
        key=lambda entry: (-len(STATE_ALIASES.get(entry[2], entry[2]).split()), entry[0].start),
    )
    for ent, label, raw in order:
        name = target(raw, label)
        actor = actors.get(name) or _alias_of(name, label, actors)
        if actor is None:
            actor = actors[name] = Actor(name, _KINDS[label], ent.start_char)
        if raw != actor.name:
            actor.add_alias(raw)
        actor.labels[label] += 1
        if raw == actor.name:
            actor.full_labels[label] += 1
        actor.headed += _is_headed(ent)
        actor.first = min(actor.first, ent.start_char)
        if not within(ent.start_char, quoted):
            actor.mentions.append(ent.start_char)
            actor.modifiers += _qualifies(ent)
        if not actor.role:
            actor.role = _role(ent)
        # A person cut out of a body's name ("the Bank of Norway Ingrid Lund said") holds the
        # whole name's words: the parser may make "Bank" the verb's subject.
        for token in cut_from.get(ent.start, ent):
            by_token[token.i] = actor
        _pair_acronym(doc, ent, actor)

    text = doc.text  # built from the tokens at each access
    for actor in actors.values():
        # Ties go to PERSON: the small model mislabels names as places or bodies more often.
        votes = (
            actor.full_labels if len(actor.name.split()) > 1 and actor.full_labels else actor.labels
        )
        label = max(votes, key=lambda lb: (votes[lb], lb == "PERSON"))
        actor.kind = _KINDS[label]
        if actor.name in KNOWN_STATES or actor.name.split()[0] in _COUNTY:
            actor.kind = "state"  # (places are "state" actors: "Co Galway", "County Clare")
        elif actor.kind == "person" and (actor.headed or _names_a_body(actor.name)):
            # A firm named after its founder ("director of X"), or a name that ends in what
            # it is ("... Agency", "... Council"): not a person.
            actor.kind = "organization"
            actor.role = None
        elif _a_person_s_role(actor):
            actor.kind = "person"  # "X, an independent analyst": whatever the label said
        else:
            actor.role = actor.role if actor.kind == "person" else None
        if actor.kind == "person":
            _surname_alias(text, actor)
    _mark_surnames(doc, actors.values(), by_token, quoted, page)
    for actor in actors.values():
        actor.mentions.sort()
    ordered = sorted(actors.values(), key=lambda a: a.first)
    return Cast(ordered, by_token, page=page)


def _mark_surnames(
    doc: Any,
    actors: Iterable[Actor],
    by_token: dict[int, Actor],
    quoted: list[tuple[int, int]],
    page: Sequence[tuple[int, int]],
) -> None:
    """A surname the text uses for one person names that person where the recogniser missed
    it as a clause's subject ("On Tuesday, Nunes cancelled ..."), as a body's bracketed
    initials name the body ("IS is recruiting"); a surname two people share names neither."""
    owners: dict[str, list[Actor]] = {}
    for actor in actors:
        if actor.kind == "person" and " " in actor.name:
            # The surname as an alias: the text itself uses it alone for this person.
            for alias in actor.aliases:
                if " " not in alias and alias == actor.name.split()[-1]:
                    owners.setdefault(alias, []).append(actor)
        elif actor.kind == "organization":
            for alias in actor.aliases:
                if _ACRONYM.match(alias) or _WORD_ACRONYM.match(alias):
                    owners.setdefault(alias, []).append(actor)
    for token in doc:
        # The small model tags a rare surname as a common noun ("Lotter said ...", "Sessions
        # said"): as written, capital and all, it is still the name.
        if token.i in by_token or token.tag_ not in ("NNP", "NN", "NNS"):
            continue
        if len(owners.get(token.text, ())) != 1:
            continue
        actor = owners[token.text][0]
        # Where it matters: who acts or speaks (what "he" or "she" goes back to), and the body
        # whose office speaks ("a DEFRA spokesperson said").
        office = actor.kind == "organization" and _names_an_office(token)
        if token.dep_ != "nsubj" and not office:
            continue
        if within(token.idx, quoted) or within(token.idx, page):
            continue
        by_token[token.i] = actor
        actor.mentions.append(token.idx)


def _names_an_office(token: Any) -> bool:
    """Whether the token names the body an office belongs to: "a DEFRA spokesperson", "the
    NHS's chief executive"."""
    return token.dep_ in ("compound", "poss") and token.head.lower_ in TITLES


def byline_caps(name: str) -> bool:
    """A person's full name in capitals, as bylines set them ("DAVID CAPLAN")."""
    words = name.split()
    return len(words) >= 2 and all(w.isupper() and len(w) > 1 for w in words)


def _qualifies(ent: Any) -> bool:
    """Whether a mention only qualifies the common noun after it: "his AOL account", "NATO
    allies", "a Trump appointee" name a thing or a people, not the actor doing anything ("the
    EU commissioner" names the body's office, and counts)."""
    head = ent.root.head
    return bool(
        ent.root.dep_ in ("compound", "amod", "nmod")
        and head.i >= ent.end
        and head.tag_ in ("NN", "NNS")
        and head.lower_ not in TITLES
    )


def _a_person_s_role(actor: Actor) -> bool:
    """Whether the actor's role is a person's: an office only people hold, or one bodies hold
    too where the recogniser also took a mention of the name for a person's."""
    words = set(actor.role.lower().split()) if actor.role else set()
    if words & PERSON_ROLES:
        return True
    return bool(words & SHARED_ROLES) and actor.labels["PERSON"] > 0


def _names_a_body(name: str) -> bool:
    words = name.split()
    return len(words) > 1 and words[-1].lower() in ORG_NOUNS


def _is_headed(ent: Any) -> bool:
    """Whether the mention is the body a head of one leads: "the managing director of X"."""
    preposition = ent.root.head
    if ent.root.dep_ != "pobj" or preposition.lower_ != "of":
        return False
    return bool(preposition.head.lower_ in HEADS)


def _alias_of(name: str, label: str, actors: dict[str, Actor]) -> Actor | None:
    """The actor whose longer name contains `name` as whole words, or whose initials it is."""
    words = _name_words(name)
    for actor in actors.values():
        if name in actor.aliases:
            return actor
        if actor.kind == "state" and label != "GPE":
            continue
        # A name with a person's role beside it is a person's, whatever its label: "Li Wei,
        # owner of X, ... says Li" (the surname first).
        person = actor.kind == "person" or (label != "GPE" and actor.role is not None)
        for known in actor.names():
            other = _name_words(known)
            if len(other) <= len(words):
                continue
            if other[:-1] == words and other[-1].rstrip(".").lower() in SUFFIXES:
                continue  # "Donald Trump" is not "Donald Trump Jr": father and son
            if actor.kind == "person" and len(words) >= 2 and len(other) > 2:
                if label == "PERSON" and (words[0], words[-1]) == (other[0], other[-1]):
                    return actor  # "Adrian Ajao" for "Adrian Russell Ajao"
            if len(words) == 1 and words[0].isupper() and actor.kind == "person":
                if words[0].capitalize() == other[-1]:
                    return actor  # "TRUMP:" labelling a line is Trump, whatever its label
            elif len(words) == 1 and (person or label == "PERSON"):
                # The small model often tags a name as ORG or GPE at one mention and as PERSON
                # at another: a surname alone folds into the full name either way.
                # ("Trump" is not "the Trump White House": a body named after a person.)
                first_name = words[0] == other[0] and words[0] not in KNOWN_STATES and person
                if words[0] == other[-1] or first_name:
                    return actor
            elif len(words) >= 2 and _contains(other, words):
                return actor
        # Two-letter initials match too many names by chance ("AP", "Arseny Pavlov").
        if _ACRONYM.match(name) and abbreviates(name.replace(".", ""), actor):
            return actor
    return None


def _name_words(name: str) -> list[str]:
    """A name's words, a surname's particles small: "Von der Leyen" opening a sentence is
    "von der Leyen"."""
    return [word.lower() if word.lower() in PARTICLES else word for word in name.split()]


def _surname_alias(text: str, actor: Actor) -> None:
    """A person's surname is an alias when the text uses it alone."""
    words = actor.name.split()
    if len(words) > 1 and re.search(
        rf"(?<!{re.escape(words[-2])} )\b{re.escape(words[-1])}\b", text
    ):
        actor.add_alias(words[-1])


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _pair_acronym(doc: Any, ent: Any, actor: Actor) -> None:
    """ "North Atlantic Treaty Organisation (NATO)": the bracketed acronym is an alias (after
    the name's closing quotation mark too: 'the "Islamic Front" (IF)')."""
    end = ent.end + (ent.end < len(doc) and doc[ent.end].is_quote)
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
        acronym = doc[end + 1].text
        if _ACRONYM.match(acronym) and _initials(actor.name).startswith(acronym[0]):
            actor.add_alias(acronym)
        elif _WORD_ACRONYM.match(acronym) and abbreviates(acronym.upper(), actor):
            actor.add_alias(acronym)  # "the Department for Environment (Defra)"


_HONORIFIC_PRONOUNS = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she"}


def mark_pronouns(doc: Any, cast: Cast, quoted: list[tuple[int, int]]) -> None:
    """Which of "he" and "she" the text uses for a person, where its own wording says so: a
    title before the name (Mr, Mrs, Ms), or the pronoun that is the subject of what the
    person reports outside quotation marks ("Gajecka told CNN she had seen him"). Pronouns
    then refer to a person who agrees; a person without such evidence agrees with either."""
    votes: dict[int, Counter[str]] = {}
    for t in doc:
        actor = cast.at(t.i)
        if actor is not None and actor.kind == "person" and t.i > 0:
            honorific = doc[t.i - 1].lower_.rstrip(".")
            if honorific in _HONORIFIC_PRONOUNS and cast.at(t.i - 1) is not actor:
                votes.setdefault(id(actor), Counter())[_HONORIFIC_PRONOUNS[honorific]] += 1
        if within(t.idx, quoted):
            continue  # a pronoun inside someone's words refers to someone else
        if t.lower_ in ("he", "she") and t.dep_ == "nsubj" and t.head.dep_ == "ccomp":
            reporting = t.head.head
            for child in reporting.children:
                speaker = cast.at(child.i) if child.dep_ == "nsubj" else None
                if speaker is not None and speaker.kind == "person":
                    votes.setdefault(id(speaker), Counter())[t.lower_] += 1
        elif t.lower_ in ("his", "her") and t.dep_ == "poss":
            # "Harlan said in an interview at his ministry": the subject of the clause the
            # possessive stands in is its owner.
            verb = next((a for a in t.ancestors if a.tag_.startswith("VB")), None)
            if verb is None or verb.lower_ in BE_FORMS:
                continue  # "Lin is among his fans", "Ode is his lawyer": someone else's
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            owner = cast.at(subject.i) if subject is not None else None
            if owner is not None and owner.kind in ("person", "organization"):
                pronoun = "he" if t.lower_ == "his" else "she"
                votes.setdefault(id(owner), Counter())[pronoun] += 1
    for actor in cast.actors:
        counted = votes.get(id(actor))
        if counted and counted["he"] != counted["she"]:
            actor.pronoun = max(counted, key=lambda p: counted[p])
            if actor.kind == "organization" and " " not in actor.name:
                actor.kind = "person"  # a body is not "his" or "her": a surname mislabelled
