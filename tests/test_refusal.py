"""A refusal is reported as a refusal: "declined to comment on X", "refused to say whether X",
"did not respond to requests", "could not be reached" give a stance that says so, or no
position, never the bare content as if the speaker had stated it. The sentences are made up
for the mechanism; they measure no quality."""

from __future__ import annotations

import pytest

from briefer.engines import extractive
from briefer.engines.extractive import nlp
from briefer.readers.sources import Article
from briefer.schema import Position

_OPENING = "Anna Berg, the mayor, spoke to reporters on Monday. "


def _spacy() -> None:
    pytest.importorskip("spacy", reason="the spaCy engine needs the nlp extra")
    if nlp.load() is None:
        pytest.skip("no English spaCy pipeline installed (pip install '.[nlp]')")


def _positions(text: str) -> list[Position]:
    briefing = extractive.brief(Article(text=text, path="-"), tokens=80)
    for position in briefing.positions:
        for evidence in position.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote
    return list(briefing.positions)


_REFUSALS = [
    ("The Harbour Authority declined to comment on the pending lawsuit.", "declined"),
    ("Tom Weller, the engineer, refused to say whether the bridge would open.", "refused"),
    ("A spokesman for the Harbour Authority declined to comment.", "declined"),
    ("Tom Weller did not respond to requests for comment on the delay.", "not respond"),
    ("Tom Weller could not be reached for comment on the delay.", "not be reached"),
    ("The Harbour Authority has yet to comment on the lawsuit.", "yet to comment"),
]


@pytest.mark.parametrize(("sentence", "words"), _REFUSALS)
def test_a_refusal_gives_a_stance_that_says_so_or_none(sentence: str, words: str) -> None:
    _spacy()
    for position in _positions(_OPENING + sentence):
        assert words in position.stance.lower(), position.stance


def test_declined_to_comment_on_x_is_not_a_stance_on_x() -> None:
    _spacy()
    stances = [p.stance for p in _positions(_OPENING + _REFUSALS[0][0])]
    assert "Comment on the pending lawsuit" not in stances
    assert any(s.lower().startswith("declined to comment") for s in stances), stances
