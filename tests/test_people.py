"""People stay people in the offline engine: a title with a state before it ("the US
president") is the person who holds it, not the state; a document, a law or a court case is
never an actor; two names run together across a dash are not one actor. The sentences are
made up for the mechanism; they measure no quality."""

from __future__ import annotations

import subprocess
import sys

import pytest

from briefer.engines import extractive
from briefer.engines.extractive import nlp
from briefer.readers.sources import Article
from briefer.schema import Briefing


def _pipeline() -> nlp.Pipeline:
    pytest.importorskip("spacy", reason="the spaCy engine needs the nlp extra")
    pipeline = nlp.load()
    if pipeline is None:
        pytest.skip("no English spaCy pipeline installed (pip install '.[nlp]')")
    return pipeline


def _brief(text: str) -> Briefing:
    _pipeline()
    return extractive.brief(Article(text=text, path="-"), tokens=80)


def _holders(briefing: Briefing, words: str) -> set[str]:
    """The actors of the positions whose evidence holds `words`."""
    return {p.actor for p in briefing.positions for e in p.evidence if words in e.quote}


@pytest.mark.parametrize("title", ["the US president", "the American president"])
def test_a_state_s_president_is_the_person_not_the_state(title: str) -> None:
    briefing = _brief(
        f"Tom Weller, {title[4:]}, met Anna Berg on Monday in Paris. Later {title} said that"
        " the bridge would open in the spring."
    )
    assert [p.actor for p in briefing.positions] == ["Tom Weller"]
    for actor in briefing.actors:
        assert title[4:] not in actor.aliases


def test_a_constitution_and_a_court_case_are_not_actors() -> None:
    briefing = _brief(
        "The Freedonian Constitution protects the press, Tom Weller said on Monday. He added"
        " that Smith v. Jones had settled the question years ago, and that the United States"
        " Constitution said much the same."
    )
    names = {a.name for a in briefing.actors} | {n for a in briefing.actors for n in a.aliases}
    assert not [n for n in names if "Constitution" in n or " v. " in n]
    assert "Tom Weller" in names


def test_two_names_across_a_dash_are_not_one_actor() -> None:
    briefing = _brief(
        "For his four predecessors - Tom Weller, Anna Berg, Karl Ode and Lisa Marsh - Freedonia"
        " was an inherited challenge. Lisa Marsh said on Monday that the challenge remained."
    )
    assert not [a.name for a in briefing.actors if " - " in a.name]


def test_a_firm_named_after_a_person_is_a_body_and_she_is_its_director() -> None:
    briefing = _brief(
        "Sarah Whitfield is the new managing director of Peter Jones, the department store"
        ' chain. Peter Jones has 12 stores. "We need to change how we sell," she said on'
        " Monday."
    )
    kinds = {a.name: a.kind for a in briefing.actors}
    assert kinds.get("Peter Jones") == "organization"
    assert [p.actor for p in briefing.positions] == ["Sarah Whitfield"]


def test_a_title_of_a_body_before_a_name_is_that_person_speaking() -> None:
    # The parser makes "Minister" the subject and hangs the name on "for" inside its phrase.
    briefing = _brief(
        "The report came out on Monday. The coroner has been told. Minister for Housing and"
        " Local Government Ann Byrne said it was very sad news."
    )
    assert [(p.actor, p.stance) for p in briefing.positions] == [
        ("Ann Byrne", "It was very sad news")
    ]


def test_a_name_beside_a_relation_inside_the_subject_is_not_the_speaker() -> None:
    briefing = _brief(
        "Tom Weller left the company in May. The father of three, who is currently living"
        " with his estranged wife, Ann Byrne, wrote that he decided to seek help."
    )
    assert "Ann Byrne" not in [p.actor for p in briefing.positions]


def test_a_quotation_nobody_is_named_for_goes_on_with_the_last_speaker() -> None:
    briefing = _brief(
        'Ann Byrne, the mayor, opened the session. "The budget is tight," she said. The town'
        ' has lost two factories since May. "We will still keep every library open next'
        ' year." Tom Weller, the treasurer, spoke next. "Where will the money come from this'
        ' time?"'
    )
    by_actor = {(p.actor, p.evidence[0].quote) for p in briefing.positions}
    assert ("Ann Byrne", "We will still keep every library open next year.") in by_actor
    # A question is an interviewer's as often as the speaker's; and another person was named.
    assert not [q for _, q in by_actor if q.startswith("Where will")]


def test_what_an_actor_wants_or_plans_is_its_position_without_a_verb_of_saying() -> None:
    briefing = _brief(
        "The Harbour Board met on Monday. The Harbour Board wants to close the old pier by"
        " the end of the year. Tom Weller opposes the closure of the pier."
    )
    stances = {(p.actor, p.stance) for p in briefing.positions}
    assert ("Harbour Board", "Wants to close the old pier by the end of the year") in stances
    assert ("Tom Weller", "Opposes the closure of the pier") in stances


def test_what_another_says_an_actor_sought_is_that_actor_s_on_their_word() -> None:
    """An allegation is the accuser's: Dravia holds it on Norland's officials' word, and the
    stance says so. Its own minister saying what it wants is Dravia's own position, and a
    person saying what a body wants may speak for it."""
    briefing = _brief(
        "The Harbour Board met on Monday. Officials in Norland have said Dravia sought to block"
        " the port deal to help its own shippers. Dravia's trade minister Tom Weller said"
        " Dravia wants a new deal by June. Anna Berg said the Harbour Board would decide on"
        " the fees in May."
    )
    stances = {p.stance: p.actor for p in briefing.positions}
    blocked = "Sought to block the port deal to help its own shippers (as reported by officials)"
    assert stances[blocked] == "Dravia"
    assert stances["Wants a new deal by June"] == "Dravia"
    assert stances["Decide on the fees in May"] == "Harbour Board"


def test_it_in_what_a_body_says_is_that_body_not_the_last_one_named() -> None:
    briefing = _brief(
        "Volkswagen met the Harbour Board on Monday. The German automaker said it wanted to"
        " make its core brand more profitable."
    )
    wanted = {p.actor for p in briefing.positions if "core brand" in p.stance}
    assert wanted and "Harbour Board" not in wanted


def test_she_is_not_a_man_the_text_calls_mr() -> None:
    briefing = _brief(
        "Ann Byrne lives on the same street. Mr Weller arrived in the town in May. She said"
        " the family had kept to itself for years."
    )
    assert [p.actor for p in briefing.positions] == ["Ann Byrne"]


def test_a_paper_that_reports_someone_s_words_does_not_hold_them() -> None:
    briefing = _brief(
        "Tom Weller said the old pier would close in May, the Daily Courier reported. The"
        " harbour will stay open, according to the Daily Courier."
    )
    actors = [p.actor for p in briefing.positions]
    assert actors[0] == "Tom Weller" and actors.count("Tom Weller") == 1
    assert len(actors) <= 2


def test_no_plans_to_seek_is_not_a_wish_to_seek_and_a_clause_about_something_else_is_not() -> None:
    briefing = _brief(
        "Freedonia has said it has no plans to seek membership of the alliance. The Harbour"
        " Board has asked to attend the talks, a request that Freedonia has opposed and the"
        " others have not answered."
    )
    for position in briefing.positions:
        assert not position.stance.startswith("Seek")
        assert not position.stance.startswith("Opposed and")


def test_a_news_medium_that_only_reports_or_is_told_is_not_an_actor() -> None:
    briefing = _brief(
        "The Harbour Board will close the old pier in May, the Daily Courier News reported."
        " Tom Weller told AFP on Tuesday that the closure was a mistake. Weller said the"
        " traders would fight it."
    )
    names = {a.name for a in briefing.actors}
    assert "Tom Weller" in names
    assert not names & {"Daily Courier News", "AFP"}


def test_a_tag_the_parser_split_off_still_names_the_quotation_s_speaker() -> None:
    briefing = _brief(
        'Ann Byrne spoke at the harbour on Monday. "Is the town ready for a winter without'
        ' its pier?" Byrne said. The union called for guarantees that the jobs would stay.'
    )
    by_quote = {e.quote: p.actor for p in briefing.positions for e in p.evidence}
    assert by_quote.get("Is the town ready for a winter without its pier?") == "Ann Byrne"


def test_a_name_that_ends_in_what_it_is_is_a_body_whatever_the_recogniser_says() -> None:
    pipeline = _pipeline()
    from spacy.tokens import Span

    from briefer.engines.extractive.spacy_actors import find_actors

    doc = next(nlp.parse(pipeline, ["The Harbour Development Council said the pier would close."]))
    # The small model sometimes labels such a name PERSON: label it so, as it would.
    doc.ents = [Span(doc, 1, 4, label="PERSON")]
    kinds = {a.name: a.kind for a in find_actors(doc, []).actors}
    assert kinds == {"Harbour Development Council": "organization"}


def test_a_surname_the_recogniser_missed_still_names_its_person() -> None:
    pipeline = _pipeline()
    from spacy.tokens import Span

    from briefer.engines.extractive.spacy_actors import find_actors

    text = "Tom Weller chairs the board. On Tuesday, Weller cancelled the meeting."
    doc = next(nlp.parse(pipeline, [text]))
    # The small model often misses a surname standing alone: only the full name is labelled.
    doc.ents = [Span(doc, 0, 2, label="PERSON")]
    cast = find_actors(doc, [])
    weller = next(t for t in doc if t.text == "Weller" and t.i > 2)
    assert cast.at(weller.i) is not None and cast.at(weller.i).name == "Tom Weller"


def test_a_subject_inside_a_quotation_is_not_who_he_or_she_goes_back_to() -> None:
    briefing = _brief(
        'Tom Weller spoke first at the meeting. Weller said: "Ann Byrne is wrong about the'
        ' pier." He said the board would meet again in March to decide on the repairs.'
    )
    said = {p.actor for p in briefing.positions if "meet again in March" in p.evidence[0].quote}
    assert said == {"Tom Weller"}


def test_a_surname_the_text_calls_his_is_a_person_whatever_the_recogniser_says() -> None:
    pipeline = _pipeline()
    from spacy.tokens import Span

    from briefer.engines.extractive.spacy_actors import find_actors, mark_pronouns

    doc = next(
        nlp.parse(pipeline, ["Harlan said in an interview at his ministry that the dam was safe."])
    )
    doc.ents = [Span(doc, 0, 1, label="ORG")]  # as the small model labels it at times
    cast = find_actors(doc, [])
    mark_pronouns(doc, cast, [])
    assert [(a.name, a.kind, a.pronoun) for a in cast.actors] == [("Harlan", "person", "he")]


def test_officials_of_two_countries_are_two_groups() -> None:
    briefing = _brief(
        "Freedonian officials said the dam was safe. Sylvanian officials said the dam was a"
        " danger to the valley. Freedonian officials said they would open the gates in May."
    )
    by_actor: dict[str, int] = {}
    for position in briefing.positions:
        by_actor[position.actor] = by_actor.get(position.actor, 0) + 1
    assert len(by_actor) == 2 and sorted(by_actor.values()) == [1, 2]


def test_words_quoted_after_what_a_body_wants_are_the_speaker_s_who_reports_it() -> None:
    briefing = _brief(
        "The talks on the river accord resumed in Selm on Monday. Harbour minister Tom"
        " Weller met the delegation from Dravia. The delegation wants to settle the fees"
        ' first, but Mr Weller said the ministry wanted to "look at every clause of the'
        ' accord together" before any vote.'
    )
    # The quotation is his, held in the clause he is reported to have said, and never the
    # ministry's own words.
    assert "Tom Weller" in _holders(briefing, "look at every clause of the accord together")
    quoted = [
        p.actor
        for p in briefing.positions
        for e in p.evidence
        if e.direct and "look at every clause" in e.quote
    ]
    assert set(quoted) <= {"Tom Weller"}


def test_past_the_cap_a_speaker_outranks_bodies_that_are_only_named() -> None:
    from briefer.engines.extractive.spacy_actors import Actor, Cast
    from briefer.engines.extractive.spacy_engine import MAX_ACTORS, _rank

    named = [
        Actor(f"Board {n}", "organization", first=n, mentions=[n] * 6, acts=2)
        for n in range(MAX_ACTORS)
    ]
    speaker = Actor("Tom Weller", "person", first=900, mentions=[900], statements=1)
    chosen = _rank(Cast([*named, speaker], {}))
    assert len(chosen) == MAX_ACTORS and speaker in chosen


def test_a_quotation_a_colon_introduces_is_the_framing_clause_s_subject_s() -> None:
    # The parser may hang the clause before the colon under the quotation's own verb; and a
    # quotation a colon introduces may run on over several sentences.
    briefing = _brief(
        "The talks on the river accord resumed in Selm on Monday. Tom Weller, the harbour"
        " minister, met the delegation from Dravia. Mr Weller's aim is to settle the fees"
        ' first: "The era of open-ended talks is over. What we need now is a signature on'
        ' the fees before the summer."'
    )
    assert _holders(briefing, "open-ended talks") == {"Tom Weller"}


def test_it_goes_back_to_the_body_that_was_the_last_subject_not_the_last_body_named() -> None:
    briefing = _brief(
        "The river accord takes effect in May. The ministry says most of the old harbour rules"
        " will not work after the accord without changes, and checking each change would be"
        " too much work for the Harbour Council. It estimates that around 900 rules will need"
        " to change before the summer."
    )
    held = _holders(briefing, "900 rules")
    assert held == {"ministry"}


def test_a_son_with_his_father_s_name_and_a_suffix_is_another_person() -> None:
    briefing = _brief(
        "Harbour minister Tom Weller opened the new pier in Selm on Monday. His son, Tom"
        " Weller Jr, who runs the ferry company, said the fees were too high. Tom Weller said"
        " the fees would stay."
    )
    names = {a.name for a in briefing.actors}
    assert {"Tom Weller", "Tom Weller Jr"} <= names
    weller = next(a for a in briefing.actors if a.name == "Tom Weller")
    assert "Tom Weller Jr" not in weller.aliases


def test_what_a_paper_reports_an_actor_did_is_that_actor_s_position() -> None:
    briefing = _brief(
        "The Harbour Council met on Monday. Tom Weller, the harbour minister, said the fees"
        " would stay. The Selm Times reported that Tom Weller had cancelled another year of"
        " talks on the fees."
    )
    held = _holders(briefing, "another year")
    assert "Tom Weller" in held


def test_a_named_member_a_group_subject_includes_says_it_too() -> None:
    briefing = _brief(
        "The harbour accord was signed in Selm in May. Several ministers, including the"
        " harbour minister Tom Weller, have since said the fees will stay as they are."
    )
    held = _holders(briefing, "fees will stay")
    assert "Tom Weller" in held


def test_a_spokesperson_for_a_body_known_by_its_initials_speaks_for_that_body() -> None:
    briefing = _brief(
        "Officials of the U.S. Harbour Safety Authority inspected the pier in Selm on Monday"
        " after the storm. A spokesperson for HSA said that the pier would stay closed until"
        " the inspection ends next month."
    )
    held = _holders(briefing, "stay closed")
    authority = next(a for a in briefing.actors if a.name.endswith("Harbour Safety Authority"))
    assert held == {authority.name} and "HSA" in authority.aliases


def test_a_name_things_are_done_to_is_not_an_actor_one_that_does_them_is() -> None:
    """The subject of a passive verb does not act: a firm that "was fined" and "was sold" is
    talked about; one that "fined a supplier" and "sold its port" acts."""
    done_to = _brief(
        "Farmers in the valley lost orders this year. Meridian Holdings was fined by the"
        " regulator in 2001. Anna Berg, a trade minister, said prices would fall. Meridian"
        " Holdings was sold last spring, and exports rose."
    )
    assert [a.name for a in done_to.actors] == ["Anna Berg"]
    doing = _brief(
        "Farmers in the valley lost orders this year. Meridian Holdings fined a supplier in"
        " 2001. Anna Berg, a trade minister, said prices would fall. Meridian Holdings sold its"
        " port last spring, and exports rose."
    )
    assert [a.name for a in doing.actors] == ["Meridian Holdings", "Anna Berg"]


def test_a_name_joined_to_a_subject_by_and_acts_with_it() -> None:
    """Conjoined subjects share their verb: in "Norland and Vestria are drafting a treaty"
    Vestria drafts as much as Norland does."""
    briefing = _brief(
        "Farmers in the valley lost orders this year. Anna Berg, a trade minister, said prices"
        " would fall. Norland and Vestria are drafting a new treaty on river shipping, she said."
        " Norland wants lower tolls on boats from Vestria."
    )
    names = [a.name for a in briefing.actors]
    assert "Vestria" in names and "Norland" in names


def test_the_forms_a_text_names_a_state_by_are_its_aliases() -> None:
    """An actor lists the names the article uses for it: "the UK" and "Britain" are the one
    state, named by its full name, and each is an alias a reader can find it by."""
    briefing = _brief(
        "Farmers in the valley lost orders this year. The UK said on Monday that it would"
        " cut tariffs on grain. Britain wants a deal by June, the trade minister said, and the"
        " UK will send an envoy to the talks."
    )
    [state] = [a for a in briefing.actors if a.kind == "state"]
    assert state.name == "United Kingdom"
    assert {"UK", "Britain"} <= set(state.aliases)


def test_he_is_not_the_person_his_own_quotation_names_in_full() -> None:
    """'"Absolutely, Tom Weller should publish the accounts," he said': whoever "he" is, he
    is not Tom Weller; the quotation is left unattributed rather than given to him."""
    briefing = _brief(
        "Tom Weller, the mayor, said on Monday that the harbour would stay open. A first-term"
        " councillor from the east ward has stood by the mayor for years. But he surprised the"
        " audience when he said, “Absolutely, Tom Weller should publish the harbour accounts.”"
        " “The mayor has hidden the harbour accounts from the town for far too many years.”"
    )
    quotes = [e.quote for p in briefing.positions if p.actor == "Tom Weller" for e in p.evidence]
    assert quotes and not any("harbour accounts" in q for q in quotes)  # nor what goes on


def test_a_place_run_into_a_name_is_not_part_of_the_person() -> None:
    """A heading run into the sentence ("... against Donald Trump Europe as a role model"):
    the text names the person and the place apart elsewhere, so they stay apart."""
    briefing = _brief(
        "Unions in France called for a general strike on Monday. Strikes are more common in"
        " Europe than in the US, said Anna Berg, a historian. President Donald Trump has not"
        " commented. Organisers want a strike against Donald Trump Europe as a role model, Berg"
        " said. Trump will visit Ohio on Friday, and Trump will speak there."
    )
    trump = [a for a in briefing.actors if "Trump" in a.name]
    assert [a.name for a in trump] == ["Donald Trump"]
    assert "Europe" not in trump[0].aliases


def test_a_seat_of_government_is_a_body_not_the_person_it_is_named_after() -> None:
    """ "the Trump White House" is the White House, an organisation; "Trump" is not its
    alias."""
    briefing = _brief(
        "Ukrainian diplomats are scrambling for more clarification from the Trump White House."
        " Officials in the Trump White House said on Monday that talks would go on. Trump said"
        " on Tuesday that he would meet the president, and Trump called the talks useful."
    )
    kinds = {a.name: (a.kind, a.aliases) for a in briefing.actors}
    assert kinds["Trump"][0] == "person"
    assert all(kind != "person" for name, (kind, _) in kinds.items() if "House" in name)


def test_a_demonym_inside_a_longer_one_is_not_that_state() -> None:
    """ "Latin American countries" are not the United States."""
    briefing = _brief(
        "Farmers in the valley lost orders this year. On Monday, Latin American countries said"
        " that the new tariffs were unfair, and Latin American countries will meet in Lima."
        " American officials said the tariffs would stay, and the United States will not"
        " change them."
    )
    aliases = {alias for a in briefing.actors if a.name == "United States" for alias in a.aliases}
    assert "Latin American countries" not in aliases
    # A capitalised word before a demonym is not always part of it.
    for text, state in [
        ("The South Korean government said on Monday that talks would resume.", "South Korea"),
        ("On Tuesday Russian officials said the talks would resume.", "Russia"),
    ]:
        said = _brief("Farmers lost orders this year. " + text)
        assert [p.actor for p in said.positions] == [state]


def test_a_person_run_into_a_body_s_name_is_the_person() -> None:
    """ "The head of the Central Bank of Norway Ingrid Lund said": the recogniser runs the
    body and the person into one name; the text names her alone later, so she speaks."""
    briefing = _brief(
        "Markets were calm in Oslo this week. The head of the Central Bank of Norway Ingrid"
        " Lund said on Friday that rates would fall. Lund said inflation was slowing."
    )
    people = {a.name: a.kind for a in briefing.actors}
    assert people.get("Ingrid Lund") == "person"
    assert {p.actor for p in briefing.positions} == {"Ingrid Lund"}
    # The parser may make the body's first word the subject: the words are still hers.
    subject = _brief(
        "Markets were calm in Oslo this week. The Bank of Norway Ingrid Lund said on Friday"
        " that rates would fall. Lund said inflation was slowing."
    )
    assert {p.actor for p in subject.positions} == {"Ingrid Lund"}


def test_a_company_or_a_paper_of_a_country_is_not_its_state() -> None:
    """ "A Norwegian company said" is not Norway speaking; "the Norwegian government" is."""
    briefing = _brief(
        "Prices of salmon fell this week. A Norwegian company said on Monday that exports would"
        " fall, and a Norwegian weekly reported that farms would close. The Norwegian government"
        " said it would not step in."
    )
    norway = [p for p in briefing.positions if p.actor == "Norway"]
    assert norway and all("government" in e.quote for p in norway for e in p.evidence)
    weekly = _brief(
        "Prices of salmon fell this week. A US weekly said on Monday that farms would close."
        " US officials said on Tuesday that tariffs would stay."
    )
    states = [p for p in weekly.positions if p.actor == "United States"]
    assert states and all("officials" in e.quote for p in states for e in p.evidence)


def test_a_surname_with_particles_is_one_person() -> None:
    # The small model ends the name at its particle ("Marta von" + "der Brel"); the surname
    # alone, capitalised at a sentence's start, is the same person.
    briefing = _brief(
        "Defence minister Marta von der Brel said on Monday that the base would stay open."
        " Von der Brel added that the budget would grow next year. Jean-Luc Le Moal, the"
        " mayor, said the town welcomed the decision."
    )
    people = {a.name: a for a in briefing.actors if a.kind == "person"}
    assert "Marta von der Brel" in people, sorted(people)
    assert "Von der Brel" in people["Marta von der Brel"].aliases
    assert not [name for name in people if name.split()[-1].lower() in ("von", "der", "le")]
    assert _holders(briefing, "would grow next year") == {"Marta von der Brel"}


def test_the_named_members_of_a_group_subject_hold_what_it_says() -> None:
    briefing = _brief(
        "Two top Republicans, Ann Lee and Tom Weller, agreed that the plan needed changes."
        " The vote is due next week."
    )
    assert {"Ann Lee", "Tom Weller"} <= _holders(briefing, "the plan needed changes")


def test_a_surname_tagged_as_a_common_noun_still_names_its_person() -> None:
    # The small model tags "Lotter" as a common noun at the start of this sentence.
    briefing = _brief(
        "The governor moved to a different account, spokesman Karl Lotter said. Lotter said"
        ' Walsh "maintained a state email account and a personal email account" like previous'
        " governors. The office released 30 pages."
    )
    assert _holders(briefing, "maintained a state email account") == {"Karl Lotter"}


def test_a_body_that_denounces_a_plan_holds_a_position_on_it() -> None:
    briefing = _brief(
        "The Transport Workers Union denounced the plan as reckless and costly. The city"
        " council will vote on the plan next week."
    )
    assert _holders(briefing, "denounced the plan") == {"Transport Workers Union"}


def test_a_stand_only_named_is_no_position() -> None:
    briefing = _brief(
        "The city council voted on the plan on Monday. The mayor said the union needs to"
        " endorse the plan before work can start. Work is due to start in May."
    )
    assert "union" not in {p.actor for p in briefing.positions}
    assert not [p for p in briefing.positions if p.stance.startswith("Endorse")]


def test_a_business_named_by_its_trade_and_a_demonym_is_the_company_not_the_state() -> None:
    briefing = _brief(
        "Brelmark Motors reported a loss on Tuesday. The German automaker said it wanted to"
        " cut costs at its core brand. Analysts expect more job cuts in the spring."
    )
    assert _holders(briefing, "wanted to cut costs") == {"Brelmark Motors"}
    assert "Germany" not in {a.name for a in briefing.actors}


def test_an_abbreviated_rank_before_a_surname_is_not_part_of_the_name() -> None:
    briefing = _brief(
        "Gareth Lowe of North Wales Police said the search had been called off for the night."
        " Supt Lowe said the search would resume at first light. The weather is expected to"
        " improve."
    )
    people = [a for a in briefing.actors if a.kind == "person"]
    assert [a.name for a in people] == ["Gareth Lowe"], [(a.name, a.aliases) for a in people]
    assert _holders(briefing, "resume at first light") == {"Gareth Lowe"}


def test_figures_named_for_their_source_are_no_actor_but_their_publisher_is() -> None:
    briefing = _brief(
        "The dam's spillway is eroding, officials said on Sunday. According to US Census data,"
        " over 160,000 people live in the area. According to data from Relief Watch, almost"
        " half of them have no car. Evacuation centres opened in three towns."
    )
    names = {a.name for a in briefing.actors}
    assert not [name for name in names if "Census" in name], names
    assert _holders(briefing, "almost half of them") == {"Relief Watch"}


def test_a_place_that_owns_what_a_speaker_belongs_to_is_not_the_speaker() -> None:
    briefing = _brief(
        "Schools across the region held missile drills on Friday. The principal of Brenford's"
        " elementary school argues the drill gave his students a valuable lesson. Parents were"
        " invited to watch."
    )
    assert "Brenford" not in _holders(briefing, "valuable lesson")
    assert "Brenford" not in {a.name for a in briefing.actors}


def test_a_place_after_a_title_is_not_part_of_the_name_that_follows_it() -> None:
    # The small model sometimes takes "China Andrei ..." after "Ambassador to" for a body;
    # the entity is set by hand here, as the recogniser gives it on such a sentence.
    pipeline = _pipeline()
    from spacy.tokens import Span

    from briefer.engines.extractive.spacy_actors import find_actors

    doc = pipeline.nlp(
        "Russian President Vladimir Putin plans to visit Beijing in midyear, Russian Ambassador"
        " to China Ivan Petrov said on Thursday."
    )
    start = next(t.i for t in doc if t.text == "China")
    doc.ents = [Span(doc, start, start + 3, label="ORG")]
    names = {(a.name, a.kind) for a in find_actors(doc, []).actors}
    assert names == {("Ivan Petrov", "person")}, names


def test_a_chairperson_is_a_title_not_an_actor() -> None:
    briefing = _brief(
        "The economy will grow this year, Chairperson of the Bank of Sylvania Elvira Dobrova"
        " said on Thursday. The Chairperson added that inflation would slow."
    )
    assert "Chairperson" not in {a.name for a in briefing.actors}


@pytest.mark.parametrize(
    ("first", "holder"),
    [
        ("Ann Lee told reporters the talks had gone well.", "Ann Lee"),  # her title not given
        ("Ann Lee, the finance minister, said the talks had gone well.", None),  # another title
    ],
)
def test_the_title_someone_speaks_under_is_theirs_only_if_no_other_title_is(
    first: str, holder: str | None
) -> None:
    briefing = _brief(f"{first} The ambassador said a new round would start in June.")
    holders = _holders(briefing, "a new round would start in June")
    assert holders == ({holder} if holder else set()), holders


def test_a_word_written_small_or_a_people_s_adjective_is_no_actor() -> None:
    briefing = _brief(
        "Learning the script takes years. For example, three birds (鸟 niǎo) make a flock, "
        "describing many birds flying together. Ancient Chinese tended to use the five "
        "elements to explain the seasons, scholars say."
    )
    assert not {"鸟", "niǎo", "Chinese"} & {a.name for a in briefing.actors}


def test_a_capitalised_title_before_a_person_s_name_is_the_person_s_and_no_body() -> None:
    briefing = _brief(
        "The talks on the river accord resumed in Selm on Monday. The delegation from Dravia"
        " has arrived with constructive instructions, Russia's Permanent Representative to the"
        " UN Office and other International Organizations in Geneva Anna Kovac said on"
        " Thursday. The Health Service Executive said the hospitals were ready."
    )
    assert _holders(briefing, "constructive instructions") == {"Anna Kovac"}
    # A body whose name ends in a title is still a body.
    assert _holders(briefing, "the hospitals were ready") == {"Health Service Executive"}
    assert "Permanent Representative" not in {a.name for a in briefing.actors}


def test_whom_a_speaker_is_compared_to_is_not_the_speaker() -> None:
    briefing = _brief(
        "The council met on Monday. Tom Weller returns to government after working as a"
        " lawyer. Like Trump, the 71-year old has argued that the US needs to defend its"
        " interests against China. Like the mayor, Anna Berg said the budget would pass."
    )
    assert "Trump" not in _holders(briefing, "defend its interests")
    assert _holders(briefing, "the budget would pass") == {"Anna Berg"}


def test_a_first_name_taken_for_something_else_keeps_its_person_apart() -> None:
    from spacy.tokens import Span as Entity

    from briefer.engines.extractive.spacy_actors import find_actors, join_name_particles

    doc = _pipeline().nlp(
        "President Donald Weller met the council. Ivanka Weller said the plan was hers."
        " Lord Fowler said nothing."
    )
    words = [t.text for t in doc]
    # As the small model labels such a text: the first name a product, the surname a person.
    doc.ents = [
        Entity(doc, 1, 3, label="PERSON"),
        Entity(doc, words.index("Ivanka"), words.index("Ivanka") + 1, label="PRODUCT"),
        Entity(doc, words.index("Ivanka") + 1, words.index("Ivanka") + 2, label="PERSON"),
        Entity(doc, words.index("Fowler"), words.index("Fowler") + 1, label="PERSON"),
    ]
    join_name_particles(doc)
    names = {a.name for a in find_actors(doc, []).actors}
    assert {"Donald Weller", "Ivanka Weller", "Fowler"} <= names
    assert "Lord Fowler" not in names


def test_whose_act_is_countered_is_not_the_one_who_counters() -> None:
    briefing = _brief(
        "The council met on Monday. While the Republican-controlled Congress has proven"
        " mostly silent in countering Trump's attacks on the independent media and the"
        " judiciary, the press appears determined to do its job."
        ' "We will build the bridge," says Tom Weller, Oxfam\'s director.'
    )
    assert "Trump" not in {p.actor for p in briefing.positions}
    assert _holders(briefing, "We will build the bridge") == {"Tom Weller"}


def test_a_place_after_an_ambassador_s_title_is_no_part_of_the_name_that_follows() -> None:
    briefing = _brief(
        "Trade between the two countries grew by half last year. The number of visitors grew"
        " by 50% compared to the previous year, reaching a record high, Russian Ambassador to"
        " the Republic of Freedonia Stanislav Petrov said in an interview with TASS. Banks"
        " managed to reinforce positions there, Russian ambassador in Selmland Ivan Orlov told"
        " TASS on Tuesday."
    )
    assert _holders(briefing, "reaching a record high") == {"Stanislav Petrov"}
    assert _holders(briefing, "reinforce positions") == {"Ivan Orlov"}


def test_a_title_split_off_a_name_and_a_tag_set_into_a_sentence_keep_who_said_what() -> None:
    briefing = _brief(
        "The Freedonia Trade Commission warned buyers on Monday."
        ' "Scammers are getting more manipulative," its deputy chair Anna Berg said in a'
        " statement. Complaints about online sales increased by a third in 2016, the"
        " commission said, and the money reported lost rose by about $3m."
    )
    assert _holders(briefing, "more manipulative") == {"Anna Berg"}
    stances = {p.stance for p in briefing.positions if p.actor == "Freedonia Trade Commission"}
    assert "Complaints about online sales increased by a third in 2016" in stances
    assert not any(s.startswith("Said") for s in stances)


def test_a_body_s_name_the_recogniser_cut_after_and_is_one_name() -> None:
    from spacy.tokens import Span as Entity

    from briefer.engines.extractive.spacy_actors import find_actors, join_name_particles

    doc = _pipeline().nlp(
        "Scams cost more, according to the Freedonian Competition and Consumer Commission."
    )
    words = [t.text for t in doc]
    cut = words.index("and") + 1
    # As the small model labels such a name: two bodies, the first ending in "and".
    doc.ents = [
        Entity(doc, words.index("the"), cut, label="ORG"),
        Entity(doc, cut, words.index("Commission") + 1, label="ORG"),
    ]
    join_name_particles(doc)
    names = {a.name for a in find_actors(doc, []).actors}
    assert names == {"Freedonian Competition and Consumer Commission"}


def test_a_body_s_name_the_recogniser_cut_after_a_people_s_adjective_runs_on() -> None:
    from spacy.tokens import Span as Entity

    from briefer.engines.extractive.spacy_actors import find_actors, join_name_particles

    doc = _pipeline().nlp(
        "Jobs would be lost, according to the National Association of British and Irish Millers."
    )
    words = [t.text for t in doc]
    # As the small model labels such a name: a body ending in "British", then a people.
    doc.ents = [
        Entity(doc, words.index("the"), words.index("British") + 1, label="ORG"),
        Entity(doc, words.index("Irish"), words.index("Irish") + 1, label="NORP"),
    ]
    join_name_particles(doc)
    names = {a.name for a in find_actors(doc, []).actors}
    assert names == {"National Association of British and Irish Millers"}


def test_police_is_the_force_the_text_names() -> None:
    briefing = _brief(
        "Seven of the 11 people arrested since the attack in Selmford have been released,"
        " police have said. The Selmford Police said two men remain in custody."
        " Police said their investigation would focus on the attacker's associates."
    )
    assert {p.actor for p in briefing.positions} == {"Selmford Police"}
    assert "police" not in {a.name.lower() for a in briefing.actors}


def test_an_abbreviated_office_before_a_name_is_the_person_s_role() -> None:
    briefing = _brief(
        "The bill reached the floor on Tuesday. Sen. Tom Weller (R-Ark.) and Sen. Anna Berg"
        " (R-Mont.) also raised objections to the bill. Weller said the bill would fail."
    )
    roles = {a.name: a.role for a in briefing.actors}
    assert roles == {"Tom Weller": "Senator", "Anna Berg": "Senator"}


def test_a_body_s_demonym_outranks_a_place_deep_in_its_name_and_a_state_s_troops_act_for_it() -> (
    None
):
    briefing = _brief(
        "Fighting went on in Syria. Three villages in Syria have joined the ceasefire, the"
        " Russian center for reconciliation of the warring parties in Syria said on Monday."
        " Syrian government troops have taken the hill."
    )
    # Russia's own body, not Syria (the place deep in its name).
    assert _holders(briefing, "Three villages") == {"Russian center"}
    assert "Syria" in {a.name for a in briefing.actors}


def test_the_industry_is_the_industry_s_body_the_text_names() -> None:
    briefing = _brief(
        "Hens have been kept indoors since December, the Freedonian Egg Industry Council said."
        " To avoid confusion, the industry has decided to label egg cartons with stickers."
    )
    assert _holders(briefing, "the industry has decided") == {"Freedonian Egg Industry Council"}


def test_what_a_body_asks_of_someone_names_whom_it_asks() -> None:
    briefing = _brief(
        "Anna Berg spoke on Monday. Freedonia Rowing Federation officials have asked the"
        " club's chief Tom Weller to step down, but Berg said real change would require more."
    )
    stances = {p.stance for p in briefing.positions if p.actor == "Freedonia Rowing Federation"}
    assert stances == {"Asked the club's chief Tom Weller to step down"}


def test_a_first_person_quotation_after_a_sentence_about_one_person_is_hers() -> None:
    briefing = _brief(
        "Anna Berg, 29, a project manager in Selmford, spent a week's salary on a flight."
        ' For Berg, the thrill was worth much more. "I never thought I would dare fly in a'
        ' helicopter, but I am so glad I did." Sales of such flights doubled last year.'
    )
    assert _holders(briefing, "dare fly in a helicopter") == {"Anna Berg"}


def test_a_quotation_in_no_one_s_voice_after_a_sentence_about_a_person_is_not_hers() -> None:
    briefing = _brief(
        "Anna Berg, 29, a project manager in Selmford, spent a week's salary on a flight."
        ' The brochure promised "the flight of a lifetime over the reef and the islands".'
        " Sales of such flights doubled last year."
    )
    assert not _holders(briefing, "flight of a lifetime")


def test_someone_described_by_where_they_come_from_is_not_the_place() -> None:
    briefing = _brief(
        'Vigilance is key in Selmland. "Not only to stop crime, but also to protect the'
        ' monarchy," a young man from Selmford told reporters. The young man from Selmford'
        " agrees that the checks are needed, but confesses that he is a bit afraid."
    )
    assert _holders(briefing, "protect the monarchy") == {"young man from Selmford"}
    assert "Selmford" not in {a.name for a in briefing.actors}


def test_a_letter_from_someone_is_theirs_not_a_person_from_somewhere() -> None:
    briefing = _brief(
        "Anna Berg leads the talks for Selmland. Selmland has offered to pay a tenth of the"
        " cost of the dam, according to a letter from Berg to the ministry."
    )
    assert _holders(briefing, "offered to pay a tenth") == {"Anna Berg"}


def test_bare_officials_quoted_once_are_a_source_not_an_actor() -> None:
    briefing = _brief(
        "Anna Berg, the mayor, said on Monday that the pier would reopen in May. Officials"
        " say more than 80 traders have filed complaints. Local traders said they had lost"
        " most of their customers, and local traders said they would sue the council."
    )
    names = {a.name.lower() for a in briefing.actors}
    assert "officials" not in names
    assert {"anna berg", "local traders"} <= names


def test_the_diplomat_is_the_ambassador_just_named_not_the_state() -> None:
    briefing = _brief(
        "Ivan Orlov, the Russian ambassador to Freedonia, met the minister on Monday."
        ' "The two sides agreed to keep talking," the Russian diplomat said.'
        ' "We will meet again in June," the diplomat added.'
    )
    assert _holders(briefing, "keep talking") == {"Ivan Orlov"}
    assert _holders(briefing, "meet again in June") == {"Ivan Orlov"}


def test_a_body_that_only_sets_the_scene_or_only_is_something_does_not_act() -> None:
    briefing = _brief(
        "Anna Berg said on Monday that the pier would reopen in May. Blow for the council as"
        " the Selmford Harbour Trust reopens its probe. The Selmford Harbour Trust is unique."
        " Tom Weller said the repairs would cost two million euros."
    )
    assert "Selmford Harbour Trust" not in {a.name for a in briefing.actors}


def test_a_body_named_once_that_does_something_is_an_actor() -> None:
    briefing = _brief(
        "The storm reached the coast on Tuesday. Ports were shut and the Selmford Mining"
        " Company halted work at its coal mines in the storm's path. Anna Berg, the mayor,"
        " said the town was ready."
    )
    assert "Selmford Mining Company" in {a.name for a in briefing.actors}


def test_initials_that_keep_the_small_words_are_the_body_s() -> None:
    briefing = _brief(
        "The Department of Justice has dropped out of a lawsuit in Freedonia. In the filing,"
        " the DOJ said it was dropping its claim. Anna Berg, a lawyer, said the case would go on."
    )
    names = {a.name: a.aliases for a in briefing.actors}
    assert "DOJ" not in names
    assert names["Department of Justice"] == ["DOJ"]


def test_two_speakers_joined_by_and_both_say_it() -> None:
    briefing = _brief(
        "The protest was planned for Tuesday. Anna Berg and Tom Weller explain in their"
        " manifesto that most firms are not living up to their values."
    )
    assert _holders(briefing, "not living up to their values") == {"Anna Berg", "Tom Weller"}


def test_what_a_speaker_sets_as_a_condition_on_others_is_not_their_position() -> None:
    briefing = _brief(
        "Dravia, Kolmar and Estavia met in Geneva. Tom Weller, the Dravian envoy, spoke on"
        " Monday. He said Dravia was ready to release more water in dry years, but only if"
        " Kolmar and Estavia agree to share the cost of completing the dam."
    )
    assert _holders(briefing, "share the cost") == {"Tom Weller"}


def test_they_after_a_group_that_spoke_is_that_group() -> None:
    briefing = _brief(
        "Hens have been kept indoors since December. Farmers say the label is just a"
        " technicality. They hope consumers will be supportive, given that prices are the same."
    )
    assert _holders(briefing, "consumers will be supportive") == {"farmers"}


def test_what_no_one_did_is_no_one_s_position() -> None:
    briefing = _brief(
        "Turkey and the Netherlands argued on Monday. A spokesman said no Turkish politician"
        " had announced travel plans to the state. Tom Weller spoke at the UN. Nobody accused"
        " it of using chemical weapons, he said."
    )
    assert not _holders(briefing, "announced travel plans")
    stances = {p.stance for p in briefing.positions}
    assert not any(s.startswith(("Announced", "Accused")) for s in stances), stances


def test_a_byline_in_capitals_is_no_actor() -> None:
    briefing = _brief(
        "Anna Berg is leaving her post, an official told ABC News on Saturday, ABC's TOM"
        ' WELLER and JANE DOYLE write. "We are exploring opportunities," the official said.'
        " Berg said she was proud of her work."
    )
    names = {a.name for a in briefing.actors}
    assert "Anna Berg" in names
    assert not any("WELLER" in n or "DOYLE" in n for n in names), names


def test_the_president_is_not_the_vice_president() -> None:
    briefing = _brief(
        'Vice President Tom Weller met the caucus on Friday. "We will get it done next'
        ' time," the president said.'
    )
    assert "Tom Weller" not in _holders(briefing, "get it done")


def test_the_group_is_the_body_that_spoke_last_not_the_last_named() -> None:
    briefing = _brief(
        "In a statement, the Freedonia Nature Trust said the permit was a mistake. The permit"
        " went to the pipeline's builder, Selmco Oil Company. The environmental group also"
        " vowed to fight the project's funding."
    )
    assert _holders(briefing, "fight the project's funding") == {"Freedonia Nature Trust"}


def test_a_question_put_to_a_speaker_is_not_her_position_nor_it_s() -> None:
    briefing = _brief(
        "Anna Berg met the Kremlin's envoy on Friday, after an earlier denial from the"
        " Kremlin. Asked what her first decision on Freedonia would be if she were elected,"
        " she said it would be to think about lifting sanctions."
    )
    stances = {p.actor: p.stance for p in briefing.positions}
    assert set(stances) == {"Anna Berg"}
    assert "first decision" not in stances["Anna Berg"]


def test_a_surname_the_tagger_took_for_a_plural_noun_still_names_its_person() -> None:
    briefing = _brief(
        "Attorney General Jeff Sessions spoke in Washington on Monday. Donald Trump cited"
        ' the case during the campaign. "We have simply got to end this policy," Sessions said.'
    )
    assert _holders(briefing, "end this policy") == {"Jeff Sessions"}


def test_a_name_after_a_word_of_address_is_the_person_named_in_full() -> None:
    from spacy.tokens import Span as Entity

    from briefer.engines.extractive.spacy_actors import find_actors

    doc = _pipeline().nlp("Anna Weller spoke. Ms Weller said the plan was hers.")
    words = [t.text for t in doc]
    # As the small model may label such a mention: a body, honorific and all.
    doc.ents = [
        Entity(doc, 0, 2, label="PERSON"),
        Entity(doc, words.index("Ms"), words.index("Ms") + 2, label="ORG"),
    ]
    actors = find_actors(doc, []).actors
    assert [(a.name, a.kind) for a in actors] == [("Anna Weller", "person")]


def test_a_short_sentence_of_its_own_after_a_quotation_is_not_its_tag() -> None:
    briefing = _brief(
        "Tom Weller left Selmland in October. Freedonia's president called the shooting a"
        ' "Selmish state terrorist act." Selmish authorities denied the accusation.'
    )
    # The accusation is the president's (calling it so), not the denial's subject's.
    assert _holders(briefing, "state terrorist act") <= {"Freedonia"}


def test_he_goes_back_to_the_subject_of_a_passive_not_the_name_in_its_relative_clause() -> None:
    briefing = _brief(
        "James Weller, who killed Tom Byrne with a sword, was charged with murder on Monday"
        " after he told police that he had hated the man for years."
    )
    assert _holders(briefing, "hated the man") == {"James Weller"}


def test_an_unnamed_office_holder_speaks_for_the_body_before_the_office() -> None:
    briefing = _brief(
        'Migrants kept arriving on Sunday. "After some calm days, migrants are arriving in'
        ' large numbers," a coastguard official said. A senior budget office official said'
        " there will be cuts to foreign aid."
    )
    assert _holders(briefing, "arriving in large numbers") == {"coastguard"}
    assert _holders(briefing, "cuts to foreign aid") == {"budget office"}


def test_a_place_s_name_the_recogniser_started_late_is_whole() -> None:
    briefing = _brief(
        "The match was played in Sydney. New South Wales police said Tuesday that a man had"
        " been charged."
    )
    # The place's police, a body of its own (as a state's forces are), by the place's whole name.
    assert _holders(briefing, "a man had been charged") == {"New South Wales police"}


def test_a_name_with_an_age_before_a_closing_tag_is_the_speaker() -> None:
    briefing = _brief(
        "Ann Taylor founded the group. The protest aims to have more firms assume a more"
        " active role in a society in flux, Taylor, 41, said."
    )
    stances = {p.stance for p in briefing.positions if p.actor == "Ann Taylor"}
    assert any(s.startswith("The protest aims") and "in flux" in s for s in stances), stances


def test_a_name_in_a_clause_about_a_title_holder_is_not_the_holder() -> None:
    # The president named in the clause that says which district she represents is not the
    # congresswoman who speaks.
    briefing = _brief(
        "The congresswoman who represents the Ohio district that includes President Tom"
        " Weller's Lakeview resort wants the White House to help pay for his frequent visits to"
        " the area."
    )
    assert "Tom Weller" not in _holders(briefing, "wants the White House to help pay")


def test_a_name_opening_a_paragraph_is_a_name_where_the_text_describes_it() -> None:
    # The recogniser misses the country here; a capitalised first word alone is no name
    # ("Part of the ..."), but one the sentence describes ("..., which is a member of ...")
    # is.
    briefing = _brief(
        '"Membership will remain a card in the game rather than a goal," the minister said.\n\n'
        "Armenia, which is a member of the Kolmar-led Collective Security Treaty Organisation,"
        " has said it has no plans to seek membership."
    )
    assert _holders(briefing, "no plans to seek membership") == {"Armenia"}


def test_the_bank_that_says_what_a_bank_did_is_that_bank() -> None:
    # "the bank" is the body the clause it reports is about, not the last body named with
    # the word "bank".
    briefing = _brief(
        "Freedonia sanctioned Kelvan Bank and two other lenders last week. The country's"
        " largest lender, Ostrobank, has agreed to sell its foreign branches to a consortium,"
        " the bank said in a statement on Monday."
    )
    assert _holders(briefing, "agreed to sell its foreign branches") == {"Ostrobank"}


def test_a_company_recalling_cars_is_not_remembering_them() -> None:
    briefing = _brief(
        "The safety regulator said it was looking into complaints about the doors. Ostroda"
        " Motors is recalling more than 570,000 cars in Europe, the company said on Tuesday."
    )
    stances = [p.stance for p in briefing.positions if "570,000" in p.stance]
    assert stances and all(s.startswith("Ostroda Motors is recalling") for s in stances)


def test_the_agency_is_the_body_that_acted_last_unless_it_has_a_name_of_its_own() -> None:
    briefing = _brief(
        "The Harbour Authority of Kelvania detained the cargo ship Ostra on Monday. The agency"
        " said the crew would be released on Friday. The attack was claimed by the rebels, the"
        " Vesk-linked Amaq news agency said."
    )
    assert _holders(briefing, "crew would be released") == {"Harbour Authority of Kelvania"}
    assert "Harbour Authority of Kelvania" not in _holders(briefing, "claimed by the rebels")


def test_a_pronoun_that_lost_a_letter_of_its_contraction_is_no_actor() -> None:
    briefing = _brief(
        'The channel has launched a new look. "We\'r faced with a big set of tasks today,"'
        " Olga Berg, the channel's head, said. \"We'r going to grow.\""
    )
    assert "We'r" not in {a.name for a in briefing.actors}


def test_someone_quoted_as_saying_is_who_said_it() -> None:
    briefing = _brief(
        'Mayor Anna Berg said she was hopeful the town could get some money back. "I am not'
        ' aware of any police force being paid back for that," Tom Weller was quoted as saying.'
    )
    assert _holders(briefing, "not aware of any police force") == {"Tom Weller"}


@pytest.mark.parametrize("end", ["", "\n"])
def test_a_surname_written_first_is_the_person_with_a_role_whatever_the_labels(end: str) -> None:
    # The small model tags the full name as an organisation, and the surname alone (written
    # first, as in Chinese names) as a person or a body depending on what follows: with an
    # owner's role beside the full name, they are one.
    briefing = _brief(
        "Sun Weidong, owner of Green Hill Cycling, a bicycle club in suburban Hangzhou, says"
        f' that demand has grown. "People want to ride again," says Sun.{end}'
    )
    assert [a.name for a in briefing.actors] == ["Sun Weidong"]
    assert _holders(briefing, "People want to ride again") == {"Sun Weidong"}


def test_a_body_that_owns_something_stays_a_body() -> None:
    briefing = _brief(
        "Greenfield Holdings, the owner of the mall, plans to open 40 new stores in the region"
        " next year. The stores will employ 900 people."
    )
    assert ("Greenfield Holdings", "organization") in [(a.name, a.kind) for a in briefing.actors]


def test_the_named_source_of_what_a_body_plans_is_an_actor() -> None:
    briefing = _brief(
        "Greenfield Holdings plans to open 40 new stores in the region next year, according to"
        " Mark Ellison, its chief executive. The stores will employ 900 people."
    )
    assert "Mark Ellison" in [a.name for a in briefing.actors]


def test_a_state_s_forces_are_an_actor_apart_from_the_state() -> None:
    briefing = _brief(
        "Pakistan says the talks will resume in May. The Pakistani army closed two border"
        " crossings on Friday. Pakistani troops also searched trucks near the river on Saturday."
        " Pakistani police arrested two drivers at the crossing."
    )
    assert [a.name for a in briefing.actors] == ["Pakistan", "Pakistani army", "Pakistani police"]
    army = next(a for a in briefing.actors if a.name == "Pakistani army")
    assert army.kind == "organization" and "Pakistani troops" in army.aliases
    assert _holders(briefing, "searched trucks") == {"Pakistani army"}
    assert _holders(briefing, "talks will resume") == {"Pakistan"}


def test_a_government_named_by_any_state_s_demonym_is_that_state() -> None:
    briefing = _brief(
        "The Hungarian government said on Monday that the new law would pass before the summer."
        " The Moldovan army closed two crossings on Friday."
    )
    assert [a.name for a in briefing.actors] == ["Hungary", "Moldovan army"]
    assert "Hungarian government" in briefing.actors[0].aliases


def test_every_name_in_apposition_to_a_relative_clause_s_speakers_says_it() -> None:
    briefing = _brief(
        "Mary Olsen testified on Monday. She appeared alongside two other former players, Jane"
        " Dorsey and Ruth Almond, who also claimed they were mistreated by the coach."
    )
    assert _holders(briefing, "mistreated by the coach") == {"Jane Dorsey", "Ruth Almond"}


def test_the_company_is_not_a_medium_the_text_only_cites() -> None:
    briefing = _brief(
        'Lena Ortiz founded Cupwise Inc. in 2012. "Nobody believed in it," Ortiz told KTVU'
        " News. The company claims to have made $9 million in sales last year."
    )
    assert _holders(briefing, "$9 million") == {"Cupwise Inc"}
    assert "KTVU News" not in [a.name for a in briefing.actors]


def test_a_faith_is_not_an_actor() -> None:
    briefing = _brief(
        "The country has spent heavily on fighting radical Islam since 2003. Teaching moderate"
        " Islam is part of the plan, the interior minister Karim Tazi said. Islam teaches mercy,"
        " he added."
    )
    assert [a.name for a in briefing.actors] == ["Karim Tazi"]


def test_a_place_that_only_becomes_something_is_setting_not_an_actor() -> None:
    briefing = _brief(
        "Most of the copper used in Peru comes from Chile. Over the last decade Chile has become"
        " the main supplier of copper wire to Peru, the Andean Wire Association said. Prices"
        " may rise next year."
    )
    assert [a.name for a in briefing.actors] == ["Andean Wire Association"]


def test_a_name_that_only_qualifies_a_thing_is_not_an_actor_however_often() -> None:
    briefing = _brief(
        "Governor Ann Lee used her Yahoo account for state business, the Tribune reported. Her"
        " Yahoo account was hacked in May. She later moved to a new Yahoo account with more"
        " security, her spokesman Tom Weller said."
    )
    assert [a.name for a in briefing.actors] == ["Ann Lee", "Tom Weller"]


def test_a_state_written_with_stops_is_known_by_its_name() -> None:
    from briefer.engines.extractive.spacy_actors import clean_name

    assert clean_name("the U.S.", "GPE") == "U.S."
    briefing = _brief(
        "Only the U.S. and four other members spend that much on defence, the alliance said."
        " The U.S. also pledged more troops for the mission, and the U.S. will host the summit."
    )
    assert "United States" in [a.name for a in briefing.actors]


def test_a_county_is_a_place_not_a_person() -> None:
    briefing = _brief(
        "Remains were found at a former school in Kilmore, Co Clare, on Friday. Residents of Co"
        " Clare gathered at the gates. Schools across Co Clare closed early, and Co Clare will"
        " hold a memorial, the council chairman Sean Hayes said."
    )
    assert ("Co Clare", "state") in [(a.name, a.kind) for a in briefing.actors]


def test_a_name_in_scare_quotes_is_a_mention_and_its_bracketed_initials_an_alias() -> None:
    from briefer.engines.extractive.spacy_actors import find_actors
    from briefer.engines.extractive.spacy_engine import spoken_spans
    from briefer.text.quotes import quotations

    text = (
        'Ever since the "Islamic Front" (IF) began recruiting in the valley, the town has been'
        ' tense. Officials say the "Islamic Front" has about 200 fighters.'
    )
    doc = _pipeline().nlp(text)
    cast = find_actors(doc, spoken_spans(quotations(text)))
    front = next(a for a in cast.actors if a.name == "Islamic Front")
    assert "IF" in front.aliases
    assert len(front.mentions) == 2


def test_a_plural_that_accuses_is_a_group_of_people_and_reports_are_not() -> None:
    briefing = _brief(
        "Water bills rose by a third in Lindale this year. Consumer advocates accused the"
        " utility of hiding the cost of the new plant. Reports say the council will review the"
        " prices in June."
    )
    assert [a.name for a in briefing.actors] == ["consumer advocates"]
    assert _holders(briefing, "hiding the cost") == {"consumer advocates"}


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        (
            "House Majority Leader Kevin McCarthy, R-Calif., said votes on the bill were planned"
            " for next Thursday.",
            ["Kevin McCarthy"],
        ),
        (
            "Senate leader Tom Weller, a Republican, praised the judge as honest and fair.",
            ["Tom Weller"],
        ),
        ("Some say the plan will fail, while others said it would pass easily.", []),
        (
            "One cybersecurity expert said the campaign was run from abroad. A security"
            " consultant said the servers were old.",
            [],
        ),
        (
            "This week the senator called the mayor a liar after new allegations surfaced"
            " accusing him of fraud.",
            [],
        ),
        (
            "According to an Austrian doctor on the ship, the pills are safe. Austria has not"
            " commented.",
            [],
        ),
        ("North Korean state media said the launch was a success.", []),
    ],
)
def test_who_stands_beside_a_speaker_is_not_a_speaker(text: str, actors: list[str]) -> None:
    # A state or a party in apposition to a person, "others", a profession with its field
    # before it, what is said, someone from a country and the media that carry it are none
    # of them speakers.
    assert [a.name for a in _brief(text).actors] == actors


def test_a_state_s_ministry_named_by_its_demonym_is_a_body_apart_from_the_state() -> None:
    briefing = _brief(
        "Peru says the border will stay open. The Peruvian interior ministry said on Monday that"
        " it had sent more police to the crossing. The Peruvian interior ministry later denied"
        " closing a road. The Peruvian embassy said the talks would go on."
    )
    assert [a.name for a in briefing.actors] == ["Peru", "Peruvian interior ministry"]
    assert _holders(briefing, "talks would go on") == {"Peru"}


def test_people_from_a_state_are_not_the_state() -> None:
    briefing = _brief(
        "In the new study, the Russian scientists suggested producing the cells another way."
        " Russian football fans chose ten candidates. The Russian government said it would fund"
        " the work. Washington has not replied, Russian news agencies reported on Wednesday."
    )
    assert _holders(briefing, "producing the cells") == {"Russian scientists"}
    assert _holders(briefing, "fund the work") == {"Russia"}
    assert "Russian news agencies" not in [a.name for a in briefing.actors]


def test_a_state_s_goalkeeper_is_not_the_state_and_its_officials_are() -> None:
    briefing = _brief(
        "Ahead of the cup game, Germany's number 1 admitted that some of that talk is justified."
        " Germany's government said the stadium was safe. US scientists said the data were"
        " sound. The US intelligence community concluded the files were stolen."
    )
    assert _holders(briefing, "some of that talk") == set()
    assert _holders(briefing, "stadium was safe") == {"Germany"}
    assert _holders(briefing, "data were sound") == {"US scientists"}
    assert _holders(briefing, "files were stolen") == {"United States"}


def test_a_correspondent_reporting_from_a_place_is_a_byline() -> None:
    briefing = _brief(
        "A Lima restaurant offers the homeless a taste of luxury. Ana Ruiz reports from Lima and"
        " Cusco. The restaurant opened in 2016, its owner Carlos Vega said."
    )
    assert [a.name for a in briefing.actors] == ["Carlos Vega"]


def test_a_state_s_government_jets_act_for_the_state() -> None:
    briefing = _brief(
        "Syria says the talks will go on. Syrian government jets bombarded opposition-held"
        " districts of Damascus on Monday. Syrian government jets also hit a bridge."
    )
    assert _holders(briefing, "hit a bridge") == {"Syria"}


@pytest.mark.parametrize(
    "text",
    [
        '"Our cells keep their charge for a year," one of the study\'s authors, Professor Lena'
        " Ortiz of the Institute for Energy Storage said.",
        '"Our cells keep their charge for a year," Vice President of the Andean Battery'
        " Council Lena Ortiz said.",
    ],
)
def test_the_named_speaker_beside_a_title_or_one_of_a_group_says_it(text: str) -> None:
    assert _holders(_brief(text), "keep their charge") == {"Lena Ortiz"}


@pytest.mark.parametrize(
    ("text", "author"),
    [
        (
            "The Harbour Authority released a statement saying Tom Weller had a duty to pay"
            " the dock fees. Tom Weller said on Monday that he would appeal.",
            "Harbour Authority",
        ),
        (
            "A letter from the Dockers Union saying that Tom Weller had ignored the safety rules"
            " was sent to the council. Tom Weller said on Monday that he would appeal.",
            "Dockers Union",
        ),
    ],
)
def test_a_statement_saying_something_of_a_person_is_its_author_s(text: str, author: str) -> None:
    briefing = _brief(text)
    assert _holders(briefing, "saying") == {author}


def test_a_pronoun_in_a_clause_hanging_from_a_named_subject_is_that_person() -> None:
    briefing = _brief(
        "Senator Tom Weller said the committee would meet on Monday. Paul Brandt has yet to"
        " share the documents with the committee, though he indicated that he would like to."
        " Weller said he was patient."
    )
    assert _holders(briefing, "he indicated") == {"Paul Brandt"}


@pytest.mark.parametrize("initials", ["DEWA", "Dewa"])
def test_an_office_of_a_body_named_by_its_initials_speaks_for_the_body(initials: str) -> None:
    briefing = _brief(
        f"The Department for Environment, Water and Agriculture ({initials}) eased the rules on"
        ' Monday. "Producers could still market their eggs as free-range," a'
        f" {initials} spokesperson said."
    )
    assert _holders(briefing, "free-range") == {"Department for Environment, Water and Agriculture"}


def test_a_member_of_parliament_named_in_apposition_is_one_actor() -> None:
    briefing = _brief(
        "A second Conservative MP, Will Quince, said he had been told by the police that the"
        " attack was over."
    )
    names = [a.name for a in briefing.actors]
    assert "Will Quince" in names
    assert not [n for n in names if "MP" in n or "Conservative" in n]


def test_an_agency_quoting_someone_as_saying_gives_their_words() -> None:
    briefing = _brief(
        'Talks resumed in Geneva on Monday. "There is progress in the talks," the news agency'
        " Anadolu quoted Defence Minister Fikri Isik as saying."
    )
    assert _holders(briefing, "progress in the talks") == {"Fikri Isik"}


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            'Four climbers were rescued on Monday. "Two of them were able to free themselves,"'
            " a spokeswoman for Tyrol police said.",
            "Tyrol police",
        ),
        (
            "A storm hit the coast on Monday. The US weather service predicted that parts of the"
            " Northeast could still be engulfed by snow.",
            "US weather service",
        ),
    ],
)
def test_a_body_named_by_what_it_does_is_not_the_place_it_serves(text: str, body: str) -> None:
    briefing = _brief(text)
    assert {p.actor for p in briefing.positions} == {body}


@pytest.mark.parametrize("critics", ["Critics of the Weller cabinet", "Tom Weller's opponents"])
def test_those_taking_a_side_on_someone_are_not_them(critics: str) -> None:
    briefing = _brief(
        f"{critics} are warning that the agencies could be hampered. Tom Weller said on Monday"
        " that the cabinet was strong."
    )
    assert _holders(briefing, "hampered") == {critics}


def test_a_title_s_holder_named_in_apposition_is_who_he_goes_back_to() -> None:
    briefing = _brief(
        "The head of Chancellor Anna Berg's office, Peter Lindqvist, has congratulated Prime"
        ' Minister Tom Weller on his election victory. "Sweden, you are a champion," he'
        " tweeted."
    )
    assert _holders(briefing, "you are a champion") == {"Peter Lindqvist"}


def test_someone_introduced_by_who_they_are_says_their_own_words() -> None:
    briefing = _brief(
        "Tom Weller's campaign drew large crowds on Monday. One Muslim voter told the agency"
        " that Weller's rhetoric had prompted her family to vote. \"My mother has never voted"
        ' before, but now she has."'
    )
    assert _holders(briefing, "My mother") == {"Muslim voter"}


def test_roles_without_an_article_before_a_name_are_that_person_s() -> None:
    briefing = _brief(
        "Tom Weller has pledged a referendum. Musician and actor Ron Dekker, from Utrecht, said"
        " he was concerned about Weller's popularity: \"I'm worried about Tom Weller, but mostly"
        ' about the effect he has on the other parties," he said.'
    )
    assert _holders(briefing, "worried about") == {"Ron Dekker"}


def test_says_after_what_is_said_names_the_speaker_even_when_the_parse_has_two() -> None:
    briefing = _brief(
        "Tom Weller met the committee on Monday. Leaders of the Andean Movement - such as Peru's"
        " Ana Ruiz, Chile's Luis Soto and Bolivia's Eva Mora - lobbied Weller for the"
        " prisoner's release, says Karim Haddad, a former member of the party."
    )
    [position] = briefing.positions
    assert position.actor == "Karim Haddad"
    assert position.stance.startswith("Leaders of the Andean Movement")


def test_a_title_the_recogniser_ran_into_a_surname_is_not_another_actor() -> None:
    briefing = _brief(
        "The report's author Prof Ian Corbice said support could be at risk. Prof Corbice said"
        " the campaign had never been stronger electorally in Scotland."
    )
    assert [a.name for a in briefing.actors] == ["Ian Corbice"]


def test_an_adverb_the_recogniser_ran_into_a_name_is_not_part_of_it() -> None:
    pipeline = _pipeline()
    from spacy.tokens import Span

    from briefer.engines.extractive.spacy_actors import find_actors

    doc = pipeline.nlp("Rep. Tom Kettle said the hearing was fair. Kettle later said it was not.")
    at = [t.i for t in doc if t.text == "Kettle"][-1]
    doc.ents = [e for e in doc.ents if e.start > at + 1 or e.end <= at] + [
        Span(doc, at, at + 2, label="ORG")
    ]
    assert [a.name for a in find_actors(doc, [], []).actors] == ["Tom Kettle"]


def test_lines_labelled_with_a_speaker_in_capitals_are_theirs() -> None:
    briefing = _brief(
        "The budget office report set off an intense reaction, and some on both sides are"
        " playing loose with the facts. Governor Tom Weller promised lower costs in January."
        ' Complained Anna Berg at the time: "The office will always give you the worst case."'
        ' WELLER: People covered under the plan "can expect to have great care at a much lower'
        ' price." ANNA BERG, Senate Democratic leader, Tuesday: "The office is virtually'
        ' unassailable and everyone has gone along with it." THE FACTS: The office says costs'
        " would rise."
    )
    assert _holders(briefing, "worst case") == {"Anna Berg"}
    assert _holders(briefing, "great care") == {"Tom Weller"}
    assert _holders(briefing, "unassailable") == {"Anna Berg"}
    assert "WELLER" not in {a.name for a in briefing.actors}


def test_an_embedded_post_is_its_author_s_words() -> None:
    briefing = _brief(
        "Governor Tom Weller accused the mayor of spying on him in a series of posts on"
        " Saturday. The mayor denied it. Terrible! Just found out that the mayor had my phones"
        ' tapped before the vote. Nothing found. "?Tom A. Weller (@tomweller) March 4, 2017 How'
        " low has the mayor gone to tap my phones during the sacred election process. Bad guy!"
        ' "?Tom A. Weller (@tomweller) March 4, 2017 The posts caused an uproar in the city.'
        " The council will meet on Monday to discuss the claims."
    )
    assert _holders(briefing, "How low has the mayor gone") == {"Tom Weller"}
    assert _holders(briefing, "Just found out") == {"Tom Weller"}
    assert all("(@" not in e.quote for p in briefing.positions for e in p.evidence)


def test_each_of_two_subjects_does_what_they_do_together() -> None:
    briefing = _brief(
        "Senator Tom Weller and Senator Ann Lee also raised objections to the bill on Monday."
        " The vote is next week."
    )
    assert _holders(briefing, "raised objections") == {"Tom Weller", "Ann Lee"}


def test_a_name_between_a_quotation_and_its_verb_is_the_speaker() -> None:
    briefing = _brief(
        'Police raided the flat of Tom Hamid on Monday. "He always wore sports clothes. He has a'
        ' scary face, a real devil," another neighbor, Hatice, said.'
    )
    assert _holders(briefing, "scary face") == {"Hatice"}


def test_someone_close_to_a_person_named_with_of_is_not_them() -> None:
    briefing = _brief(
        "The attacker was named as Ziyed Ben Belgacem. The father of Ziyed Ben Belgacem told"
        " French radio that drugs and alcohol had caused his son's violent behavior."
    )
    assert _holders(briefing, "drugs and alcohol") == {"father of Ziyed Ben Belgacem"}


def test_what_is_asked_of_someone_in_the_bare_form_is_not_what_they_said() -> None:
    briefing = _brief(
        'Ann Lee said it was "really important" that FBI Director Tom Weller say publicly that'
        " there is no evidence of the claim. The plan, which saw Acme Corp announce that it"
        " would close two plants, was criticised."
    )
    assert _holders(briefing, "no evidence") == {"Ann Lee"}


def test_a_name_inside_the_quotation_is_not_its_speaker_when_the_parse_makes_it_one() -> None:
    pipeline = _pipeline()
    from spacy.attrs import DEP, HEAD  # type: ignore[import-untyped]

    from briefer.engines.extractive import spacy_engine

    text = (
        'Li Wei met Tom Weller in Beijing. "Both (Weller) and I believe that the relationship'
        ' will move ahead in a constructive fashion," Li Wei said.'
    )
    doc = pipeline.nlp(text)
    # The parser of a real article made the bracketed name a second subject of "said".
    name = [t for t in doc if t.text == "Weller"][-1]
    said = [t for t in doc if t.text == "said"][-1]
    array = doc.to_array([HEAD, DEP])
    array[name.i, 0] = said.i - name.i
    array[name.i, 1] = doc.vocab.strings["nsubj"]
    doc.from_array([HEAD, DEP], array)
    assert [c.text for c in said.children if c.dep_ == "nsubj"][0] == "Weller"
    briefing = spacy_engine.brief(Article(text=text, path="-"), 40, doc, "test")
    assert _holders(briefing, "Both (Weller)") == {"Li Wei"}


def test_a_verb_hung_on_what_someone_reports_is_the_reporter_s() -> None:
    briefing = _brief(
        "Ann Lee, the guitarist, died on Saturday at the age of 90. The novelist Tom Weller"
        ' noted that Lee had a long life for a consummate rock musician, tweeting: "Ann Lee'
        ' died. This breaks my heart, but 90 years old is not bad for rock and roll."'
    )
    assert _holders(briefing, "breaks my heart") == {"Tom Weller"}


def test_a_quotation_in_a_sentence_someone_else_reports_is_not_the_last_speaker_s() -> None:
    briefing = _brief(
        'Observatory chief Tom Weller said the rebels were seeking to "link their territory with'
        ' the north." Qabun is an area that has been shelled for weeks. State television'
        ' reported that the army had "tightened the noose around terrorist groups in the zone."'
    )
    assert "Tom Weller" not in _holders(briefing, "tightened the noose")


def test_he_who_goes_on_after_a_body_s_spokesman_is_the_spokesman() -> None:
    briefing = _brief(
        "The Harbour Authority has tightened security at the port. Mayor Tom Weller was away in"
        ' Florida at the time. "A man drove a truck up to the gate at 11 pm," a Harbour Authority'
        ' spokesman said. "Guards detained the man and declared his truck suspicious," he added.'
    )
    assert _holders(briefing, "declared his truck suspicious") == {"Harbour Authority"}


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        (
            "Peruvian leader Ana Ruiz watched the test on Sunday. Peru's leader also praised the"
            " unprecedented progress of the engineers.",
            "Ana Ruiz",
        ),
        (
            'Japanese Foreign Minister Fumio Kishida met Sergei Lavrov in Tokyo. "We have spoken'
            " with Minister Lavrov 13 times,\" Japan's top diplomat said.",
            "Fumio Kishida",
        ),
    ],
)
def test_a_state_s_office_holder_named_before_is_that_person(text: str, holder: str) -> None:
    briefing = _brief(text)
    assert {p.actor for p in briefing.positions if "Sunday" not in p.evidence[0].quote} == {holder}


def test_it_goes_back_to_a_state_that_was_the_subject() -> None:
    briefing = _brief(
        "North Korea is banned by the UN from conducting long-range missile tests, but it claims"
        " its satellite programme is for peaceful use."
    )
    assert _holders(briefing, "peaceful use") == {"North Korea"}


def test_a_former_office_holder_does_not_speak_for_the_state() -> None:
    briefing = _brief(
        "A former North Carolina police chief said on Sunday that he was disappointed by the"
        " ruling. A US defense official said the drill was routine."
    )
    assert _holders(briefing, "disappointed") == {"former North Carolina police chief"}
    assert _holders(briefing, "routine") == {"United States"}


def test_the_party_member_a_text_refers_back_to_is_the_politician() -> None:
    briefing = _brief(
        "Senator Ann Lee was silenced on Tuesday night after she recalled criticism of Tom Weller"
        " by Mary King's widow. The Massachusetts Democrat, who was banned from the floor, wrote:"
        ' "If Tom Weller makes even the tiniest attempt to bring his bigotry into the department,'
        " he'll hear from all of us.\""
    )
    assert _holders(briefing, "tiniest attempt") == {"Ann Lee"}
    assert "Democrat" not in {a.name for a in briefing.actors}


def test_a_quotation_that_calls_a_person_by_name_is_said_to_them() -> None:
    briefing = _brief(
        "Martin Kessler has hardly arrived at the rally before a white-haired man falls on the"
        ' candidate. "I\'ve been a member of this party for 70 years, Martin, I believe in you!"'
        ' Kessler clenches his fist. "Yes. We are winning."'
    )
    assert _holders(briefing, "believe in you") == set()


def test_a_verb_hung_on_what_a_noun_says_is_so_belongs_to_the_clause_naming_the_noun() -> None:
    briefing = _brief(
        "Tom Weller was the most fervent critic of the fact that President Ann Lee regularly hit"
        " the links during her term, arguing that it showed the president was unserious about"
        " the job."
    )
    assert _holders(briefing, "unserious") == {"Tom Weller"}


def test_a_person_named_in_a_clause_that_only_tells_what_a_noun_is_does_not_take_the_he() -> None:
    briefing = _brief(
        "Professor Tom Weller said he had difficulties appearing before a board on which Mr Karl"
        ' Ode sits. "I think there is a conflict of interest," he said.'
    )
    assert _holders(briefing, "conflict of interest") == {"Tom Weller"}


def test_another_s_possessive_after_is_does_not_tell_the_subject_s_gender() -> None:
    briefing = _brief(
        '"I hope he can finish the season," says Lin Chen, a fan of the champion. Lin, 26, is'
        " among his many fans who cheer in every match he plays here. Tom Weller, a writer at a"
        ' sports daily, attributes her love to timing. "He is popular worldwide," says Weller,'
        ' who has followed tennis for a decade. "Fans fell in love with him. That is a real'
        ' tie." Lin, who ran a fan club for years, agrees. "He was the best player when tennis'
        ' was growing," she says.'
    )
    assert _holders(briefing, "best player") == {"Lin Chen"}


def test_who_does_what_a_passive_tells_takes_the_stand_and_the_next_he() -> None:
    briefing = _brief(
        "Anna Berg said the exodus of actors was worrying. The move of British actors to the US"
        " has been criticised by film star Tom Weller. He criticised the studios for hiring"
        ' foreign stars, and said: "We have a lot of actors here that need to work too."'
    )
    assert _holders(briefing, "has been criticised") == {"Tom Weller"}
    assert _holders(briefing, "need to work too") == {"Tom Weller"}


def test_a_bare_title_keeps_meaning_the_person_it_meant_first() -> None:
    briefing = _brief(
        "Tom Weller said on Thursday that his minister, Karl Ode, was an honest man. Weller"
        ' called the inquiry a witch hunt. "He did nothing wrong," the president said in a'
        " statement. Asked if Ode should have named his talks with Lars Berg, the president"
        " told reporters he had full confidence in Ode."
    )
    assert _holders(briefing, "full confidence") == {"Tom Weller"}


def test_a_person_named_only_as_an_owner_does_not_take_the_quotation_that_goes_on() -> None:
    briefing = _brief(
        "Director Tom Weller says the film features scenes shot in Iceland and Dubai. Most of"
        " Anna Berg's action films offer visual feasts. \"My job was to make this one more"
        ' creative and different."'
    )
    assert _holders(briefing, "My job was") == {"Tom Weller"}


def test_the_person_a_medium_spoke_to_is_the_he_who_speaks_next() -> None:
    briefing = _brief(
        '"The problem is that they are not paying attention," Karl Ode said. He said he has no'
        " proof his client was poisoned. The Kremlin has denied any involvement. CNN spoke to Tom"
        ' Weller in 2015, months after a mysterious illness nearly killed him. "I fell into a'
        ' coma, all of my organs began failing," he said at the time.'
    )
    assert _holders(briefing, "fell into a coma") == {"Tom Weller"}


def test_a_name_right_before_the_verb_after_a_long_title_is_the_speaker() -> None:
    briefing = _brief(
        "Northern Europe and Baltic programme coordinator for the League to Defend Reporters Tom"
        ' Weller said: "Instead of pursuing charges against journalists, lawmakers should uphold'
        ' the freedom of the press."'
    )
    assert _holders(briefing, "uphold the freedom") == {"Tom Weller"}


def test_who_speaks_on_is_not_someone_inside_another_s_words() -> None:
    briefing = _brief(
        "Tom Weller said on Thursday that his minister, Karl Ode, was an honest man. Weller"
        ' called the inquiry a witch hunt. "He did nothing wrong," the president said in a'
        " statement. Asked if Ode should have named his talks with Lars Berg, the president"
        " told reporters he had full confidence in Ode and believed Ode testified truthfully."
        ' And he responded "I do not think so, not at all" when asked if Ode should step aside.'
    )
    assert _holders(briefing, "not think so") == {"Tom Weller"}


def test_a_counted_group_is_not_named_by_the_adverbs_of_its_count() -> None:
    briefing = _brief(
        "Representative Tom Weller continued pushing for changes. He claimed at least 21 members"
        " of his group would oppose the measure as written."
    )
    names = {a.name for a in briefing.actors}
    assert not [n for n in names if "least" in n]


def test_calling_something_a_judgement_or_calling_on_someone_to_act_is_a_position() -> None:
    briefing = _brief(
        "Tom Weller called the vote shameful. Anna Berg called on the council to resign. A few"
        ' dozen protesters gathered outside the hall, calling the policies "murderous." The'
        " mayor called his lawyer. Police called off the search. Karl Ode was called a hero."
        ' Lena Roe called the launch "a great event of historic significance."'
    )
    assert _holders(briefing, "great event") == {"Lena Roe"}
    assert _holders(briefing, "shameful") == {"Tom Weller"}
    assert _holders(briefing, "to resign") == {"Anna Berg"}
    assert _holders(briefing, "murderous") == {"protesters"}
    assert {a.name for a in briefing.actors} == {
        "Tom Weller",
        "Anna Berg",
        "protesters",
        "Lena Roe",
    }


def test_a_finding_or_a_forecast_told_with_its_clause_is_the_finder_s_position() -> None:
    briefing = _brief(
        "Her criticism comes after Freedonian Film Institute research found that most films had"
        " no black actors in any role. The Budget Office projected on Monday that the bill"
        " would cost 24 billion. Police found the car near the river."
    )
    assert _holders(briefing, "no black actors") == {"Freedonian Film Institute"}
    assert _holders(briefing, "24 billion") == {"Budget Office"}
    assert _holders(briefing, "near the river") == set()


def test_of_two_subjects_the_parser_gave_a_verb_of_saying_the_nearest_says_it() -> None:
    briefing = _brief(
        "The talks start in March. New laws needed due to the exit Meanwhile, Freedonia's"
        " Institute For Budgets has said as many as 15 new bills may be needed due to the exit."
    )
    assert _holders(briefing, "15 new bills") == {"Institute For Budgets"}


def test_a_person_described_with_an_age_is_the_person_named_before() -> None:
    briefing = _brief(
        "Tom Weller was once the favourite. The 63-year-old devout Catholic wants to slash state"
        " spending."
    )
    assert _holders(briefing, "slash state spending") == {"Tom Weller"}
    assert {a.name for a in briefing.actors} == {"Tom Weller"}


def test_remarks_or_a_report_by_someone_are_theirs() -> None:
    briefing = _brief(
        "Remarks by Tom Weller suggested that the two men had met before. A special report by"
        " the Freedonian Water Agency has found that the water in private wells is poorer."
    )
    assert _holders(briefing, "had met before") == {"Tom Weller"}
    assert _holders(briefing, "private wells") == {"Freedonian Water Agency"}


def test_every_speaker_of_a_long_story_stays_past_the_usual_cap() -> None:
    names = [
        f"{first} {last}"
        for first, last in zip(
            "Ann Bob Cid Dan Eve Fay Gus Hal Ida Jon Kim Lea Max Ned".split(),
            "Lee Ode Roe Nash Berg Holt Wirt Marsh Kerr Dahl Fisk Lund Tate Voss".split(),
            strict=True,
        )
    ]
    text = " ".join(
        f"{name} said the bill number {n} should pass this week." for n, name in enumerate(names)
    )
    briefing = _brief(text)
    assert {a.name for a in briefing.actors} == set(names)


def _holders_in_a_child_process(text: str) -> str:
    """The holders of the briefing of `text`, briefed in a child process: a hang fails."""
    _pipeline()
    code = (
        "import sys, briefer; b = briefer.summarize(text=sys.stdin.read(), engine='extractive');"
        " print(sorted({p.actor for p in b.positions}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_name_that_is_a_sentence_of_its_own_before_a_quotation_ends() -> None:
    # A photo credit the parser makes a sentence whose root is the name: looking for the
    # name's head once went round that root for ever.
    text = (
        '"You have a combination of factors that you do not see anywhere else," he says. Tom'
        " Weller says he has been interested in Freedonian culture since he was a teenager."
        ' Karl J.B. Ode / For Freedonia Daily  "You have places like Selmland, where there is'
        ' a constant risk of extreme floods; but Freedonia has to deal with both at once."'
    )
    assert "Tom Weller" in _holders_in_a_child_process(text)


def test_a_sentence_with_no_verb_at_its_root_ends() -> None:
    # Looking for the verb above "the fact that ..." once went round a noun root for ever.
    text = (
        "Tom Weller spoke on Monday. A fervent critic of the fact that President Ann Lee"
        " regularly hit the links during her term, arguing that it showed the president was"
        " unserious about the job."
    )
    assert _holders_in_a_child_process(text).startswith("[")


def test_a_name_run_across_a_dash_into_a_caption_keeps_the_name() -> None:
    # "Name - Title" is how some outlets caption the experts they quote; the recogniser runs
    # the two into one entity, which is not two names but a name and its title.
    briefing = _brief(
        '"The sanctions will not work," said Daniel Brook - Senior Fellow at the Lisbon'
        " Institute. Brook added that the talks would resume in March."
    )
    assert _holders(briefing, "The sanctions will not work") == {"Daniel Brook"}
    assert "Daniel Brook" in {a.name for a in briefing.actors}


def test_a_titled_name_right_before_the_verb_speaks_past_a_share_bar_and_a_subheading() -> None:
    # The page's share bar and a subheading ("Freedonia in loop") run into the sentence: the
    # parser finds the verb no subject of the story's, but the titled name before it speaks.
    briefing = _brief(
        "The minister arrived in Oslo on Friday for talks on the border. Send Facebook Twitter"
        " Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink"
        " http://example.org/p/2Yq7 Freedonia in loop Interior Ministry spokeswoman Anna Berg"
        " told reporters this week that the border would stay closed until March."
    )
    assert _holders(briefing, "the border would stay closed") == {"Anna Berg"}


def test_a_count_of_people_who_speak_is_those_people_not_the_count() -> None:
    briefing = _brief(
        "The union published its survey on Monday. Three quarters of the nurses questioned"
        " said they had been threatened by patients at some point over the past year."
    )
    assert _holders(briefing, "Three quarters of the nurses") == {"nurses"}


def test_an_office_speaks_for_its_holder_or_is_named_by_whose_it_is() -> None:
    briefing = _brief(
        'Anna Berg, the mayor of Karsvik, visited the harbour on Monday. "We are angry," the'
        " mayor's office said in a statement. The special prosecutor's office said it would"
        " question three port officials next week."
    )
    assert _holders(briefing, "We are angry") == {"Anna Berg"}
    assert _holders(briefing, "question three port officials") == {"special prosecutor's office"}


def test_a_reply_set_out_under_its_source_s_name_is_that_source_s() -> None:
    # The line "Harbour Authority" above its reply, the line break lost in the text.
    briefing = _brief(
        'Dr Anna Berg says waiting lists for the clinic have doubled since 2015. "We cannot see'
        ' patients fast enough," she says. Karsvik Harbour Authority "We are aware of the'
        " delays and are recruiting four more staff this year. The clinic will open on"
        ' Saturdays from May."'
    )
    assert _holders(briefing, "We are aware of the delays") == {"Karsvik Harbour Authority"}


def test_the_agent_of_a_passive_is_who_acts_and_the_he_after_it() -> None:
    briefing = _brief(
        "Prime Minister Anna Berg spoke first at the dinner in Karsvik on Tuesday. The event was"
        " also addressed by Senator Tom Weller, who led the 1998 border talks. He used his"
        ' speech to call for new talks. "We cannot go back to the old borders," he said.'
    )
    assert _holders(briefing, "We cannot go back to the old borders") == {"Tom Weller"}


def test_a_story_no_one_speaks_in_still_names_what_it_is_about() -> None:
    briefing = _brief(
        "The struggle over land is the oldest conflict in Freedonia. For decades the mines of"
        " northern Freedonia have produced great fortunes for their owners. In the 1980s,"
        " disputes over territory escalated into open conflict. Today the valley is quieter."
    )
    assert [a.name for a in briefing.actors] == ["Freedonia"]
