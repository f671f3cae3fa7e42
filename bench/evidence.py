"""Evidence by reference vs verbatim quotes: the exact requests briefer sends for devset
articles in both modes, and the same answers replayed through the fake server for tokens,
cost and the devset scores.

    python -m bench.evidence record                 # requests -> bench/evidence/requests/
    python -m bench.evidence quotes                 # ref answers -> quote-mode answers
    python -m bench.evidence replay OUTDIR          # answers -> briefings, token table
    python3 ../shared/devset/score.py GOLD OUTDIR/ref --articles ../shared/devset/articles

Answers live in bench/evidence/answers/<mode>/<case>.json: the JSON a model returns to the
recorded request of that case, written by reading the request as a careful model would. The
quote answers hold the same briefing as the ref answers, with passages chosen by reading (at
most about 40 words, as the quote prompt asks). `quotes` instead derives quote answers by
replacing each citation with the whole text it names: an upper bound for quoting.
Completion tokens are the answers as compact JSON counted with briefer's tokenizer; "evid." is
the part spent on the evidence lists (their keys included).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import briefer
from briefer.briefing.citations import Citations
from briefer.catalog import estimate_cost
from briefer.readers.sources import load_file
from briefer.token_budget import request_tokens
from briefer.tokens import tokenizer_for
from tests.fake_openai import ARTICLE, FakeOpenAI, Reply

HERE = Path(__file__).parent / "evidence"
DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"
CASES = ["tm1156", "tm2177", "tm0839", "tm2489", "tm0922"]
MODES = ("ref", "quote")
# Answer folders and the mode each is replayed in.
REPLAYS = {"ref": "ref", "quote": "quote", "quote-whole": "quote", "ref-issues": "ref"}
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
    """Derive quote-mode answers (answers/quote-whole) from the ref answers."""
    target = HERE / "answers" / "quote-whole"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((HERE / "answers" / "ref").glob("*.json")):
        answer = json.loads(path.read_text())
        table = Citations(load_file(DEVSET / "articles" / f"{path.stem}.txt").text)
        for name in EVIDENCE_LISTS:
            for item in answer[name]:
                found = [table.evidence(cite) for cite in item.pop("cites")]
                item["quotes"] = [evidence.quote for evidence in found if evidence is not None]
        (target / path.name).write_text(json.dumps(answer, indent=1, ensure_ascii=False))
        print(f"derived quote-whole/{path.name}")


def _evidence_tokens(answer: dict[str, Any], count: Any) -> int:
    """Tokens the answer spends on its evidence lists (keys, brackets and entries)."""
    total = 0
    for name in EVIDENCE_LISTS:
        for item in answer[name]:
            key = "cites" if "cites" in item else "quotes"
            total += count(json.dumps({key: item[key]}, ensure_ascii=False, separators=(",", ":")))
    return total


def replay(out: Path) -> None:
    """Brief each answered case through the fake server with its answer; print the table."""
    count = tokenizer_for(MODEL).count
    server = FakeOpenAI()
    rows: dict[str, list[tuple[str, int, int, int]]] = {name: [] for name in REPLAYS}
    try:
        for name, mode in REPLAYS.items():
            answers = sorted((HERE / "answers" / name).glob("*.json"))
            (out / name).mkdir(parents=True, exist_ok=True)
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
                (out / name / path.name).write_text(briefing.model_dump_json(indent=1))
                schema = request["response_format"]
                prompt = request_tokens(count, request["messages"], schema)
                # Structured output comes back as compact JSON.
                completion = count(json.dumps(answer, ensure_ascii=False, separators=(",", ":")))
                rows[name].append((path.stem, prompt, completion, _evidence_tokens(answer, count)))
                for warning in briefing.warnings:
                    print(f"  {name}/{path.stem}: {warning}")
    finally:
        server.close()
    _print(rows)


def _print(rows: dict[str, list[tuple[str, int, int, int]]]) -> None:
    head = f"{'answers':11} {'case':8} {'prompt':>7} {'compl.':>7} {'evid.':>6} {'share':>6}"
    print(f"{head} {'cost $':>9}")
    for name, cases in rows.items():
        totals = ("total", *(sum(row[i] for row in cases) for i in (1, 2, 3)))
        for case, prompt, completion, evidence in [*cases, totals] if cases else []:
            cost = estimate_cost(MODEL, prompt, completion) or 0.0
            share = evidence / completion if completion else 0.0
            print(
                f"{name:11} {case:8} {prompt:>7} {completion:>7} {evidence:>6} {share:>6.0%}"
                f" {cost:>9.6f}"
            )
    for other in ("quote", "quote-whole"):
        if rows["ref"] and rows[other]:
            ratio = sum(r[2] for r in rows["ref"]) / sum(r[2] for r in rows[other])
            print(f"ref completion tokens = {ratio:.0%} of {other} on the same briefings")


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
