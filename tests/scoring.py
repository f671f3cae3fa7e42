"""Score briefings against gold annotations: actor F1, attributed-quote recall, grounded share,
open-issue recall. Actors match by name or alias (case-insensitive); a gold quote is recalled by
a position of the same actor whose evidence overlaps the gold quote's span in the text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefer import Briefing


@dataclass(frozen=True)
class Scores:
    actor_f1: float
    quote_recall: float
    grounded: float
    issue_recall: float


def _names(names: list[str]) -> set[str]:
    return {n.lower().removeprefix("the ").strip() for n in names if n.strip()}


def _span(text: str, quote: str) -> tuple[int, int]:
    at = text.find(quote)
    assert at >= 0, f"gold quote not in the article: {quote!r}"
    return at, at + len(quote)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(briefing: Briefing, gold: dict[str, Any], text: str) -> Scores:
    gold_actors = [_names([g["name"], *g["aliases"]]) for g in gold["actors"]]
    predicted = {a.name: _names([a.name, *a.aliases]) for a in briefing.actors}
    matched_gold = {i for i, g in enumerate(gold_actors) if any(g & p for p in predicted.values())}
    matched_pred = {n for n, p in predicted.items() if any(g & p for g in gold_actors)}
    precision = len(matched_pred) / len(predicted) if predicted else 0.0
    recall = len(matched_gold) / len(gold_actors)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def same_actor(predicted_name: str, gold_name: str) -> bool:
        gold_set = next(g for g in gold_actors if gold_name.lower() in g)
        return bool(predicted.get(predicted_name, set()) & gold_set)

    recalled = 0
    for item in gold["quotes"]:
        span = _span(text, item["quote"])
        recalled += any(
            same_actor(p.actor, item["actor"]) and _overlaps(span, (e.start, e.end))
            for p in briefing.positions
            for e in p.evidence
        )
    evidence = [e for p in briefing.positions for e in p.evidence] + [
        e for i in briefing.open_issues for e in i.evidence
    ]
    grounded = sum(text[e.start : e.end] == e.quote for e in evidence) / max(1, len(evidence))
    issues = sum(
        any(
            _overlaps(_span(text, g["quote"]), (e.start, e.end))
            for i in briefing.open_issues
            for e in i.evidence
        )
        for g in gold["open_issues"]
    )
    return Scores(f1, recalled / len(gold["quotes"]), grounded, issues / len(gold["open_issues"]))
