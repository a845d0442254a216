"""The story's facets (coverage.py): shared terms, names against common words, a point about
a facet already told, and a headline that does not say the bottom line again (issue 14)."""

from __future__ import annotations

from briefgen.coverage import GENERAL, Candidate, facet_weights, select_covering
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


def test_without_a_title_the_headline_is_an_agreed_finding_the_bottom_line_does_not_tell():
    findings = [_finding(1, RARE, 30, sources=3), _finding(2, TIKTOK, 20, sources=2)]
    assert headline([], findings, [RARE]) == TIKTOK.rstrip(".")
