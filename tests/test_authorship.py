"""An opinion piece's argument is its author's, as the note that closes it names them; a
story that ends by saying what a thing or a person it quoted is has no author. The texts are
made up for the mechanism; they measure no quality."""

from __future__ import annotations

from .test_people import _brief, _holders

_ARGUMENT = (
    "The new harbour law took effect on Monday. It lets the port authority fine shipping"
    " firms that falsify their emissions data. Regulators should publish every fine they"
    " impose. Shipping firms need to open their books to independent auditors. It is"
    " unfortunate that the law took six years to pass. The port authority said it would"
    " enforce the law from March."
)


def test_an_opinion_piece_s_argument_is_the_author_s_named_in_its_closing_note() -> None:
    briefing = _brief(
        _ARGUMENT + " Lena Ortiz is a researcher at the Karsvik Institute of Maritime Law."
        " The views do not necessarily reflect those of this newspaper."
    )
    author = next(a for a in briefing.actors if a.name == "Lena Ortiz")
    assert (
        author.kind == "person"
        and author.role == "researcher at the Karsvik Institute of Maritime Law"
    )
    assert _holders(briefing, "should publish every fine") == {"Lena Ortiz"}
    assert _holders(briefing, "need to open their books") == {"Lena Ortiz"}
    assert _holders(briefing, "It is unfortunate") == {"Lena Ortiz"}
    # What the text reports others saying stays theirs.
    assert "Lena Ortiz" not in _holders(briefing, "enforce the law from March")


def test_an_unnamed_author_is_the_author() -> None:
    briefing = _brief(
        _ARGUMENT + " The author is a lecturer in maritime law at Karsvik University."
    )
    assert _holders(briefing, "should publish every fine") == {"the author"}


def test_a_story_that_ends_by_saying_what_something_is_has_no_author() -> None:
    briefing = _brief(
        _ARGUMENT + " The Karsvik 2 is a light utility helicopter built in the 1970s."
    )
    assert not _holders(briefing, "should publish every fine")
    quoted = _brief(
        'Lena Ortiz said the harbour law should be enforced at once. "Regulators must publish'
        ' every fine," she said. Shipping firms need to open their books to auditors. Lena'
        " Ortiz is a researcher at the Karsvik Institute of Maritime Law."
    )
    assert "Lena Ortiz" not in _holders(quoted, "Shipping firms need to open")
