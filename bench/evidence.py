"""Evidence by reference vs verbatim quotes: the exact requests briefer sends for devset
articles in both modes, and the same answers replayed through the fake server for tokens,
cost and the devset scores.

    python -m bench.evidence record                 # requests -> bench/evidence/requests/
    python -m bench.evidence quotes                 # ref answers -> quote-mode answers
    python -m bench.evidence replay OUTDIR          # answers -> briefings, token table
    python3 ../shared/devset/score.py GOLD OUTDIR/ref --articles ../shared/devset/articles

Answers live in bench/evidence/answers/<mode>/<case>.json: the JSON a model returns to the
recorded request of that case. The ref answers were written by reading each recorded request
as a careful model would; `quotes` derives the quote-mode answer of the same briefing by
replacing each citation with the verbatim text it names (what a quote-mode model copies out).
Completion tokens are the answers counted with briefer's tokenizer (gpt-4o-mini's encoding).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import briefer
from briefer.budget import request_tokens
from briefer.citations import Citations
from briefer.models import estimate_cost
from briefer.sources import load_file
from briefer.tokens import tokenizer_for
from tests.fake_openai import ARTICLE, FakeOpenAI, Reply

HERE = Path(__file__).parent / "evidence"
DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"
CASES = ["tm1156", "tm2177", "tm0839", "tm2489", "tm0922"]
MODES = ("ref", "quote")
MODEL = "gpt-4o-mini"
EVIDENCE_LISTS = ("positions", "open_issues", "key_facts")


def _settings(server: FakeOpenAI, mode: str, cache_dir: str) -> briefer.Settings:
    return briefer.Settings.load(
        base_url=server.url, api_key="bench", model=MODEL, cache_dir=cache_dir, evidence=mode
    )


def record(cases: list[str]) -> None:
    """Write the request briefer sends for each case in each mode (JSON, and the user message
    as text for reading)."""
    server = FakeOpenAI()
    try:
        for mode in MODES:
            folder = HERE / "requests" / mode
            folder.mkdir(parents=True, exist_ok=True)
            for case in cases:
                server.reset()
                with tempfile.TemporaryDirectory() as cache_dir:
                    path = DEVSET / "articles" / f"{case}.txt"
                    briefer.summarize(path, settings=_settings(server, mode, cache_dir))
                [request] = server.requests
                request.pop("_headers", None)
                (folder / f"{case}.json").write_text(json.dumps(request, indent=1))
                (folder / f"{case}.txt").write_text(request["messages"][1]["content"])
                print(f"recorded {mode}/{case}")
    finally:
        server.close()


def quotes() -> None:
    """Derive each quote-mode answer from the ref answer of the same case."""
    target = HERE / "answers" / "quote"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((HERE / "answers" / "ref").glob("*.json")):
        answer = json.loads(path.read_text())
        table = Citations(load_file(DEVSET / "articles" / f"{path.stem}.txt").text)
        for name in EVIDENCE_LISTS:
            for item in answer[name]:
                found = [table.evidence(cite) for cite in item.pop("cites")]
                item["quotes"] = [evidence.quote for evidence in found if evidence is not None]
        (target / path.name).write_text(json.dumps(answer, indent=1, ensure_ascii=False))
        print(f"derived quote/{path.name}")


def _evidence_tokens(answer: dict[str, Any], count: Any) -> int:
    """Tokens the answer spends on its evidence lists (keys, brackets and entries)."""
    total = 0
    for name in EVIDENCE_LISTS:
        for item in answer[name]:
            key = "cites" if "cites" in item else "quotes"
            total += count(json.dumps({key: item[key]}, ensure_ascii=False)) - 2
    return total


def replay(out: Path) -> None:
    """Brief each answered case through the fake server with its answer; print the table."""
    count = tokenizer_for(MODEL).count
    server = FakeOpenAI()
    rows: dict[str, list[tuple[str, int, int, int]]] = {mode: [] for mode in MODES}
    try:
        for mode in MODES:
            answers = sorted((HERE / "answers" / mode).glob("*.json"))
            (out / mode).mkdir(parents=True, exist_ok=True)
            for path in answers:
                answer = json.loads(path.read_text())
                server.reset()
                server.responder = lambda request, answer=answer: Reply(content=answer)
                with tempfile.TemporaryDirectory() as cache_dir:
                    source = DEVSET / "articles" / f"{path.stem}.txt"
                    briefing = briefer.summarize(
                        source, settings=_settings(server, mode, cache_dir)
                    )
                [request] = server.requests
                assert ARTICLE.search(request["messages"][1]["content"])
                (out / mode / path.name).write_text(briefing.model_dump_json(indent=1))
                schema = request["response_format"]
                prompt = request_tokens(count, request["messages"], schema)
                completion = count(json.dumps(answer, ensure_ascii=False))
                rows[mode].append((path.stem, prompt, completion, _evidence_tokens(answer, count)))
                for warning in briefing.warnings:
                    print(f"  {mode}/{path.stem}: {warning}")
    finally:
        server.close()
    _print(rows)


def _print(rows: dict[str, list[tuple[str, int, int, int]]]) -> None:
    print(
        f"{'mode':6} {'case':8} {'prompt':>7} {'compl.':>7} {'evid.':>6} {'share':>6} {'cost $':>9}"
    )
    for mode, cases in rows.items():
        for case, prompt, completion, evidence in cases:
            cost = estimate_cost(MODEL, prompt, completion) or 0.0
            share = evidence / completion if completion else 0.0
            print(
                f"{mode:6} {case:8} {prompt:>7} {completion:>7} {evidence:>6} {share:>6.0%}"
                f" {cost:>9.6f}"
            )
        prompt = sum(row[1] for row in cases)
        completion = sum(row[2] for row in cases)
        evidence = sum(row[3] for row in cases)
        cost = estimate_cost(MODEL, prompt, completion) or 0.0
        share = evidence / completion if completion else 0.0
        print(
            f"{mode:6} {'total':8} {prompt:>7} {completion:>7} {evidence:>6} {share:>6.0%}"
            f" {cost:>9.6f}"
        )
    if all(rows.values()):
        ratio = sum(r[2] for r in rows["ref"]) / sum(r[2] for r in rows["quote"])
        print(f"ref completion tokens = {ratio:.0%} of quote mode on the same briefings")


def gold_subset(out: Path) -> Path:
    """A gold folder holding only the answered cases (score.py averages over the gold)."""
    gold = out / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    for path in (HERE / "answers" / "ref").glob("*.json"):
        shutil.copy(DEVSET / "gold" / path.name, gold / path.name)
    return gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record")
    recording.add_argument("cases", nargs="*", default=CASES)
    commands.add_parser("quotes")
    replaying = commands.add_parser("replay")
    replaying.add_argument("out", type=Path)
    arguments = parser.parse_args()
    if arguments.command == "record":
        record(arguments.cases)
    elif arguments.command == "quotes":
        quotes()
    else:
        replay(arguments.out)
        print(f"gold of the answered cases: {gold_subset(arguments.out)}")


if __name__ == "__main__":
    main()
