"""The offline engine's quality must not regress: on real news (../shared/devset, annotated by
analysts outside the project) article by article for the spaCy engine, and on the project's own
annotated set (tests/gold) for the rules engine it falls back to.

python -m tests.test_extractive_quality     # prints the devset scores, article by article
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import briefer
from briefer.engines.extractive import nlp, rules
from briefer.readers.sources import Article, load_file
from briefer.schema import Briefing

from .conftest import EXAMPLES
from .scoring import Scores, score

GOLD = sorted((Path(__file__).parent / "gold").glob("*.json"))
DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"
# The rules engine on tests/gold: floors just under its scores when it was written.
RULES_FLOORS = Scores(actor_f1=0.90, quote_recall=0.85, grounded=1.0, issue_recall=0.88)
# The spaCy engine on tests/gold, which it was not developed on: just under its scores.
SPACY_FLOORS = Scores(actor_f1=0.72, quote_recall=0.85, grounded=1.0, issue_recall=0.95)
# The devset's macro floors, as the issue that asked for the spaCy engine set them.
MACRO_FLOORS = {"actF1": 0.75, "posR": 0.60, "issueR": 0.50, "grounded": 1.0}
# Per article: (actor F1, attributed-quote recall, open-issue recall), just under what the spaCy
# engine scored when these floors were set; grounded must be 1.0 everywhere.
ARTICLE_FLOORS: dict[str, tuple[float, float, float]] = {
    # A body named once that acts is an actor (session 15: held-out sets up): here "Bank of
    # China came back" and, in tm1453, the ICBL "won the Nobel Peace Prize", which the
    # analysts left out.
    "tm0437": (0.55, 0.65, 0.20),
    "tm0734": (0.75, 0.80, 0.95),
    "tm0839": (0.75, 0.50, 0.95),
    "tm0922": (0.65, 0.80, 0.60),
    "tm1037": (0.55, 0.50, 0.45),
    "tm1156": (0.50, 0.50, 0.95),
    "tm1210": (0.75, 0.55, 0.70),
    "tm1249": (0.70, 0.50, 0.25),
    "tm1453": (0.75, 0.55, 0.70),
    "tm1517": (0.70, 0.70, 0.70),
    "tm1518": (0.75, 0.70, 0.95),
    # "It was the Lovings,\" she said": a name inside a quotation is not a mention of an actor.
    "tm1673": (0.80, 0.45, 0.95),
    "tm2015": (0.70, 0.45, 0.45),
    "tm2095": (0.60, 0.60, 0.70),
    "tm2177": (0.55, 0.65, 0.60),
    "tm2203": (0.80, 0.95, 0.25),
    # "Washington has not contacted Moscow, Russian news agencies reported, citing a source in
    # Moscow": the analysts give it to Russia, by the source; the engine once did too, but by
    # taking the news agencies for the state (session 17: people from a state are not it).
    "tm2484": (0.55, 0.65, 0.60),
    "tm2489": (0.75, 0.85, 0.45),
    "tm3303": (0.85, 0.85, 0.45),
    "tm3731": (0.80, 0.40, 0.75),
}
MAX_ACTORS = 20
MAX_OPEN_ISSUES = 10


def _devset_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("devset_score", DEVSET / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _needs_devset_and_spacy() -> None:
    if not (DEVSET / "gold").is_dir():
        pytest.skip(f"no devset at {DEVSET} (shared/ is copied beside the checkout in CI)")
    pytest.importorskip("spacy", reason="the spaCy engine needs the nlp extra")
    if nlp.load() is None:
        pytest.skip("spaCy is installed but no English pipeline is (pip install '.[nlp]')")


def devset_scores() -> dict[str, dict[str, Any]]:
    """Each devset case's scores and briefing, from the engine `briefer` picks with no key."""
    scorer = _devset_scorer()
    results: dict[str, dict[str, Any]] = {}
    for gold_path in sorted((DEVSET / "gold").glob("*.json")):
        case = gold_path.stem
        article_path = DEVSET / "articles" / f"{case}.txt"
        briefing = briefer.summarize(article_path, engine="extractive")
        prediction = json.loads(briefing.model_dump_json())
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        scores = scorer.score_case(gold, prediction, article_path.read_text(encoding="utf-8"))
        results[case] = {**scores, "briefing": prediction}
    return results


@pytest.fixture(scope="module")
def devset() -> dict[str, dict[str, Any]]:
    _needs_devset_and_spacy()
    return devset_scores()


def test_devset_has_a_floor_for_every_case(devset: dict[str, dict[str, Any]]) -> None:
    assert sorted(devset) == sorted(ARTICLE_FLOORS)


@pytest.mark.parametrize("case", sorted(ARTICLE_FLOORS))
def test_devset_article_floors(devset: dict[str, dict[str, Any]], case: str) -> None:
    result = devset[case]
    actor_f1, quote_recall, issue_recall = ARTICLE_FLOORS[case]
    assert result["briefing"]["engine"]["model"].startswith("spacy:")
    assert result["actF1"] >= actor_f1, result
    assert result["posR"] >= quote_recall, result
    assert result["issueR"] >= issue_recall, result
    assert result["grounded"] == 1.0, result
    assert len(result["briefing"]["actors"]) <= MAX_ACTORS
    assert len(result["briefing"]["open_issues"]) <= MAX_OPEN_ISSUES


def test_devset_macro_floors(devset: dict[str, dict[str, Any]]) -> None:
    for metric, floor in MACRO_FLOORS.items():
        macro = sum(r[metric] for r in devset.values()) / len(devset)
        assert macro >= floor, (metric, macro)


def averaged(engine: Callable[[Article], Briefing], paths: list[Path] = GOLD) -> Scores:
    results = []
    for path in paths:
        gold = json.loads(path.read_text())
        article = load_file((EXAMPLES / gold["article"]).resolve())
        results.append(score(engine(article), gold, article.text))
    return Scores(
        *(sum(getattr(r, f) for r in results) / len(results) for f in Scores.__annotations__)
    )


def test_rules_engine_scores_do_not_regress() -> None:
    scores = averaged(lambda article: rules.brief(article, tokens=0))
    for field in Scores.__annotations__:
        assert getattr(scores, field) >= getattr(RULES_FLOORS, field), (field, scores)


def test_spacy_engine_scores_on_the_project_gold_do_not_regress() -> None:
    pytest.importorskip("spacy", reason="the spaCy engine needs the nlp extra")
    if nlp.load() is None:
        pytest.skip("spaCy is installed but no English pipeline is (pip install '.[nlp]')")
    scores = averaged(lambda article: briefer.summarize(article, engine="extractive"))
    for field in Scores.__annotations__:
        assert getattr(scores, field) >= getattr(SPACY_FLOORS, field), (field, scores)


def test_engine_is_deterministic(seed_article: Path) -> None:
    first = briefer.summarize(seed_article, engine="extractive")
    assert briefer.summarize(seed_article, engine="extractive") == first


if __name__ == "__main__":
    rows = devset_scores()
    columns = ["actF1", "posR", "posP", "issueR", "grounded"]
    print("case    " + "  ".join(f"{c:>8}" for c in columns))
    for case, row in rows.items():
        print(f"{case}  " + "  ".join(f"{row[c]:8.2f}" for c in columns))
    print(
        "MACRO   "
        + "  ".join(f"{sum(r[c] for r in rows.values()) / len(rows):8.2f}" for c in columns)
    )
