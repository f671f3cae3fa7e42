"""What changed since earlier digests, offline: pure functions over today's digest, today's
article texts and what the history held.

- A story continues when one of its articles is alike (tf-idf cosine of title and lead) to an
  article of a story of the last few days; it keeps that story's first day. Article against
  article, not story against story: a story's articles pooled into one text blur what each
  reports.
- An actor's position changed when the last digest that reported the actor gave it a stance
  on the same subject (two or more uncommon words shared, half of the shorter stance's; words
  in more than 30% of the day's articles name no subject) and one of the two says "no"
  to a shared word the other says plainly (polarity.py: "increased" then, "no increases"
  now). Without a spaCy pipeline, no offline change is shown.
- An open issue of the previous digest is settled when an article of today speaks to it (most
  of its content words) in a sentence that reports an outcome on it (ruled, approved,
  rejected, ... beside another word of the issue) and no article leaves it open any more; it
  is "not mentioned" when no article speaks to it.

The measurements behind each rule: bench/RESULTS.md."""

from __future__ import annotations

import datetime
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..schema import (
    Changes,
    Digest,
    DigestArticle,
    IssueOutcome,
    PositionChange,
    StanceRecord,
    Story,
)
from ..text.hearsay import is_hearsay
from ..text.names import actor_keys, name_key
from ..text.negation import REFUSAL, says_no
from ..text.sentences import split_sentences
from ..text.words import content_words
from .grouping import cosines, lead
from .history import DayRecord, IssueRow, PositionRow, StoryRow
from .polarity import Claim, Polarity, said_no_to, stems

# Verbs that report an outcome: generic English, so that an issue counts as settled only when
# an article about it says something was decided, not merely that it is still discussed.
_DECISION = re.compile(
    r"\b(ruled|decided|approved|rejected|signed(?! up)|confirmed|agreed|passed|voted|blocked|"
    r"upheld|overturned|denied|dismissed|lifted|granted|struck down|settled|resolved|sworn in|"
    r"concluded|cancell?ed|withdrew|accepted|adopted|elected|released|reached)\b",
    re.IGNORECASE,
)
# A stance led by its reporting clause, as the offline engine writes a negated one ("Did not
# say: ...", "Denied: ..."): a few words before a colon, then what was (not) said.
_LEAD = re.compile(r"^\s*((?:[\w'’-]+\s+){0,4}[\w'’-]+)\s*:\s+(.+)$", re.DOTALL)
_WORD_TOKEN = re.compile(r"[^\W\d_][\w'-]*")
LOOKBACK_DAYS = 7
CONTINUING = 0.22
SIGNATURE_ARTICLES = 5
SIGNATURE_LEAD_WORDS = 120
# Two stances speak of one subject when they share SAME_SUBJECT uncommon stems, and those are
# SAME_PROPOSITION of the shorter stance's.
SAME_SUBJECT = 2
SAME_PROPOSITION = 0.5
COMMON_SHARE = 0.3
COMMON_FLOOR = 3
MENTIONED = 0.5
STILL_OPEN = 0.5
MAX_POSITION_CHANGES = 10
DECISION_NEAR = 4


@dataclass(frozen=True)
class Past:
    """What the history holds that today's digest is compared with."""

    previous_day: str | None
    stories: list[StoryRow]
    positions: list[PositionRow]
    issues: list[IssueRow]


def lookback_start(day: str) -> str:
    """The first day whose stories a story of `day` may continue."""
    return (datetime.date.fromisoformat(day) - datetime.timedelta(days=LOOKBACK_DAYS)).isoformat()


def signature(
    story: Story, by_id: Mapping[str, DigestArticle], texts: Mapping[str, str]
) -> list[str]:
    """What a story is recognised by on later days: each of its lead articles' title (twice,
    as in grouping) and lead."""
    found = []
    for article_id in story.articles[:SIGNATURE_ARTICLES]:
        article = by_id[article_id]
        title = article.sources[0].title or article.briefing.headline
        text = texts.get(article_id, article.briefing.summary)
        found.append(f"{title}\n{title}\n{lead(text, SIGNATURE_LEAD_WORDS)}")
    return found


def compare(
    digest: Digest, texts: Mapping[str, str], past: Past, spacy_model: str | None = None
) -> tuple[list[Story], Changes]:
    """Today's stories marked new or continuing, and the changes since the history (stances
    compared by `spacy_model`, the offline engine's pipeline)."""
    day = digest.date or ""
    stories = _mark_stories(digest, texts, past.stories, day)
    changes = Changes(
        previous_day=past.previous_day,
        new_stories=sum(s.status == "new" for s in stories),
        continuing_stories=sum(s.status == "continuing" for s in stories),
        positions=_changed_positions(digest, texts, past.positions, day, spacy_model),
        issues=_issue_outcomes(digest, texts, past.issues),
    )
    return stories, changes


def _mark_stories(
    digest: Digest, texts: Mapping[str, str], earlier: Sequence[StoryRow], day: str
) -> list[Story]:
    if not earlier or not digest.stories:
        return [s.model_copy(update={"status": "new", "first_seen": day}) for s in digest.stories]
    by_id = {a.id: a for a in digest.articles}
    today = [signature(s, by_id, texts) for s in digest.stories]
    before = [row.signature for row in earlier]
    flat_today = [text for texts_ in today for text in texts_]
    flat_before = [text for texts_ in before for text in texts_]
    similar = cosines(flat_today + flat_before)[: len(flat_today), len(flat_today) :]
    today_story = [n for n, texts_ in enumerate(today) for _ in texts_]
    before_story = [m for m, texts_ in enumerate(before) for _ in texts_]
    matched: dict[int, set[int]] = {}
    for i, j in zip(*(similar >= CONTINUING).nonzero(), strict=True):
        matched.setdefault(today_story[int(i)], set()).add(before_story[int(j)])
    marked = []
    for n, story in enumerate(digest.stories):
        if n in matched:
            first = min(earlier[m].first_seen for m in matched[n])
            marked.append(story.model_copy(update={"status": "continuing", "first_seen": first}))
        else:
            marked.append(story.model_copy(update={"status": "new", "first_seen": day}))
    return marked


def _changed_positions(
    digest: Digest,
    texts: Mapping[str, str],
    earlier: Sequence[PositionRow],
    day: str,
    spacy_model: str | None,
) -> list[PositionChange]:
    by_key: dict[str, list[PositionRow]] = {}
    for row in earlier:
        by_key.setdefault(row.actor_key, []).append(row)
    headlines = {a.id: a.briefing.headline for a in digest.articles}
    pairs = [
        (actor, [row for key in actor_keys([actor.name]) for row in by_key.get(key, [])])
        for actor in digest.actors
    ]
    pairs = [(actor, before) for actor, before in pairs if before and actor.positions]
    if not pairs:
        return []  # nothing to compare: no need to load the parser
    polarity = polarities(
        [r.stance for _, before in pairs for r in before]
        + [p.stance for actor, _ in pairs for p in actor.positions],
        spacy_model,
    )
    if polarity is None:
        return []
    common = common_stems(list(texts.values()) or [a.briefing.summary for a in digest.articles])
    found: list[tuple[int, PositionChange]] = []
    for actor, before in pairs:
        ignored = common | set(stems(" ".join([actor.name, *actor.aliases])))
        best: tuple[int, PositionChange] | None = None
        for position in actor.positions:
            quote = position.evidence[0].quote if position.evidence else ""
            for row in before:
                if row.quote and quote and " ".join(row.quote.split()) == " ".join(quote.split()):
                    continue  # the same words reported again
                if is_hearsay(position.stance) or is_hearsay(row.stance):
                    continue  # what others say of the actor is not the actor changing its mind
                shared = opposed(position.stance, row.stance, polarity, ignored)
                if shared and (best is None or shared > best[0]):
                    change = PositionChange(
                        actor=actor.name,
                        before=StanceRecord(
                            day=row.day, stance=row.stance, quote=row.quote, headline=row.headline
                        ),
                        after=StanceRecord(
                            day=day,
                            stance=position.stance,
                            quote=quote or None,
                            headline=headlines.get(position.article),
                            article=position.article,
                        ),
                    )
                    best = (shared, change)
        if best:
            found.append(best)
    found.sort(key=lambda item: -item[0])
    return [change for _, change in found[:MAX_POSITION_CHANGES]]


def opposed(
    first: str,
    second: str,
    polarity: Mapping[str, Polarity],
    ignored: set[str],
    on_claims: bool = False,
) -> int:
    """How many uncommon stems two stances share when they speak of one subject (SAME_SUBJECT
    stems, SAME_PROPOSITION of the shorter) and one says "no" to a shared word the other says
    plainly; 0 when they do not contradict. With `on_claims`, one must deny a claim the other
    affirms (`Polarity.denied`): "will not raise the fares" against "will raise the fares",
    not "now is not the time for a vote" against "a vote at a time when".
    `polarity` holds both stances (`polarities`); `ignored` stems name no subject (the day's
    common words, the actor's own name)."""
    a, b = set(stems(first)) - ignored, set(stems(second)) - ignored
    subject = a & b
    if len(subject) < SAME_SUBJECT or len(subject) / min(len(a), len(b)) < SAME_PROPOSITION:
        return 0
    x, y = polarity[first], polarity[second]
    if on_claims:
        pairs = [(a, b) for a in x.denied for b in y.affirmed]
        pairs += [(a, b) for a in y.denied for b in x.affirmed]
        return len(subject) if any(a.opposes(b, subject) for a, b in pairs) else 0
    return len(subject) if subject & ((x.refused & y.plain) | (y.refused & x.plain)) else 0


def common_stems(texts: Sequence[str]) -> set[str]:
    """Stems in more than COMMON_SHARE of the day's articles: words such as "president" or
    "government" that much of the day uses name no subject two stances could share."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(stems(text)))
    floor = max(COMMON_FLOOR, COMMON_SHARE * len(texts))
    return {stem for stem, count in counts.items() if count > floor}


def polarities(
    stances: Sequence[str], spacy_model: str | None = None
) -> dict[str, Polarity] | None:
    """What each stance says "no" to and says plainly (polarity.said_no_to), by the offline
    engine's spaCy pipeline (`spacy_model`, else the default one); None without one. A
    stance led by a negated reporting clause ("Did not say: ...", as the offline engine writes
    one) swaps the two; one led by a refusal to speak ("Refused to say: ...") says neither."""
    from ..engines.extractive import nlp

    pipeline = nlp.load(spacy_model)
    if pipeline is None:
        return None
    unique = list(dict.fromkeys(stances))
    contents = []
    for stance in unique:
        lead = _LEAD.match(stance)
        contents.append(lead.group(2) if lead and says_no(lead.group(1)) else stance)
    found: dict[str, Polarity] = {}
    for stance, content, doc in zip(unique, contents, nlp.parse(pipeline, contents), strict=True):
        said = said_no_to(doc)
        lead = _LEAD.match(stance)
        if lead and content != stance and REFUSAL.search(lead.group(1)):
            # "Refused to confirm: X", "Declined to say: X" say nothing of X, either way.
            found[stance] = Polarity(set(), set(), set(), set())
        elif content != stance:
            # "Denies: X" says no to X's claims; the things X merely names stay unnamed.
            found[stance] = Polarity(
                said.plain, said.refused, _unnamed(said.affirmed), _unnamed(said.denied)
            )
        else:
            found[stance] = said
    return found


def _unnamed(claims: set[Claim]) -> set[Claim]:
    return {claim for claim in claims if not claim.named}


def _issue_outcomes(
    digest: Digest, texts: Mapping[str, str], earlier: Sequence[IssueRow]
) -> list[IssueOutcome]:
    bodies = {a.id: texts.get(a.id, a.briefing.summary) for a in digest.articles}
    vocabulary = {article_id: set(content_words(text)) for article_id, text in bodies.items()}
    open_today = [
        set(content_words(issue.issue)) for a in digest.articles for issue in a.briefing.open_issues
    ] + [set(content_words(issue.issue)) for issue in digest.open_issues]
    outcomes = []
    for row in earlier:
        terms = set(content_words(row.issue))
        if len(terms) < 2:
            continue
        if any(len(terms & other) / len(terms) >= STILL_OPEN for other in open_today):
            continue
        speaking = [
            article_id
            for article_id, vocab in vocabulary.items()
            if len(terms & vocab) / len(terms) >= MENTIONED
        ]
        deciding = [a for a in speaking if _reports_a_decision(bodies[a], terms)]
        if speaking and not deciding:
            continue  # still discussed, neither open nor settled: nothing changed to report
        outcomes.append(
            IssueOutcome(
                issue=row.issue,
                day=row.day,
                status="settled" if deciding else "not mentioned",
                stakeholders=row.stakeholders,
                articles=deciding,
            )
        )
    # Settled first: they are news; issues that faded from the day follow.
    outcomes.sort(key=lambda o: o.status != "settled")
    return outcomes


def _reports_a_decision(text: str, terms: set[str]) -> bool:
    """Whether a sentence of `text` about the issue (sharing a third of its content words,
    two at least) reports a decision or an outcome on it: a verb of deciding at most
    DECISION_NEAR words from a word of the issue ("the judges ruled", "was approved by the
    council"), not anywhere in a long sentence that happens to name the issue's words."""
    need = max(2, math.ceil(len(terms) / 3))
    for sentence in (s.text for s in split_sentences(text)):
        if len(terms & set(content_words(sentence))) < need:
            continue
        tokens = [t.lower() for t in _WORD_TOKEN.findall(sentence)]
        about = [n for n, token in enumerate(tokens) if token in terms]
        for match in _DECISION.finditer(sentence):
            at = len(_WORD_TOKEN.findall(sentence[: match.start()]))
            # The verb must sit by another word of the issue: "confirmed" alone, when the
            # issue is whether someone is confirmed, may be said of anyone.
            if any(0 < abs(at - n) <= DECISION_NEAR for n in about):
                return True
    return False


def record(digest: Digest, texts: Mapping[str, str]) -> DayRecord:
    """What the history keeps of a digest: its stories, positions and open issues."""
    day = digest.date or ""
    by_id = {a.id: a for a in digest.articles}
    headlines = {a.id: a.briefing.headline for a in digest.articles}
    stories = [
        StoryRow(
            day=day,
            headline=story.headline,
            signature=signature(story, by_id, texts),
            first_seen=story.first_seen or day,
            articles=len(story.articles),
        )
        for story in digest.stories
    ]
    positions = [
        PositionRow(
            day=day,
            actor=actor.name,
            actor_key=name_key(actor.name),
            stance=position.stance,
            quote=position.evidence[0].quote if position.evidence else None,
            headline=headlines.get(position.article),
        )
        for actor in digest.actors
        for position in actor.positions
        if name_key(actor.name)
    ]
    issues = [IssueRow(day, i.issue, i.stakeholders) for i in digest.open_issues]
    # Names of two words or more: a surname alone ("Trump") may be several people's.
    names = [
        (name_key(actor.name), name_key(alias))
        for actor in digest.actors
        for alias in actor.aliases
        if name_key(actor.name) and len(name_key(alias).split()) >= 2
    ]
    return DayRecord(day, digest.title, stories, positions, issues, list(dict.fromkeys(names)))
