"""What a digest's model step is: the protocol every step follows (see steps.py for the list,
the runner and the planner), and the request it hands the runner to render."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

R_co = TypeVar("R_co", covariant=True)


@dataclass(frozen=True)
class Request:
    """A step's request before the runner renders it: the data it carries (fenced by a
    marker) and the prompt's other fields."""

    data: str
    fields: Mapping[str, str]


class Step(Protocol[R_co]):
    """One model step of a digest."""

    @property
    def name(self) -> str:
        """How a failure names the step."""

    @property
    def prompt(self) -> str:
        """Its templates' name: `<prompt>.system` and `<prompt>.user`."""

    @property
    def carries(self) -> str:
        """The user template's field that holds the data."""

    @property
    def reply(self) -> type[BaseModel]:
        """The schema its replies follow."""

    @property
    def fallback(self) -> str:
        """The note when a call failed and the offline result stands in."""

    def empty(self) -> Request:
        """This step's request without its data, for the budget of its data."""

    def offline(self) -> R_co:
        """The result without a model."""

    def asks(self) -> bool:
        """Whether there is anything to ask a model (an editor's pass of one article has
        not): when there is and no request fits the window, the run says so."""

    def requests(self, count_tokens: Callable[[str], int], budget: int) -> list[Request]:
        """The requests to send, their data within `budget` tokens each; none when there is
        nothing to ask a model."""

    def read(self, replies: Sequence[Any]) -> R_co:
        """The result from the replies to `requests`, in order."""


class StepClass(Protocol):
    """What the planner needs of a step's class before there is anything to run it on: its
    name, prompt and reply's schema, its request without data (`skeleton`), and the data
    tokens of each call for a digest of so many distinct articles within a budget, their words
    taking `density` times the tokens of English news (`estimate`)."""

    @property
    def name(self) -> str: ...

    @property
    def prompt(self) -> str: ...

    @property
    def carries(self) -> str: ...

    @property
    def reply(self) -> type[BaseModel]: ...

    def skeleton(self) -> Request: ...

    def estimate(self, articles: int, budget: int, density: float) -> list[int]: ...
