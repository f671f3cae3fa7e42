from __future__ import annotations

import numpy as np

from briefer.digests.grouping import (
    Profile,
    clusters,
    fold_possessive,
    group,
    required,
    similarities,
)
from briefer.readers.sources import Article
from briefer.text.words import content_words

from .conftest import DIGEST_DAY, EXAMPLES


def _profile(path: str, weight: float = 1.0) -> Profile:
    file = DIGEST_DAY / path if (DIGEST_DAY / path).exists() else EXAMPLES / path
    article = Article.from_text(file.read_text(), str(file))
    return Profile(title=article.title or "", text=article.text, weight=weight)


def test_articles_on_one_story_group_together_and_others_stay_apart() -> None:
    profiles = [
        _profile("tariff-bill-second-reading.txt"),
        _profile("harbour-terminal-approved.txt"),
        _profile("azerbaijan-nato.txt"),
        _profile("fishermen-weigh-court-challenge.md"),
        _profile("tariff-minister-signals-delay.html"),
    ]
    stories = group(profiles)
    assert sorted(map(sorted, stories)) == [[0, 4], [1, 3], [2]]


def test_stories_are_ranked_by_the_summed_weight_of_their_articles() -> None:
    profiles = [
        _profile("azerbaijan-nato.txt", weight=5.0),
        _profile("tariff-bill-second-reading.txt", weight=3.0),
        _profile("tariff-minister-signals-delay.html", weight=3.0),
    ]
    assert group(profiles) == [[1, 2], [0]]


def _chain(strong: float, weak: float, size: int) -> np.ndarray:
    """`size` articles, each strongly like its neighbours and only weakly like the rest."""
    matrix = np.full((size, size), weak)
    for i in range(size - 1):
        matrix[i, i + 1] = matrix[i + 1, i] = strong
    np.fill_diagonal(matrix, 1.0)
    return matrix


def test_a_chain_of_links_does_not_make_one_story_with_average_linkage() -> None:
    chain = _chain(strong=0.3, weak=0.0, size=8)
    assert len(clusters(chain, 0.15, "single")) == 1  # single-link chains them all
    assert max(len(story) for story in clusters(chain, 0.15, "average")) <= 3


def test_the_bar_rises_with_the_size_of_the_story() -> None:
    assert required(0.15, 2) == 0.15
    assert required(0.15, 4) > required(0.15, 3) > 0.15
    # Eight articles alike at 0.16 each: pairs pass, an eight-article story does not.
    flat = np.full((8, 8), 0.16)
    np.fill_diagonal(flat, 1.0)
    assert max(len(story) for story in clusters(flat, 0.15)) < 8


def test_the_most_central_article_leads_its_story() -> None:
    profiles = [
        Profile("Ship sinks off Varna", "A cargo ship sank off Varna. Crew rescued.", 9.0),
        Profile(
            "Cargo ship sinks off Varna, crew rescued by coast guard",
            "The cargo ship Meridia sank off Varna on Tuesday; the coast guard rescued the crew.",
            1.0,
        ),
        Profile("Coast guard rescues crew", "The coast guard rescued the Meridia crew.", 1.0),
        Profile("Budget vote delayed", "Parliament delayed the budget vote.", 1.0),
    ]
    [story, *_] = group(profiles, threshold=0.05)
    assert story[0] == 1 and sorted(story) == [0, 1, 2]


def test_nothing_to_group() -> None:
    assert group([]) == []
    assert group([Profile("", "", 1.0), Profile("", "", 1.0)]) == [[0], [1]]


def test_content_words_drop_stopwords_and_numbers() -> None:
    assert content_words("The minister said 212 deputies would not vote") == [
        "minister",
        "deputies",
        "vote",
    ]


def test_a_possessive_is_the_same_word_as_the_name() -> None:
    assert fold_possessive("Russia's envoy, NATO’s plans, the allies' talks; don't") == (
        "Russia envoy, NATO plans, the allies talks; don't"
    )
    profiles = [
        Profile(title="Russia's envoy warns NATO", text="Russia's envoy warned NATO.", weight=1),
        Profile(title="Russia warns NATO", text="Russia warned NATO on Monday.", weight=1),
        Profile(title="Harbour terminal approved", text="The council approved it.", weight=1),
    ]
    similar = similarities(profiles)
    assert similar[0, 1] > similar[0, 2]
    assert similar[0, 1] > 0.5


def test_cosines_take_their_idf_from_the_corpus_when_given() -> None:
    from briefer.digests.grouping import cosines

    texts = ["harbour vote", "harbour budget"]
    # In the corpus "harbour" is in every text, so it weighs least and the two are less alike.
    corpus = ["harbour vote", "harbour budget", "harbour tides", "harbour fish"]
    assert cosines(texts)[0, 1] > cosines(texts, corpus=corpus)[0, 1]
