"""How much of the analysts' open issues any engine that picks open sentences can find.

    python -m bench.open_issues.ceiling draw OUT_DIR [--seed 13]
    python -m bench.open_issues.ceiling score [OUT_DIR]   (default: bench/open_issues/ceiling)

`draw` takes every sentence the offline engine considers in the devset's and the held-out set's
articles that the devset's scorer would count as finding some gold open issue, shuffles them
into OUT_DIR/items.txt (what a reader sees) and OUT_DIR/key.json (set, case, sentence, which
gold issues it finds). A reader who never saw the engine marks each OPEN or NOT
(`INSTRUCTIONS.md`, `labels.txt`). `score` then gives, per set, the share of gold issues that
some sentence finds at all, and the share that some sentence the reader called OPEN finds: the
most an engine could reach whose every issue is a sentence that reads as open, however well it
chose (and with no cap on issues an article).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import briefer
from briefer.engines.extractive import spacy_engine

from ..heldout import SETS, scorer
from .sample import read_labels

HERE = Path(__file__).parent / "ceiling"


@contextmanager
def _sentences_seen(seen: list[str]) -> Iterator[None]:
    """Collect the sentences the engine weighs as open issues (after page furniture is
    dropped), by wrapping the function it hands them to."""
    original = spacy_engine.open_sentences

    def wrapped(parts: list[Any], *rest: Any) -> Any:
        seen.extend(" ".join(part.text.split()) for part in parts)
        return original(parts, *rest)

    spacy_engine.open_sentences = wrapped  # type: ignore[assignment]
    try:
        yield
    finally:
        spacy_engine.open_sentences = original  # type: ignore[assignment]


def draw(out: Path, seed: int) -> int:
    score = scorer()
    items = []
    for name in ("devset", "heldout"):
        root = SETS[name]
        for gold_path in sorted((root / "gold").glob("*.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            seen: list[str] = []
            with _sentences_seen(seen):
                briefer.summarize(root / "articles" / f"{gold_path.stem}.txt", engine="extractive")
            for index, text in enumerate(seen):
                found = [
                    n
                    for n, issue in enumerate(gold["open_issues"])
                    if score.issue_matches(text, issue["keywords"])
                ]
                if found:
                    where = {"set": name, "case": gold_path.stem, "sentence": index}
                    items.append({**where, "issues": found, "text": text})
    random.Random(seed).shuffle(items)
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"[{n}] {item['text']}\n" for n, item in enumerate(items, 1)]
    (out / "items.txt").write_text("".join(lines), encoding="utf-8")
    key = {
        str(n): {k: v for k, v in item.items() if k != "text"} for n, item in enumerate(items, 1)
    }
    (out / "key.json").write_text(json.dumps(key, indent=0) + "\n", encoding="utf-8")
    return len(items)


def bound(folder: Path) -> list[str]:
    key = json.loads((folder / "key.json").read_text(encoding="utf-8"))
    labels = read_labels(folder)
    rows = []
    for name in ("devset", "heldout"):
        found: dict[str, set[int]] = defaultdict(set)
        opened: dict[str, set[int]] = defaultdict(set)
        for n, where in key.items():
            if where["set"] == name:
                found[where["case"]].update(where["issues"])
                if labels[n] == "OPEN":
                    opened[where["case"]].update(where["issues"])
        shares = []
        for gold_path in sorted((SETS[name] / "gold").glob("*.json")):
            issues = len(json.loads(gold_path.read_text(encoding="utf-8"))["open_issues"])
            if issues:
                case = gold_path.stem
                shares.append((len(found[case]) / issues, len(opened[case]) / issues))
        anywhere = sum(s for s, _ in shares) / len(shares)
        in_open = sum(s for _, s in shares) / len(shares)
        rows.append(
            f"{name:8} issue recall (macro, {len(shares)} articles): any sentence {anywhere:.2f},"
            f" sentences read as open {in_open:.2f}"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("draw", "score"))
    parser.add_argument("out", type=Path, nargs="?", default=HERE)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if args.command == "draw":
        print(f"{draw(args.out, args.seed)} sentences in {args.out / 'items.txt'}")
    else:
        print("\n".join(bound(args.out)))


if __name__ == "__main__":
    main()
