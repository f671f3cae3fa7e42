from __future__ import annotations

from briefer.tokens import APPROXIMATION_MARGIN, OFFLINE_ENCODING, tokenizer_for


def test_counts_offline_with_the_shipped_encoding() -> None:
    tokenizer = tokenizer_for("some-local-model")
    assert tokenizer.encoding_name == OFFLINE_ENCODING
    assert not tokenizer.exact and tokenizer.margin == APPROXIMATION_MARGIN
    assert tokenizer.count("Our doors are open.") == 5


def test_gpt4_counts_exactly_with_cl100k() -> None:
    tokenizer = tokenizer_for("gpt-4")
    assert tokenizer.exact and tokenizer.margin == 1.0


def test_special_token_text_is_counted_not_rejected() -> None:
    assert tokenizer_for("gpt-4").count("<|endoftext|>") > 1
