from __future__ import annotations

import re
from typing import Any

import briefer
from briefer.digests.editor_pass import card, from_drafts, parts
from briefer.schema import EditorDraft

from .conftest import DIGEST_DAY, FEEDS
from .fake_openai import CARD_HEAD, CARDS, FakeOpenAI, Reply

INPUTS = [str(DIGEST_DAY), str(FEEDS / "evening-wire.xml")]
DAY = "2026-11-26"


def _cards(request: dict[str, Any]) -> str | None:
    for message in request["messages"]:
        if found := CARDS.search(message["content"] or ""):
            return found.group(2)
    return None


def _editor_requests(fake: FakeOpenAI) -> list[dict[str, Any]]:
    return [r for r in fake.requests if _cards(r) is not None]


def test_the_editor_groups_the_stories_and_heads_them(fake: FakeOpenAI) -> None:
    def editor(request: dict[str, Any]) -> Reply | None:
        cards = _cards(request)
        if cards is None:
            return None
        refs = [ref for ref, head in CARD_HEAD.findall(cards) if re.search("[Tt]ariff", head)]
        story = {"headline": "Water tariff bill delayed in parliament", "articles": refs}
        return Reply(content={"stories": [story]})

    fake.responder = editor
    digest = briefer.digest(INPUTS, date=DAY)
    [request] = _editor_requests(fake)
    cards = _cards(request) or ""
    # Cards, not articles: a sentence of an article body never reaches the editor.
    assert "The association represents about 300 boats." not in cards
    assert "<<<ARTICLE" not in request["messages"][-1]["content"]
    assert len(CARD_HEAD.findall(cards)) == len(digest.articles)
    [tariff] = [s for s in digest.stories if len(s.articles) > 1]
    assert tariff.headline == "Water tariff bill delayed in parliament"
    assert len(digest.stories) == len(digest.articles) - 1
    assert not digest.failures


def test_a_failed_editor_pass_falls_back_to_the_offline_grouping(fake: FakeOpenAI) -> None:
    fake.responder = lambda r: Reply(status=403) if _cards(r) is not None else None
    digest = briefer.digest(INPUTS, date=DAY)
    offline = briefer.digest(INPUTS, date=DAY, engine="extractive")
    assert [f.source for f in digest.failures] == ["editor's pass"]
    assert any("offline grouping" in w for w in digest.warnings)
    assert sorted(len(s.articles) for s in digest.stories) == sorted(
        len(s.articles) for s in offline.stories
    )


def test_the_editor_request_is_the_same_for_the_same_articles(fake: FakeOpenAI) -> None:
    briefer.digest(INPUTS, date=DAY, use_cache=False)
    first = _editor_requests(fake)[0]["messages"]
    fake.requests.clear()
    briefer.digest(list(reversed(INPUTS)), date=DAY, use_cache=False)
    assert _editor_requests(fake)[0]["messages"] == first


def test_a_rerun_answers_the_editor_from_the_cache(fake: FakeOpenAI) -> None:
    first = briefer.digest(INPUTS, date=DAY)
    fake.requests.clear()
    second = briefer.digest(INPUTS, date=DAY)
    assert not fake.requests
    assert [s.headline for s in second.stories] == [s.headline for s in first.stories]


def test_replies_are_checked_against_the_cards() -> None:
    draft = EditorDraft.model_validate(
        {
            "stories": [
                {"headline": "  One   event ", "articles": ["A1", "[a3]", "A9"]},
                {"headline": "Again", "articles": ["A3", "A2"]},
            ]
        }
    )
    edited = from_drafts([(draft, [10, 11, 12, 13])], 14)
    assert edited.groups[0] == [10, 12] and edited.headlines[0] == "One event"
    # A3 is taken: the second story keeps only A2, which then stands alone.
    assert [11] in edited.groups and [13] in edited.groups and [0] in edited.groups
    assert len(edited.groups) == 14 - 1
    assert any("'A9'" in w for w in edited.warnings)
    assert any("two stories" in w for w in edited.warnings)


def test_a_day_too_large_for_one_call_is_split_between_stories() -> None:
    digest = briefer.digest(INPUTS, date=DAY, engine="extractive")
    articles = digest.articles
    cost = max(len(card("A000", a)) for a in articles) + 1
    order = [[0, 1], [2, 3], [4], [5]]
    split = parts(articles, order, len, budget=cost * 2 + 2)
    assert split[0] == [0, 1] and split[1] == [2, 3]
    assert sum(split, []) == [0, 1, 2, 3, 4, 5]
    assert parts(articles, order, len, budget=10**6) == [[0, 1, 2, 3, 4, 5]]
