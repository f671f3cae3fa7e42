"""The model's comparison of positions on real days: record its exact request, then read an
answer to it.

    # days digested in order into one history, the last one written as JSON
    briefer digest DAY1 --date D1 --history h.sqlite3 -q ...
    briefer digest DAYN --date DN --history h.sqlite3 -f json -o today.json -q
    python -m bench.positions request today.json h.sqlite3 OUT_DIR   # OUT_DIR/request.json, .txt
    # answer request.txt as a careful model would, into OUT_DIR/reply.json:
    # {"changes": [{"before": "B1", "after": "N3", "note": "..."}]}
    python -m bench.positions read today.json h.sqlite3 OUT_DIR      # the changes, checked

The request is the one `briefer digest` sends with a model (the actors both days report, those
with most in common first, within the context window), built from the positions of the digest
given and of the history before its day; an offline digest stands in for the model's.
Run it before the day itself is recorded again, or on a copy of the history holding only the
earlier days: the history's positions of the day itself are not compared.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.planning import planning_runtime
from briefer.digests import position_compare, steps
from briefer.digests.history import History
from briefer.schema import Digest, PositionsDraft
from briefer.text.names import actor_keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("request", "read"))
    parser.add_argument("digest", type=Path)
    parser.add_argument("history", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    digest = Digest.model_validate_json(args.digest.read_text(encoding="utf-8"))
    day = digest.date or ""
    keys = [key for actor in digest.actors for key in actor_keys([actor.name])]
    with History(args.history) as history:
        earlier = history.latest_positions(keys, day)
    with planning_runtime() as runtime:
        headlines = {a.id: a.briefing.headline for a in digest.articles}
        chosen = position_compare.candidates(digest.actors, earlier)
        # The request the digest's step sends, within the budget its runner gives it.
        step = position_compare.ComparePositions(chosen, day, headlines, [])
        [messages] = steps.sendable(runtime, step) or []
        shown = step.shown
    if args.command == "request":
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "request.json").write_text(json.dumps(messages, indent=1), encoding="utf-8")
        readable = "\n\n".join(f"=== {m['role']} ===\n{m['content']}" for m in messages)
        (args.out / "request.txt").write_text(readable, encoding="utf-8")
        print(f"{len(shown)} actors compared")
        return
    draft = PositionsDraft.model_validate_json((args.out / "reply.json").read_text("utf-8"))
    changes, warnings = position_compare.from_draft(draft, shown, day, headlines)
    for warning in warnings:
        print("warning:", warning)
    for change in changes:
        print(f"{change.actor}: {change.note}")
        print(f"  {change.before.day}: {change.before.stance}\n    > {change.before.quote}")
        print(f"  {change.after.day}: {change.after.stance}\n    > {change.after.quote}")


if __name__ == "__main__":
    main()
