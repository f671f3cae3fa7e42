from __future__ import annotations

import random

from briefer.digests.dedupe import containment, duplicate_groups, shingles

from .conftest import DIGEST_DAY, EXAMPLES


def _body(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_a_rerun_with_a_new_head_a_cut_ending_and_light_edits_is_a_duplicate() -> None:
    original = _body("port-expansion-vote.md")
    paragraphs = original.split("\n\n")
    rerun = "By our wire service. " + "\n\n".join(paragraphs[:-2]).replace(" said ", " says ")
    other = _body("water-tariffs.txt")
    assert duplicate_groups([original, other, rerun]) == [[0, 2], [1]]


def test_distinct_articles_on_the_same_story_are_not_duplicates() -> None:
    approved = (DIGEST_DAY / "harbour-terminal-approved.txt").read_text()
    challenge = (DIGEST_DAY / "fishermen-weigh-court-challenge.md").read_text()
    wire = (DIGEST_DAY / "harbour-terminal-wire.txt").read_text()
    assert duplicate_groups([approved, challenge, wire]) == [[0, 2], [1]]


def test_shared_boilerplate_alone_does_not_make_duplicates() -> None:
    rng = random.Random(7)
    vocabulary = [f"word{i}" for i in range(3000)]
    footer = " ".join(["All rights reserved; reproduction without permission is prohibited."] * 3)
    texts = [" ".join(rng.choice(vocabulary) for _ in range(300)) + " " + footer for _ in range(60)]
    assert len(duplicate_groups(texts)) == 60


def test_short_and_empty_texts_are_handled() -> None:
    assert duplicate_groups(["", "Hi.", "Hi."]) == [[0], [1, 2]]
    assert containment(shingles(""), set()) == 0.0


def test_grouping_is_deterministic_and_covers_every_index() -> None:
    texts = [_body(p.name) for p in sorted(EXAMPLES.iterdir())] * 2
    groups = duplicate_groups(texts)
    assert groups == duplicate_groups(texts)
    assert sorted(i for g in groups for i in g) == list(range(len(texts)))
    assert all(len(g) == 2 for g in groups)
