"""A single article's page furniture is found from the page's structure: an embedded post's
links and handles, calls to the reader and label fragments at the page's edges."""

from __future__ import annotations

import pytest

from briefer.engines import extractive
from briefer.engines.extractive import nlp
from briefer.readers.sources import Article

STORY = (
    "The Harbour Board will decide next month whether the old pier can reopen, after"
    " engineers found cracks in its supports. Tom Weller, the board's chairman, said the"
    " decision would depend on the cost of repairs. Ann Byrne, who runs a cafe on the pier,"
    " said she feared the board would close it for good. The repairs could cost as much as"
    " two million euros, according to the engineers. The pier is closed for repairs"
    " https://t.co/AbC123xyz pic.twitter.com/XyZ987 @HarbourNews March 3, 2017 Local"
    " traders say they have lost most of their customers since the pier closed. It is not"
    " yet clear who would pay for the repairs. Share this story: Will the pier ever reopen?"
    " Learn more"
)


def _pipeline() -> nlp.Pipeline:
    pytest.importorskip("spacy", reason="the spaCy engine needs the nlp extra")
    pipeline = nlp.load()
    if pipeline is None:
        pytest.skip("no English spaCy pipeline installed (pip install '.[nlp]')")
    return pipeline


def _brief(text: str) -> object:
    _pipeline()
    return extractive.brief(Article(text=text, path="-"), tokens=200)


def test_page_furniture_stays_out_of_the_briefing_and_the_story_stays_in() -> None:
    briefing = _brief(STORY)
    said = " ".join(
        [i.issue for i in briefing.open_issues]  # type: ignore[attr-defined]
        + [f.fact for f in briefing.key_facts]  # type: ignore[attr-defined]
        + [e.quote for p in briefing.positions for e in p.evidence]  # type: ignore[attr-defined]
    )
    for furniture in ("Share this story", "Learn more", "t.co/", "pic.twitter.com", "@Harbour"):
        assert furniture not in said
    assert "Tom Weller" in [p.actor for p in briefing.positions]  # type: ignore[attr-defined]
    assert "who would pay for the repairs" in said


def test_an_embedded_post_s_author_is_no_actor_and_takes_no_one_s_words() -> None:
    briefing = _brief(
        "The Harbour Board met on Monday to discuss the old pier. Ann Byrne, the board's"
        " chair, said the engineers' report was very worrying. -board said the pier is closed"
        ' until further notice @harbournews pic.twitter.com/Ab12Cd "?Tom Weller (@tomweller)'
        " March 3, 2017 Ms Byrne-also indicated it was up to the council to decide whether to"
        " repair it. She also said that the traders would be consulted before any decision."
    )
    # The board acts (it met); the post's author does not belong to the story.
    names = [a.name for a in briefing.actors]  # type: ignore[attr-defined]
    assert names == ["Harbour Board", "Ann Byrne"]
    said = {
        p.actor  # type: ignore[attr-defined]
        for p in briefing.positions  # type: ignore[attr-defined]
        if "traders would be consulted" in p.evidence[0].quote
    }
    assert said == {"Ann Byrne"}


def _furniture(text: str) -> list[str]:
    pipeline = _pipeline()
    from briefer.engines.extractive.page import furniture

    return [text[span.start : span.end] for span in furniture(pipeline.nlp(text), [])]


def test_a_share_bar_before_its_link_is_furniture_and_a_post_s_tag_is_not() -> None:
    bar = (
        "The council approved the new budget on Monday after a long debate in the capital."
        " Funded by the state, the college's home country is Freedonia, although it does not"
        " have campuses or offer courses there. Send Facebook Twitter Google+ Whatsapp Tumblr"
        " linkedin stumble Digg reddit Newsvine Permalink http://example.com/p/2aA1o Anna"
        " Lindqvist, the college's president, said the law would be contested. The vote is due"
        " next week. Officials declined to say more. The debate went on late into the night."
    )
    found = _furniture(bar)
    assert any(span.startswith("Whatsapp Tumblr") for span in found), found
    assert not any("Lindqvist" in span or "council" in span for span in found)
    tag = (
        "The council approved the new budget on Monday. U.S. President Donald Trump tweeted"
        " https://t.co/abc123 about the ruling. He said more later. It rained. Then it stopped."
    )
    assert _furniture(tag) == ["https://t.co/abc123"]


def test_a_name_the_recogniser_missed_after_a_share_bar_is_the_person_alone() -> None:
    # Only the later surname is set as an entity, as the small model gives it on such a text:
    # the full name is then read off the parse, where a share bar hangs before it.
    pipeline = _pipeline()
    from spacy.tokens import Span

    from briefer.engines.extractive import spacy_engine

    text = (
        "The agency will check the papers of all new arrivals from next month. Send Facebook"
        " Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink"
        " http://example.com/p/2X1wd Jana Kordt, who recently took over the agency, told the"
        " paper that the checks would take weeks. Kordt added that more staff would be hired."
        " The plan was published on Monday."
    )
    doc = pipeline.nlp(text)
    surname = [t.i for t in doc if t.text == "Kordt"][-1]
    doc.ents = [Span(doc, surname, surname + 1, label="PERSON")]
    briefing = spacy_engine.brief(Article(text=text, path="-"), 120, doc, "test")
    assert [(a.name, a.aliases) for a in briefing.actors] == [("Jana Kordt", ["Kordt"])]
    assert {p.actor for p in briefing.positions} == {"Jana Kordt"}


def test_a_programme_s_credits_at_the_page_s_end_are_furniture_and_a_labelled_quote_is_not() -> (
    None
):
    story = (
        "The European court ruled on Tuesday that employers may ban headscarves at work."
        " Rights groups said the ruling targets Muslim women. The court said the ban must apply"
        " to all religious symbols. Lawyers for the two women said they would study the ruling."
    )
    credits = (
        " Presenter: Ann Byrne Guests: Tom Lee - professor of law at the University of Selm"
        ' Mia Park - founder of the "Open Courts" campaign Source: Selm News'
    )
    found = _furniture(story + " The case now returns to the national courts." + credits)
    assert found == [credits.strip()], found
    # A guest list the page cuts into fragments after the credits' first line.
    listed = (
        " Presenter: Ann Byrne Guests: Tom Lee - professor of law at the University of Selm."
        " Mia Park - policy officer at the Open Justice Initiative. Ben Cole - journalist."
        " Source: Selm News"
    )
    found = _furniture(story + listed)
    assert found and found[0].startswith("Presenter: Ann Byrne"), found
    assert not any("Rights groups" in span for span in found)
    # Fields with a clause of their own are the story's: "Source: X. However, Y added: ...".
    labelled = " Source: Selm News However, Judge Lee added: the ruling stands for every employer."
    assert _furniture(story + labelled) == []


def test_a_stance_the_parse_ran_into_a_share_bar_is_read_from_the_words_left() -> None:
    from briefer.engines.extractive.spacy_actors import Actor
    from briefer.engines.extractive.spacy_attribution import Statement
    from briefer.engines.extractive.spacy_engine import _clipped
    from briefer.text.spans import Span

    bar = "Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink http://example.com/p/1"
    text = f"{bar} Government adviser Berg says the methods are working."
    adviser = Actor("Anna Berg", "person", 0)
    # As a parse that ran the sentence across the bar reads it: the stance from the bar on.
    statement = Statement(adviser, 0, len(text), False, f"{bar} Government adviser Berg")
    clipped = _clipped(statement, [Span(0, len(bar))], text)
    assert clipped is not None
    assert text[clipped.start : clipped.end].startswith("Government adviser Berg says")
    assert clipped.stance == "Government adviser Berg says the methods are working"


def test_a_link_label_and_the_headline_it_links_to_are_furniture() -> None:
    text = (
        "The council is divided over two ways to step up pressure on the government. READ"
        " MORE: Dying of hunger: What is a famine? The envoy Tom Weller spoke on Monday. READ"
        " MORE: Uganda at 'breaking point' from S Sudan refugee crisis Weller warned that an"
        ' arms embargo "would further aggravate the situation." The vote is due next week.'
    )
    found = _furniture(text)
    assert "READ MORE:" in found and "Dying of hunger: What is a famine?" in found, found
    assert any(span.startswith("Uganda at 'breaking point'") for span in found), found
    briefing = _brief(text)
    assert "Uganda" not in {a.name for a in briefing.actors}  # type: ignore[attr-defined]
    said = {
        p.actor  # type: ignore[attr-defined]
        for p in briefing.positions  # type: ignore[attr-defined]
        if "aggravate" in p.evidence[0].quote
    }
    assert said == {"Tom Weller"}


def test_a_link_label_the_parser_kept_with_the_story_s_sentence_is_furniture() -> None:
    # The parser ran the label, the headline it links to and the story's next sentence into
    # one; the headline became part of the subject's phrase.
    text = (
        "The harbour board met on Monday to discuss the new ferry timetable for the islands."
        " READ MORE: Kelvania's booming 'ferrymania' Tom Weller, the director of the Harbour"
        " Trust, stressed the importance of thoroughly checking the timetable before the vote."
        ' "We have no figures yet," he said.'
    )
    found = _furniture(text)
    assert [f for f in found if f.startswith("READ MORE: Kelvania's booming")], found
    briefing = _brief(text)
    stances = [p.stance for p in briefing.positions]  # type: ignore[attr-defined]
    assert stances and not [s for s in stances if "READ MORE" in s or "ferrymania" in s]


def test_a_single_article_s_closing_calls_to_the_reader_are_furniture() -> None:
    # One article, no day to find them repeated in: the run of calls at its end, however
    # many sentences the parser makes of it, is the page's.
    text = (
        "The harbour board approved the new ferry timetable on Monday after a long debate. Tom"
        " Weller, the board's chairman, said the timetable would be reviewed in the spring. The"
        " islanders' association said it would decide next week whether to appeal. Do you have"
        " information you want to share with the Harbour Post? Here's how. Harbour Life is a"
        " daily newsletter that will make you happier, one email at a time. Share this slide:"
        " How will the ferry plan affect you? Learn more"
    )
    found = _furniture(text)
    calls = (
        "share with the Harbour Post?",
        "Here's how.",
        "newsletter",
        "Share this",
        "Learn more",
    )
    for call in calls:
        assert [f for f in found if call in f], (call, found)
    assert "Tom Weller, the board's chairman" not in " ".join(found)
    briefing = _brief(text)
    issues = [i.issue for i in briefing.open_issues]  # type: ignore[attr-defined]
    assert not [i for i in issues if "Harbour Post" in i or "slide" in i], issues


def test_a_headline_opening_with_a_verb_is_not_a_call_to_the_reader() -> None:
    text = (
        "Stop the ferry cuts, islanders tell the harbour board\n\nThe islanders' association"
        " said on Monday that the cuts would leave three villages without a winter service."
        " Tom Weller, the board's chairman, said the timetable would be reviewed in the spring."
        " The board meets again next week. Two members have said they will vote against the"
        " cuts. The association has asked for a public hearing."
    )
    assert not [f for f in _furniture(text) if "ferry cuts" in f]
