"""What a stance says "no" to, read from its parse: the offline comparison of positions flips
on it. The sentences are made up for the mechanism; they measure no quality."""

from __future__ import annotations

import pytest

from briefer.digests.polarity import said_no_to, stem
from briefer.engines.extractive import nlp


def _said(text: str) -> tuple[set[str], set[str]]:
    pytest.importorskip("spacy", reason="needs the nlp extra")
    pipeline = nlp.load()
    if pipeline is None:
        pytest.skip("no English spaCy pipeline installed (pip install '.[nlp]')")
    return said_no_to(pipeline.nlp(text))


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
    ],
)
def test_what_is_not_a_refusal(stance: str) -> None:
    said_no, _ = _said(stance)
    assert not said_no
