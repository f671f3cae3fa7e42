"""--dry-run tables: calls, prompt tokens and worst-case cost, sent directly or in batches."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any

import click

from ..sanitize import message_line
from .app import command_line_inputs, error_line


def print_plan(inputs: tuple[str, ...], settings: Any) -> None:
    from ..api import Outcome, plan

    rows = plan(command_line_inputs(inputs), settings=settings)
    failed = 0
    for row in rows:
        if isinstance(row, Outcome):
            failed += 1
            error_line(str(row.error))
    _print_plan_table([row for row in rows if not isinstance(row, Outcome)])
    if failed:
        sys.exit(1)


def fit(name: str, width: int) -> str:
    """`name` in at most `width` characters: its start and its end (the file's own name) kept,
    the middle of a long path left out."""
    if len(name) <= width:
        return name
    own = len(name.replace("\\", "/").rsplit("/", 1)[-1])
    tail = max(width - width // 3 - 1, min(own, width - 4))
    return name[: width - tail - 1] + "…" + name[len(name) - tail :]


def _money(value: float | None) -> str:
    # Costs here are at most: rounded up, so that the figure shown passes --max-cost.
    return "n/a" if value is None else f"${math.ceil(value * 10_000 - 1e-9) / 10_000:.4f}"


def _add(total: float | None, value: float | None) -> float | None:
    return None if total is None or value is None else total + value


def _print_plan_table(rows: list[Any], steps: Sequence[Any] = ()) -> None:
    """Per input, per digest step after the briefings, and in total: calls, prompt tokens and
    worst-case cost, sent synchronously and with the map calls in Batch API jobs (the steps
    are always sent directly)."""
    click.echo(
        f"{'input':38} {'engine':10} {'tokens':>7} {'chunks':>6} {'calls':>5} {'cached':>6} "
        f"{'prompt tok':>10} {'max cost':>10} {'batch cost':>10}"
    )
    calls = tokens = batched = 0
    sync_cost: float | None = 0.0
    batch_cost: float | None = 0.0
    for row in rows:
        name = fit(message_line(row.source), 38)
        click.echo(
            f"{name:38} {row.engine:10} {row.article_tokens:>7} {row.chunks:>6} "
            f"{row.calls:>5} {row.cached_calls:>6} {row.prompt_tokens:>10} "
            f"{_money(row.max_cost_usd):>10} {_money(row.max_cost_batch_usd):>10}"
        )
        calls += row.calls - row.cached_calls
        batched += max(0, row.chunks - row.cached_calls) if row.engine == "llm" else 0
        tokens += row.prompt_tokens_to_send
        sync_cost = _add(sync_cost, row.max_cost_usd)
        batch_cost = _add(batch_cost, row.max_cost_batch_usd)
    for step in steps:
        if not step.calls:
            continue
        cost = _money(step.max_cost_usd)
        click.echo(
            f"{fit('(' + step.name + ')', 38):38} {'llm':10} {'':>7} {'':>6} {step.calls:>5}"
            f" {0:>6} {step.prompt_tokens:>10} {cost:>10} {cost:>10}"
        )
        calls += step.calls
        tokens += step.prompt_tokens
        sync_cost = _add(sync_cost, step.max_cost_usd)
        batch_cost = _add(batch_cost, step.max_cost_usd)
    click.echo(
        f"sync:  {calls} call(s) to send, {tokens} prompt tokens, cost at most {_money(sync_cost)}"
    )
    click.echo(
        f"batch: {batched} map call(s) in Batch API jobs + {calls - batched} sent directly,"
        f" cost at most {_money(batch_cost)} (nothing was sent)"
    )


def print_digest_plan(
    inputs: tuple[str, ...], settings: Any, day: str | None, since: str | None
) -> None:
    from ..api import plan_digest
    from ..render.digest_markdown import counted

    planned = plan_digest(list(inputs), date=day, since=since, settings=settings)
    for failure in planned.failures:
        error_line(f"{failure.source}: {failure.reason}")
    click.echo(
        f"{counted(len(planned.plans), 'distinct article')};"
        f" {counted(planned.duplicates, 'duplicate')} folded in;"
        f" {planned.outside_window} outside the date window;"
        f" {planned.fetches} linked page(s) to fetch (not fetched now: planned from the feed's"
        " own text)"
    )
    _print_plan_table(planned.plans, planned.steps)
    if planned.failures:
        sys.exit(1)
