"""Quotations in published news text: marks read by what stands on either side of them, so
that one odd mark (damage, a flattened paragraph) does not invert the rest of the article."""

from __future__ import annotations

from briefer.text.quotes import for_parsing, quotations


def _insides(text: str) -> list[str]:
    return [q.text for q in quotations(text)]


def test_quotation_marks_in_damaged_text() -> None:
    text = 'the United States"?and Jordan said "we will go on talking," and don"t stop.'
    assert _insides(text) == ["we will go on talking,"]
    curly = "He said “first part” and then “second part here”."
    assert _insides(curly) == ["first part", "second part here"]


def test_a_quotation_reopened_for_its_next_paragraph_keeps_both_parts() -> None:
    # Flattened paragraphs: the first paragraph of the quotation is never closed.
    text = (
        'The mayor spoke at length. "The budget is tight this year. "We will still open '
        'the library," she said. Then "a new line" was read out.'
    )
    assert _insides(text) == [
        "The budget is tight this year.",
        "We will still open the library,",
        "a new line",
    ]


def test_a_quotation_that_lost_its_closing_mark_before_the_attribution_is_dropped() -> None:
    text = (
        '"The plan cannot work and the town knows it, the councillor told reporters. '
        '"We will vote against it," she added.'
    )
    assert _insides(text) == ["We will vote against it,"]


def test_a_damaged_closing_mark_without_its_space_still_closes() -> None:
    text = '"The talks were useful,"?the envoy said. "More will follow."?Officials agreed.'
    assert _insides(text) == ["The talks were useful,", "More will follow."]
    # The text the parser reads has the closing mark and its space back, at the same offsets.
    repaired = for_parsing(text)
    assert len(repaired) == len(text)
    assert '," the envoy' in repaired and '." Officials' in repaired


def test_a_quotation_opened_right_after_a_damaged_closing_mark_is_one() -> None:
    text = 'It sells a "patio bar."?"We did not need them. They needed us,"?Martin said.'
    assert _insides(text) == ["patio bar.", "We did not need them. They needed us,"]
    repaired = for_parsing(text)
    assert len(repaired) == len(text)
    assert 'bar." "We' in repaired


def test_a_closing_mark_set_off_by_a_stray_space_closes() -> None:
    text = '"Shoppers want more than a till. " Sales rose, and "the web helps too," he said.'
    assert _insides(text) == ["Shoppers want more than a till.", "the web helps too,"]


def test_quotations_that_begin_in_a_range() -> None:
    text = 'A "first one here" and B "second one here".'
    assert _insides(text) == ["first one here", "second one here"]
    assert [q.text for q in quotations(text, 18, len(text))] == ["second one here"]


def test_a_sentence_after_an_odd_mark_is_not_read_as_quoted() -> None:
    from briefer.text.source import SourceText
    from briefer.text.spans import Span

    text = (
        'The mayor said she don"t know yet. "We will see," she said. The town has 48 shops.'
        ' "Trade is slow this winter," a trader said.'
    )
    source = SourceText(text)
    shops = text.index("The town has")
    trade = text.index("Trade is slow")
    assert not source.is_direct(Span(shops, shops + 10))
    assert source.is_direct(Span(trade, trade + 10))


def test_a_dash_for_a_lost_space_after_a_word_of_address_is_a_space_to_the_parser() -> None:
    text = "Ms-Le Pen met Mr-Putin; a self-made man."
    repaired = for_parsing(text)
    assert repaired == "Ms Le Pen met Mr Putin; a self-made man."
