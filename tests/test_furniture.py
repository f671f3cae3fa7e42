"""Page furniture (a line the day's pages repeat around articles of different stories) is kept
out of the digest's positions, open issues and actors; a statement quoted by many outlets
stays. The articles are made up for the mechanism; they measure no quality."""

from __future__ import annotations

from pathlib import Path

import briefer
from briefer.digests import furniture

_PROMPT = "Tell us what you think: will the new rules change how you vote?"
_TIP = "Do you have a story the Evening Ledger should look into? Write to Ledger Desk."
_STORIES = [
    "Harbour council delays ferry fares\n\nThe harbour council postponed its vote on ferry"
    " fares on Monday. Anna Berg, the mayor, said the council would decide whether fares rise"
    " after a review of the budget. Fares have not changed since 2015. Ferry users fear a steep"
    " rise.",
    "Rail workers walk out\n\nRail workers in Karsvik stopped work on Tuesday over pay. Tom"
    " Weller, a union leader, said the strike could last until the company makes a new offer."
    " Trains between the two cities were cancelled. Commuters took buses instead.",
    "Museum reopens\n\nThe city museum reopened on Wednesday after two years of repairs. Lisa"
    " Marsh, its director, said visitors would see the restored hall for the first time."
    " Tickets are free this month. The repairs cost more than planned.",
    "School meals\n\nSchools in the district will serve free lunches from March. Karl Ode,"
    " the education officer, said the plan was still waiting for the final budget vote."
    " Parents welcomed the news. Some kitchens still need new ovens.",
]


def _write_day(folder: Path) -> None:
    for n, text in enumerate(_STORIES):
        # One page runs a credit into the prompt: "(photo: X) Tell us ...?" is furniture too.
        credit = "(photo: Ledger Desk)" if n == 0 else ""
        (folder / f"{n}.txt").write_text(f"{text}{credit} {_PROMPT} {_TIP}\n", encoding="utf-8")


def test_a_line_repeated_around_other_stories_is_furniture_and_a_quote_is_not() -> None:
    quoted = "“We will not give up on the harbour and its people,” the mayor said."
    texts = {f"a{n}": f"{text} {_PROMPT} {quoted}" for n, text in enumerate(_STORIES)}
    found = furniture.repeated(texts)
    assert found == {" ".join(_PROMPT.lower().split())}
    # One story carried by several outlets repeats most of its sentences: not furniture.
    wire = {f"w{n}": _STORIES[0] + f" {_PROMPT}" for n in range(4)}
    assert furniture.repeated(wire) == set()


def test_furniture_is_kept_out_of_the_digest(tmp_path: Path) -> None:
    _write_day(tmp_path)
    digest = briefer.digest([str(tmp_path)], engine="extractive", use_history=False)
    texts = [i.issue for i in digest.open_issues] + [
        i.issue for a in digest.articles for i in a.briefing.open_issues
    ]
    assert texts  # the articles' own open issues are still there
    assert not [t for t in texts if "how you vote" in t or "look into" in t]
    names = {a.name for a in digest.actors}
    assert "Anna Berg" in names
    assert not [n for n in names if "Ledger" in n]
