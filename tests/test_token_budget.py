"""Output limits from the model and the article, and the data budget that fits them."""

from __future__ import annotations

from briefer.token_budget import data_budget, fitting_budget, output_cap, output_limit


def test_output_limit_grows_with_the_article_within_the_model_and_the_cap() -> None:
    short = output_limit(500, "ref", "gpt-4o-mini", None)
    long = output_limit(9_000, "ref", "gpt-4o-mini", None)
    assert short == 4096 and 4096 < long <= 16_384
    assert output_limit(9_000, "quote", "gpt-4o-mini", None) >= long  # quoting writes more
    assert output_limit(50_000, "quote", "gpt-4o-mini", None) == 16_384  # the model's limit
    assert output_limit(9_000, "ref", "gpt-4o-mini", 3000) == 3000  # --max-output-tokens
    assert output_limit(9_000, "ref", "some-local-model", None) == 4096  # unknown: the default


def test_output_cap_for_other_replies() -> None:
    assert output_cap("gpt-4o-mini", None) == 4096
    assert output_cap("gpt-4o-mini", 1000) == 1000
    assert output_cap("gpt-4o-mini", None, 100_000) == 16_384


def test_fitting_budget_leaves_room_for_the_output_its_data_needs() -> None:
    def output(tokens: int) -> int:
        return output_limit(tokens, "ref", "gpt-4o-mini", None)

    budget = fitting_budget(32_000, 1500, 1.0, output)
    assert budget <= data_budget(32_000, output(budget), 1500, 1.0)
    assert budget + 1 > data_budget(32_000, output(budget + 1), 1500, 1.0)
