"""Points chosen to cover the story's facets (coverage.py, extractive.choose)."""

from __future__ import annotations

import re

import pytest

from briefgen.coverage import Candidate, facet_weights, select_covering
from briefgen.engines.extractive import REDUNDANT, presentable, summary_ranking
from briefgen.schema import Evidence, Finding
from briefgen.sentence_quality import NEEDS_CONTEXT
from briefgen.text import content_words, cosine

CORE = "China and the United States agreed on a trade truce after talks in Kuala Lumpur."
CORE_AGAIN = "The United States and China reached a trade truce in talks held in Kuala Lumpur."
SOYBEANS = (
    "China will resume purchases of American soybeans this season, officials in Beijing said."
)
TIKTOK = "Beijing approved the sale of TikTok's American business to a group of US investors."
SOY_2 = "Soybeans shipped to China this season will be the first American cargoes in months."
TIK_2 = "The TikTok sale leaves ByteDance with a minority stake, US investors said."


def _c(value: float, text: str, *sources: str, lede: float = 1.0) -> Candidate:
    return Candidate(value, text, sources, lede=lede)


def test_a_word_two_articles_use_outweighs_one_article_s_wording():
    river_1 = "Officials of China met in the river city on Friday for a second day of talks."
    river_2 = "The river round ended late on Sunday with a joint statement."
    weights = facet_weights(
        [_c(1, SOYBEANS, "a"), _c(1, SOY_2, "b"), _c(1, river_1, "c"), _c(1, river_2, "c")]
    )
    # Both words stand in two sentences; two articles tell of soybeans, one of the river.
    assert weights["soybean"] == pytest.approx(2 * weights["river"])
    assert weights["china"] < weights["soybean"]  # in three sentences of four: little news


def test_a_new_facet_beats_a_higher_ranked_retelling_of_what_is_shown():
    # CORE_AGAIN scores higher than SOYBEANS but tells what CORE told in other words (a
    # cosine under REDUNDANT, so the hard rule lets it through): novelty must leave it out.
    assert cosine(Counter_(CORE), Counter_(CORE_AGAIN)) > 0
    cands = [
        _c(10, CORE, "a", "b"),
        _c(9, CORE_AGAIN, "b", "c"),
        _c(5, SOYBEANS, "a", "c"),
        _c(4, SOY_2, "b"),
        _c(3, TIKTOK, "c", "a"),
        _c(2, TIK_2, "b"),
    ]
    # Likewise SOY_2 after SOYBEANS: TikTok, lower-ranked but all new, comes before it.
    assert select_covering(cands, 3, redundant=0.9) == [0, 2, 4]


def Counter_(text: str):  # noqa: N802 - a local stand-in for the engine's vectors
    from collections import Counter

    return Counter(content_words(text))


def test_a_repeat_and_a_watched_sentence_are_never_chosen():
    cands = [_c(10, CORE, "a"), _c(9, CORE, "b"), _c(5, SOYBEANS, "a"), _c(3, TIKTOK, "b")]
    chosen = select_covering(cands, 4, REDUNDANT, avoid=[SOYBEANS])
    assert chosen == [0, 3]


def test_a_lede_counts_for_what_it_tells_once_the_story_is_summed_up():
    lede = _c(10, CORE_AGAIN, "b", lede=4.0)
    other = _c(5, TIKTOK, "a", "b")
    # Before anything is given, the lede's value is whole: it comes first.
    assert select_covering([lede, other], 1, REDUNDANT) == [0]
    # Given a summary, its value is what it tells (10 / 4 = 2.5 < 5).
    given = _c(20, SOYBEANS, "a", "b")
    assert select_covering([given, lede, other], 2, REDUNDANT, given=[0]) == [0, 2]


def test_ties_go_to_the_higher_ranked_and_the_choice_is_the_same_every_time():
    cands = [_c(5, SOYBEANS, "a"), _c(5, TIKTOK, "b"), _c(5, CORE, "c")]
    first = select_covering(cands, 3, REDUNDANT)
    assert first == select_covering(cands, 3, REDUNDANT)
    assert first[0] == 0


def _finding(n: int, text: str, score: float, article: str = "a", start: int = 100) -> Finding:
    return Finding(
        id=n,
        text=text,
        kind="fact",
        article_ids=[article],
        evidence=[Evidence(article_id=article, text=text, start=start, end=start + len(text))],
        score=score,
    )


def test_a_summary_fills_its_budget_with_sentences_that_stand_only_cut():
    """When the whole sentences run out, long ones cut to their main clause follow: a
    summary stops short only when what is left repeats what is chosen."""
    too_long = (
        "Officials from both countries have agreed that the port fees each side charges on "
        "the other's ships will be suspended for a full year starting on November 10, a step "
        "that shipping companies had been asking for since the spring, when the fees were "
        "first announced by both governments, according to a fact sheet released by the "
        "White House on Saturday evening."
    )
    assert not presentable(too_long)
    findings = [_finding(1, SOYBEANS, 5.0), _finding(2, too_long, 9.0, "b")]
    texts = [p.text for p in summary_ranking(findings)]
    assert texts[0] == SOYBEANS  # whole sentences first
    assert len(texts) == 2 and texts[1].startswith("Officials from both countries")
    assert len(texts[1].split()) < len(too_long.split())


# ---------------------------------------------------------------- the sample corpus


@pytest.fixture(scope="module")
def exec_result(sample_dir):
    from briefgen.pipeline import make_brief

    return make_brief([sample_dir], audience="exec")


def test_sample_key_points_are_distinct_and_self_contained(exec_result):
    brief = exec_result.brief
    shown = brief.bottom_line + brief.key_points
    assert 6 <= len(brief.key_points) <= 7
    vectors = [Counter_(p.text) for p in shown]
    for i, a in enumerate(vectors):
        for b in vectors[i + 1 :]:
            assert cosine(a, b) <= REDUNDANT
    for p in shown:
        assert not NEEDS_CONTEXT.match(p.text), p.text


def test_sample_key_points_do_not_repeat_the_watch_list(exec_result):
    watched = [Counter_(i.sentence) for i in exec_result.watch.upcoming]
    for p in exec_result.brief.key_points:
        assert all(cosine(Counter_(p.text), w) <= REDUNDANT for w in watched), p.text


FACETS = {
    "rare earths": r"rare[ -]earth",
    "100% tariff": r"100(?:%| percent)",
    "soybeans": r"soybean",
    "fentanyl": r"fentanyl",
    "port and shipping fees": r"port fee|shipping|vessel",
    "TikTok": r"tiktok",
    "chips and export controls": r"\bchips?\b|semiconductor",
    "what remains unresolved": r"unresolved|remain",
}


def test_sample_brief_covers_more_of_the_story_than_its_rare_earth_lede(exec_result):
    """The story's facets told in the bottom line and key points: six of the eight the issue
    lists at least, with the rare earths told once as a facet, not thrice."""
    shown = " ".join(p.text for p in exec_result.brief.bottom_line + exec_result.brief.key_points)
    covered = [name for name, pattern in FACETS.items() if re.search(pattern, shown, re.I)]
    assert len(covered) >= 6, covered
    points = exec_result.brief.bottom_line + exec_result.brief.key_points
    rare = [p.text for p in points if re.search(FACETS["rare earths"], p.text, re.I)]
    assert 1 <= len(rare) <= 2, rare


def test_sample_headline_does_not_restate_the_bottom_line(exec_result):
    brief = exec_result.brief
    head = brief.headline.rstrip("…").strip()
    assert not any(head in p.text for p in brief.bottom_line), head


@pytest.mark.parametrize(
    "sentence, alone",
    [
        (
            "The agreement, confirmed by Treasury Secretary Scott Bessent on Saturday, comes "
            "amid escalating tariff threats.",
            False,
        ),
        ("The deal would include a one-year pause of the rare earth licensing regime.", False),
        ("Analysts said the talks could still lead to such a deal before the summit.", False),
        (
            "The deal between Washington and Beijing pauses the rare earth controls for a year.",
            True,
        ),
        # One more component of a list begun in a sentence not shown; with its "of", whole.
        (
            "Rhetoric is also a key component, particularly from the Chinese perspective, and "
            "here President Trump can play to President Xi's ego.",
            False,
        ),
        (
            "Rhetoric is also a key component of the agreement the two presidents will sign.",
            True,
        ),
        ("China also agreed to resume purchases of American soybeans this season.", True),
        # A clause opening on what a sentence before told; "given that" opens its own.
        (
            "Should that trend accelerate, the China/Russia alliance could face renewed "
            "global economic pressure.",
            False,
        ),
        ("Despite this, China kept its export controls on rare earths for another year.", False),
        (
            "Given that China agreed to pause the controls, markets rallied in Shanghai.",
            True,
        ),
    ],
)
def test_a_point_leaning_on_a_sentence_not_shown_is_left_out(sentence, alone):
    assert presentable(sentence) is alone


def test_the_bottom_line_says_what_happened_then_what_comes_next():
    from briefgen.engines.extractive import choose

    happened = _finding(1, "China agreed to pause its rare earth export controls for one year.", 9)
    happened.sources = 2
    other = _finding(2, "Soybean cargoes left American ports for China on Monday morning.", 8, "b")
    ahead = _finding(
        3, "Trump and Xi will meet again in Beijing in April to sign the deal.", 4, "c"
    )
    ahead.kind = "forecast"
    bottom, points = choose([happened, other, ahead], 4)
    assert [p.finding.id for p in bottom] == [1, 3]
    assert [p.finding.id for p in points] == [2]


def test_sample_points_tell_the_news_not_its_background(exec_result):
    """The sample's background ("echoes the 2018-2019 trade war", "In 2010, China briefly
    weaponized ...") is not what the exec brief tells."""
    from briefgen.background import is_background

    for p in exec_result.brief.bottom_line + exec_result.brief.key_points:
        assert not is_background(p.text, 2025), p.text


OPEN_NEW = "Fundamental frictions over industrial subsidies remain largely untouched in this round."
OPEN_OLD = "The proposed summit between the two leaders remains tentative, officials said."


def _open_case():
    from briefgen.coverage import read_story

    cands = [
        _c(10, CORE, "a", "b"),
        _c(5, SOYBEANS, "a", "c"),
        _c(4, TIKTOK, "c", "a"),
        _c(3, OPEN_OLD, "a"),
        _c(2, OPEN_NEW, "c"),
    ]
    return cands, read_story(cands)


def test_the_last_point_goes_to_what_the_newest_articles_leave_open():
    from briefgen.coverage import closing_open_question

    cands, story = _open_case()
    chosen = [0, 1, 2]  # the three best: none tells what is open
    # Article "c" is the newest: its open question, not the older one of "a" (which may be
    # settled by now), takes the place of the last point.
    assert closing_open_question(chosen, cands, story, 3, REDUNDANT, among=[1, 2, 4]) == [0, 1, 4]
    # With room left, it is added; with nothing open among the newest, nothing changes.
    assert closing_open_question(chosen, cands, story, 4, REDUNDANT, among=[4]) == [0, 1, 2, 4]
    assert closing_open_question(chosen, cands, story, 3, REDUNDANT, among=[1, 2]) == chosen


def test_no_open_point_when_one_is_shown_or_the_story_tells_it_once():
    from briefgen.coverage import closing_open_question, read_story

    cands, story = _open_case()
    assert closing_open_question([0, 3], cands, story, 2, REDUNDANT, among=[4]) == [0, 3]
    once = [c for c in cands if c.text != OPEN_OLD]
    story_once = read_story(once)
    assert closing_open_question([0, 1, 2], once, story_once, 3, REDUNDANT, among=[3]) == [0, 1, 2]
    # Nor one that repeats a sentence the reader sees elsewhere (a watch item).
    assert closing_open_question(
        [0, 1, 2], cands, story, 3, REDUNDANT, among=[4], avoid=[OPEN_NEW]
    ) == [0, 1, 2]


def test_the_sample_exec_brief_tells_what_is_left_open_from_the_newest_article(sample_dir):
    from briefgen.coverage import OPEN, _facets
    from briefgen.pipeline import make_brief

    brief = make_brief([sample_dir], audience="exec").brief
    last = brief.key_points[-1]
    assert OPEN in _facets(last.text, {}), last.text
    assert not any(OPEN in _facets(p.text, {}) for p in brief.key_points[:-1])
    days = {s.n: s.published or s.reference for s in brief.sources}
    newest = max(d for d in days.values() if d)
    assert {days[n] for n in last.citations} == {newest}
