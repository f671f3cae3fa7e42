"""Page furniture in a single article, from the page's structure rather than a word list: an
embedded post or a credit carries a link or a handle, and the lines a page puts before and
after the story (a byline, "Share this", "Learn more", a photo credit, a programme's
credits) are calls to the reader or fragments without a clause of their own. A digest also
finds the lines a day repeats across articles (`digests/furniture.py`). Pure functions over a
spaCy parse."""

from __future__ import annotations

import re
from typing import Any

from ...text.spans import Span
from .lexicon import is_reporting

# Links and handles: an embedded post, a share link, a credit ("pic.twitter.com/…", "@outlet").
_LINK = re.compile(r"(?:https?://|www\.|\b[\w.-]+\.(?:com|co|org|net)/)\S*|(?<!\w)@\w{2,}")
# The date an embedded post carries after its handle ("@outlet March 3, 2017").
_POSTED = re.compile(r"\s*\)?\s*[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}")
# The name before a post's handle in parentheses, after the dash (or its damaged "?, which
# the text repaired for parsing has as two spaces) that introduces the credit.
# (Where the parser starts a sentence at the name, the dash is left in the one before.)
_AUTHOR = re.compile(
    r"(?:(?P<dash>[—–-]|\"\?|\s\s)|^)\s*(?P<name>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)"
    r"\s*\(@"
)
# The page's own lines stand at its edges: the first sentence, the last few.
_HEAD = 1
_TAIL = 3
# So many bare words in a row before a link are a list of labels, not a clause: more than
# a tag that names who posted it ("U.S. President Donald Trump tweeted").
_LABELS = 6
# Parts of speech that make words a clause rather than a list of labels: articles,
# prepositions, pronouns, conjunctions, modals, wh-words, "to", "there". (Not verbs: the
# tagger takes labels such as "linkedin" or "stumble" for verbs.)
_CLAUSE_TAGS = frozenset("DT PDT IN PRP PRP$ CC MD TO WDT WP WP$ WRB EX POS RP".split())
# Finite verbs: a sentence with one is a clause, whatever colons it has.
_FINITE = frozenset("VBD VBZ VBP MD".split())
# So many labelled fields ("Presenter: ... Guests: ...") with no clause make a list of credits.
_FIELDS = 2
# A fragment this short with no verb is a label (a byline, a credit, a section name).
_FRAGMENT_WORDS = 8


def furniture(doc: Any, quoted: list[tuple[int, int]]) -> list[Span]:
    """The sentences of `doc` that are the page's rather than the story's."""
    sentences = list(doc.sents)
    found: list[Span] = []
    # A text all edges (a teaser, a brief) has no page around it.
    paged = len(sentences) > _HEAD + _TAIL + 1
    # Where the story ends: after its last clause, only fragments (a guest list) may follow.
    # (A text with no clause at all is read as all story.)
    story_end = max(
        (n for n, sent in enumerate(sentences) if _clause(sent)), default=len(sentences) - 1
    )
    # The page's calls to the reader at the end, however many ("Do you have information ...?
    # Here's how. Share this slide: ... Learn more").
    calls_start = len(sentences)
    while calls_start > 0 and _addresses_reader(sentences[calls_start - 1], at_end=True):
        calls_start -= 1
    for number, sent in enumerate(sentences):
        if _link_label(sent):
            # "READ MORE: Uganda at 'breaking point' from S Sudan refugee crisis Malok
            # warned ...": the label, and the headline it links to, up to the story's subject.
            found.append(Span(sent.start_char, sent.end_char))
            if number + 1 < len(sentences):
                headline = _headline(sentences[number + 1])
                if headline is not None:
                    found.append(headline)
            continue
        colon = _opening_label(sent)
        if colon is not None:
            # The parser kept the label with the story's sentence ("READ MORE: Kelvania's
            # booming 'ferrymania' Tom Weller ... stressed"): the label, and the headline up to
            # the name of the sentence's subject.
            headline = _headline(sent) or _before_the_subject_s_name(sent, colon)
            found.append(headline or Span(sent.start_char, colon.idx + 1))
            continue
        tail = number >= min(len(sentences) - _TAIL, story_end + 1, calls_start)
        edge = paged and (number < _HEAD or tail)
        # A quotation is never furniture (as in a day's furniture): someone's words are news.
        inside = any(start < sent.end_char and sent.start_char < end for start, end in quoted)
        links = list(_LINK.finditer(sent.text))
        # Credits may quote a title ('... founder of the "Open Courts" campaign'), end a
        # text too short to have a page, or run on in a list of guests: what someone says
        # has a verb, which credits have not.
        if (edge and not inside and _addresses_reader(sent, tail)) or (tail and _credits(sent)):
            found.append(Span(sent.start_char, sent.end_char))
        elif links:
            # The parser often runs an embedded post into the story's next sentence: only the
            # run of links and handles is the page's, unless little else is left.
            start, end = links[0].start(), links[-1].end()
            start = _labels_before(sent, sent.start_char + start) - sent.start_char
            dated = _POSTED.match(sent.text, end)
            end = dated.end() if dated else end
            # "— Ann Byrne (@annbyrne) March 3, 2017": the post's author is its credit too.
            author = _AUTHOR.search(sent.text, 0, links[-1].start() + 1)
            if (
                author is not None
                and author.end() >= links[-1].start()
                and (author.group("dash") or dated)
            ):
                start = min(start, author.start())
            rest = sent.text[:start] + " " + sent.text[end:]
            if len(rest.split()) < _FRAGMENT_WORDS // 2:
                start, end = 0, len(sent.text)
            found.append(Span(sent.start_char + start, sent.start_char + end))
    return found


# A post's credit as the page keeps it: "Donald J. Trump (@realDonaldTrump) March 4, 2017".
_CREDIT = re.compile(r"(?P<name>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s*\(@\w+\)")
# The most a post runs to (a tweet's 280 characters).
_POST_LENGTH = 280


def posts(doc: Any, page: list[Span]) -> list[tuple[Span, str]]:
    """The text of each embedded post whose credit names its author, with the author: the
    sentences just before the credit, back to the previous piece of the page or a post's
    length at most, less any that reports someone's words or links elsewhere (the story's)."""
    text = doc.text
    found: list[tuple[Span, str]] = []
    previous = 0  # where the last piece of the page ended
    credited = 0  # where the last post's credit ended
    for span in sorted(page, key=lambda s: s.start):
        credit = _CREDIT.match(text, span.start)
        if credit is not None:
            end = len(text[: span.start].rstrip(' \t\n"?—–-'))
            start: int | None
            if credited and end - credited <= _POST_LENGTH:
                # Right after the post before it (the parser may run that one's credit into
                # this one's first sentence).
                start = len(text) - len(text[credited:].lstrip())
            else:
                floor = max(previous, end - _POST_LENGTH)
                sentences = [s for s in doc.sents if floor <= s.start_char < end]
                while sentences and _the_story_s(sentences[0]):
                    sentences = sentences[1:]
                start = sentences[0].start_char if sentences else None
            if start is not None and start < end:
                found.append((Span(start, end), credit.group("name")))
            credited = span.end
        previous = span.end
    return found


def _the_story_s(sent: Any) -> bool:
    """Whether a sentence before a post is the story's: it reports words or links."""
    return any(is_reporting(t.text) for t in sent) or bool(_LINK.search(sent.text))


def _link_label(sent: Any) -> bool:
    """A label in capitals that introduces a link to another story ("READ MORE:")."""
    words = [t for t in sent if not t.is_space]
    if len(words) < 2 or words[-1].text != ":" or len(words) > 4:
        return False
    return _in_capitals(words[:-1])


def _opening_label(sent: Any) -> Any | None:
    """The colon of a link label in capitals that opens a longer sentence, if one does."""
    words = [t for t in sent if not t.is_space]
    colon = next((n for n, t in enumerate(words[:5]) if t.text == ":"), None)
    if colon is None or colon < 2 or len(words) <= colon + 3:
        return None
    return words[colon] if _in_capitals(words[:colon]) else None


def _in_capitals(words: list[Any]) -> bool:
    """Whether every word is a word in capitals ("READ MORE"), not an initial."""
    return all(t.is_alpha and t.is_upper and len(t) > 1 for t in words)


def _before_the_subject_s_name(sent: Any, colon: Any) -> Span | None:
    """From the sentence's start to the proper name its main subject ends with, when words
    stand between the label and that name (the linked headline the parser took into the
    subject's phrase)."""
    subjects = [c for c in sent.root.children if c.dep_ == "nsubj" and c.tag_ == "NNP"]
    if not subjects:
        return None
    subject = start = subjects[-1]
    while start.i > colon.i + 1:
        before = start.doc[start.i - 1]
        if before.dep_ != "compound" or before.tag_ != "NNP" or before.head.i != subject.i:
            break
        start = before
    return Span(sent.start_char, start.idx) if start.i > colon.i + 1 else None


def _headline(sent: Any) -> Span | None:
    """The linked story's headline at the start of the sentence after a link label: all of a
    question ("Dying of hunger: What is a famine?"), else the words before the subject the
    story's own clause has besides the headline ("Uganda at 'breaking point' ... Malok
    warned ..."); None when the two cannot be told apart."""
    if sent.text.rstrip().endswith("?"):
        return Span(sent.start_char, sent.end_char)
    subjects = [c for c in sent.root.children if c.dep_ == "nsubj"]
    if len(subjects) < 2:
        return None
    start = subjects[-1].left_edge
    return Span(sent.start_char, start.idx) if start.i > sent.start else None


def _labels_before(sent: Any, at: int) -> int:
    """Where the run of bare labels before a link starts ("Facebook Twitter Reddit Permalink
    http://..."; a share bar): words with no article, preposition, pronoun or clause mark
    between them, at least `_LABELS` of them; else `at` itself."""
    before = [t for t in sent if t.idx + len(t.text) <= at]
    run = 0
    while run < len(before) and _label(before[len(before) - 1 - run]):
        run += 1
    if run < _LABELS:
        return at
    return int(before[len(before) - run].idx)


def _label(token: Any) -> bool:
    if token.is_space:
        return False
    if token.is_punct:
        return token.text in "+|/·•"
    return token.tag_ not in _CLAUSE_TAGS


def _credits(sent: Any) -> bool:
    """A list of labelled fields with no clause of its own: a programme's or a video's credits
    ("Presenter: Ann Byrne Guests: Tom Lee - analyst ... Source: ...")."""
    labels = sum(1 for t in sent if t.text == ":" and t.i > sent.start and _field_label(t))
    return labels >= _FIELDS and not _clause(sent)


def _clause(sent: Any) -> bool:
    """Whether the sentence has a finite verb, as a story's sentences do."""
    return any(t.tag_ in _FINITE for t in sent)


def _field_label(colon: Any) -> bool:
    """Whether the word before `colon` is a field's label: a capitalised noun ("Presenter:",
    "Guests:", "Source:")."""
    before = colon.doc[colon.i - 1]
    return bool(before.is_title and before.tag_.startswith("NN"))


def _addresses_reader(sent: Any, at_end: bool = False) -> bool:
    """A call to the reader (a verb in its base form opening it: "Share this slide", "Learn
    more"), a question put to the reader ("Do you have information ...?"), or a short fragment
    ("By Ann Byrne", "Photo: AFP", "Here's how."); `at_end`, among the last lines, also what
    speaks to the reader with no one reporting it ("X is a daily newsletter that will make
    you happier")."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    verbs = [t for t in words if t.tag_.startswith("VB") or t.tag_ == "MD"]
    if not verbs:
        return len(words) <= _FRAGMENT_WORDS
    subjects = [c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if words[0].tag_ == "VB" and (at_end or (sent.root.i == words[0].i and not subjects)):
        # "Share this slide: ...", "Sign up here": a base verb opening is a call (at the top
        # only where it heads the sentence: "Stop the war, protesters say" is a headline).
        return True
    if len(words) <= 3:
        # "Here's how.", not "He declined.": no one named does it.
        return not [t for t in subjects if t.tag_ == "PRP" or t.tag_.startswith("NN")]
    # "Do you have information you want to share with us?": the reader is the one asked.
    if [t.lower_ for t in subjects] == ["you"]:
        return True
    return at_end and _to_the_reader(words, verbs)


def _to_the_reader(words: list[Any], verbs: list[Any]) -> bool:
    """Whether "you" or "your" is in the words and no verb reports them."""
    return any(t.lower_ in ("you", "your") for t in words) and not any(
        is_reporting(t.text) for t in verbs
    )
