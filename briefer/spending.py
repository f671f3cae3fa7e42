"""What a run may still spend under --max-cost, kept as the run goes.

The plan checks the whole run's worst case before the first call; this meter holds the limit
for what no plan foresees (a repair turn, a reply cut off and asked again in parts, a digest
step larger than estimated). Each call holds its worst case (its prompt, its reply at the
output limit) while in flight and is charged what it cost when answered; a call the meter
cannot hold is not sent. Pure bookkeeping, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable

from .catalog import estimate_cost
from .errors import CostLimitError
from .settings import Settings

# USD for (prompt tokens, completion tokens), at the Batch API's price when `batch`.
Pricing = Callable[[int, int, bool], float]


def cost_of(
    settings: Settings, prompt_tokens: int, completion_tokens: int, batch: bool = False
) -> float | None:
    """USD the tokens cost at the price the settings name, nothing on a local server, else at
    the model's list price; None when no price is known."""
    return estimate_cost(
        settings.model,
        prompt_tokens,
        completion_tokens,
        batch=batch,
        price=settings.price_per_million,
        local=settings.local_server,
    )


class SpendLimitReached(CostLimitError):
    """A call was not sent: with what the run has spent and holds, it could pass --max-cost."""

    def __init__(self, would_usd: float, limit_usd: float, spent_usd: float) -> None:
        CostLimitError.__init__(self, would_usd, limit_usd)
        self.args = (
            f"Not sent: the call could take the run to ${would_usd:.4f}, over --max-cost"
            f" ${limit_usd:.4f} (${spent_usd:.4f} spent or held); what was answered is cached,"
            " so a rerun with a higher limit pays only for the rest.",
        )
        self.spent_usd = spent_usd


class Meter:
    """Spending against a limit: what calls cost, and what calls in flight could cost."""

    def __init__(self, limit_usd: float, pricing: Pricing) -> None:
        self.limit = limit_usd
        self.pricing = pricing
        self.spent = 0.0  # answered calls, at what they cost
        self.held = 0.0  # calls in flight, at their worst case

    def hold(self, prompt_tokens: int, max_output: int) -> float:
        """Hold a call's worst case, or raise SpendLimitReached (the call is not sent)."""
        worst = self.pricing(prompt_tokens, max_output, False)
        if self.spent + self.held + worst > self.limit:
            raise SpendLimitReached(self.spent + self.held + worst, self.limit, self.spent)
        self.held += worst
        return worst

    def charge(self, held: float, prompt_tokens: int, completion_tokens: int) -> None:
        """The call that held `held` was answered: charge what it cost instead."""
        self.held -= held
        self.spent += self.pricing(prompt_tokens, completion_tokens, False)

    def keep(self, held: float) -> None:
        """The call that held `held` was stopped after it was sent: count it as spent."""
        self.held -= held
        self.spent += held

    def release(self, held: float) -> None:
        """The call that held `held` got no answer to pay for."""
        self.held -= held

    def add(self, prompt_tokens: int, completion_tokens: int, batch: bool) -> None:
        """Charge tokens spent outside a held call (a Batch API job's reply)."""
        self.spent += self.pricing(prompt_tokens, completion_tokens, batch)
