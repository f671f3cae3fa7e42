"""How a digest step's request names its items (A3, C2, B1, N1) and how a reply's citation of
one is read back: a model writes "[A3]", " a3" or "A3" for the same item. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def cited(table: Mapping[str, T], reference: str) -> T | None:
    """The item a reply's `reference` names in `table` (keyed "A1", "B2", ...), if any."""
    return table.get(reference.strip().strip("[]").upper())
