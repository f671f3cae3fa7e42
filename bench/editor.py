"""The editor's pass on a real day: record its exact requests, then score answers to them.

    briefer digest DAY_DIR -f json -o day.json -q --no-history
    python -m bench.editor request day.json OUT_DIR     # OUT_DIR/part-N.json, .txt, .ids.json
    # answer each part-N.txt as a careful model would (reading, not by a program), into
    # OUT_DIR/reply-N.json: {"stories": [{"articles": ["A1", "A7"], "headline": "..."}]}
    python -m bench.editor score day.json OUT_DIR -o edited.json
    python3 ../shared/devset/score_stories.py ../shared/devset/stories/2017-02-09.json edited.json

The requests are those `briefer digest` sends with a model (cards in the offline grouping's
order, split by the model's context window), built here from the briefings of the digest given,
so an offline digest stands in for the model's briefings: the cards' headlines are the
articles' titles either way; summary and actors are the offline engine's.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.planning import planning_runtime
from briefer.digests import build, editor_pass, steps
from briefer.readers.sources import Article
from briefer.runtime import Runtime
from briefer.schema import Digest, EditorDraft, Story


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    request = commands.add_parser("request")
    request.add_argument("digest", type=Path)
    request.add_argument("out", type=Path)
    score = commands.add_parser("score")
    score.add_argument("digest", type=Path)
    score.add_argument("replies", type=Path)
    score.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    digest = Digest.model_validate_json(args.digest.read_text(encoding="utf-8"))
    if args.command == "request":
        with planning_runtime() as runtime:
            _write_requests(runtime, digest, _step(digest), args.out)
    else:
        _score(digest, args.replies, args.output)


def _step(digest: Digest) -> editor_pass.EditorPass:
    articles = digest.articles
    texts = []
    for article in articles:
        path = Path(article.sources[0].path or "")
        texts.append(Article.from_text(path.read_text(encoding="utf-8"), str(path)).text)
    order, _ = build.offline_grouping(articles, texts)
    return editor_pass.EditorPass(articles, order, digest.date)


def _write_requests(
    runtime: Runtime, digest: Digest, step: editor_pass.EditorPass, out: Path
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # The requests the digest's step sends, within the budget its runner gives it.
    requests = steps.sendable(runtime, step) or []
    for number, (part, messages) in enumerate(zip(step.asked, requests, strict=True), 1):
        (out / f"part-{number}.json").write_text(json.dumps(messages, indent=1), encoding="utf-8")
        readable = "\n\n".join(f"=== {m['role']} ===\n{m['content']}" for m in messages)
        (out / f"part-{number}.txt").write_text(readable, encoding="utf-8")
        # The references' articles, so that a reply is scored against the request it answers
        # even after the offline grouping (which orders the cards) has changed.
        ids = [digest.articles[i].id for i in part]
        (out / f"part-{number}.ids.json").write_text(json.dumps(ids), encoding="utf-8")
        print(f"part {number}: {len(part)} cards")


def _score(digest: Digest, replies: Path, output: Path) -> None:
    index = {article.id: n for n, article in enumerate(digest.articles)}
    drafts = []
    for ids_file in sorted(replies.glob("part-*.ids.json")):
        part = [index[i] for i in json.loads(ids_file.read_text(encoding="utf-8"))]
        reply = replies / ids_file.name.replace("part-", "reply-").replace(".ids.json", ".json")
        drafts.append((EditorDraft.model_validate_json(reply.read_text(encoding="utf-8")), part))
    edited = editor_pass.from_drafts(drafts, len(digest.articles))
    for warning in edited.warnings:
        print("warning:", warning)
    pairs = zip(edited.groups, edited.headlines, strict=True)
    stories = [
        Story(
            id=f"S{n}",
            headline=headline or digest.articles[members[0]].briefing.headline,
            articles=[digest.articles[m].id for m in members],
            actors=[],
            importance=0.0,
        )
        for n, (members, headline) in enumerate(pairs, 1)
    ]
    regrouped = digest.model_copy(update={"stories": stories})
    output.write_text(regrouped.model_dump_json(indent=1), encoding="utf-8")
    print(f"{len(stories)} stories, {sum(len(s.articles) > 1 for s in stories)} of 2+ articles")


if __name__ == "__main__":
    main()
