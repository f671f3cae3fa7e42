"""The offline digest flags a contradiction only when one actor's stances in two articles speak
of one subject and one says "no" to what the other says plainly; two outlets quoting the same
words agree. The sentences are made up for the mechanism; they measure no quality."""

from __future__ import annotations

import pytest

from briefer.digests import synthesis
from briefer.engines.extractive import nlp
from briefer.schema import ActorPosition, Evidence, IndexedActor


def _position(article: str, stance: str, quote: str | None = None) -> ActorPosition:
    quote = quote or stance
    direct = quote != stance
    evidence = Evidence(quote=quote, start=0, end=len(quote), direct=direct)
    return ActorPosition(article=article, stance=stance, evidence=[evidence])


def _flags(*positions: ActorPosition) -> list[str]:
    pytest.importorskip("spacy", reason="needs the nlp extra")
    if nlp.load() is None:
        pytest.skip("no English spaCy pipeline installed (pip install '.[nlp]')")
    actor = IndexedActor(
        name="Tom Weller",
        kind="person",
        articles=sorted({p.article for p in positions}),
        positions=list(positions),
    )
    synthesis._polarity_conflicts([actor], [])
    return [c.note for c in actor.contradictions]


def test_opposite_claims_on_one_subject_are_flagged() -> None:
    flags = _flags(
        _position("a1", "The council will raise the ferry fares next spring"),
        _position("a2", "The council will not raise the ferry fares next spring"),
    )
    assert len(flags) == 1 and flags[0].startswith("Possibly inconsistent")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "The mayor will close the harbour to cruise ships next year",
            "Will not close the harbour to cruise ships, he told the council",
        ),
        # A failure to do something says it was not done.
        (
            "The council failed to follow the rules on donations",
            "The council followed the rules on donations",
        ),
        # A copula denies a named thing that the other stance names plainly.
        (
            "It is not a Dravian levy",
            "Promised a levy on Dravians entering the harbour",
        ),
        # "before the committee" is a place, not a time.
        (
            "The minister will not appear before the committee on the port deal",
            "The minister will appear before the committee on the port deal",
        ),
    ],
)
def test_a_denied_claim_against_the_same_claim_made_is_flagged(first: str, second: str) -> None:
    assert len(_flags(_position("a1", first), _position("a2", second))) == 1


def test_two_outlets_quoting_one_speech_cut_differently_agree() -> None:
    speech = "he did not give up on the harbour town and its fishermen, who loved him"
    flags = _flags(
        _position("a1", "He did not give up on the harbour town and its fishermen", speech[:57]),
        _position(
            "a2", "Give up on the harbour town and its fishermen, who loved him", speech[15:]
        ),
    )
    assert flags == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # No "no" on either side: the same claim worded twice.
        (
            "The doctors agree that the clinic must stay open",
            "Doctors agree the clinic must stay open",
        ),
        # A "no" on a different subject.
        ("The council will not raise the ferry fares", "The council opened a new library today"),
        # Two stances that each say "no" to something are no "X" against "not X".
        (
            "He could not comment on the ferry fares of the council",
            "He was not referring to any comment on the ferry fares",
        ),
        # A refusal to speak says nothing of the subject.
        ("Declined to comment on the ferry fares", "The ferry fares will rise next spring"),
        # The "no" falls on a word of the setting, not on what is claimed: both want the
        # referendum later.
        (
            "This is not the moment for a referendum on the bridge",
            "The referendum on the bridge should come at a moment when the costs are known",
        ),
        # One word, two parts of speech: returning to a city and a tax return.
        (
            "He has not returned to the harbour town since the election",
            "His tax returns from the harbour town years showed a loss",
        ),
        # Nothing shared but light words: "going", "happen" name no subject.
        ("That is not going to happen", "The vote is going to happen in the spring"),
        # One verb, said of different things: not dragged into a deal, dragged out of a league.
        (
            "The harbour town must not be dragged into a deal without a vote of its people",
            "The people should have that vote before the harbour town is dragged out of the league",
        ),
        # What the reporter tells the actor did, naming it, is no claim of the actor's.
        (
            "Weller also knocked harbour towns that do not pay their fair share for the ferry",
            "Reaffirmed his strong support for the harbour towns but said they need to pay their"
            " fair share for the ferry",
        ),
        # Advising against doing something is not doing it.
        (
            "I am not selling the harbour land",
            "His lawyers advise against selling the harbour land",
        ),
        # "not until" gives a time, not a refusal.
        (
            "Will not sign the ferry treaty until the end of the month",
            "She will sign the ferry treaty by the end of the month",
        ),
        # "No" on the object of a verb other than one of finding: raising no objection to
        # the fares is not raising them.
        (
            "The council raised no objection to the ferry fares",
            "The council raised the ferry fares",
        ),
        # What others say the actor did, against its own denial, is a dispute with them.
        (
            "Raised the ferry fares last spring (as reported by the harbour union)",
            "Did not raise the ferry fares last spring",
        ),
        # "Not just X, but Y" says yes to X.
        (
            "It is not just a Norland deal that is at stake, but the harbour itself",
            "Signed a Norland deal for the harbour in May",
        ),
        # "Not yet" is not so far: a plan to do it later is no opposite.
        (
            "The full budget for the harbour has not yet been released",
            "Plans to release the full budget for the harbour in May",
        ),
        # Reluctance to do something says nothing of doing it.
        ("He was reluctant to take the harbour job", "He would not take the harbour job"),
        # One verb of two different things: arrests in one case, arrests in another.
        (
            "Announced the arrest of a fourth suspect in the harbour attack",
            "Have not announced arrests in the two later deaths at the harbour",
        ),
        # A failure to do something is not doing it: the same claim both ways.
        (
            "Where the rules on donations are not followed, trust in the council suffers",
            "The failure to follow the rules on donations hurt trust in the council",
        ),
    ],
)
def test_what_is_not_a_contradiction(first: str, second: str) -> None:
    assert _flags(_position("a1", first), _position("a2", second)) == []
