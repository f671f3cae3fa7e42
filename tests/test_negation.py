"""A negated reporting verb ("did not say", "denied", "never said", "didn't think '...'") is
kept in the offline engine's stance and evidence, and the digest's polarity reads it. The
sentences are made up for the mechanism; they measure no quality."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.digests import changes
from briefer.engines import extractive
from briefer.engines.extractive import nlp
from briefer.readers.sources import Article
from briefer.schema import ActorPosition, Digest, DigestUsage, IndexedActor, Position

_OPENING = "Anna Berg, the mayor, spoke to reporters on Monday. "


def _spacy() -> None:
    pytest.importorskip("spacy", reason="the spaCy engine needs the nlp extra")
    if nlp.load() is None:
        pytest.skip("no English spaCy pipeline installed (pip install '.[nlp]')")


def _positions(text: str, actor: str) -> list[Position]:
    briefing = extractive.brief(Article(text=text, path="-"), tokens=60)
    for position in briefing.positions:
        for evidence in position.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote
    return [p for p in briefing.positions if p.actor == actor]


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        ("Tom Weller did not say that the bridge would open in the spring.", "Did not say: "),
        ("Tom Weller, the engineer, denied that the city had paid too much.", "Denied: "),
        ("Tom Weller, the engineer, never said the bridge would be finished soon.", "Never said: "),
    ],
)
def test_a_negated_report_keeps_its_negation_in_the_stance(sentence: str, lead: str) -> None:
    _spacy()
    [position] = _positions(_OPENING + sentence, "Tom Weller")
    assert position.stance.startswith(lead)
    assert sentence.rstrip(".") in position.evidence[0].quote


def test_a_quotation_under_a_negated_verb_is_cut_with_the_negation() -> None:
    _spacy()
    text = _OPENING + "Tom Weller, the engineer, didn't think “the bridge will open before winter.”"
    [position] = _positions(text, "Tom Weller")
    assert position.stance == "Didn't think: the bridge will open before winter"
    evidence = position.evidence[0]
    assert evidence.quote == "didn't think “the bridge will open before winter.”"
    assert not evidence.direct  # the span begins outside the quotation marks


def test_a_quotation_that_goes_on_a_negated_clause_keeps_the_negation() -> None:
    """'would never "sell ..."': the marks open after the negation, so the quotation alone
    would say the opposite of what the speaker holds."""
    _spacy()
    text = _OPENING + (
        "Tom Weller, the engineer, said he would never “sell the harbour to a private buyer”."
    )
    stances = {p.stance: p.evidence[0].quote for p in _positions(text, "Tom Weller")}
    assert "Sell the harbour to a private buyer" not in stances
    quote = stances["Would never sell the harbour to a private buyer"]
    assert quote == "would never “sell the harbour to a private buyer”"


def test_an_affirmative_report_and_a_negation_inside_the_quote_are_unchanged() -> None:
    _spacy()
    text = (
        _OPENING + "“The bridge will not open before the winter comes,” Tom Weller, the engineer, "
        "said. Tom Weller also said that the road would be repaved in the summer."
    )
    stances = {p.stance for p in _positions(text, "Tom Weller")}
    assert "The bridge will not open before the winter comes" in stances
    assert "The road would be repaved in the summer" in stances


def _day(day: str, sentence: str) -> Digest:
    """A digest of one made-up article whose positions are the offline engine's."""
    positions = _positions(_OPENING + sentence, "Tom Weller")
    assert positions
    actor = IndexedActor(
        name="Tom Weller",
        kind="person",
        articles=["a1"],
        positions=[
            ActorPosition(article="a1", stance=p.stance, evidence=p.evidence) for p in positions
        ],
    )
    return Digest(
        title=f"Digest — {day}", date=day, actors=[actor], usage=DigestUsage(engine="extractive")
    )


def _changed(yesterday: str, today: str) -> bool:
    before = changes.record(_day("2026-11-25", yesterday), {})
    past = changes.Past("2026-11-25", [], before.positions, [])
    _, found = changes.compare(_day("2026-11-26", today), {}, past)
    return bool(found.positions)


_SAID = "Tom Weller said that the city had paid too much for the new bridge."
_DENIED = "Tom Weller denied that the city had paid too much for the new bridge."
_NOT_SAID = "Tom Weller did not say that the city had paid too much for the new bridge."
_QUOTED_NOT = "“I don't think the city paid too much for the new bridge,” Tom Weller said."
_NOT_THOUGHT = "Tom Weller didn't think “the city paid too much for the new bridge.”"


@pytest.mark.parametrize(
    ("yesterday", "today", "changed"),
    [
        (_SAID, _DENIED, True),
        (_SAID, _NOT_SAID, True),
        (_NOT_SAID, _SAID, True),
        (_DENIED, _DENIED, False),
        (_NOT_SAID, _NOT_SAID, False),
        # The negation outside the quotation marks today, inside them yesterday: no change.
        (_QUOTED_NOT, _NOT_THOUGHT, False),
    ],
)
def test_a_negated_report_against_an_affirmed_one_is_a_change(
    yesterday: str, today: str, changed: bool
) -> None:
    _spacy()
    assert _changed(yesterday, today) is changed


def test_a_stance_led_by_a_negated_reporting_clause_says_no_to_its_content() -> None:
    _spacy()
    found = changes.polarities(
        [
            "Did not say: the bill is fair",
            "Didn’t think: the bill is fair",  # a typographic apostrophe
            "Denied: the bill will not pass",  # two negations cancel
            "Update: the bill will pass",
        ]
    )
    assert found is not None
    assert "fair" in found["Did not say: the bill is fair"][0]
    assert "fair" in found["Didn’t think: the bill is fair"][0]
    assert "pass" in found["Denied: the bill will not pass"][1]
    assert "pass" in found["Update: the bill will pass"][1]


def test_stances_are_read_by_the_pipeline_the_settings_name(tmp_path: Path) -> None:
    _spacy()
    stances = ["Said: the bill is fair", "Did not say: the bill is fair"]
    assert changes.polarities(stances) is not None
    # A pipeline named in the settings that does not load is not replaced by the default one.
    assert changes.polarities(stances, str(tmp_path / "no-such-pipeline")) is None


def test_a_stance_led_by_a_refusal_to_speak_says_nothing_either_way() -> None:
    _spacy()
    stance = "Refused to confirm: the bill would get a vote next week"
    found = changes.polarities([stance])
    assert found is not None
    assert not found[stance].refused and not found[stance].plain


def test_a_negated_verb_without_a_clause_runs_on_into_the_rest_of_the_sentence() -> None:
    _spacy()
    text = _OPENING + "Tom Weller did not respond to several requests for comment on the bridge."
    [position] = _positions(text, "Tom Weller")
    assert position.stance == "Did not respond to several requests for comment on the bridge"


def test_a_pronoun_under_a_reporting_verb_is_its_speaker() -> None:
    _spacy()
    # The last person named before "he" is another one, a subject inside the speaker's phrase.
    text = (
        "Sam Ortiz, the engineer, spoke to reporters on Monday. Tom Weller, chairman of the "
        "committee that Sam Ortiz leads, said on Tuesday that he didn't think “the city paid "
        "too much for the new bridge.”"
    )
    [position] = [p for p in _positions(text, "Tom Weller") if "bridge" in p.stance]
    assert position.stance == "Didn't think: the city paid too much for the new bridge"


def test_the_opposite_of_something_is_no_opposition() -> None:
    """A stance led by "Says exactly the opposite:" asserts what follows the colon."""
    _spacy()
    stance = "Says exactly the opposite: the ferry fares will rise next spring"
    found = changes.polarities([stance])
    assert found is not None
    assert "rise" in found[stance].plain
