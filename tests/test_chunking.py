from __future__ import annotations

import pytest

from briefer.briefing.chunking import split
from briefer.tokens import tokenizer_for

COUNT = tokenizer_for("gpt-4").count


def _check(text: str, budget: int) -> None:
    chunks = split(text, budget, COUNT, overlap=20)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert COUNT(chunk.text) <= budget, chunk.index
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start <= before.end, "chunks leave a gap"
        assert after.start > before.start, "chunking does not advance"


def test_short_text_is_one_chunk() -> None:
    text = "A short article.\n\nIt has two paragraphs."
    chunks = split(text, 1000, COUNT)
    assert len(chunks) == 1 and chunks[0].text == text


def test_long_article_respects_budget_and_offsets() -> None:
    paragraph = (
        "The minister said the talks would resume in spring. Officials said no date "
        "had been set, and the opposition demanded a vote in parliament first. "
    ) * 4
    text = "\n\n".join(f"Section {i}. {paragraph}" for i in range(300))
    assert COUNT(text) > 20_000
    _check(text, 1500)


def test_text_without_sentence_breaks() -> None:
    text = "word " * 5000
    _check(text, 300)


def test_text_without_spaces() -> None:
    _check("x" * 20000, 250)


def test_cjk_text() -> None:
    text = "北大西洋公約機構は加盟国の安全を保障する組織である。" * 400 + "没有标点的中文文本" * 300
    _check(text, 200)


def test_overlap_repeats_the_end_of_the_previous_chunk() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(400))
    chunks = split(text, 200, COUNT, overlap=30)
    assert len(chunks) > 2
    assert chunks[1].start < chunks[0].end


def test_budget_must_be_positive() -> None:
    with pytest.raises(ValueError):
        split("text", 0, COUNT)
