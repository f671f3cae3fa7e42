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


def test_a_failed_download_is_not_tried_again_that_day(tmp_path, monkeypatch) -> None:
    from briefer import tokens

    attempts: list[str] = []

    def hanging_download(name: str, timeout: float) -> None:
        attempts.append(name)
        return None  # what a timeout or a failed lookup returns

    monkeypatch.setattr(tokens, "_load_with_timeout", hanging_download)
    tokenizer_for.cache_clear()
    first = tokenizer_for("gpt-4o-mini", state_dir=tmp_path)
    assert first.encoding_name == OFFLINE_ENCODING and attempts == ["o200k_base"]
    # A new run (a new process: nothing remembered in memory) goes offline at once.
    tokenizer_for.cache_clear()
    again = tokenizer_for("gpt-4o-mini", state_dir=tmp_path)
    assert again.encoding_name == OFFLINE_ENCODING and attempts == ["o200k_base"]
    # A day later the download is tried again.
    (tmp_path / tokens.FAILURE_MARKER).write_text("2000-01-01\n")
    tokenizer_for.cache_clear()
    tokenizer_for("gpt-4o-mini", state_dir=tmp_path)
    assert len(attempts) == 2
    tokenizer_for.cache_clear()


def test_a_run_remembers_the_failure_in_its_cache_dir(tmp_path, monkeypatch) -> None:
    from briefer import tokens
    from briefer.runtime import Runtime
    from briefer.settings import Settings

    monkeypatch.setattr(tokens, "_load_with_timeout", lambda name, timeout: None)
    tokenizer_for.cache_clear()
    runtime = Runtime.open(Settings.load(cache_dir=tmp_path / "c", engine="extractive"))
    assert not runtime.tokenizer.exact
    assert (tmp_path / "c" / tokens.FAILURE_MARKER).exists()
    tokenizer_for.cache_clear()
