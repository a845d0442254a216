"""The lede that the summary ranking leans on is an article's first whole sentence: a caption
above it is not the writer's summary of the story (merge._weighted_claims, _salience)."""

from __future__ import annotations

from briefgen.chunking import chunk_article
from briefgen.engines.extractive import ExtractiveEngine, summary_ranking
from briefgen.merge import merge
from briefgen.schema import Article

LEDE = (
    "The harbour authority opened a new passenger terminal for island ferries on the east "
    "quay on Monday."
)
# Uses more of the story's common words than the lede: it outranks the lede unless the lede
# has its bonus (tests/test_merge.py shows the same case without a caption).
LATER = "Ferry operators said harbour ferry traffic to the islands would double by next summer."
OTHERS = (
    "Tourism officials expect ferry traffic across the harbour to double as island routes grow.",
    "Island councils welcomed the extra ferry routes and harbour traffic forecasts.",
)
# A photo caption kept as its own paragraph above the story: no main verb.
CAPTION = "Passengers on the east quay of the harbour after the 2024 storms."


def _findings(first: str):
    engine = ExtractiveEngine()
    articles = [
        Article(id=f"a{i}", title=f"a{i}", text=t, path=f"a{i}.txt")
        for i, t in enumerate((first, *OTHERS))
    ]
    notes = [engine.extract(c, a) for a in articles for c in chunk_article(a)]
    return merge(articles, notes).findings


def _score(findings, words: str) -> float:
    return next(f.score for f in findings if words in f.text)


def test_a_caption_above_the_lede_does_not_take_its_place():
    findings = _findings(f"{CAPTION}\n\n{LEDE} {LATER}")
    assert _score(findings, "passenger terminal") > _score(findings, "would double")
    # The caption weighs as a second sentence, not as the lede, and is never shown.
    assert _score(findings, "2024 storms") < _score(findings, "passenger terminal")
    texts = [p.text for p in summary_ranking(findings)]
    assert LEDE in texts and CAPTION not in texts
    assert LATER not in texts[: texts.index(LEDE)]


def test_the_article_s_sentences_rank_alike_with_or_without_a_caption():
    with_caption = _findings(f"{CAPTION}\n\n{LEDE} {LATER}")
    without = _findings(f"{LEDE} {LATER}")
    # The lede, then the later sentence, either way: the caption moves neither.
    order = [f.text for f in without if "Ferry" in f.text or "terminal" in f.text]
    assert order == [f.text for f in with_caption if "Ferry" in f.text or "terminal" in f.text]
