from __future__ import annotations

from briefer.text.source import SourceText

TEXT = (
    "Deputy Foreign Minister Araz Azimov said membership was \u201cnot a question of today or "
    'tomorrow\u201d.\n\nNATO officials said: "Our doors are open to any European democracy." '
    "The talks,  which began in   2006, are  stalled."
)


def test_exact_quote() -> None:
    evidence = SourceText(TEXT).evidence("Our doors are open to any European democracy.")
    assert evidence is not None
    assert TEXT[evidence.start : evidence.end] == evidence.quote
    assert evidence.direct


def test_normalised_quote_marks_whitespace_and_case() -> None:
    evidence = SourceText(TEXT).evidence('membership was "not a question of today or tomorrow"')
    assert evidence is not None
    assert evidence.quote == "membership was \u201cnot a question of today or tomorrow\u201d"
    assert evidence.quote == TEXT[evidence.start : evidence.end]
    spaced = SourceText(TEXT).evidence("the talks, which began in 2006, are stalled.")
    assert spaced is not None and spaced.quote == "The talks,  which began in   2006, are  stalled."


def test_near_match_is_replaced_by_the_source_span() -> None:
    evidence = SourceText(TEXT).evidence("Our doors are opne to any Europaen democracy")
    assert evidence is not None
    assert evidence.quote == TEXT[evidence.start : evidence.end]
    assert "doors are open" in evidence.quote


def test_absent_quote_is_not_located() -> None:
    text = SourceText(TEXT)
    assert text.evidence("Azerbaijan will join NATO next year.") is None
    assert text.evidence("") is None


def test_elided_quote_maps_to_the_whole_passage() -> None:
    evidence = SourceText(TEXT).evidence("The talks, ... are stalled.")
    assert evidence is not None and evidence.quote.startswith("The talks")
    assert evidence.quote.endswith("stalled.")


def test_reported_speech_is_not_direct() -> None:
    evidence = SourceText(TEXT).evidence("Araz Azimov said membership was")
    assert evidence is not None and not evidence.direct
