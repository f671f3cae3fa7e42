"""Which words a stance says "no" to, read from its dependency parse: what the offline
comparison of positions flips on.

Grammatical negation, with what fails or is advised against: a word with a negation ("will
not extend", "no increases", "found no trace"), the object of "without", what fails to happen
("failed to follow the rules", "unable to pay"), what is advised against ("warned against
raising rates"), and what a negated verb of saying or thinking reports ("does not think the
city paid too much" says no to all of it). Verbs of refusal ("rejected the plan") are left
out: on real days they mostly tied a stance to someone else's statement about the same thing.
"No option is off the table" says yes. Neither refused nor said: a word the stance says both
ways ("not to change the rules but the nominee"), a negated word with a condition or a time
("will not stay unless ...", "will not sign until May"), what is not wanted or meant ("did
not mean it literally"), what one is reluctant to do, a question, an indirect one and an
if-clause ("asked whether ...", "if the council had raised the fares"), and a "not…" a
shortened stance ends on.

Each stance's claims (`Claim`: a predicate and the common nouns it is said of) are what the
digest's contradiction flags compare; the words alone are what "What changed" compares across
days. Pure functions over spaCy Docs; the caller parses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from ..engines.extractive.lexicon import is_reporting
from ..engines.extractive.spacy_speakers import refuses
from ..text.negation import NEGATORS
from ..text.words import content_words

# Verbs whose negation falls on what they report, beyond the verbs of saying and thinking.
_INTENDING = frozenset({"mean", "meant", "means", "want", "wanted", "wants", "intend", "intended"})
_IDIOMS = re.compile(r"\boff the table\b", re.IGNORECASE)
_COMPLEMENTS = frozenset({"ccomp", "xcomp"})
_MODIFIERS = frozenset({"amod", "compound", "nummod"})
# Verbs that only carry the verb after them: "not going to abandon" refuses the abandoning.
_CATENATIVES = frozenset({"going", "go", "have", "has", "had", "need", "needs", "try", "able"})
_ALTERNATIVES = frozenset({"or", "nor"})
# The relations that tie a noun to what is said of it, and the words a copula predicates.
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "dative", "oprd", "compound"})
_AFTER_COPULA = frozenset({"acomp", "attr"})
_CONDITIONS = frozenset({"unless", "if"})
# "will not invoke it until the end of the month": a time, not a refusal ("before" only
# as a clause: "will not appear before the committee" refuses).
_UNTIL = frozenset({"until", "till"})
_QUESTIONS = frozenset({"whether", "if"})
_NOT_ONLY = frozenset({"just", "only", "merely", "simply", "solely"})
# "failed to follow the rules", "the failure to act": what fails to happen is not done.
_FAILING = frozenset({"fail", "fails", "failed", "failing", "failure", "failures", "unable"})
_FINDING = frozenset(
    "see seen saw find found show shown showed notice noticed detect detected".split()
)
# Adjectives of reluctance: "reluctant to take the job" does not say he took it.
_RELUCTANT = frozenset({"reluctant", "unwilling", "hesitant", "loath", "loth", "wary"})
_SUFFIXES = ("ing", "ed", "es", "s", "e")
MIN_STEM = 4


def stem(word: str) -> str:
    """A lower-case word without its inflection: "increase", "increased", "increases" and
    "increasing" are one word."""
    word = word.lower().removesuffix("'s").removesuffix("’s")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> list[str]:
    """The stems of a text's content words."""
    return [stem(word) for word in content_words(text)]


class Polarity(NamedTuple):
    """The stems a stance says "no" to and those it says plainly; and its claims, each a
    predicate (a verb or an adjective, or a noun the negation itself determines: "no
    increases") with the common nouns it is said of (`denied` and `affirmed`, as stems): "the
    council will not raise the fares" denies (raise, {council, fare}). Two stances contradict
    on a claim, not on any word a negation's scope covers: "now is not the time for a vote"
    denies no claim (a noun after a copula is none: on real days "now is not the time" met
    "the time is now" said of someone else), so "a vote at a time when ..." contradicts
    nothing."""

    refused: set[str]
    plain: set[str]
    denied: set[Claim]
    affirmed: set[Claim]


class Claim(NamedTuple):
    """A predicate's stem and the stems of the common nouns it is said of; or a noun and the
    names it is of (`named`: "a Muslim ban", "a ban on Muslims"), which a copula denies ("it
    is not a Muslim ban") and any plain mention of the same thing affirms."""

    predicate: str
    about: frozenset[str]
    named: bool = False

    def opposes(self, other: Claim, subject: set[str]) -> bool:
        """Whether `other` says the opposite of this claim (one of the two is denied): the same
        predicate of the same things, as far as both name them and the stances share them."""
        shared = self.about & other.about & subject
        return (
            self.predicate == other.predicate
            and self.named == other.named
            and len(shared) >= min(2, len(self.about), len(other.about)) > 0
        )


def said_no_to(doc: Any) -> Polarity:
    """The stems of the content words (nouns, verbs, adjectives; not names) a parsed stance
    says "no" to, and of those it says plainly, with its claims. What an indirect question
    holds ("asked whether the plan was fair") is neither: it asserts nothing."""
    refused: set[str] = set()
    plain: set[str] = set()
    denied: set[Claim] = set()
    affirmed: set[Claim] = set()
    for sentence in doc.sents:
        if sentence.text.rstrip(" \"'”’»)").endswith("?"):
            continue  # a question asserts nothing
        negated, conditional = _negated(sentence)
        if _IDIOMS.search(sentence.text):
            negated = set()  # "no option is off the table": two negations, one yes
        unasserted = _unasserted(sentence) | conditional
        for token in sentence:
            if token.i in unasserted or not _is_content(token):
                continue
            word = stem(token.text)
            (refused if token.i in negated else plain).add(word)
            claim = _is_claim(token) if token.i in negated else token.tag_[:2] in {"VB", "JJ"}
            if claim:
                about = _arguments(token)
                if about:
                    (denied if token.i in negated else affirmed).add(Claim(word, about))
            elif token.tag_[:2] == "NN" and (names := _names_of(token)):
                # "It is not a Muslim ban" denies the thing; "promised a ban on Muslims"
                # names it plainly. Other negated nouns are the setting ("not the time").
                if token.i not in negated:
                    affirmed.add(Claim(word, names, named=True))
                elif token.dep_ == "attr":
                    denied.add(Claim(word, names, named=True))
    # A predicate said both ways ("my job is not to represent the world, it is to represent
    # the country") contrasts what it is said of; it is no claim either way.
    both = {c.predicate for c in denied} & {c.predicate for c in affirmed}
    denied = {c for c in denied if c.predicate not in both}
    affirmed = {c for c in affirmed if c.predicate not in both}
    # A word said both ways ("not to change the rules, but to change the nominee") is
    # neither: the stance contrasts, it does not refuse.
    return Polarity(refused - plain, plain - refused, denied, affirmed)


def _is_claim(token: Any) -> bool:
    """Whether a negated word is what is predicated: a verb or adjective, or a noun with the
    negation on itself ("no increases", "without consultation")."""
    if token.tag_[:2] in {"VB", "JJ"}:
        return True
    return (
        any(c.dep_ == "det" and c.lower_ in NEGATORS for c in token.children)
        or token.head.lower_ == "without"
    )


def _arguments(predicate: Any) -> frozenset[str]:
    """The stems of the common nouns a predicate is said of: its subject and objects, the
    objects of its prepositions, and those of the word it completes: a copula ("the fares are
    not fair") or a verb it is the infinitive of ("the council wants to raise the fares")."""
    heads = [predicate]
    if predicate.dep_ in _AFTER_COPULA or predicate.dep_ == "xcomp":
        heads.append(predicate.head)
    found: set[str] = set()
    for head in heads:
        for child in head.children:
            nouns = [child] if child.dep_ in _ARGUMENTS else []
            if child.dep_ in ("prep", "prt"):
                # "into a deal", "out of the league"
                preps = [child, *(c for c in child.children if c.dep_ == "prep")]
                nouns = [c for p in preps for c in p.children if c.dep_ == "pobj"]
            # "arrests in the two deaths": what the noun is said of names the thing too.
            nouns += [
                o
                for n in nouns
                for p in n.children
                if p.dep_ == "prep"
                for o in p.children
                if o.dep_ == "pobj"
            ]
            found.update(stem(n.text) for n in nouns if _is_content(n) and n.tag_[:2] == "NN")
    return frozenset(found)


def _names_of(noun: Any) -> frozenset[str]:
    """The stems of the names a noun is of: its capitalised modifiers ("a Muslim ban", "the
    Russian hacking") and the proper nouns its prepositions take ("a ban on Muslims")."""
    named = [
        c
        for c in noun.children
        if c.dep_ in ("compound", "amod") and c.text[:1].isupper() and not c.is_sent_start
    ]
    # "a ban on Muslims", "a ban on Muslims entering the country" (however it is parsed)
    objects = [o for p in noun.children if p.dep_ == "prep" for o in p.children]
    objects += [s for o in objects if o.dep_ == "pcomp" for s in o.children if s.dep_ == "nsubj"]
    named += [o for o in objects if o.dep_ in ("pobj", "nsubj") and o.tag_.startswith("NNP")]
    return frozenset(stem(n.text) for n in named if content_words(n.text))


def _negated(sentence: Any) -> tuple[set[int], set[int]]:
    """Indexes of the tokens a sentence negates, and of those it negates on a condition."""
    negated: set[int] = set()
    conditional: set[int] = set()
    for token in sentence:
        lower = token.lower_
        if lower in NEGATORS and _cut_after(token):
            continue  # a stance cut off right after its "not…": what it negates is not there
        if lower in NEGATORS and _not_only(token):
            continue  # "not just the relationship with Europe, but ...": a yes, and more
        if lower in NEGATORS and token.dep_ in {"neg", "det", "advmod", "preconj", "cc"}:
            words_ = _with_modifiers(_reported_or_self(token.head), sentence)
            if token.head.lower_ in _INTENDING:
                # "did not want a war", "did not mean it literally": what is not wanted or
                # meant is no stance either way.
                words_ |= {t.i for t in token.head.subtree}
                conditional.update(words_)
            else:
                if token.dep_ == "det" and token.head.dep_ == "dobj" and _finds(token.head.head):
                    words_.add(token.head.head.i)  # "has seen no evidence": has not seen any
                (conditional if _conditional(token.head) else negated).update(words_)
        elif lower in _FAILING:
            failed = [c.i for c in token.children if c.dep_ in {"xcomp", "acl"}]
            negated.update(_with_modifiers(failed, sentence))
        elif lower == "without":
            objects = [c.i for c in token.children if c.dep_ in {"pobj", "pcomp"}]
            negated.update(_with_modifiers(objects, sentence))
        elif lower == "against":
            # "advised against releasing the returns": the releasing is what is advised not
            # to happen ("voted against the bill" names what is opposed; no claim is denied).
            # What someone's advisers advise against ("his lawyers advise against
            # releasing") is their advice, not a claim of the actor's.
            doing = [c.i for c in token.children if c.dep_ == "pcomp"]
            advisers = any(
                c.dep_ == "nsubj" and any(p.dep_ == "poss" for p in c.children)
                for c in token.head.children
            )
            (conditional if advisers else negated).update(_with_modifiers(doing, sentence))
    return negated, conditional


def _finds(verb: Any) -> bool:
    """A verb of seeing or finding, which "no" on its object negates ("found no trace");
    not "raised no objection", which agrees."""
    return str(verb.lower_).rstrip("s") in _FINDING


def _cut_after(token: Any) -> bool:
    """Whether nothing but punctuation follows a word in its sentence."""
    return not any(t.is_alpha for t in token.doc[token.i + 1 : token.sent.end])


def _not_only(negator: Any) -> bool:
    following = negator.i + 1
    return following < len(negator.doc) and negator.doc[following].lower_ in _NOT_ONLY


def _conditional(head: Any) -> bool:
    """Whether a negated word carries a condition ("will not stay unless it changes") or a
    time ("will not act until May", "has not yet acted"): a condition, not a refusal."""
    return any(
        (
            child.dep_ == "advcl"
            and any(m.lower_ in _CONDITIONS | _UNTIL | {"before"} for m in child.children)
        )
        or (child.dep_ == "prep" and child.lower_ in _UNTIL)
        # "has not yet been released": not so far, which a plan to release does not deny.
        or (child.dep_ == "advmod" and child.lower_ == "yet")
        for child in head.children
    )


def _with_modifiers(indexes: Iterable[int], sentence: Any) -> set[int]:
    """The negated words and the words that describe them ("no actual tap")."""
    doc = sentence.doc
    found = set(indexes)
    for index in list(found):
        found.update(c.i for c in doc[index].children if c.dep_ in _MODIFIERS)
    return found


def _unasserted(sentence: Any) -> set[int]:
    """Indexes of the tokens inside an indirect question or a condition ("whether ...",
    "if ..."), after an adjective of reluctance ("reluctant to take the job" does not say he
    took it), and under a refusal to speak ("declined to comment on the fares" says nothing
    of them)."""
    inside: set[int] = set()
    for token in sentence:
        if token.dep_ == "mark" and token.lower_ in _QUESTIONS:
            inside.update(t.i for t in token.head.subtree)
        elif token.dep_ == "xcomp" and token.head.lower_ in _RELUCTANT:
            inside.update(t.i for t in token.subtree)
        elif token.tag_.startswith("VB") and refuses(token) and not _fails_to_act(token):
            inside.add(token.i)
            inside.update(t.i for c in token.children if c.dep_ == "xcomp" for t in c.subtree)
    return inside


def _fails_to_act(verb: Any) -> bool:
    """ "failed to follow the rules": a failure to do something, which says it was not done
    (`_negated`), not a failure to speak ("failed to respond"), which says nothing."""
    return str(verb.lower_) in _FAILING and not any(
        c.dep_ == "xcomp" and is_reporting(c.text) for c in verb.children
    )


def _reported_or_self(head: Any) -> list[int]:
    """The words a negation falls on: the head itself and the verb it governs ("not going to
    abandon"); for a verb of saying or thinking, the whole clause it reports ("does not think
    the city paid too much"), or all that depends on it when it reports no clause ("had not
    spoken to the ambassador")."""
    complements = [child for child in head.children if child.dep_ in _COMPLEMENTS]
    if not is_reporting(head.text):
        found = [] if head.lower_ in _CATENATIVES else [head.i]
        # "will not withdraw or delay the bill": the negation falls on each alternative.
        if any(c.dep_ == "cc" and c.lower_ in _ALTERNATIVES for c in head.children):
            found += [c.i for c in head.children if c.dep_ == "conj"]
        # "is not fair", "is not a solution": a negated copula says no to what it predicates;
        # "would not be able to defend it" to the verb after "able".
        for c in head.children:
            if c.dep_ in ("acomp", "attr"):
                if c.lower_ in _CATENATIVES:
                    found += [x.i for x in c.children if x.dep_ == "xcomp"]
                else:
                    found.append(c.i)
        return found + [c.i for c in complements if c.dep_ == "xcomp"]
    if not complements:
        # "would not repeat the claims": the act of saying is refused, and what it names.
        return [head.i, *(t.i for t in _objects(head))]
    return [t.i for child in complements for t in child.subtree]


def _objects(head: Any) -> list[Any]:
    """What a verb is said of or to: its objects and the objects of its prepositions."""
    found = []
    for child in head.children:
        if child.dep_ in {"dobj", "attr", "dative"}:
            found.append(child)
        elif child.dep_ == "prep":
            found.extend(c for c in child.children if c.dep_ in {"pobj", "pcomp"})
    return found


def _is_content(token: Any) -> bool:
    tag = token.tag_
    return (
        tag[:2] in {"NN", "VB", "JJ"}
        and not tag.startswith("NNP")
        and (token.text[:1].islower() or token.is_sent_start)  # "Repeated the claims"
        and bool(content_words(token.text))
    )
