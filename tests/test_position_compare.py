from __future__ import annotations

from pathlib import Path
from typing import Any

import briefer
from briefer.digests.history import PositionRow
from briefer.digests.position_compare import Candidate, from_draft, render
from briefer.schema import ActorPosition, Evidence, PositionsDraft

from .conftest import DIGEST_DAY
from .fake_openai import POSITIONS, FakeOpenAI, Reply

YESTERDAY, DAY = "2026-11-25", "2026-11-26"


def _days(tmp_path: Path) -> tuple[Path, Path]:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, day, name in (
        (one, YESTERDAY, "tariff-bill-second-reading.txt"),
        (two, DAY, "harbour-terminal-approved.txt"),
    ):
        folder.mkdir()
        text = (DIGEST_DAY / name).read_text().replace("Published: 2026-11-26", f"Published: {day}")
        (folder / name).write_text(text)
    return one, two


def _positions(request: dict[str, Any]) -> str | None:
    for message in request["messages"]:
        if found := POSITIONS.search(message["content"] or ""):
            return found.group(2)
    return None


def test_with_a_model_the_positions_of_both_days_are_compared(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    one, two = _days(tmp_path)
    history = tmp_path / "history.sqlite3"
    briefer.digest([str(one)], date=YESTERDAY, history_path=history)
    assert not [r for r in fake.requests if _positions(r)]  # nothing to compare on day one

    def editor(request: dict[str, Any]) -> Reply | None:
        if _positions(request) is None:
            return None
        change = {"before": "B1", "after": "[N1]", "note": "Now holds the opposite."}
        bogus = {"before": "B9", "after": "N1", "note": "Invented."}
        return Reply(content={"changes": [change, bogus]})

    fake.responder = editor
    digest = briefer.digest([str(two)], date=DAY, history_path=history)
    [request] = [r for r in fake.requests if _positions(r)]
    shown = _positions(request) or ""
    # Stances and quotes of the two digests go in, never an article's text.
    assert "B1 (2026-11-25)" in shown and "N1 (today)" in shown
    assert "<<<ARTICLE" not in request["messages"][-1]["content"]
    assert digest.changes is not None
    [change] = digest.changes.positions
    assert change.actor == "Araz Azimov" and change.note == "Now holds the opposite."
    assert change.before.day == YESTERDAY and change.before.quote
    assert change.after.day == DAY and change.after.article in {a.id for a in digest.articles}
    assert any("'B9'" in w for w in digest.warnings)
    from briefer.render import render_digest

    assert "Now holds the opposite." in render_digest(digest, "md")
    assert "Now holds the opposite." in render_digest(digest, "html")
    # Its cost is the digest's: one article, the synthesis, the comparison.
    assert digest.usage.calls == 3


def test_a_failed_comparison_keeps_the_offline_changes_and_is_listed(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    one, two = _days(tmp_path)
    history = tmp_path / "history.sqlite3"
    briefer.digest([str(one)], date=YESTERDAY, history_path=history)
    fake.responder = lambda r: Reply(status=403) if _positions(r) is not None else None
    digest = briefer.digest([str(two)], date=DAY, history_path=history)
    assert [f.source for f in digest.failures] == ["position comparison"]
    assert any("offline" in w for w in digest.warnings)
    assert digest.changes is not None and digest.changes.positions == []


def _now(stance: str) -> ActorPosition:
    return ActorPosition(
        article="a1", stance=stance, evidence=[Evidence(quote=stance, start=0, end=1, direct=True)]
    )


def test_pairs_must_join_two_positions_of_one_actor() -> None:
    shown = [
        Candidate(
            "Eva Lind",
            [PositionRow(YESTERDAY, "Eva Lind", "eva lind", "For", "q", None)],
            [_now("Against")],
        ),
        Candidate(
            "Ole Dahl",
            [PositionRow(YESTERDAY, "Ole Dahl", "ole dahl", "Wait", None, None)],
            [_now("Go"), _now("Go now")],
        ),
    ]
    text, kept = render(shown, len, 10**6)
    assert "B2" in text and "N3" in text and kept == shown
    draft = PositionsDraft.model_validate(
        {
            "changes": [
                {"before": "B1", "after": "N2", "note": "Across actors."},
                {"before": "B2", "after": "N3", "note": "Moved."},
                {"before": "B2", "after": "N2", "note": "The same actor twice."},
            ]
        }
    )
    changes, warnings = from_draft(draft, shown, DAY, {})
    assert [(c.actor, c.after.stance) for c in changes] == [("Ole Dahl", "Go now")]
    assert len(warnings) == 1
    assert render(shown, len, 10) == ("", [])
