"""A digest's model steps — the editor's pass, the synthesis, the position comparison — as one
kind of thing, with one runner and one planner.

A step knows its offline result, the data of the requests it would send within a prompt
budget, how to read the replies, and (before any article is briefed) what it will cost. The
runner renders a step's requests (its prompt, the data fenced by a marker made from it), sends
them through the run's client, or gives the offline result without a model, when the step has
nothing to ask, or when a call fails (with the failure and a note); a configuration error stops
the run. A reply's references to the request's items arrive in one form (`schema.Reference`).
The planner walks the same list of steps, so `--dry-run` and `--max-cost` count every call a
digest can make.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from ..catalog import context_window
from ..errors import BrieferError, ConfigError, CostLimitError, HistoryError
from ..prompts import PromptSet, fenced_request
from ..readers.sources import Article
from ..runtime import Runtime
from ..schema import Failure, Usage, strict_json_schema
from ..spending import cost_of
from ..token_budget import data_budget, output_cap, request_tokens
from .editor_pass import EditorPass
from .history import History
from .position_compare import ComparePositions
from .step import Request, Step, StepClass
from .synthesis import Synthesise

R = TypeVar("R")

Messages = list[dict[str, str]]


# In the order a digest runs them; the position comparison only with a history to compare.
STEPS: tuple[StepClass, ...] = (EditorPass, Synthesise, ComparePositions)


@dataclass
class Ran(Generic[R]):
    """A step's result, with the failure and notes to add to the digest."""

    value: R
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def render(prompts: PromptSet, step: Step[Any] | StepClass, request: Request) -> Messages:
    """The messages of one of `step`'s requests: its prompt, the data fenced by a marker
    made from the data (so no article can close the fence), and the other fields."""
    return fenced_request(prompts, step.prompt, step.carries, request.data, **request.fields)


def prompt_budget(runtime: Runtime, empty: Messages, reply: type[BaseModel]) -> int:
    """Tokens left for the data of a request whose messages without data are `empty`."""
    settings = runtime.settings
    overhead = request_tokens(runtime.tokenizer.count, empty, strict_json_schema(reply))
    window = context_window(settings.model, settings.context_window)
    output = output_cap(settings.model, settings.max_output_tokens)
    return data_budget(window, output, overhead, runtime.tokenizer.margin)


def sendable(runtime: Runtime, step: Step[Any]) -> list[Messages]:
    """The messages `step` would send with the run's prompts, each within the model's
    window; none when its instructions and reply leave no room for any data."""
    prompts = runtime.prompts
    budget = prompt_budget(runtime, render(prompts, step, step.empty()), step.reply)
    if budget <= 0:
        return []
    return [
        render(prompts, step, request) for request in step.requests(runtime.tokenizer.count, budget)
    ]


async def run(runtime: Runtime, step: Step[R], usage: Usage) -> Ran[R]:
    """Run one step: its replies read, or its offline result (and why). Only a step of
    STEPS runs: one the planner does not know would be a call --max-cost never counted."""
    if step.name not in {kind.name for kind in STEPS}:
        raise AssertionError(f"the {step.name} is not in steps.STEPS: the plan would miss it")
    client = runtime.client
    if client is None or not step.asks():
        return Ran(step.offline())
    requests = sendable(runtime, step)
    if not requests:
        # The step's instructions and reply fill the window, or no part of its data fits.
        note = f"the {step.name} did not fit the model's context window; the offline one stands in"
        return Ran(step.offline(), [], [note])
    try:
        replies = [await client.structured(request, step.reply, usage) for request in requests]
    except CostLimitError:
        # The run's spending so far leaves no room for it: the limit is the user's.
        note = f"the {step.name} would have gone over --max-cost; the offline one stands in"
        return Ran(step.offline(), [], [note])
    except ConfigError:
        raise
    except BrieferError as exc:
        return Ran(step.offline(), [Failure(source=step.name, reason=str(exc))], [step.fallback])
    return Ran(step.read(replies))


@dataclass(frozen=True)
class StepPlan:
    """What one step will send at most: calls, prompt tokens, worst-case cost (None: no
    price known)."""

    name: str
    calls: int
    prompt_tokens: int
    max_cost_usd: float | None


# Tokens per character of English news as briefer counts them: what the steps' estimates of a
# card, a briefing or an actor's positions are made for.
ENGLISH_TOKENS_PER_CHAR = 0.21
# Characters of each article that tell its language's density.
DENSITY_SAMPLE = 2000


def density(count_tokens: Callable[[str], int], articles: Sequence[Article]) -> float:
    """How many times the tokens of English news a character of `articles` takes (at least
    1): the steps carry the briefings' words, in the articles' language."""
    sample = [article.text[:DENSITY_SAMPLE] for article in articles]
    chars = sum(len(text) for text in sample)
    if not chars:
        return 1.0
    tokens = sum(count_tokens(text) for text in sample)
    return max(1.0, tokens / chars / ENGLISH_TOKENS_PER_CHAR)


def plan_steps(runtime: Runtime, articles: Sequence[Article], comparing: bool) -> list[StepPlan]:
    """What the digest's steps will send for the distinct `articles`, at most; the position
    comparison only when `comparing` (a history with an earlier day)."""
    if runtime.client is None:
        return []
    settings = runtime.settings
    words = density(runtime.tokenizer.count, articles)
    output = output_cap(settings.model, settings.max_output_tokens)
    plans = []
    for kind in STEPS:
        if kind.name == ComparePositions.name and not comparing:
            continue
        skeleton = render(runtime.prompts, kind, kind.skeleton())
        overhead = request_tokens(runtime.tokenizer.count, skeleton, strict_json_schema(kind.reply))
        budget = prompt_budget(runtime, skeleton, kind.reply)
        # No room for any data: the step gives its offline result and sends nothing.
        data = kind.estimate(len(articles), budget, words) if budget > 0 else []
        prompt = sum(overhead + tokens for tokens in data)
        cost = cost_of(settings, prompt, output * len(data)) if data else 0.0
        plans.append(StepPlan(kind.name, len(data), prompt, cost))
    return plans


def has_earlier_day(runtime: Runtime, day: str) -> bool:
    """Whether the run's history holds a day before `day`: the condition for a position
    comparison."""
    settings = runtime.settings
    path = settings.resolved_history_path
    if not settings.use_history or not path.exists():
        return False
    try:
        with History(path) as history:
            return history.previous_day(day) is not None
    except HistoryError:
        return False
