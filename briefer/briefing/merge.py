"""Deterministic merging of drafts: actors unified by name and alias, duplicates removed,
references to actors resolved. Pure functions, no I/O."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..schema import ActorKind, Draft, DraftActor, DraftKeyFact, DraftOpenIssue, DraftPosition
from ..text.names import HONORIFICS, SUFFIXES, TITLES, name_key

# What one briefing can use; a reply past these is cut (with a warning), so no reply can make
# normalising or grounding take long.
LIST_LIMITS = {"actors": 60, "positions": 120, "open_issues": 30, "key_facts": 30}
MAX_QUOTES = 8
_NON_WORD = re.compile(r"[^\w]+")
# Words before a name that are not part of it ("President Donald Trump", "Mrs May").
_NOT_NAMES = TITLES | {h.rstrip(".") for h in HONORIFICS}


def _text_key(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


class ActorIndex:
    """Actors unified across drafts, and the lookup from any name or alias to the canonical one.

    People stay people: two persons whose full names differ in the given name ("Barack Obama",
    "Michelle Obama") are never unified through a surname they share as an alias; a surname
    alone joins the person named most often among those it could be."""

    def __init__(self, actors: Iterable[DraftActor]) -> None:
        drafts = list(actors)
        # Full names first, so that a surname alone joins a person already known rather than
        # bridging two people who share it; the order of first appearance is kept after.
        order = sorted(range(len(drafts)), key=lambda i: not _full_names(drafts[i]))
        groups: list[list[int]] = []
        keys: list[set[str]] = []
        fulls: list[set[tuple[str, ...]]] = []
        kinds: list[set[str]] = []
        for i in order:
            actor = drafts[i]
            names = {name_key(n) for n in (actor.name, *actor.aliases)} - {""}
            mine = _full_names(actor)
            hits = [
                g
                for g, group_keys in enumerate(keys)
                if _joins(names, mine, actor.kind, group_keys, fulls[g], kinds[g])
            ]
            if any(
                not _can_merge(keys[g], fulls[g], kinds[g], keys[h], fulls[h], kinds[h])
                for n, g in enumerate(hits)
                for h in hits[n + 1 :]
            ):
                # "Trump" where the day has two Trumps, or a body and a person of that name:
                # the one named most, rather than a bridge between them.
                hits = [max(hits, key=lambda g: (len(groups[g]), -min(groups[g])))]
            merged = [i]
            kind_set: set[str] = {actor.kind}
            for g in sorted(hits, reverse=True):
                merged = groups.pop(g) + merged
                names |= keys.pop(g)
                mine = mine | fulls.pop(g)
                kind_set |= kinds.pop(g)
            groups.append(sorted(merged))
            keys.append(names)
            fulls.append(mine)
            kinds.append(kind_set)
        groups.sort(key=min)
        self.actors = [_combine([drafts[i] for i in group]) for group in groups]
        self._lookup: dict[str, str] = {}
        for actor in self.actors:
            for name in (actor.name, *actor.aliases):
                self._lookup.setdefault(name_key(name), actor.name)
        self._merge_surnames()

    def _merge_surnames(self) -> None:
        """Fold a one-word person ("Azimov") into the only person whose name ends with it."""
        persons = [a for a in self.actors if a.kind == "person" and len(a.name.split()) > 1]
        for actor in list(self.actors):
            if actor.kind != "person" or len(actor.name.split()) != 1:
                continue
            matches = [p for p in persons if name_key(p.name).split()[-1] == name_key(actor.name)]
            if len(matches) == 1:
                target = matches[0]
                merged = _combine([target, actor])
                self.actors[self.actors.index(target)] = merged
                self.actors.remove(actor)
                persons[persons.index(target)] = merged
                for name in (actor.name, *actor.aliases):
                    self._lookup[name_key(name)] = merged.name

    def resolve(self, name: str) -> str | None:
        """Return the canonical actor name `name` refers to, or None when it names no actor."""
        key = name_key(name)
        if not key:
            return None
        if key in self._lookup:
            return self._lookup[key]
        # "Azimov" -> "Araz Azimov"; "Deputy Minister Azimov" -> "Araz Azimov".
        words = set(key.split())
        candidates = {
            canonical
            for alias, canonical in self._lookup.items()
            if alias and (set(alias.split()) <= words or words <= set(alias.split()))
        }
        return candidates.pop() if len(candidates) == 1 else None


def _full_names(actor: DraftActor) -> set[tuple[str, ...]]:
    """A person's names of two words or more, without titles ("President Donald Trump" is
    ("donald", "trump")); nothing for other kinds of actor."""
    if actor.kind != "person":
        return set()
    found = set()
    for name in (actor.name, *actor.aliases):
        words = tuple(w for w in name_key(name).split() if w not in _NOT_NAMES)
        if len(words) >= 2:
            found.add(words)
    return found


def _same_person(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Whether two full names can name one person: one holds the other ("Donald Trump",
    "Donald John Trump"), or the family names match and the given names do, or one is the
    other's initial ("J. Smith"). A generation suffix tells a son from his father."""
    if SUFFIXES & set(first) != SUFFIXES & set(second):
        return False
    if set(first) <= set(second) or set(second) <= set(first):
        return True
    if _surname(first) != _surname(second):
        return False
    a, b = first[0], second[0]
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _joins(
    names: set[str],
    full: set[tuple[str, ...]],
    kind: str,
    group_names: set[str],
    group_full: set[tuple[str, ...]],
    group_kinds: set[str],
) -> bool:
    """Whether an actor (its name keys, full names, kind) joins a group of actors: a name in
    common, no full names that tell two people apart, and, between a person and an
    organisation or a state, a name in common of two words or more ("Trump White House",
    alias "Trump", is not Donald Trump; "Donald Trump" tagged a body once still is)."""
    shared = names & group_names
    if not shared or not _compatible(full, group_full):
        return False
    person, group_person = kind == "person", "person" in group_kinds
    if person != group_person and kind != "other" and group_kinds != {"other"}:
        # One word ("Trump") is too little to make a person and a body one actor.
        shared = {key for key in shared if " " in key}
    return bool(shared)


def _surname(words: tuple[str, ...]) -> str:
    """The family name of a full name: its last word before a generation suffix."""
    kept = [w for w in words if w not in SUFFIXES]
    return kept[-1] if kept else words[-1]


def _compatible(first: set[tuple[str, ...]], second: set[tuple[str, ...]]) -> bool:
    """Whether two sets of full names can be one person's (either set empty: nothing says not)."""
    return not first or not second or any(_same_person(a, b) for a in first for b in second)


def _can_merge(
    names: set[str],
    full: set[tuple[str, ...]],
    kinds: set[str],
    other_names: set[str],
    other_full: set[tuple[str, ...]],
    other_kinds: set[str],
) -> bool:
    """Whether two groups that one actor links could be one actor: no full names that tell
    two people apart, and a person and a body only with a name of two words or more in
    common."""
    if not _compatible(full, other_full):
        return False
    person, other_person = "person" in kinds, "person" in other_kinds
    if person != other_person and kinds != {"other"} and other_kinds != {"other"}:
        return any(" " in key for key in names & other_names)
    return True


def _combine(group: list[DraftActor]) -> DraftActor:
    """One actor from several records of it: the kind most records give, a name one of those
    records uses (a state named "Russia" in most articles is not named after the ministry
    one article joined to it), the fullest name, the most specific role."""
    kinds: list[ActorKind] = [a.kind for a in group if a.kind != "other"] or ["other"]
    # Sorted first: a tie between kinds must not depend on the process's hash seed.
    kind = max(sorted(set(kinds)), key=kinds.count)
    names = [actor.name for actor in group]
    # The full name most records use ("Donald Trump" over a stray "Donald Trump Europe" of
    # one article), then the fullest: a day's label stays the same from day to day.
    uses = Counter(name_key(n) for n in names)
    spelt = Counter(names)  # "Donald Trump" over a stray "Donald] Trump" of the same key
    canonical = max(
        # Records of no clear kind may carry the fullest name ("Keir Starmer" beside "Starmer").
        [actor.name for actor in group if actor.kind in (kind, "other")] or names,
        key=lambda n: (len(n.split()) > 1, uses[name_key(n)], len(n.split()), spelt[n], len(n)),
    )
    roles = [actor.role for actor in group if actor.role]
    aliases: list[str] = []
    seen = {name_key(canonical)}
    for actor in group:
        for alias in (actor.name, *actor.aliases):
            if name_key(alias) not in seen and alias.strip():
                seen.add(name_key(alias))
                aliases.append(alias.strip())
    return DraftActor(
        name=canonical,
        kind=kind,
        role=max(roles, key=len) if roles else None,
        aliases=aliases,
    )


def _unique_quotes(quotes: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for quote in quotes:
        if quote.strip() and quote.strip() not in seen:
            seen.add(quote.strip())
            kept.append(quote)
    return kept


def normalize(draft: Draft) -> tuple[Draft, list[str]]:
    """Unify actors, point positions and stakeholders at them, drop duplicates.

    Returns the draft and warnings for every repair: an unknown actor in a position is
    added as an actor; an unknown stakeholder is dropped; blank names are dropped; lists
    longer than any article needs are cut. Total and linear: a model's reply, however odd,
    never raises here.
    """
    warnings: list[str] = []
    draft = _bounded(draft, warnings)
    named = [actor for actor in draft.actors if name_key(actor.name)]
    if len(named) < len(draft.actors):
        warnings.append(f"{len(draft.actors) - len(named)} actor(s) with a blank name dropped")
    index = ActorIndex(named)
    # Actors a position names but the actor list lacks are added all at once, so the index is
    # built twice at most, however many there are.
    unknown: dict[str, DraftActor] = {}
    for position in draft.positions:
        missing = name_key(position.actor)
        if missing and missing not in unknown and index.resolve(position.actor) is None:
            warnings.append(f"position by {position.actor!r}, not among the actors: actor added")
            unknown[missing] = DraftActor(
                name=position.actor.strip(), kind="other", role=None, aliases=[]
            )
    if unknown:
        index = ActorIndex([*index.actors, *unknown.values()])
    actors = list(index.actors)

    positions: dict[tuple[str, str], DraftPosition] = {}
    for position in draft.positions:
        actor = index.resolve(position.actor)
        if actor is None:
            warnings.append(f"position by {position.actor!r} dropped: it names no actor")
            continue
        key = (actor, _text_key(position.stance))
        if key in positions:
            earlier = positions[key]
            positions[key] = earlier.model_copy(
                update={"quotes": _unique_quotes([*earlier.quotes, *position.quotes])}
            )
        else:
            positions[key] = position.model_copy(
                update={"actor": actor, "quotes": _unique_quotes(position.quotes)}
            )

    issues: dict[str, DraftOpenIssue] = {}
    for issue in draft.open_issues:
        stakeholders: list[str] = []
        for name in issue.stakeholders:
            resolved = index.resolve(name)
            if resolved is None:
                warnings.append(f"stakeholder {name!r} of an open issue is not an actor: dropped")
            elif resolved not in stakeholders:
                stakeholders.append(resolved)
        issue_key = _text_key(issue.issue)
        if issue_key in issues:
            earlier_issue = issues[issue_key]
            issues[issue_key] = earlier_issue.model_copy(
                update={
                    "quotes": _unique_quotes([*earlier_issue.quotes, *issue.quotes]),
                    "stakeholders": list(
                        dict.fromkeys([*earlier_issue.stakeholders, *stakeholders])
                    ),
                }
            )
        else:
            issues[issue_key] = issue.model_copy(
                update={"stakeholders": stakeholders, "quotes": _unique_quotes(issue.quotes)}
            )

    facts: dict[str, DraftKeyFact] = {}
    for fact in draft.key_facts:
        facts.setdefault(_text_key(fact.fact), fact)

    merged = Draft(
        headline=draft.headline,
        summary=draft.summary,
        actors=actors,
        positions=list(positions.values()),
        open_issues=list(issues.values()),
        key_facts=list(facts.values()),
    )
    return merged, warnings


def _bounded(draft: Draft, warnings: list[str]) -> Draft:
    """The draft with every list a model wrote cut to what a briefing can use."""
    cut: dict[str, list[Any]] = {}
    for name, limit in LIST_LIMITS.items():
        items = getattr(draft, name)
        if len(items) > limit:
            warnings.append(f"the reply held {len(items)} {name.replace('_', ' ')}: kept {limit}")
            cut[name] = items[:limit]
    quoted = [
        item
        for name in ("positions", "open_issues", "key_facts")
        for item in cut.get(name, getattr(draft, name))
        if len(item.quotes) > MAX_QUOTES
    ]
    bounded = draft.model_copy(update=cut) if cut else draft
    if quoted:
        warnings.append(
            f"{len(quoted)} item(s) held more than {MAX_QUOTES} quotes: kept {MAX_QUOTES}"
        )
        bounded = bounded.model_copy(
            update={
                name: [
                    item.model_copy(update={"quotes": item.quotes[:MAX_QUOTES]})
                    if len(item.quotes) > MAX_QUOTES
                    else item
                    for item in getattr(bounded, name)
                ]
                for name in ("positions", "open_issues", "key_facts")
            }
        )
    return bounded


def merge_drafts(drafts: list[Draft]) -> tuple[Draft, list[str]]:
    """Join the partial drafts of consecutive chunks into one normalised draft."""
    joined = Draft(
        headline=drafts[0].headline,
        summary=" ".join(d.summary for d in drafts),
        actors=[a for d in drafts for a in d.actors],
        positions=[p for d in drafts for p in d.positions],
        open_issues=[i for d in drafts for i in d.open_issues],
        key_facts=[f for d in drafts for f in d.key_facts],
    )
    return normalize(joined)
