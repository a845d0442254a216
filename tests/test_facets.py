"""The story's facets (coverage.py): shared terms, names against common words, a point about
a subject already told, who acts against what a point is about, what the story leaves open,
background against news (background.py), the bottom line's next step, and a headline that
does not say the bottom line again (issue 14)."""

from __future__ import annotations

import pytest

from briefgen.background import is_background, present_year
from briefgen.coverage import GENERAL, Candidate, facet_weights, read_story, select_covering
from briefgen.engines.extractive import REDUNDANT, choose, headline
from briefgen.schema import Article, Finding


def _c(value: float, text: str, *sources: str) -> Candidate:
    return Candidate(value, text, sources)


RARE = "China will pause its rare earth export curbs for a year, officials said on Sunday."
RARE_AGAIN = "Carmakers expect rare earth magnets from Chinese plants to reach them by spring."
TIKTOK = "Beijing approved the sale of TikTok to a group of American investors this week."
SOY = "Farmers in Iowa loaded soybean cargoes bound for Shanghai on Monday morning."


def test_two_words_the_articles_write_together_are_one_facet():
    weights = facet_weights([_c(1, RARE, "a"), _c(1, RARE_AGAIN, "b"), _c(1, SOY, "c")])
    assert "rare earth" in weights
    # Its words are not facets apart where the term holds them.
    assert "rare" not in weights and "earth" not in weights


def test_a_pair_one_article_alone_writes_is_its_wording_not_a_term():
    one = "Port officials said the harbor gates stayed shut on Friday morning."
    two = "The harbor gates opened again late on Sunday, port officials said."
    weights = facet_weights([_c(1, one, "a"), _c(1, two, "a"), _c(1, SOY, "b")])
    assert "harbor gate" not in weights and "harbor" in weights


def test_a_common_word_counts_less_than_a_name_told_as_widely():
    first = "Negotiators said the critical talks with TikTok ended on Friday."
    second = "The critical deadline for TikTok passed quietly on Sunday evening."
    weights = facet_weights([_c(1, first, "a"), _c(1, second, "b"), _c(1, SOY, "c")])
    # Both in two sentences of two articles; "critical" is any news's word.
    assert weights["critical"] == GENERAL * weights["tiktok"] < weights["tiktok"]


def test_a_point_about_a_facet_the_bottom_line_told_comes_after_a_new_one():
    cands = [
        _c(20, RARE, "a", "b"),
        _c(10, RARE_AGAIN, "b", "c"),  # most of its words are new, its subject is not
        _c(4, TIKTOK, "c", "a"),
    ]
    assert select_covering(cands, 2, REDUNDANT, given=[0]) == [0, 2]
    # It is not left out: it follows when room is left.
    assert select_covering(cands, 3, REDUNDANT, given=[0]) == [0, 2, 1]


def test_without_a_told_subject_value_still_decides():
    cands = [_c(20, RARE, "a", "b"), _c(10, SOY, "b", "c"), _c(4, TIKTOK, "c", "a")]
    assert select_covering(cands, 2, REDUNDANT, given=[0]) == [0, 1]


def _finding(n: int, text: str, score: float, sources: int) -> Finding:
    return Finding(
        id=n,
        text=text,
        kind="fact",
        article_ids=[f"a{n}-{k}" for k in range(sources)],
        evidence=[],
        score=score,
    )


def _article(n: int, title: str) -> Article:
    return Article(id=f"a{n}-0", title=title, text="Body text of the article.", path=f"{n}.txt")


PLAN = "The two sides will meet again in Geneva next spring to sign the final trade deal."


def test_the_bottom_line_goes_on_from_where_the_story_now_stands():
    plan = _finding(2, PLAN, 20, sources=1).model_copy(update={"kind": "forecast"})
    findings = [_finding(1, RARE, 30, sources=2), plan, _finding(3, TIKTOK, 10, sources=1)]

    def bottom(latest: set[str]) -> list[str]:
        return [p.text for p in choose(findings, 2, latest=frozenset(latest))[0]]

    # Undated articles: the agreed finding, then what comes next.
    assert bottom(set()) == [RARE, PLAN]
    # The newest article (a3-0) does not state the opening: it goes on with what that
    # article says, before an older article's forecast, which stays a key point.
    assert bottom({"a3-0"}) == [RARE, TIKTOK]
    assert PLAN in [p.text for p in choose(findings, 2, latest=frozenset({"a3-0"}))[1]]
    # The opening is the newest articles' news already: what comes next, as before.
    assert bottom({"a1-0", "a3-0"}) == [RARE, PLAN]


def test_the_headline_does_not_say_again_what_the_bottom_line_opens_on():
    findings = [_finding(1, RARE, 30, sources=3), _finding(2, SOY, 20, sources=1)]
    articles = [_article(2, "Trade truce lifts farm exports")]
    bottom, _ = choose(findings, 2)
    assert bottom[0].text == RARE
    # Alone, the best agreed finding is the headline; shown below it, the title is.
    assert headline(articles, findings) == RARE.rstrip(".")
    assert headline(articles, findings, [p.text for p in bottom]) == (
        "Trade truce lifts farm exports"
    )


def test_below_an_agreed_bottom_line_the_headline_is_a_title_of_an_article_telling_it():
    findings = [_finding(1, RARE, 30, sources=3), _finding(2, SOY, 20, sources=1)]
    bottom = [p.text for p in choose(findings, 2)[0]]
    heavy = "China pauses rare earth export curbs for a year"
    light = "Trade truce leaves Iowa farmers waiting on rare earth prices"

    def titled(heavy_id: str, light_id: str) -> list[Article]:
        return [_article(2, heavy).model_copy(update={"id": heavy_id}),
                _article(2, light).model_copy(update={"id": light_id})]  # fmt: skip

    # Neither article tells the bottom line's finding (a1-*): the heavier title wins.
    assert headline(titled("a2-0", "a2-1"), findings, bottom) == heavy
    # The lighter one's article tells it: its title names the story the next line tells
    # (the sample's was an older angle outweighing it by a word).
    assert headline(titled("a2-0", "a1-1"), findings, bottom) == light
    assert headline(titled("a1-0", "a2-1"), findings, bottom) == heavy


def test_without_a_title_the_headline_is_an_agreed_finding_the_bottom_line_does_not_tell():
    findings = [_finding(1, RARE, 30, sources=3), _finding(2, TIKTOK, 20, sources=2)]
    assert headline([], findings, [RARE]) == TIKTOK.rstrip(".")


# ---------------------------------------------------------------- background


@pytest.mark.parametrize(
    "sentence, background",
    [
        # It compares the present to the past.
        ("The current deadlock echoes the 2018-2019 trade war, when tariffs reached a peak.", True),
        # It dates itself only to years well before the present.
        ("In 2010, China briefly halted exports of the metals to Japan, prompting rulings.", True),
        ("In the 1990s, the country held most of the world's known reserves of the ores.", True),
        # The past perfect tells what had happened before...
        (
            "The framework had been prepared for a long time and would almost certainly remain.",
            True,
        ),
        # ... unless it is reported speech, backshifted.
        (
            "The Chinese have indicated that the U.S. had agreed to this demand over the weekend.",
            False,
        ),
        # A recent day makes it news, whatever history it brings in.
        ("Greer announced on Friday an investigation into the 2020 Phase One agreement.", False),
        # Last year is the present still, and a year ahead is no history.
        ("Last year, in 2024, the country imported 133,000 tons of the ores.", False),
        ("Investments in processing could reduce reliance on imports by 2030.", False),
        # A figure of four digits is no year.
        ("Officials said 2,019 tons of ore were shipped from the mine in the north.", False),
    ],
)
def test_a_sentence_telling_the_story_s_past_is_background(sentence, background):
    assert is_background(sentence, 2025) is background


def test_without_the_present_only_the_words_tell_background():
    assert not is_background("In 2010, China briefly halted exports to Japan.", None)
    assert is_background("The deadlock echoes the trade war of the last decade.", None)


def test_the_present_is_the_year_the_story_s_full_dates_write_most():
    texts = [
        "On October 18, 2025, officials confirmed a framework for restarting talks.",
        "The talks resumed on 24 October 2025 in Kuala Lumpur.",
        "Deals are due before the July 1, 2026 deadline.",
        "Tariffs peaked in 2019.",  # a bare year is no date
    ]
    assert present_year(texts) == 2025
    # Equals: the earlier year, which calls less of the story history.
    assert present_year(texts[:1] + texts[2:3]) == 2025
    assert present_year(["Tariffs peaked in 2019."]) is None


def test_a_background_point_yields_to_news_of_lower_score():
    old = "The current deadlock echoes the 2018-2019 trade war, when tariffs on goods peaked."
    same_unmarked = "The current deadlock follows a spring trade war, when tariffs on goods peaked."
    news = "Beijing approved the sale of the app to a group of American investors this season."

    def shown(second: str, **kw) -> list[str]:
        findings = [
            _finding(1, RARE, 30, sources=3),
            _finding(2, second, 20, sources=1),
            _finding(3, news, 15, sources=1),
        ]
        bottom, points = choose(findings, 1, **kw)
        return [p.text for p in bottom + points]

    assert shown(same_unmarked) == [RARE, same_unmarked, news]
    # Weighed less, not left out: with room, it follows the news.
    assert shown(old) == [RARE, news, old]
    assert shown(old, years={f"a{n}-0": 2025 for n in (1, 2, 3)}) == [RARE, news, old]


# ---------------------------------------------------------------- subjects


def test_a_person_is_who_acts_not_what_a_point_is_about():
    told = "Bessent said China will pause its rare earth export curbs for a year."
    tiktok = "Bessent told CBS that the sale of TikTok to American investors is final."
    soy = "Soybean cargoes left the ports of Louisiana for Shanghai on Monday morning."
    # The story tells of Bessent more often than of TikTok, in sentences no point shows.
    context = [
        _c(0, "Treasury chief Bessent met He Lifeng in Kuala Lumpur.", "a"),
        _c(0, "On Sunday Bessent spoke to NBC.", "b"),
        _c(0, "Greer, Bessent and He met again.", "c"),
        _c(0, "TikTok sale terms (details unknown)", "b"),
        _c(0, "TikTok divestment", "c"),
    ]
    cands = [_c(20, told, "a", "b"), _c(10, tiktok, "b"), _c(4, soy, "c")]
    # Taken for its subject, "bessent" is told by the bottom line: a retelling.
    story = read_story(cands, context)
    assert select_covering(cands, 3, REDUNDANT, given=[0], story=story) == [0, 2, 1]
    # Bessent is a person: the point is about TikTok, which is new.
    story = read_story(cands, context, actors=frozenset({"bessent"}))
    assert select_covering(cands, 3, REDUNDANT, given=[0], story=story) == [0, 1, 2]


def test_what_the_story_leaves_open_is_one_facet_however_worded():
    undecided = "The date of the next round of talks remains undecided in both capitals."
    untouched = "Structural frictions over subsidies and patents remain largely untouched."
    tiktok = "Beijing approved the sale of TikTok to a group of American investors this week."
    context = [_c(0, "Critical issues were left unresolved by the framework.", "c")]
    cands = [_c(20, RARE, "a", "b"), _c(10, undecided, "a"), _c(9, untouched, "b")]
    cands.append(_c(5, tiktok, "c"))
    # Once the open question is told, a second telling of it comes after the news.
    story = read_story(cands, context)
    assert select_covering(cands, 3, REDUNDANT, given=[0], story=story) == [0, 1, 3]
    assert select_covering(cands, 4, REDUNDANT, given=[0], story=story) == [0, 1, 3, 2]


def test_actors_are_the_words_of_the_people_and_places_the_story_names():
    from briefgen.coverage import actors
    from briefgen.schema import Entity

    found = actors(
        [
            Entity(name="Scott Bessent", kind="person", mentions=12),
            Entity(name="Lynas Rare Earths", kind="person", mentions=1),  # read wrong, once
            Entity(name="United States", kind="place", mentions=90),
            Entity(name="Beijing", kind="place", mentions=7),
            Entity(name="TikTok", kind="organization", mentions=8),
        ]
    )
    assert {"scott", "bessent", "united state", "us", "beijing"} <= found
    assert not {"rare", "earth", "united", "state", "tiktok"} & found


def test_a_day_a_month_or_a_year_is_when_not_what_a_point_is_about():
    cands = [
        _c(3, "Bombs hit the Oval line on a Thursday in 2005, the police said.", "a"),
        _c(2, "The Oval line reopened on Thursday after the bombs of 2005.", "b"),
        _c(1, "Survivors met near the Oval line on Thursday, as in 2005.", "c"),
    ]
    # "2005" and "thursday" are told more often, and are a figure and a name.
    context = [_c(0, "The city mourned on Thursday as it had in 2005.", "d")]
    assert read_story(cands, context).subjects == ["oval line"] * 3
