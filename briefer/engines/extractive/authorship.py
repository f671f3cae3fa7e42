"""An opinion piece's author and what the author argues. News reports others' words; an
op-ed argues in its own, and says whose they are in the note that closes it ("Ma Yong is a
researcher at ...", "The author is a visiting professor at ..."). Its argument is then the
author's: the sentences of its own voice that judge, urge or foresee. Pure functions over a
spaCy parse."""

from __future__ import annotations

from typing import Any

from ...text.names import PERSON_ROLES, ROLE_WORDS
from ...text.sentences import Sentence
from .lexicon import BE_FORMS, verb_lemma
from .spacy_actors import Actor, Cast
from .spacy_attribution import Statement, stance_of

# The closing note stands among the last sentences of the story (before a disclaimer, the
# page's own line).
_SIGNATURE_SENTENCES = 3
# An opinion piece argues in many sentences; past this many, the author's share is its first.
MAX_OPINIONS = 8
_FIRST_PERSON = frozenset("i we my our us me".split())
_WRITER = frozenset(("author", "authors", "writer", "writers"))
# What a closing note says its author is: an office, a profession, a place in academe.
_OCCUPATIONS = ROLE_WORDS | frozenset(
    "student fellow scholar journalist writer columnist partner member lecturer".split()
)


def author_of(doc: Any, cast: Cast, parts: list[Sentence]) -> tuple[Actor, int] | None:
    """The author a closing note names, and where the note starts: a sentence among the last
    few that says what someone is ("X is a researcher at Y"), about "the author" or a person
    the text had not named before (a person the story is about is named earlier)."""
    for sentence in parts[-_SIGNATURE_SENTENCES:]:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        if root.lower_ not in BE_FORMS:
            continue
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        what = next((c for c in root.children if c.dep_ == "attr" and c.tag_ == "NN"), None)
        if subject is None or what is None or what.lower_ not in _OCCUPATIONS:
            continue  # ("The Ecureuil 2 is a light utility helicopter": no one's occupation)
        role = _role(what)
        if subject.lower_ in _WRITER and any(c.lower_ == "the" for c in subject.children):
            author = cast.person("the author", sentence.start)
            author.role = author.role or role
            return author, sentence.start
        actor = cast.at(subject.i)
        if actor is None or actor.kind not in ("person", "organization"):
            continue
        if any(m < sentence.start for m in actor.mentions) or actor.statements:
            continue  # someone the story is about, not the one who wrote it
        if actor.kind != "person" and what.lower_ not in PERSON_ROLES:
            continue
        actor.kind = "person"  # "Sultan Barakat is the director of ...", whatever the label
        actor.role = actor.role or role
        return actor, sentence.start
    return None


def _role(noun: Any) -> str:
    """What the note says someone is, up to its first list or clause: "researcher at the
    Environmental Theory Research Center", not the rest of the note."""
    doc = noun.doc
    start = noun.left_edge.i
    while start < noun.i and doc[start].tag_ == "DT":
        start += 1
    end = noun.right_edge.i + 1
    cut = next((t.i for t in doc[noun.i : end] if t.dep_ in ("relcl", "punct")), end)
    return str(doc[start:cut].text)


def opinions(
    doc: Any,
    author: Actor,
    parts: list[Sentence],
    before: int,
    taken: list[tuple[int, int]],
) -> list[Statement]:
    """The author's own argument: the sentences before the closing note (at `before`) that
    judge, urge or foresee in the text's own voice, outside every quotation and every
    statement already given to someone (`taken`)."""
    found: list[Statement] = []
    for sentence in parts:
        if sentence.start >= before or len(found) >= MAX_OPINIONS:
            break
        if any(start < sentence.end and sentence.start < end for start, end in taken):
            continue
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None or not len(span) or not _argues(span):
            continue
        found.append(
            Statement(
                author, sentence.start, sentence.end, False, stance_of(sentence.text), weak=True
            )
        )
    return found


def _argues(span: Any) -> bool:
    """Whether a sentence speaks in the writer's own voice: a modal on its main verb ("may be
    the most effective weapon", "should act"), a need ("governments need to"), a judgement
    ("It is unfortunate that"), the first person, or a question put to the reader."""
    root = span.root
    if span.text.rstrip().endswith("?"):
        return True
    if any(t.lower_ in _FIRST_PERSON and t.tag_.startswith("PRP") for t in span):
        return True
    if any(c.tag_ == "MD" and c.lower_ not in ("will", "would") for c in root.children):
        return True
    if verb_lemma(root.text) in ("need", "expect") and any(
        c.dep_ == "xcomp" for c in root.children
    ):
        return True  # "governments need to", "the move is expected to help"
    return bool(
        root.lower_ in BE_FORMS
        and any(c.dep_ in ("expl", "nsubj") and c.lower_ == "it" for c in root.children)
        and any(c.dep_ == "acomp" for c in root.children)
        and any(c.dep_ in ("ccomp", "xcomp") for c in root.children)
    )
