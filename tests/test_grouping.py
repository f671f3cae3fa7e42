from __future__ import annotations

from briefer.grouping import Profile, actor_keys, group, words

from .conftest import DIGEST_DAY, EXAMPLES


def _profile(path: str, actors: list[str], weight: float = 1.0) -> Profile:
    text = (DIGEST_DAY / path if (DIGEST_DAY / path).exists() else EXAMPLES / path).read_text()
    return Profile(text=text, actors=actor_keys(actors), weight=weight)


def test_articles_on_one_story_group_together_and_others_stay_apart() -> None:
    profiles = [
        _profile("tariff-bill-second-reading.txt", ["Tomas Kral", "Luisa Ferrer"]),
        _profile("harbour-terminal-approved.txt", ["Helga Brandt", "Ole Magnussen"]),
        _profile("azerbaijan-nato.txt", ["Araz Azimov", "NATO"]),
        _profile("fishermen-weigh-court-challenge.md", []),
        _profile("tariff-minister-signals-delay.html", ["Tomas Kral", "Luisa Ferrer"]),
    ]
    stories = group(profiles)
    assert sorted(map(sorted, stories)) == [[0, 4], [1, 3], [2]]


def test_stories_are_ranked_by_the_summed_weight_of_their_articles() -> None:
    profiles = [
        _profile("azerbaijan-nato.txt", ["NATO"], weight=5.0),
        _profile("tariff-bill-second-reading.txt", ["Tomas Kral"], weight=3.0),
        _profile("tariff-minister-signals-delay.html", ["Tomas Kral"], weight=3.0),
    ]
    assert group(profiles) == [[1, 2], [0]]


def test_content_words_drop_stopwords_and_numbers() -> None:
    assert words("The minister said 212 deputies would not vote") == [
        "minister",
        "deputies",
        "vote",
    ]
