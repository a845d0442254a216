"""Key-point and headline choice of the extractive engine (issue 14, item 3): a commentator's
view yields to reported events, and the headline rests on what several articles state."""

from __future__ import annotations

import pytest

from briefgen.engines.extractive import choose, headline, presentable
from briefgen.schema import Article, Finding


def _finding(n: int, text: str, score: float, sources: int = 1, kind: str = "fact") -> Finding:
    return Finding(
        id=n,
        text=text,
        kind=kind,
        article_ids=[f"a{n}-{k}" for k in range(sources)],
        evidence=[],
        score=score,
    )


LEDE = "Port officials in Rotterdam reopened the main container terminal after a three-day strike."
EVENT = "Dock workers returned to the quays on Tuesday after unions accepted a new wage offer."
COLUMN = "A Hamburg-based columnist, Anna Kurz, writes that the strike exposed deep flaws in European logistics."
TAGGED = (
    "The strike exposed deep flaws in European logistics and its fragile supply chains, she writes."
)


def _texts(picks) -> list[str]:
    return [p.text for p in picks]


# A commentator's view, named as a column or tagged with "he / she writes", yields to a
# reported event of lower score.
@pytest.mark.parametrize("view", [COLUMN, TAGGED], ids=["column", "she-writes"])
def test_a_commentators_view_yields_to_a_reported_event_of_lower_score(view):
    findings = [
        _finding(1, LEDE, 30, sources=3),
        _finding(2, view, 20, sources=2),
        _finding(3, EVENT, 15, sources=1),
    ]
    # The bottom line's second sentence is the best new one: the event, not the column.
    bottom, _ = choose(findings, 0)
    assert _texts(bottom) == [LEDE, EVENT]


def test_commentary_still_stands_when_nothing_else_is_left():
    # Weighed less, not banned: with room for a key point, the column is shown after the event.
    findings = [
        _finding(1, LEDE, 30, sources=3),
        _finding(2, COLUMN, 20, sources=2),
        _finding(3, EVENT, 15, sources=1),
    ]
    bottom, points = choose(findings, 1)
    assert _texts(bottom) + _texts(points) == [LEDE, EVENT, COLUMN]


def test_a_reporter_quoted_later_in_the_sentence_is_not_a_commentator():
    reported = (
        "Unions accepted the wage offer late on Monday, a union spokesman told writers "
        "gathered outside the gates."
    )
    findings = [
        _finding(1, LEDE, 30, sources=3),
        _finding(2, reported, 20, sources=2),
        _finding(3, EVENT, 15, sources=1),
    ]
    bottom, _ = choose(findings, 0)
    assert _texts(bottom) == [LEDE, reported]


def _article(n: int, title: str) -> Article:
    return Article(id=f"a{n}-0", title=title, text="Body text of the article.", path=f"{n}.txt")


def test_headline_rests_on_a_corroborated_finding_when_a_title_does():
    findings = [
        _finding(1, LEDE, 30, sources=1),
        _finding(2, EVENT, 20, sources=2),
    ]
    articles = [
        _article(1, "Rotterdam terminal reopens after strike"),
        _article(2, "Busy again on the quays"),
    ]
    # The first title weighs more by its words, but rests on one article's claim only.
    assert headline(articles, findings) == "Busy again on the quays"


def test_without_a_corroborated_title_the_best_agreed_finding_is_the_headline():
    long_agreed = (
        "Dock workers returned to the quays on Tuesday after unions accepted a new wage offer, "
        "ending a strike that had halted a third of European container traffic for three days."
    )
    findings = [
        _finding(1, LEDE, 30, sources=1),
        _finding(2, long_agreed, 20, sources=3),
    ]
    articles = [_article(1, "Rotterdam terminal reopens after strike")]
    # Too long to stand whole: its first clause, whole, since it is headline-short.
    assert headline(articles, findings) == (
        "Dock workers returned to the quays on Tuesday after unions accepted a new wage offer"
    )


def test_with_no_corroborated_finding_the_best_title_stays():
    findings = [_finding(1, LEDE, 30, sources=1), _finding(2, EVENT, 20, sources=1)]
    articles = [_article(1, "Rotterdam terminal reopens after strike")]
    assert headline(articles, findings) == "Rotterdam terminal reopens after strike"


def test_a_sentence_adverb_does_not_hide_a_missing_referent():
    # "Notably, the agreement ..." leans on an agreement the reader was not shown, as
    # "The agreement ..." does; the same adverb before a named subject stands alone.
    assert not presentable(
        "Notably, the agreement does not address the threat of blanket tariffs on goods."
    )
    assert presentable(
        "Notably, the talks in Kuala Lumpur did not address the threat of blanket tariffs."
    )


def test_an_article_summary_leaves_out_an_opening_connective():
    from briefgen.engines.extractive import summaries_of
    from briefgen.schema import Evidence

    body = "Regardless, dock workers returned to the quays on Tuesday after a long strike."
    text = f"{LEDE} {body}"
    article = Article(id="a1", title="Rotterdam strike ends", text=text, path="1.txt")
    findings = [
        _finding(1, LEDE, 3).model_copy(
            update={"evidence": [Evidence(article_id="a1", text=LEDE, start=0, end=len(LEDE))]}
        ),
        _finding(2, body, 2).model_copy(
            update={
                "evidence": [
                    Evidence(article_id="a1", text=body, start=len(LEDE) + 1, end=len(text))
                ]
            }
        ),
    ]
    # A summary holds an article's best sentences, seldom consecutive ones: what the
    # connective ties to is seldom the sentence shown before it.
    assert summaries_of(findings, [article])["a1"] == (
        f"{LEDE} Dock workers returned to the quays on Tuesday after a long strike."
    )
