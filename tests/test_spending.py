"""The run's spending meter under --max-cost: calls hold their worst case while in flight and
cost what they cost when answered; a call the limit cannot hold is not sent."""

from __future__ import annotations

import pytest

from briefer.errors import CostLimitError
from briefer.spending import Meter, SpendLimitReached


def _price(prompt: int, completion: int, batch: bool) -> float:
    # USD 1 per million prompt tokens and 2 per million completion tokens; half in a batch.
    return (prompt * 1 + completion * 2) / 1_000_000 / (2 if batch else 1)


def test_a_call_holds_its_worst_case_and_then_costs_what_it_cost() -> None:
    meter = Meter(0.01, _price)
    held = meter.hold(1000, 2000)  # 0.005 at worst
    assert meter.held == pytest.approx(0.005)
    meter.charge(held, 1000, 100)
    assert (meter.held, meter.spent) == (pytest.approx(0.0), pytest.approx(0.0012))


def test_calls_in_flight_and_calls_answered_count_against_the_limit() -> None:
    meter = Meter(0.01, _price)
    first = meter.hold(1000, 2000)
    meter.hold(1000, 2000)  # 0.010 held: the limit, not past it
    with pytest.raises(SpendLimitReached) as refused:
        meter.hold(10, 10)
    assert isinstance(refused.value, CostLimitError)
    assert "Not sent" in str(refused.value) and "$0.0100" in str(refused.value)
    meter.release(first)  # that call got no answer to pay for
    meter.hold(1000, 2000)


def test_a_batch_job_s_replies_are_charged_at_the_batch_price() -> None:
    meter = Meter(0.01, _price)
    meter.add(4000, 1000, batch=True)
    assert meter.spent == pytest.approx(0.003)
    with pytest.raises(SpendLimitReached):
        meter.hold(1000, 3500)  # 0.008 more would pass 0.01


def test_a_call_stopped_after_it_was_sent_counts_as_spent() -> None:
    """The server may bill a request whose caller stopped waiting: its worst case stays."""
    meter = Meter(0.01, _price)
    held = meter.hold(1000, 2000)
    meter.keep(held)
    assert (meter.held, meter.spent) == (pytest.approx(0.0), pytest.approx(0.005))
