from __future__ import annotations

from briefer.briefing.merge import ActorIndex, merge_drafts, normalize
from briefer.schema import Draft, DraftActor, DraftOpenIssue, DraftPosition


def actor(
    name: str, kind: str = "person", aliases: list[str] | None = None, role: str | None = None
) -> DraftActor:
    return DraftActor(name=name, kind=kind, role=role, aliases=aliases or [])  # type: ignore[arg-type]


def draft(
    actors: list[DraftActor],
    positions: list[DraftPosition],
    issues: list[DraftOpenIssue] | None = None,
) -> Draft:
    return Draft(
        headline="h",
        summary="s",
        actors=actors,
        positions=positions,
        open_issues=issues or [],
        key_facts=[],
    )


def test_actors_unified_by_alias_and_surname() -> None:
    index = ActorIndex(
        [
            actor("Araz Azimov", role="Deputy Foreign Minister"),
            actor("Azimov"),
            actor("North Atlantic Treaty Organization", "organization", ["NATO"]),
            actor("NATO", "organization", ["the alliance"]),
        ]
    )
    assert [a.name for a in index.actors] == ["Araz Azimov", "North Atlantic Treaty Organization"]
    assert index.resolve("the alliance") == "North Atlantic Treaty Organization"
    assert index.resolve("Deputy Minister Azimov") == "Araz Azimov"
    assert index.actors[0].role == "Deputy Foreign Minister"


def test_unknown_position_actor_is_added_with_a_warning() -> None:
    result, warnings = normalize(
        draft(
            [actor("NATO", "organization")],
            [DraftPosition(actor="Vasily Istratov", stance="Warns.", quotes=["q"])],
        )
    )
    assert "Vasily Istratov" in [a.name for a in result.actors]
    assert result.positions[0].actor == "Vasily Istratov"
    assert warnings and "Vasily Istratov" in warnings[0]


def test_unknown_stakeholder_is_dropped_with_a_warning() -> None:
    result, warnings = normalize(
        draft(
            [actor("NATO", "organization")],
            [],
            [DraftOpenIssue(issue="Karabakh", stakeholders=["NATO", "Nobody"], quotes=[])],
        )
    )
    assert result.open_issues[0].stakeholders == ["NATO"]
    assert any("Nobody" in w for w in warnings)


def test_merge_across_chunks_removes_duplicates() -> None:
    first = draft(
        [actor("Araz Azimov", aliases=["Azimov"])],
        [DraftPosition(actor="Azimov", stance="Wants guarantees.", quotes=["a"])],
    )
    second = draft(
        [actor("Azimov")],
        [DraftPosition(actor="Araz Azimov", stance="wants guarantees", quotes=["b"])],
    )
    merged, _ = merge_drafts([first, second])
    assert len(merged.actors) == 1
    assert len(merged.positions) == 1 and merged.positions[0].quotes == ["a", "b"]


def test_people_who_share_a_surname_stay_apart() -> None:
    index = ActorIndex(
        [
            actor("Barack Obama", aliases=["Obama"], role="former president"),
            actor("Michelle Obama", aliases=["Obama"]),
            actor("Obama"),
            actor("Barack Obama", aliases=["Obama"]),
            actor("President Barack Obama", aliases=["Obama"]),
            actor("Colum Kenny", aliases=["Kenny"]),
            actor("Enda Kenny", aliases=["Kenny", "Taoiseach Enda Kenny"]),
            actor("Trump White House", "organization", aliases=["Trump", "White House"]),
            actor("White House", "organization"),
            actor("Trump", "organization"),
            actor("Trump"),
            actor("Donald Trump", aliases=["Trump"]),
            actor("Donald Trump", "organization", aliases=["Trump"]),
            actor("Donald Trump Jr", aliases=["Trump"]),
        ]
    )
    names = sorted(a.name for a in index.actors)
    assert names == [
        "Barack Obama",
        "Colum Kenny",
        "Donald Trump",
        "Donald Trump Jr",
        "Enda Kenny",
        "Michelle Obama",
        "Trump White House",
    ]
    # A surname alone joins the person it names most often; the order of first appearance stays.
    assert index.resolve("Obama") == "Barack Obama"
    assert index.resolve("Taoiseach Enda Kenny") == "Enda Kenny"
    assert index.resolve("White House") == "Trump White House"  # a name in common, not a surname
    assert [a.name for a in index.actors][:2] == ["Barack Obama", "Michelle Obama"]


def test_a_name_and_its_fuller_form_are_one_person() -> None:
    index = ActorIndex(
        [
            actor("Donald Trump", aliases=["Trump"]),
            actor("Donald J. Trump", aliases=["Trump", "President Trump"]),
            actor("Trump"),
        ]
    )
    assert [a.name for a in index.actors] == ["Donald J. Trump"]


def test_the_name_most_records_use_is_the_label() -> None:
    index = ActorIndex(
        [
            actor("Donald Trump", aliases=["Trump"]),
            actor("Donald Trump Europe", aliases=["Donald Trump", "Trump"]),
            actor("Donald] Trump", aliases=["Trump"]),
            actor("Donald Trump", aliases=["Trump"]),
        ]
    )
    assert [(a.name, a.aliases) for a in index.actors] == [
        ("Donald Trump", ["Trump", "Donald Trump Europe"])
    ]


def test_a_merged_position_without_evidence_is_not_shown_to_the_consolidation() -> None:
    # Seen on a real server: a small model's part cited nothing usable for one position; the
    # consolidation request must still be built (a reply shape with cites for every position).
    from briefer.schema import as_reply

    kept = DraftPosition(actor="A", stance="Wants talks.", quotes=["S1"])
    empty = DraftPosition.model_construct(actor="A", stance="Wants more.", quotes=[])
    draft = Draft.model_construct(
        headline="h",
        summary="s",
        actors=[DraftActor(name="A", kind="person", role=None, aliases=[])],
        positions=[kept, empty],
        open_issues=[],
        key_facts=[],
    )
    reply = as_reply(draft, "ref")
    assert [p.stance for p in reply.positions] == ["Wants talks."]


def test_a_state_that_one_article_joined_to_its_ministry_keeps_the_state_s_name() -> None:
    """Most articles name the state; one names its ministry, and another gave the state the
    ministry's name as an alias: the day's actor is the state, named as the state."""
    index = ActorIndex(
        [
            DraftActor(name="Dravia", kind="state", role=None, aliases=[]),
            DraftActor(
                name="Dravia", kind="state", role=None, aliases=["Dravian Interior Ministry"]
            ),
            DraftActor(name="Dravia", kind="state", role=None, aliases=[]),
            DraftActor(
                name="Dravian Interior Ministry", kind="organization", role=None, aliases=[]
            ),
        ]
    )
    [actor] = index.actors
    assert (actor.name, actor.kind) == ("Dravia", "state")
    assert index.resolve("Dravian Interior Ministry") == "Dravia"


def test_a_full_name_from_a_record_of_no_clear_kind_still_names_the_person() -> None:
    index = ActorIndex(
        [
            DraftActor(name="Keir Starmer", kind="other", role=None, aliases=["Starmer"]),
            DraftActor(name="Starmer", kind="person", role=None, aliases=[]),
        ]
    )
    assert [(a.name, a.kind) for a in index.actors] == [("Keir Starmer", "person")]
