"""What the offline comparison with earlier days reads: what a stance says "no" to (its
parse), and whether a sentence settles an open issue. The sentences are made up for the
mechanism; they measure no quality."""

from __future__ import annotations

import pytest

from briefer.digests import changes
from briefer.digests.polarity import Polarity, said_no_to, stem
from briefer.engines.extractive import nlp
from briefer.text.words import content_words as words


def _polarity(text: str) -> Polarity:
    pytest.importorskip("spacy", reason="needs the nlp extra")
    pipeline = nlp.load()
    if pipeline is None:
        pytest.skip("no English spaCy pipeline installed (pip install '.[nlp]')")
    return said_no_to(pipeline.nlp(text))


def _said(text: str) -> tuple[set[str], set[str]]:
    said = _polarity(text)
    return said.refused, said.plain


def test_inflections_are_one_stem() -> None:
    assert stem("increase") == stem("increased") == stem("increases") == stem("increasing")
    assert stem("Minister's") == stem("minister")


@pytest.mark.parametrize(
    ("stance", "refused", "plain"),
    [
        ("There will be no increases in the ferry fares this year", {"increas"}, {"fare"}),
        ("The council will not extend the parking ban", {"extend"}, {"ban"}),
        ("The ferry fares will be increased next spring", set(), {"increas", "fare"}),
        ("The deal was signed without any public consultation", {"consultation"}, {"deal"}),
        ("I don't think the council paid too much for the bridge", {"paid", "bridg"}, set()),
        ("The council will not close or sell the library", {"clos", "sell"}, {"library"}),
        ("The council will not close the library but sell it", {"clos"}, {"sell"}),
        ("The new ferry fares are not fair", {"fair"}, {"fare"}),
        ("The ferry fares can hardly be a subject for a deal", {"subject"}, {"fare"}),
        ("The council would not be able to defend the fares", {"defend"}, {"fare"}),
        ("The mayor warned against raising the fares", {"rais"}, {"mayor"}),
    ],
)
def test_what_a_negation_falls_on(stance: str, refused: set[str], plain: set[str]) -> None:
    said_no, said = _said(stance)
    assert refused <= said_no
    assert plain <= said
    assert not said_no & said


@pytest.mark.parametrize(
    "stance",
    [
        "No option is off the table for the council",  # two negations, one yes
        "The club will not stay in the league unless the rules change",  # a condition
        "The mayor did not mean the fares literally",  # what is not meant
        "Critics asked whether the fares were not fair",  # an indirect question
        "He said that his lawyers advise against raising the fares",  # another's advice
    ],
)
def test_what_is_not_a_refusal(stance: str) -> None:
    said_no, _ = _said(stance)
    assert not said_no


@pytest.mark.parametrize(
    "stance",
    [
        "Declined to comment on the ferry fares",
        "Refused to say whether the ferry fares would rise",
        "The council has yet to comment on the ferry fares",
    ],
)
def test_a_refusal_to_speak_asserts_nothing(stance: str) -> None:
    said_no, said = _said(stance)
    assert not said_no
    assert "fare" not in said


def _claims(text: str) -> tuple[set[str], set[str]]:
    """The predicates a stance denies and affirms a claim with."""
    said = _polarity(text)
    return {c.predicate for c in said.denied}, {c.predicate for c in said.affirmed}


def test_a_claim_is_a_predicate_with_what_it_is_said_of() -> None:
    said = _polarity("The council will not raise the ferry fares")
    assert {(c.predicate, c.about) for c in said.denied} == {
        ("rais", frozenset({"council", "fare"}))
    }


@pytest.mark.parametrize(
    ("stance", "denied", "affirmed"),
    [
        # Seeing no evidence is not seeing any.
        ("He has seen no evidence of fraud in the vote", {"seen"}, set()),  # and "evidence"
        # A predicate said both ways contrasts what it is said of: no claim either way.
        ("Our task is not to serve the board but to serve the town", set(), set()),
        # Only reluctance leaves what follows unsaid; being unable to do it says no.
        ("The council is ready to raise the ferry fares", set(), {"ready", "rais"}),
        ("The council was unable to raise the ferry fares", {"rais"}, {"unabl"}),
        # A condition or an indirect question asserts nothing.
        ("If the council had raised the ferry fares last spring", set(), set()),
        ("He asked whether the council had raised the fares", set(), set()),
        # A stance cut off right after its "not…": what it negated is not there.
        (
            "He was asked during the hearing about communications between the council and the"
            " ferry company -- not…",
            set(),
            {"asked"},
        ),
    ],
)
def test_what_a_stance_claims(stance: str, denied: set[str], affirmed: set[str]) -> None:
    said_no, said = _claims(stance)
    assert denied <= said_no and (said_no or not denied)
    assert said == affirmed


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("The harbour council approved the container terminal plan on Monday.", True),
        ("The container terminal plan was approved by the harbour council.", True),
        # "signed up" decides nothing; a verb of deciding far from the issue's words, or
        # said of something else, does not settle it.
        ("Hundreds of residents signed up for tours of the container terminal plan.", False),
        (
            "The harbour council, which met on Monday in the old town hall by the container"
            " terminal site with a crowd outside, heard from a mayor whose budget was approved.",
            False,
        ),
    ],
)
def test_an_issue_is_settled_by_a_decision_on_it(text: str, settled: bool) -> None:
    terms = set(words("Whether the harbour council approves the container terminal plan"))
    assert changes._reports_a_decision(text, terms) is settled
