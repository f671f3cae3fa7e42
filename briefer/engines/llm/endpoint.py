"""What one endpoint and model were found to accept, as one record: the structured mode that
worked, the request shape it took (parameters it refused or renamed), and how many tokens it
counts per token of briefer's. Read from the cache when a client opens, updated as the run
learns, and written back at once, so that a refusal is paid for once across runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...cache import Cache


@dataclass
class Accepted:
    """What `endpoint` (a provider's label) and `model` accept, as far as briefer knows."""

    endpoint: str
    model: str
    # The structured-output mode that last worked (a rung of the provider's ladder).
    structured_mode: str | None = None
    # The request shape (JSON of shape.RequestShape) the endpoint took.
    request_shape: str | None = None
    # Its prompt token count over briefer's, with COUNT_RATIO_SLACK: what budgets are scaled by.
    count_margin: float | None = None
    store: Cache | None = field(default=None, repr=False)

    @classmethod
    def recalled(cls, store: Cache | None, endpoint: str, model: str) -> Accepted:
        """What earlier runs learned of `endpoint` and `model` (nothing without a cache)."""
        if store is None:
            return cls(endpoint, model)
        return cls(
            endpoint,
            model,
            structured_mode=store.structured_mode(endpoint, model),
            request_shape=store.request_shape(endpoint, model),
            count_margin=store.token_margin(endpoint, model),
            store=store,
        )

    def took_mode(self, mode: str) -> None:
        """The endpoint answered in `mode`: later calls and runs start there."""
        if mode != self.structured_mode:
            self.structured_mode = mode
            if self.store is not None:
                self.store.remember_structured_mode(self.endpoint, self.model, mode)

    def took_shape(self, shape: str) -> None:
        """A refusal changed the request shape: later calls and runs send `shape`."""
        if shape != self.request_shape:
            self.request_shape = shape
            if self.store is not None:
                self.store.remember_request_shape(self.endpoint, self.model, shape)

    def counts_more(self, margin: float) -> bool:
        """The endpoint counts `margin` tokens per token of briefer's (slack included); kept
        when it is more than known (and than 1: budgets never grow past briefer's own count).
        Returns whether it was."""
        if margin <= (self.count_margin or 1.0):
            return False
        self.count_margin = margin
        if self.store is not None:
            self.store.remember_token_margin(self.endpoint, self.model, margin)
        return True
