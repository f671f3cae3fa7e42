"""The cross-article synthesis of a digest: actor index, top lines, contradictions and
rolled-up open issues, from the briefings (never the raw text).

The actor index is always built here, deterministically. Top lines, contradictions and open
issues come from one LLM call (`messages` / `from_draft`) or, with the offline engine, from
`offline` — the same shapes either way.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..briefing.merge import ActorIndex
from ..engines.extractive.issues import marks_open
from ..schema import (
    ActorPosition,
    Contradiction,
    DigestArticle,
    DraftActor,
    IndexedActor,
    RolledUpIssue,
    Story,
    SynthesisDraft,
    TopLine,
)
from ..text.hearsay import is_hearsay
from ..text.words import content_words
from . import changes
from .polarity import stems
from .step import Request

MAX_TOP_LINES = 7
MAX_OPEN_ISSUES = 10
_ISSUE_OVERLAP = 0.5
# Two direct quotations sharing this many words in a row report one statement.
SAME_RUN = 8
_WORD = re.compile(r"[^\W_][\w'’-]*")
# Aliases like "the minister" name a role, not one actor, across articles.
_GENERIC_ALIAS = re.compile(r"^(the|a|an|his|her|its|their)\s+[a-z]")


@dataclass(frozen=True)
class Synthesis:
    """Everything the digest shows beyond the briefings themselves."""

    top_lines: list[TopLine]
    actors: list[IndexedActor]
    open_issues: list[RolledUpIssue]
    warnings: list[str]


class CrossIndex:
    """Actors unified across the digest's briefings; positions gathered per actor."""

    def __init__(self, articles: Sequence[DigestArticle]) -> None:
        drafts = [
            DraftActor(
                name=actor.name,
                kind=actor.kind,
                role=actor.role,
                aliases=[a for a in actor.aliases if not _GENERIC_ALIAS.match(a)],
            )
            for article in articles
            for actor in article.briefing.actors
        ]
        self._index = ActorIndex(drafts)
        self.actors: dict[str, IndexedActor] = {
            actor.name: IndexedActor(
                name=actor.name,
                kind=actor.kind,
                role=actor.role,
                aliases=actor.aliases,
                articles=[],
            )
            for actor in self._index.actors
        }
        for article in articles:
            for actor in article.briefing.actors:
                self._add_article(self.resolve(actor.name), article.id)
            for position in article.briefing.positions:
                name = self.resolve(position.actor)
                if name is None:
                    continue
                self._add_article(name, article.id)
                self.actors[name].positions.append(
                    ActorPosition(
                        article=article.id, stance=position.stance, evidence=position.evidence
                    )
                )

    def resolve(self, name: str) -> str | None:
        return self._index.resolve(name)

    def _add_article(self, name: str | None, article: str) -> None:
        if name is not None and article not in self.actors[name].articles:
            self.actors[name].articles.append(article)

    def ranked(self) -> list[IndexedActor]:
        """Actors in most articles first, then most positions, then by name."""
        return sorted(
            self.actors.values(),
            key=lambda a: (-len(a.articles), -len(a.positions), a.name.lower()),
        )


# --- the offline synthesis ---------------------------------------------------------------


def offline(
    articles: Sequence[DigestArticle],
    stories: Sequence[Story],
    index: CrossIndex,
    spacy_model: str | None = None,
) -> Synthesis:
    """A deterministic synthesis: story leads as top lines, contradictions by stance polarity
    (read by `spacy_model`, the offline engine's pipeline), open issues merged by wording."""
    by_id = {article.id: article for article in articles}
    top_lines = [
        TopLine(line=by_id[story.articles[0]].briefing.headline, articles=list(story.articles))
        for story in stories[:MAX_TOP_LINES]
    ]
    _polarity_conflicts(list(index.actors.values()), articles, spacy_model)
    return Synthesis(top_lines, index.ranked(), _rolled_up_issues(articles, index), [])


def _polarity_conflicts(
    actors: Sequence[IndexedActor],
    articles: Sequence[DigestArticle],
    spacy_model: str | None = None,
) -> None:
    """Flag, on each actor, pairs of its stances in different articles that contradict each
    other: one subject, and one denies a claim the other makes (`polarity.Claim`: the same
    predicate of the same things). Two outlets quoting the same words agree. Without a spaCy
    pipeline nothing is flagged."""
    pairs = [
        (actor, first, second)
        for actor in actors
        for first, second in itertools.combinations(actor.positions, 2)
        if first.article != second.article
        and not _same_quote(first, second)
        # What others say the actor did is a dispute with them, not the actor contradicting
        # itself ("sought to influence the vote (as reported by ...)" against its denial).
        and not is_hearsay(first.stance)
        and not is_hearsay(second.stance)
        # A stance that names its own holder is the reporter's account of what the actor
        # did ("Weller has refused to release the accounts"), not a claim the actor made.
        and not _names_its_holder(actor, first.stance)
        and not _names_its_holder(actor, second.stance)
    ]
    if not pairs:
        return  # nothing to compare: no need to load the parser
    polarity = changes.polarities([p.stance for _, a, b in pairs for p in (a, b)], spacy_model)
    if polarity is None:
        return
    common = changes.common_stems([a.briefing.summary for a in articles])
    found: dict[tuple[str, frozenset[str]], tuple[int, Contradiction]] = {}
    for actor, first, second in pairs:
        ignored = common | set(stems(" ".join([actor.name, *actor.aliases])))
        # "X" against "not X": one side affirms. Two stances that each say "no" to something
        # (on real days, "could not comment on cases" and "was not referring to a comment")
        # are read word by word too coarsely to call them contradictory.
        if polarity[first.stance].refused and polarity[second.stance].refused:
            continue
        shared = changes.opposed(first.stance, second.stance, polarity, ignored, on_claims=True)
        key = (actor.name, frozenset({first.article, second.article}))
        if shared and (key not in found or shared > found[key][0]):
            note = (
                f"Possibly inconsistent: one article reports “{first.stance}”,"
                f" the other “{second.stance}”."
            )
            found[key] = (
                shared,
                Contradiction(articles=[first.article, second.article], note=note),
            )
    by_name = {actor.name: actor for actor in actors}
    for (name, _), (_, contradiction) in found.items():
        by_name[name].contradictions.append(contradiction)


def _names_its_holder(actor: IndexedActor, stance: str) -> bool:
    """Whether `stance` names `actor`: by a name or alias, or a person by the last word of one."""
    words = set(_WORD.findall(stance))
    names = [actor.name, *actor.aliases]
    if any(len(n.split()) > 1 and n in stance for n in names):
        return True
    surnames = {n.split()[-1] for n in names} if actor.kind == "person" else set(names)
    return bool(words & surnames)


def _same_quote(first: ActorPosition, second: ActorPosition) -> bool:
    """Whether two positions report one statement: a quotation that holds the other, or two
    direct quotations that share a run of SAME_RUN words (two outlets quoting one speech, cut
    differently). Reported speech must hold the other whole: "said that X" and "denied that
    X" share X and say opposite things."""
    for a in first.evidence:
        for b in second.evidence:
            x, y = _WORD.findall(a.quote.lower()), _WORD.findall(b.quote.lower())
            if not x or not y:
                continue
            if " ".join(x) in " ".join(y) or " ".join(y) in " ".join(x):
                return True
            if a.direct and b.direct and _runs(x) & _runs(y):
                return True
    return False


def _runs(words_: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words_[i : i + SAME_RUN]) for i in range(len(words_) - SAME_RUN + 1)}


def _rolled_up_issues(articles: Sequence[DigestArticle], index: CrossIndex) -> list[RolledUpIssue]:
    merged: list[tuple[set[str], int, RolledUpIssue]] = []
    for article in articles:
        for rank, issue in enumerate(article.briefing.open_issues):
            terms = set(content_words(issue.issue))
            stakeholders = [index.resolve(s) or s for s in issue.stakeholders]
            for known_terms, _, rolled in merged:
                union = terms | known_terms
                if union and len(terms & known_terms) / len(union) >= _ISSUE_OVERLAP:
                    if article.id not in rolled.articles:
                        rolled.articles.append(article.id)
                    rolled.stakeholders.extend(
                        s for s in stakeholders if s not in rolled.stakeholders
                    )
                    break
            else:
                rolled = RolledUpIssue(
                    issue=issue.issue,
                    stakeholders=list(dict.fromkeys(stakeholders)),
                    articles=[article.id],
                )
                merged.append((terms, rank, rolled))
    # Issues whose own words mark them as undecided first (a central fact about a story's
    # subject is where an article's issues start, not what a day leaves open); then widest
    # first; then each story's leading issue before any story's second, so one long article
    # does not crowd out the rest. The sort is stable: story order breaks ties.
    merged.sort(key=lambda item: (not marks_open(item[2].issue), -len(item[2].articles), item[1]))
    return [rolled for _, _, rolled in merged[:MAX_OPEN_ISSUES]]


# --- the LLM synthesis -------------------------------------------------------------------


def references(articles: Sequence[DigestArticle]) -> dict[str, str]:
    """Short references for the prompt (A1, A2, ...) mapped to article ids, in digest order."""
    return {f"A{n}": article.id for n, article in enumerate(articles, 1)}


def render_briefings(
    articles: Sequence[DigestArticle],
    stories: Sequence[Story],
    count_tokens: Callable[[str], int],
    budget: int,
) -> tuple[str, int]:
    """The briefings as the synthesis prompt shows them, story by story, within `budget`
    tokens; returns the text and how many briefings it holds."""
    refs = {article_id: ref for ref, article_id in references(articles).items()}
    by_id = {article.id: article for article in articles}
    blocks: list[str] = []
    used = 0
    for story in stories:
        for article_id in story.articles:
            block = _briefing_block(refs[article_id], story, by_id[article_id])
            cost = count_tokens(block)
            if used + cost > budget:
                return "\n".join(blocks), len(blocks)
            blocks.append(block)
            used += cost
    return "\n".join(blocks), len(blocks)


def _briefing_block(ref: str, story: Story, article: DigestArticle) -> str:
    """One briefing as the synthesis request shows it. Every field is model or feed text,
    folded onto its own line, so none can start a line that looks like another briefing's."""
    briefing = article.briefing
    source = article.sources[0]
    origin = ", ".join(_line(p) for p in (source.outlet, source.published) if p)
    lines = [f"[{ref}] {_line(briefing.headline)} ({origin or 'source unknown'}; story {story.id})"]
    if len(article.sources) > 1:
        others = [_line(s.outlet or s.path or "?") for s in article.sources[1:]]
        lines.append(f"Also carried by: {', '.join(others)}")
    lines.append(f"Summary: {_line(briefing.summary)}")
    if briefing.positions:
        lines.append("Positions:")
        lines += [f"- {_line(p.actor)}: {_line(p.stance)}" for p in briefing.positions]
    if briefing.open_issues:
        lines.append("Open issues:")
        for issue in briefing.open_issues:
            who = ", ".join(_line(s) for s in issue.stakeholders)
            lines.append(f"- {_line(issue.issue)}" + (f" (stakeholders: {who})" if who else ""))
    return "\n".join(lines) + "\n"


def _line(text: str) -> str:
    return " ".join(text.split())


def request(title: str, date: str | None, briefings: str, count: int) -> Request:
    """The synthesis request."""
    return Request(briefings, {"title": title, "date": date or "(not given)", "count": str(count)})


def from_draft(
    draft: SynthesisDraft, articles: Sequence[DigestArticle], index: CrossIndex
) -> Synthesis:
    """The synthesis the model wrote, with references mapped to article ids and actors to the
    index; references and actors that do not exist are dropped with a warning."""
    refs = references(articles)
    warnings: list[str] = []

    def known(citations: list[str]) -> list[str]:
        ids = []
        for ref in citations:
            article_id = refs.get(ref)
            if article_id is None:
                warnings.append(f"synthesis cited {ref!r}, which is no briefing: dropped")
            elif article_id not in ids:
                ids.append(article_id)
        return ids

    top_lines = [
        TopLine(line=line.line.strip(), articles=known(line.articles))
        for line in draft.top_lines[:MAX_TOP_LINES]
    ]
    for contradiction in draft.contradictions:
        name = index.resolve(contradiction.actor)
        sources = known(contradiction.articles)
        if name is None:
            warnings.append(f"contradiction about unknown actor {contradiction.actor!r}: dropped")
        elif len(sources) >= 2:
            index.actors[name].contradictions.append(
                Contradiction(articles=sources, note=contradiction.note.strip())
            )
    issues = [
        RolledUpIssue(
            issue=issue.issue.strip(),
            stakeholders=list(dict.fromkeys(index.resolve(s) or s for s in issue.stakeholders)),
            articles=known(issue.articles),
        )
        for issue in draft.open_issues[:MAX_OPEN_ISSUES]
    ]
    return Synthesis(top_lines, index.ranked(), issues, warnings)


# Without the briefings, a plan can only estimate a briefing's tokens in the synthesis prompt.
TOKENS_PER_BRIEFING = 350


@dataclass
class Synthesise:
    """The cross-article synthesis as a digest step: `offline` without a model."""

    articles: Sequence[DigestArticle]
    stories: Sequence[Story]
    index: CrossIndex
    title: str
    day: str | None
    # The offline engine's pipeline, which reads stances for contradictions.
    spacy_model: str | None = None
    # How many briefings the request holds (set by `requests`).
    included: int = 0

    name = "synthesis"
    prompt = "synthesis"
    carries = "briefings"
    reply = SynthesisDraft
    fallback = "the synthesis call failed; this synthesis is the offline one"

    @staticmethod
    def skeleton() -> Request:
        return request("Digest — 0000-00-00 to 0000-00-00", "0000-00-00", "", 0)

    @staticmethod
    def estimate(articles: int, budget: int, density: float) -> list[int]:
        """One call, as many briefings as fit `budget`."""
        return [min(budget, int(TOKENS_PER_BRIEFING * density) * articles)] if articles else []

    def empty(self) -> Request:
        return request(self.title, self.day, "", 0)

    def offline(self) -> Synthesis:
        return offline(self.articles, self.stories, self.index, self.spacy_model)

    def asks(self) -> bool:
        return bool(self.articles)

    def requests(self, count_tokens: Callable[[str], int], budget: int) -> list[Request]:
        if not self.articles:
            return []
        text, self.included = render_briefings(self.articles, self.stories, count_tokens, budget)
        if not self.included:
            return []  # not one briefing fits: a synthesis of nothing is no synthesis
        return [request(self.title, self.day, text, self.included)]

    def read(self, replies: Sequence[SynthesisDraft]) -> Synthesis:
        result = from_draft(replies[0], self.articles, self.index)
        if self.included < len(self.articles):
            result.warnings.append(
                f"the synthesis covers the {self.included} most important of"
                f" {len(self.articles)} briefings (the rest did not fit the model's context"
                " window)"
            )
        return result
