"""Who a reporting verb's subject is: a named mention, a pronoun or a title referring back, a
body named inside the phrase, a name the recogniser missed, or a group named by a common noun.
Pure functions over a spaCy parse and the article's actors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...text.names import HONORIFICS, PROFESSIONS, TITLES
from .lexicon import (
    ARMED_FORCES,
    BUSINESSES,
    DEMONYMS,
    DENYING,
    INSTRUMENTS,
    KNOWN_STATES,
    MEDIA_WORDS,
    ORG_NOUNS,
    PEOPLE,
    REFUSING,
    RELATIONS,
    is_medium,
    is_people,
    is_reporting,
    verb_lemma,
)
from .spacy_actors import Actor, Cast, abbreviates, byline_caps, clean_role, spaced_dash

# Relations along which a verb without a subject of its own takes its head's: "paused and
# said", "issued a statement, saying", "was quick to add".
_INHERITS = {"conj", "xcomp", "advcl", "acl"}
_GROUP_MODIFIERS = {"compound", "amod"}
# Words that count a group rather than say which ("many analysts", "several officials").
QUANTIFIERS = {"many", "several", "some", "few", "more", "most", "other", "all", "both", "much"}
PERSON_PRONOUNS = {"he", "she"}
_ORG_PRONOUNS = {"it"}
# Prepositions that tie a speaker to a body ("a spokesman for", "head of", "officials from").
_BELONGING = {"for", "of", "at", "from", "with", "by"}
# What a demonym does not make the state: businesses and the press ("a Russian company",
# "German media", "a French weekly").
_NOT_THE_STATE = (
    MEDIA_WORDS
    | BUSINESSES
    | frozenset(
        """company companies firm firms retailer retailers business businesses utility media
        outlet outlets weekly report reports edition candidate candidates""".split()
    )
)
# What a state's demonym makes the state itself: its government and those who act for it
# ("the Russian government", "Turkish officers", "Syrian government troops"); "Russian
# scientists" or "the German team" are people from there.
_STATE_SIDE = frozenset(
    """government governments authorities authority official officials leadership leaders
    leader diplomats diplomat ministers delegation delegations side administration regime
    cabinet state embassy negotiators officers envoys sources intelligence forces troops
    soldiers military army navy""".split()
)
# A state's own bodies, actors apart from it when its demonym names them ("the Russian defence
# ministry"); its government, its officials, its embassy speak for the state itself.
_STATE_BODIES = frozenset(
    "ministry agency center centre service committee commission council court".split()
)
# Nouns that refer back to a body: the last one made a clause's subject, else the last named.
_ANY_BODY = {"company", "firm", "group", "organisation", "organization", "charity"}
# ... and these only alone: "the agency" is the body that acted, "the environment agency" is
# another.
_BARE_BODY = {"agency", "department", "office", "ministry", "regulator"}
# Nouns for someone by who they are (with the singulars of `PEOPLE`): "a young man from X".
_PERSONS = {"man", "woman", "boy", "girl", "person", "youth", "local", "mother", "father"}
# ... but not those who speak for the side they are from: "a source from the ministry".
_SPEAKS_FOR_ITS_SIDE = {"source", "expert", "member", "delegate", "executive", "representative"}
# A member of a party, as a text refers back to a politician it named ("the Republican").
_PARTY_MEMBERS = frozenset(
    "republican democrat conservative liberal socialist labourite tory independent".split()
)
# Those who take a side on someone or something, named by it: "critics of the plan", "Lee's
# opponents" are not the plan or Lee.
_SIDES = frozenset(
    """critic critics opponent opponents detractor detractors supporter supporters rival rivals
    foe foes fan fans""".split()
)


def name_before(verb: Any, cast: Cast) -> Actor | None:
    """A known name right before a verb that the tagger took for something else ("May told
    the House", with "May" read as a modal)."""
    if verb.i == 0 or verb.doc[verb.i - 1].is_sent_start:
        return None
    word = verb.doc[verb.i - 1].text
    if not word[:1].isupper():
        return None
    return next((a for a in cast.actors if a.kind == "person" and word in a.aliases), None)


def name_after(verb: Any, cast: Cast) -> Actor | None:
    """A known name right after a verb whose subject the parser missed: '..., says Pu.' (Not
    after "told": who follows it is spoken to.)"""
    if verb_lemma(verb.text) == "tell":
        return None
    doc = verb.doc
    at = verb.i + 1
    if at < len(doc) and doc[at].text.lower().rstrip(".") in ("mr", "mrs", "ms", "dr"):
        at += 1
    if at >= len(doc) or not doc[at].tag_.startswith("NNP"):
        return None
    end = at
    while end < len(doc) and doc[end].tag_.startswith("NNP"):
        end += 1
    if end < len(doc) and doc[end].tag_ == "POS":
        return None  # "countering Trump's attacks": whose attacks, not who counters
    name = doc[end - 1]
    if name.dep_ in ("nsubj", "nsubjpass") and name.head.i != verb.i:
        return None  # "a statement saying Trump had paid": the subject of what is said
    known = cast.at(at)
    if known is not None:
        return known
    word = doc[at].text
    return next((a for a in cast.actors if a.kind == "person" and word in a.names()), None)


def subject_of(verb: Any) -> Any | None:
    """The verb's subject, or the subject of the verb it hangs from; a relative pronoun stands
    for the noun its clause modifies."""
    token = verb
    for _ in range(4):
        if token.i != verb.i and token.dep_ == "ccomp" and is_reporting(token.head.text):
            # "King noted that Berry had a long life, tweeting: ...": a verb hung on what
            # someone reports is the reporter's, not the reported subject's.
            token = token.head
        elif token.i != verb.i and token.dep_ == "acl" and opens_with_that(token):
            # "Weller was a critic of the fact that Lee hit the links, arguing ...": nor is
            # one hung on what a noun says is so; the clause that names the noun has it.
            while token.head.i != token.i and not token.head.tag_.startswith("VB"):
                token = token.head
            token = token.head
        subjects = [child for child in token.children if child.dep_ == "nsubj"]
        if len(subjects) > 1:
            # "Leaders of X lobbied Y, says Ann Lee", "New laws needed Meanwhile, the
            # institute has said": the parser gave the verb both; the one nearest it (after
            # it, else the last before it) is who says it.
            subjects = subjects[-1:]
        for child in subjects:
            if child.tag_ in ("WP", "WDT") and token.dep_ == "relcl":
                return token.head
            return _named_after_title(child, subjects)
        if token.dep_ not in _INHERITS or token.head.i == token.i:
            return None
        if token.dep_ == "acl" and token.head.tag_.startswith("NN"):
            return _author_of(token.head)
        token = token.head
    return None


def opens_with_that(clause: Any) -> bool:
    """Whether a clause opens with "that" ("the fact that ...", not "saw the firm announce")."""
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _author_of(said: Any) -> Any | None:
    """Whose is a statement, a letter or a report that says something: its owner ("the
    ministry's statement saying"), its source ("a letter from the union saying") or who put
    it out ("the White House released a statement saying"), else nobody the parse shows."""
    for child in said.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            source = next((g for g in child.children if g.dep_ == "pobj"), None)
            if source is not None:
                return source
    if said.dep_ == "dobj" and said.head.tag_.startswith("VB"):
        return next((c for c in said.head.children if c.dep_ == "nsubj"), None)
    return None


def _named_after_title(subject: Any, subjects: list[Any]) -> Any:
    """The parser may split "its deputy chair Delia Rickard said" into two subjects, the title
    and the name after it: the name is who speaks."""
    for other in subjects:
        if other.tag_ == "NNP" and other.left_edge.i == subject.i + 1 and subject.tag_ == "NN":
            return other
        # "Vice President of the Committee Rima Lind said": the title and the name apart.
        if other is not subject and other.ent_type_ == "PERSON" and subject.lower_ in TITLES:
            return other
    return subject


def _of_an_age(token: Any) -> bool:
    """Whether a singular noun is told with an age ("the 63-year-old devout Catholic"): a
    person the text has named, described."""
    return token.tag_ in ("NN", "NNP") and any(
        c.dep_ == "amod" and c.lower_ == "old" and any(g.lower_ == "year" for g in c.children)
        for c in token.children
    )


def resolve(token: Any, cast: Cast, invent: bool = True) -> Actor | None:
    """The actor a subject refers to: a named mention, a pronoun or title referring back, an
    organisation named inside the phrase, or a group named by a common noun. With `invent`
    false, a proper name the recogniser missed must be an actor already known."""
    if _compared(token):
        return None
    if (token.lower_ in _PARTY_MEMBERS or _of_an_age(token)) and any(
        c.lower_ == "the" for c in token.children
    ):
        # "the Wisconsin Republican said": the politician the text is about (the last person
        # made a subject, else named), not the party's members.
        member = cast.last_subject_before(token.idx)
        if member is not None:
            return member
    actor = cast.at(token.i)
    if actor is not None:
        return actor
    lower = token.lower_
    if token.tag_ == "PRP":
        if lower in PERSON_PRONOUNS:
            return cast.last_subject_before(token.idx, lower)
        if lower in _ORG_PRONOUNS:
            return _body_before(token, cast)
        if lower == "they":
            return cast.group_subject_before(token.idx)
        return None
    if token.lower_ == "one":
        # "one of the study's authors, Professor Ann Lee, said": the name in apposition.
        return _named_inside(token, cast)
    if not token.tag_.startswith("NN"):
        return None
    titled = _person_in_title(token, cast) or named_after_bare_roles(token, cast)
    if titled is not None:
        return titled
    if token.tag_ in ("NNP", "NNPS") and token.text[:1].isupper() and lower not in TITLES:
        return _unrecognised_name(token, cast, invent)
    local = _someone_from(token, cast)
    if local is not None:
        return local
    # "a spokesman for the ministry", "Israel's government": the named body inside the phrase.
    named = _named_inside(token, cast)
    if named is not None:
        return named
    own = _own_body_of_a_state(token, cast)
    if own is not None:
        return own
    someone = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)
    for child in token.children:
        state = _demonym(child) if child.dep_ == "amod" else None
        if state is not None and _for_the_state(token) and not someone:
            # "the Russian government" is Russia; "the American president" is a person; "a
            # Russian company", "an Austrian doctor", "Russian scientists" are neither.
            titled = _titled_person(token, cast)
            return titled or _state(cast, state, token)
    # "a spokesman for the foreign ministry of Ukraine": a name further in, when nothing nearer
    # names the speaker ("the Russian center for reconciliation in Syria" is Russia's).
    named = _named_inside(token, cast, deeper=True)
    if named is not None:
        return named
    definite = any(c.dep_ in ("det", "poss") and c.lower_ != "a" for c in token.children)
    if lower in TITLES:
        if not definite:
            return _body_of_an_office(token, cast)
        # "the ambassador said": the person with that title, else the last person named
        # whose role the text did not give in so many words (not one with another title).
        titled = cast.last_before(token.idx, ("person",), lower)
        if titled is not None:
            return titled
        if lower in cast.by_bare_title:
            return cast.by_bare_title[lower]
        last = cast.last_before(token.idx, ("person",))
        if last is None or last.role:
            return None
        cast.by_bare_title[lower] = last
        return last
    if lower in BUSINESSES and definite:
        # The business the text last made a subject, as "it" is: "Volkswagen met the
        # Harbour Board. The German automaker said ..." is Volkswagen.
        return _body_before(token, cast)
    if lower in ORG_NOUNS and definite:
        reported = _body_it_reports_on(token, cast)
        if reported is not None:
            return reported
    if (lower in ORG_NOUNS and definite) or lower in ("police", "industry"):
        # "the ministry" is the body named with that word, "police" the force the text
        # names, "the industry" its council; "the company" the last body that spoke.
        named_like = [
            a
            for a in cast.actors
            if a.kind != "person" and any(lower in n.lower().split() for n in a.names())
        ]
        if named_like:
            return max(
                named_like, key=lambda a: max((m for m in a.mentions if m < token.idx), default=-1)
            )
        if lower in _ANY_BODY and _unnamed(token):
            return _body_before(token, cast)  # "Greenpeace said ... The group also vowed"
        if lower in _BARE_BODY and all(c.dep_ == "det" for c in token.lefts):
            before = _body_before(token, cast)
            if before is not None:
                return before
        if lower == "industry":
            return None  # a trade speaks through a body; none named, no speaker to name
    if lower in ORG_NOUNS:
        holder = _office_holder(token, cast)
        if holder is not None:
            return holder
    if is_people(lower) or lower in ORG_NOUNS or lower == "police":
        group = cast.group(_owned(token) or phrase(token), token.idx)
        if is_medium(group.name):
            group.kind = "organization"  # "Russian news agencies reported": media, who relay
        return group
    return None


def _office_holder(token: Any, cast: Cast) -> Actor | None:
    """The person whose office speaks: "the mayor's office said" is the mayor named before
    (by that title), "Weller's office" Weller."""
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    if owner is None or token.lower_ != "office":
        return None
    named = cast.at(owner.i)
    if named is not None:
        return named if named.kind == "person" else None
    if owner.lower_ in TITLES:
        return cast.last_before(token.idx, ("person",), owner.lower_)
    return None


def _owned(token: Any) -> str | None:
    """A body's name by whose it is, when that is a common noun: "the special prosecutor's
    office", "the family's lawyers" (not "his office": whose, the text says elsewhere)."""
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    if owner is None or not (owner.tag_ in ("NN", "NNS") or owner.lower_ in TITLES):
        return None
    start = owner.left_edge.i
    while start < owner.i and token.doc[start].tag_ == "DT":
        start += 1
    words = token.doc[start : token.i + 1]
    return str(words.text) if len(words) <= 6 else None


def _unnamed(token: Any) -> bool:
    """Whether no proper name stands before the noun in its phrase ("the Vesk news agency")."""
    return not any(word.tag_ == "NNP" for left in token.lefts for word in left.subtree)


def _body_it_reports_on(token: Any, cast: Cast) -> Actor | None:
    """ "Ostroda is recalling 5,000 cars, the company said": a body named as the subject of
    the clause that "the company", "the bank" reports is the body speaking of itself."""
    for clause in token.head.children:
        if clause.dep_ != "ccomp":
            continue
        for subject in clause.children:
            if subject.dep_ not in ("nsubj", "nsubjpass"):
                continue
            named = [subject, *(c for c in subject.children if c.dep_ == "appos")]
            for word in named:
                actor = cast.at(word.i)
                if actor is not None and actor.kind == "organization":
                    return actor
    return None


def _body_of_an_office(token: Any, cast: Cast) -> Actor | None:
    """ "a coastguard official said", "a police spokeswoman said": the body, named by a
    common noun before the office, that an unnamed holder speaks for."""
    words = [c for c in token.children if c.dep_ == "compound" and c.tag_ == "NN" and c.i < token.i]
    if not words or any(w.lower_ in TITLES for w in words):
        return None
    start = min(t.i for w in words for t in w.subtree)
    named = [t for t in token.doc[start : words[-1].i + 1] if t.tag_.startswith("NN")]
    body = cast.group(" ".join(t.text for t in named), token.idx)
    body.kind = "organization"
    return body


def _someone_from(token: Any, cast: Cast) -> Actor | None:
    """ "a young man from Rabat told DW": someone the text describes by where they come from,
    not the place; an office or a source from somewhere speaks for it ("a spokesman from the
    ministry")."""
    if token.tag_ != "NN" or not a_person(token.lower_):
        return None
    for child in token.children:
        place = next((c for c in child.children if c.dep_ == "pobj"), None)
        if child.lower_ == "from" and place is not None and place.tag_ == "NNP":
            return cast.person(f"{phrase(token)} from {place.text}", token.idx)
    return None


def someone_described(subject: Any, verb: Any) -> bool:
    """Whether the subject of a verb of saying is someone the text introduces by who they are,
    unnamed: "One Muslim voter told AFP", "a local resident said" (not "the voter", someone
    named before, nor "a spokesman", who speaks for a body, nor "a security consultant", a
    voice for hire)."""
    return (
        subject.tag_ == "NN"
        and subject.dep_ == "nsubj"
        and subject.head.i == verb.i
        and a_person(subject.lower_)
        and subject.lower_ not in PROFESSIONS
        and any(c.lower_ in ("a", "an", "one", "another") for c in subject.children)
    )


def a_person(noun: str) -> bool:
    """Whether a singular common noun names someone by who they are, not by an office: "man",
    "resident", "student"; not "spokesman", "source" or "letter"."""
    if noun in TITLES or noun in _SPEAKS_FOR_ITS_SIDE:
        return False
    if noun in ORG_NOUNS or noun in BUSINESSES or f"{noun}s" in ARMED_FORCES:
        return False  # "a bank", "a firm", "a union": a body, not someone
    return noun in _PERSONS or f"{noun}s" in PEOPLE


def _body_before(token: Any, cast: Cast) -> Actor | None:
    """The body "it" or "the automaker" goes back to: the last one made a subject, else the
    last organisation named that is not a medium the text only cites ("told ABC7 News")."""
    return cast.body_subject_before(token.idx) or cast.last_before(
        token.idx, ("organization",), media=False
    )


def _compared(token: Any) -> bool:
    """Whether the subject the parse found is what the speaker is compared to: "Like Trump,
    the 71-year-old has argued ..." (the parser may leave "Like" without its object)."""
    start = token.left_edge.i
    before = token.doc[start - 1] if start > token.sent.start else None
    return before is not None and before.lower_ in ("like", "unlike") and before.dep_ == "prep"


def mark_affiliation(subject: Any, speaker: Actor, cast: Cast) -> None:
    """The bodies a speaker speaks for ("Wendy Weiser of the Brennan Center", "Oxfam's
    regional director", "a spokesman for the ministry") hold a position too."""
    head = subject.head if subject.dep_ == "appos" else subject
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ not in _BELONGING:
            continue
        if child.dep_ not in ("appos", "poss", "compound", "prep"):
            continue
        for token in child.subtree:
            actor = cast.at(token.i)
            if actor is not None and actor is not speaker and actor.kind != "state":
                actor.speaks_for += 1
                break


# A pronoun with a contraction whose letters the text lost ("We'r", "They'v").
_CONTRACTED_PRONOUN = re.compile(r"(?i)(?:i|we|you|they|he|she|it)['’][a-z]{0,2}$")


def _written_as_a_name(token: Any) -> bool:
    """Whether a capitalised word opening a sentence is written as a name: capitalised inside
    a sentence elsewhere in the text, or described as one thing ("Kelvania, which is a
    member of ..., has said"); "Part of the ..." is not."""
    if any(c.dep_ in ("relcl", "appos") for c in token.children):
        return True
    return any(t.text == token.text and not t.is_sent_start for t in token.doc if t.i != token.i)


def _unrecognised_name(token: Any, cast: Cast, invent: bool = True) -> Actor | None:
    """A speaker's proper name that the entity recogniser missed: an actor already known by
    that name or surname, else a new one."""
    if cast.on_page(token.idx):
        return None  # a post's author or a byline is the page's, not the story's
    words = [c for c in token.children if c.dep_ == "compound" and c.i < token.i]
    start = min([token.i, *(w.left_edge.i for w in words)])
    # The parser may hang a share bar or a link before the name on it: the name starts
    # after the page's words.
    while start < token.i and cast.on_page(token.doc[start].idx):
        start += 1
    for dash in token.doc[start + 1 : token.i]:
        if spaced_dash(dash):
            # "Daniel Brook - Senior Fellow at ...": a caption's name, then its title.
            named = cast.at(dash.i - 1)
            if named is not None:
                return named
            start = dash.i + 1
    words = [t.text for t in token.doc[start : token.i + 1] if t.tag_.startswith("NNP")]
    while len(words) > 1 and words[0].lower() in HONORIFICS:
        words = words[1:]  # "Ms Le Pen" is "Le Pen"
    name = " ".join(words)
    if " " not in name and token.is_sent_start and not _written_as_a_name(token):
        return None  # a capitalised first word ("Part of the ...") is not a name by itself
    if _CONTRACTED_PRONOUN.match(name):
        return None  # "We'r faced with ...": "We're" with a letter lost, no name
    if name.split()[-1].lower() in INSTRUMENTS:
        return None  # "the Constitution says": a document speaks for no one
    before = token.doc[start - 1] if start > 0 else None
    if byline_caps(name) or (
        name.isupper() and before is not None and byline_caps(f"{before.text} {name}")
    ):
        # "ABC's NICKI ROSSOLL writes": a byline, the page's; so is "DOYLE" of "TOM WELLER
        # and JANE DOYLE write", where the parser split the second name.
        return None
    if name.lower() == name or name in DEMONYMS:
        # As for the recogniser's names: a word tagged as a name but written small (a
        # transliteration), or a people's adjective ("ancient Chinese"), names no actor.
        return None
    for actor in cast.actors:
        if name in actor.names() or (
            actor.kind == "person" and len(name.split()) == 1 and actor.name.split()[-1] == name
        ):
            actor.mentions.append(token.idx)
            return actor
        if abbreviates(name, actor):
            actor.add_alias(name)
            actor.mentions.append(token.idx)
            return actor
        if actor.kind == "person" and " " not in actor.name and name.split()[-1] == actor.name:
            # The recogniser knew only the surname ("Cordt"); here is the full name.
            surname, actor.name = actor.name, name
            actor.add_alias(surname)
            actor.mentions.append(token.idx)
            return actor
    if not invent:
        return None
    actor = cast.group(name, token.idx)
    if name in KNOWN_STATES:
        actor.kind = "state"
    else:
        actor.kind = "person" if len(name.split()) >= 2 else "organization"
    return actor


def _named_inside(token: Any, cast: Cast, deeper: bool = False) -> Actor | None:
    """The actor a common-noun subject names inside its phrase: a person in apposition
    ("the ambassador, Vasily Istratov"), else a body it belongs to ("the ministry's
    spokesman", "a spokesman for the ministry"); not a place it is in ("analysts in Baku").
    A name in a phrase inside the body's phrase ("of Ukraine" in "a spokesman for the
    ministry of Ukraine") counts only when `deeper`."""
    ranked: list[tuple[int, int, Actor]] = []
    # A name in apposition anywhere in the phrase is its name, even when the parser hangs it
    # on the wrong noun ("Moscow's ambassador in Baku, Vasily Istratov, said") — but not one
    # inside a relative clause or naming someone close to the subject ("the father, who
    # lives with his wife, Ann Byrne, said").
    clauses = {t.i for c in token.subtree if c.dep_ == "relcl" for t in c.subtree}
    for t in token.subtree:
        close = _names_someone_close(t, token)
        if t.dep_ == "appos" and t.tag_ == "NNP" and t.i not in clauses and not close:
            named = cast.at(t.i) or _unrecognised_name(t, cast)
            if named is not None and named.kind != "state":
                if named.kind == "organization" and (
                    len(named.name.split()) == 2 or a_person(token.lower_)
                ):
                    # A two-word name set off by commas, a name beside "neighbour".
                    named.kind = "person"
                if named.kind == "person" and not named.role and token.lower_ in TITLES:
                    named.role = clean_role(token.doc[token.left_edge.i : token.i + 1].text)
                return named
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ not in _BELONGING:
            continue
        if child.dep_ not in ("appos", "poss", "compound", "prep", "nmod"):
            continue
        held = next((g for g in child.children if g.dep_ == "pobj"), None)
        holder = cast.at(held.i) if held is not None and token.lower_ in TITLES else None
        if holder is not None and (holder.kind == "person" or holder.labels["PERSON"]):
            # "Vice President of the Andean Council Lena Ortiz said": the parser hangs the
            # name last in the body's phrase (and so took it for a body someone heads); the
            # title's holder speaks, not the body.
            holder.kind = "person"
            return holder
        if token.lower_ in _SIDES and (child.dep_ == "poss" or child.lower_ == "of"):
            # "critics of the Trump cabinet", "Weller's opponents": a side taken on someone,
            # not them.
            end = held.right_edge.i if held is not None else token.i
            start = child.left_edge.i if child.dep_ == "poss" else token.i
            side = cast.group(token.doc[start : max(end, token.i) + 1].text, token.idx)
            side.kind = "group"
            return side
        if held is not None and _names_a_function(held, cast):
            # "a spokeswoman for Tyrol police": the police of the place, not the place.
            return _body(cast, phrase(held), held.idx)
        for t in child.subtree:
            if child.dep_ == "prep" and _deeper(t, child) and not deeper:
                continue
            actor = cast.at(t.i)
            if actor is not None and _names_someone_close(t, token):
                continue  # "the father, with his wife Ann Byrne, said": not Ann Byrne
            if actor is not None and _owns_something_else(t, token):
                continue  # "the principal of Oga's school": the school's, not Oga's
            if actor is not None and t.dep_ != "relcl":
                if actor.kind == "state" and not _acts_for_a_state(token):
                    # "a US weekly", "Russia's biggest company", "Germany's number one" (its
                    # goalkeeper): not the state.
                    break
                of = child.dep_ == "prep" and child.lower_ == "of" and held is not None
                if (child.dep_ == "poss" or of) and actor.kind == "person" and _relation(token):
                    # "King's widow", "the father of Ann King": someone close to the person,
                    # not them.
                    doc = token.doc
                    relation = (
                        doc[token.i : held.right_edge.i + 1].text
                        if of and held is not None
                        else doc[child.left_edge.i : token.i + 1].text
                    )
                    return cast.person(relation, token.idx)
                first = 0 if child.dep_ == "appos" and actor.kind == "person" else 1
                ranked.append((first, t.i, actor))
                if child.dep_ == "poss" and actor.kind == "state":
                    # "North Korea's leader praised": the leader the text named, if any.
                    titled = _titled_person(token, cast)
                    if titled is not None:
                        return titled
                if child.dep_ == "compound" and actor.kind == "state":
                    # "the US president" is the person with that title, not the state.
                    titled = _titled_person(token, cast)
                    if titled is not None:
                        return titled
                    if _names_a_function(token, cast):
                        return _body(cast, phrase(token), token.idx)
                    if token.lower_ in TITLES and any(
                        c.dep_ == "amod" and c.lower_ in ("former", "ex") for c in token.children
                    ):
                        # "a former North Carolina police chief": who held an office there no
                        # longer speaks for the state.
                        return cast.person(phrase(token), token.idx)
                    # "US officials", "the UK government": the phrase names the state's side.
                    actor.add_alias(phrase(token))
                break
            state = _demonym(t) if child.dep_ == "prep" and t.dep_ == "amod" else None
            if state is not None and t.head.lower_ not in _NOT_THE_STATE:
                # "an official at the Russian foreign ministry" speaks for Russia.
                ranked.append((2, t.i, _state(cast, state, t.head)))
                break
            if (
                child.dep_ == "prep"
                and token.lower_ in TITLES
                and t.dep_ == "pobj"
                and t.tag_ == "NNP"
                and (body := _unrecognised_name(t, cast)) is not None
                and body.kind != "person"
            ):
                # "a spokesperson for ICE": a body the recogniser missed is still the body.
                ranked.append((3, t.i, body))
                break
    return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None


def _deeper(token: Any, preposition: Any) -> bool:
    """Whether `token` hangs from a second preposition inside `preposition`'s phrase."""
    head = token.head
    while head.i != preposition.i and head.head.i != head.i:
        if head.dep_ == "prep":
            return True
        head = head.head
    return bool(head.i != preposition.i)


def state_qualifying(token: Any, cast: Cast) -> Actor | None:
    """The state, named elsewhere in the text, that a demonym before a common noun makes the
    noun's side: "Syrian government troops", "Turkish officers"; not "a Russian company". The
    state's forces and bodies named by its demonym are actors of their own ("the Ukrainian
    army", "the Russian defence ministry")."""
    if not token.tag_.startswith("NN") or token.tag_.startswith("NNP"):
        return None
    if token.lower_ in _NOT_THE_STATE:
        return None
    own = _own_body_of_a_state(token, cast)
    if own is not None:
        return own
    if not _for_the_state(token):
        return None  # "Russian scientists", "the German team": people from there, no state
    for child in token.children:
        state = _demonym(child) if child.dep_ in ("amod", "compound") else None
        if state is not None:
            return next((a for a in cast.actors if a.name == state and a.kind == "state"), None)
    return None


def _demonym(token: Any) -> str | None:
    """The state a demonym names: "Russian officials", "the South Korean government"; none
    for a word inside a longer one the recogniser marks ("Latin American countries")."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is not None and f"{before.text} {token.text}" in DEMONYMS:
        return DEMONYMS[f"{before.text} {token.text}"]
    if token.text not in DEMONYMS or token.ent_iob_ == "I":
        return None
    return DEMONYMS[token.text]


def _owns_something_else(name: Any, subject: Any) -> bool:
    """Whether a name inside a subject's phrase only owns a thing the subject belongs to
    ("the principal of Oga's school"), not a body ("a spokesman for Russia's ministry")."""
    owned = name.head
    return bool(
        name.dep_ == "poss"
        and owned.i != subject.i
        and owned.tag_ in ("NN", "NNS")
        and owned.lower_ not in ORG_NOUNS
        and owned.lower_.removesuffix("s") not in ORG_NOUNS
    )


def _names_someone_close(name: Any, subject: Any) -> bool:
    """Whether a name inside a subject's phrase names someone close to another person ("his
    wife, Ann Byrne"): a relation noun stands between it and the subject."""
    for ancestor in name.ancestors:
        if ancestor.i == subject.i:
            return False
        if ancestor.lower_ in RELATIONS:
            return True
    return False


def _person_in_title(token: Any, cast: Cast) -> Actor | None:
    """The person a title's phrase names: "Minister for Health Ann Byrne said" has the title
    for its subject and the person's name inside its phrase, right after the body's name (not
    "the lawyer for Ann Byrne", who is someone else), and not in a clause about the holder
    ("the congresswoman who represents President Weller's district")."""
    if token.lower_ not in TITLES or token.lower_ in RELATIONS:
        return None
    doc = token.doc
    clauses = {t.i for c in token.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    for t in token.subtree:
        actor = cast.at(t.i)
        if actor is None or actor.kind != "person" or t.i == 0 or cast.at(t.i - 1) is actor:
            continue
        if t.i in clauses and not _just_before(t, cast, token.head):
            # (Unless the name ends right at the title's verb: "programme coordinator for the
            # Committee to Protect Journalists Sherif Mansour said", the parser's clause.)
            continue
        if doc[t.i - 1].tag_ in ("NNP", "NNPS") or t.text not in actor.name.split():
            # (A place the recogniser ran into the name, "Ambassador to Cyprus Stanislav
            # Osadchy", is the body's name before it.)
            return actor
    return None


def titled_name_at_verb(subject: Any | None, verb: Any, cast: Cast) -> Actor | None:
    """The person named with a title right before a verb of saying whose parsed subject is
    the page's, none, or another proper name: a subheading or a share bar run into the
    sentence ("China in loop State Department spokesman Mark Toner told reporters" is Toner
    telling them). Not where the subject is a common noun ("the wife of Senator Ann Lee
    said" is not Lee)."""
    doc = verb.doc
    end = verb.i - 1
    actor = cast.at(end) if end > 0 else None
    if actor is None or actor.kind != "person":
        return None
    if subject is not None and not cast.on_page(subject.idx):
        if subject.tag_ not in ("NNP", "NNPS") or subject.lower_ in TITLES:
            return None
        held = cast.at(subject.i)
        if held is actor or (held is not None and held.kind == "person"):
            return None
    start = cast.name_start(end)
    return actor if start > 0 and doc[start - 1].lower_ in TITLES else None


def _just_before(first: Any, cast: Cast, verb: Any) -> bool:
    """Whether the name that starts at `first` ends right before `verb`."""
    actor, end = cast.at(first.i), first.i
    while end + 1 < verb.i and cast.at(end + 1) is actor:
        end += 1
    return bool(end + 1 == verb.i)


def named_after_bare_roles(token: Any, cast: Cast) -> Actor | None:
    """The person named after roles with no article, which the parser may take for a list
    ("Musician and actor Ron Mesland said": the roles and the name, one person)."""
    if token.tag_ != "NN" or any(c.dep_ in ("det", "poss") for c in token.children):
        return None
    for child in token.children:
        actor = cast.at(child.i) if child.dep_ == "conj" else None
        if actor is not None and actor.kind == "person":
            return actor
    return None


def _titled_person(token: Any, cast: Cast) -> Actor | None:
    """The person a singular title stands for ("the US president", "the French minister"):
    the last person named before with that title in their role, if any."""
    if token.tag_ != "NN" or token.lower_ not in TITLES:
        return None
    return cast.last_before(token.idx, ("person",), token.lower_)


def _relation(token: Any) -> bool:
    """True for a noun naming someone close to a person ("widow", "lawyer", "aides")."""
    lower = str(token.lower_)
    return lower in RELATIONS or (token.tag_ == "NNS" and is_people(lower))


def _state(cast: Cast, name: str, noun: Any) -> Actor:
    """The state `name`, known or made, with the phrase that stands for it as an alias."""
    known = next((a for a in cast.actors if a.name == name), None)
    actor = known or _made(cast, name, "state", noun.idx)
    actor.add_alias(phrase(noun))
    return actor


def _own_body_of_a_state(noun: Any, cast: Cast) -> Actor | None:
    """A state's forces or one of its bodies named by its demonym ("the Iraqi army", "the
    Russian defence ministry"): actors apart from the state."""
    if (forces_of := _forces_of_a_state(noun)) is not None:
        return _forces(cast, noun, forces_of)
    if _body_of_a_state(noun):
        return _body(cast, phrase(noun), noun.idx)
    return None


def _forces_of_a_state(noun: Any) -> str | None:
    """The state whose forces the noun names by its demonym alone: "the Ukrainian military",
    "Iraqi troops"; none for "Syrian government troops", the government's side."""
    modifiers = [c for c in noun.children if c.dep_ in ("amod", "compound")]
    if noun.lower_ not in ARMED_FORCES or len(modifiers) != 1:
        return None
    return _demonym(modifiers[0])


def _forces(cast: Cast, noun: Any, state: str) -> Actor:
    """The forces of `state`, named as the text first names them ("the Iraqi army"), a body;
    "Iraqi forces" later are the same (a state's police are not its army)."""
    name = phrase(noun)
    police = noun.lower_ == "police"
    for actor in cast.actors:
        words = actor.name.split()
        if (
            actor.kind == "organization"
            and len(words) == 2
            and DEMONYMS.get(words[0]) == state
            and words[1].lower() in ARMED_FORCES
            and (words[1].lower() == "police") == police
        ):
            if name != actor.name:
                actor.add_alias(name)
            actor.mentions.append(noun.idx)
            return actor
    return _body(cast, name, noun.idx)


def _for_the_state(noun: Any) -> bool:
    """Whether a noun a state's demonym qualifies is the state's side: its government and
    those who act for it ("officials", "the president", "government jets"); not its media
    ("state media"), which carry words."""
    if noun.lower_ in _NOT_THE_STATE:
        return False
    if any(c.dep_ == "compound" and c.lower_ in _STATE_SIDE for c in noun.children):
        return True
    return noun.lower_ in _STATE_SIDE or noun.lower_ in TITLES


def _acts_for_a_state(noun: Any) -> bool:
    """Whether a noun a state's name qualifies ("Russia's", "US") is the state or acts for it:
    its side, an office ("the mayors of X and Y"), a ministry ("Russia's foreign ministry");
    not "Russia's biggest company" or "Germany's number 1"."""
    lower = noun.lower_
    office = lower[:-1] if lower.endswith("s") else lower
    return _for_the_state(noun) or (
        lower not in _NOT_THE_STATE
        and (office in TITLES or lower in ORG_NOUNS or lower in _STATE_BODIES)
    )


def _names_a_function(noun: Any, cast: Cast) -> bool:
    """Whether a body's noun, qualified by a place's or a body's name, names a body of its own
    by what it does: "the US weather service", "Tyrol police" are not the US or Tyrol (the
    state's government, its officials and its titles are: "the US government")."""
    if noun.lower_ not in ORG_NOUNS | ARMED_FORCES | _STATE_BODIES or _for_the_state(noun):
        return False
    compounds = [c for c in noun.children if c.dep_ == "compound"]
    named = [c for c in compounds if (a := cast.at(c.i)) is not None and a.kind != "person"]
    if not named:
        return False
    return noun.lower_ in ARMED_FORCES or any(c.tag_ in ("NN", "NNS") for c in compounds)


def _body_of_a_state(noun: Any) -> bool:
    """Whether the noun names one of a state's own bodies by its demonym: "the Russian defence
    ministry", "the Russian centre for reconciliation"."""
    return (
        noun.lower_ in _STATE_BODIES
        and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)
        and any(c.dep_ in ("amod", "compound") and _demonym(c) is not None for c in noun.children)
    )


def _body(cast: Cast, name: str, at: int) -> Actor:
    """The body named by a common-noun phrase, made once (the same name is the same body)."""
    actor = cast.group(name, at)
    actor.kind = "organization"
    return actor


def _made(cast: Cast, name: str, kind: str, at: int) -> Actor:
    actor = cast.group(name, at)
    if kind == "state":
        actor.kind = "state"
    return actor


# The words of a noun phrase that do not name what it is: "the", "two", "its", "very".
_NOT_NAMING = frozenset({"CD", "DT", "IN", "RB", "RBR", "RBS", "PRP$"})


def phrase(token: Any) -> str:
    """A common-noun subject without its article: "insurance analysts", "the government"."""
    words = [
        c
        for c in token.children
        if c.dep_ in _GROUP_MODIFIERS and c.i < token.i and c.lower_ not in QUANTIFIERS
    ]
    start = min([token.i, *(w.left_edge.i for w in words)])
    kept = [t for t in token.doc[start : token.i + 1] if t.tag_ not in _NOT_NAMING] or [token]
    text = " ".join(t.text for t in kept)
    # "Campaigners warn" at a sentence start names "campaigners"; "Somali officials" keeps its
    # case, and so does "Muslim" in "One Muslim voter".
    first = kept[0]
    if first.is_sent_start and not first.tag_.startswith("NNP") and first.text not in DEMONYMS:
        return text[:1].lower() + text[1:]
    return text


@dataclass(frozen=True)
class Negation:
    """A reporting clause that negates what it reports ("did not say", "never thought",
    "denied"): the words as written, from the first auxiliary or negation to the verb, and the
    character span of the verb's clause, which holds the content it negates."""

    start: int
    end: int
    words: str
    scope: tuple[int, int]


def refuses(verb: Any) -> bool:
    """Whether a verb that governs a reporting verb refuses or has not yet done the speaking:
    "declined to comment", "refused to say", "failed to respond", "has yet to comment"."""
    if verb.lower_ in REFUSING:
        return True
    return any(c.dep_ == "advmod" and c.lower_ == "yet" for c in verb.children) and any(
        c.dep_ == "xcomp" for c in verb.children
    )


def negation(verb: Any) -> Negation | None:
    """The negation of a reporting verb, if any: a `neg` child of the verb or of a verb that
    governs it ("did not want to say"), or a verb of denial itself. The quotation or clause
    the verb reports would otherwise read as the speaker's claim with its meaning inverted."""
    chain = [verb]
    while chain[-1].dep_ == "xcomp" and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)  # "did not want to say": the governing verb is negated
    negs = [c for v in chain for c in v.children if c.dep_ == "neg"]
    if not negs and not any(verb_lemma(v.text) in DENYING or refuses(v) for v in chain):
        return None
    # The clause as written runs from the first auxiliary or negation of the chain to the
    # reporting verb: "did not say", "has never said", "didn't want to comment".
    helpers = [c for v in chain for c in v.children if c.dep_ in ("aux", "neg") and c.i < verb.i]
    first = min([verb.i, *(v.i for v in chain if v.i < verb.i), *(h.i for h in helpers)])
    doc = verb.doc
    start = doc[first].idx
    end = verb.idx + len(verb.text)
    top = chain[-1]
    scope = (doc[top.left_edge.i].idx, doc[top.right_edge.i].idx + len(doc[top.right_edge.i]))
    return Negation(start, end, doc.text[start:end], scope)
