"""Story grouping against an editor's grouping: pairwise F1 of linkage methods and thresholds.

    briefer digest DAY_DIR -f json -o day.json -q
    python -m bench.stories day.json ../shared/devset/stories/2017-02-09.json
    python -m bench.stories day.json          # no gold: the largest stories, to read by eye

Reads the digest's articles (titles from the briefings, texts from the source files), regroups
them with each linkage method over a band of thresholds, and prints pairwise F1 (the figure of
score_stories.py) and the three largest story sizes for each.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path
from typing import Any

from briefer.digests import grouping
from briefer.readers.sources import Article

THRESHOLDS = (0.1, 0.125, 0.15, 0.175, 0.2, 0.25)
METHODS = ("single", "average", "complete")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("digest", type=Path)
    parser.add_argument("gold", type=Path, nargs="?")
    args = parser.parse_args()
    digest = json.loads(args.digest.read_text(encoding="utf-8"))
    stems, profiles = _profiles(digest["articles"])
    gold = json.loads(args.gold.read_text(encoding="utf-8")) if args.gold else None
    similar = grouping.similarities(profiles)
    for method in METHODS:
        cells = []
        for threshold in THRESHOLDS:
            stories = grouping.clusters(similar, threshold, method)
            sizes = sorted((len(s) for s in stories), reverse=True)[:3]
            f1 = f"{_pair_f1(stories, stems, gold):.3f}" if gold else "-"
            cells.append(f"{threshold:.3f}: F1 {f1} {sizes}")
        print(f"{method:8s} " + " | ".join(cells))
    if not gold:
        for story in sorted(grouping.group(profiles), key=len, reverse=True)[:8]:
            print(len(story), *(f"\n    {stems[m]} {profiles[m].title[:90]}" for m in story))


def _profiles(articles: list[dict[str, Any]]) -> tuple[list[str], list[grouping.Profile]]:
    stems, profiles = [], []
    for article in articles:
        path = Path(article["sources"][0]["path"])
        text = Article.from_text(path.read_text(encoding="utf-8"), str(path)).text
        stems.append(path.stem)
        title = article["briefing"]["source"]["title"] or ""
        profiles.append(grouping.Profile(title=title, text=text, weight=1.0))
    return stems, profiles


def _pair_f1(stories: list[list[int]], stems: list[str], gold: dict[str, Any]) -> float:
    story_of = {stem: k for k, story in enumerate(gold["stories"]) for stem in story["ids"]}
    predicted = {stems[m]: k for k, story in enumerate(stories) for m in story}
    common = sorted(set(story_of) & set(predicted))
    pairs = list(itertools.combinations(common, 2))
    same_gold = {p for p in pairs if story_of[p[0]] == story_of[p[1]]}
    same_pred = {p for p in pairs if predicted[p[0]] == predicted[p[1]]}
    shared = len(same_gold & same_pred)
    precision = shared / len(same_pred) if same_pred else 1.0
    recall = shared / len(same_gold) if same_gold else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


if __name__ == "__main__":
    main()
