"""Corroboration is agreement: a sentence that states the opposite disputes, never supports.

The planted article of issue 11 says the opposite of three sample articles in one sentence.
Before, clause overlap ignored negation and it became the bottom line of every audience,
cited "(4 sources)". Now it is a disputed single-source claim, and what it denies is shown
as disputed by it.
"""

from __future__ import annotations

import shutil

import pytest

from briefgen.chunking import chunk_article
from briefgen.engines.extractive import ExtractiveEngine
from briefgen.merge import merge
from briefgen.pipeline import make_brief
from briefgen.render import render_brief
from briefgen.schema import Article

PLANTED = (
    "Trade talks collapse as Beijing hardens its stance\n\n"
    "The US-China trade talks collapsed, China will not delay its rare earth export controls, "
    "and the Trump-Xi meeting at APEC has been cancelled.\n"
)


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, title=aid, text=text, path=f"{aid}.txt")


# Sentences on other matters, one per article: merging weighs words by how rare they are, so
# a corpus of one sentence per article would make every shared word common.
_OTHER_NEWS = [
    "The weather in the capital was mild for the season.",
    "Stock markets rose slightly on the news from the port.",
    "A museum reopened after a long renovation of its roof.",
    "Local football clubs prepared for the winter league.",
]


def _digest(*texts: str, copies: dict[str, str] | None = None):
    engine = ExtractiveEngine()
    articles = [_article(f"a{i}", f"{t} {_OTHER_NEWS[i]}") for i, t in enumerate(texts)]
    notes = [engine.extract(c, a) for a in articles for c in chunk_article(a)]
    return merge(articles, notes, copies)


def _finding(digest, words: str):
    return next(f for f in digest.findings if words in f.text)


DELAY = "China will delay its rare earth export controls by one year, officials said on Sunday."
AGREE = (
    "Officials confirmed that Beijing agreed to delay the rare earth export controls by one year."
)


def test_the_same_claim_in_other_words_supports():
    d = _digest(DELAY, AGREE)
    f = _finding(d, "will delay")
    assert sorted(f.article_ids) == ["a0", "a1"] and f.corroboration == 2
    assert not f.disputed_by


@pytest.mark.parametrize(
    "denial",
    [
        "China will not delay its rare earth export controls, officials said on Sunday.",
        "Officials said China refused to delay its rare earth export controls by one year.",
        # Every cue of polarity.py counts, "neither" too (merge once kept a shorter list).
        "China and the US said neither will delay its rare earth export controls by one year.",
    ],
)
def test_a_negated_sentence_disputes_and_never_supports(denial):
    d = _digest(DELAY, AGREE, denial)
    f = _finding(d, "will delay")
    assert "a2" not in f.article_ids and f.corroboration == 2
    assert f.disputed_by == ["a2"]
    assert any(e.article_id == "a2" for e in f.disputes)
    denied = next(f for f in d.findings if "a2" in f.article_ids)
    assert denied.single_source and denied.disputed_by  # the dispute runs both ways
    assert any(c.kind == "claim" for c in d.conflicts)


def test_a_denial_that_something_happened_disputes_the_report_of_it():
    # "denied that": what the denial bears on comes after the "that" (before, the act was
    # read as "that", which the report does not say, and the two were only "different").
    d = _digest(
        "Survivors said the ferry was overloaded with passengers and vehicles when it sank.",
        "The operator denied that the ferry was overloaded with passengers and vehicles when it sank.",
    )
    f = _finding(d, "Survivors said")
    assert f.disputed_by == ["a1"] and "a1" not in f.article_ids


def test_another_figure_for_the_same_thing_disputes():
    other = "China will delay its rare earth export controls by two years, officials said."
    d = _digest(DELAY, other)
    f = _finding(d, "one year")
    assert f.article_ids == ["a0"] and f.disputed_by == ["a1"]


def test_a_copy_adds_no_corroboration():
    d = _digest(DELAY, DELAY.replace("Sunday", "Sunday evening"), copies={"a1": "a0"})
    f = _finding(d, "will delay")
    assert sorted(f.article_ids) == ["a0", "a1"]
    assert f.corroboration == 1 and f.single_source


@pytest.fixture(scope="module")
def planted(tmp_path_factory, sample_dir):
    folder = tmp_path_factory.mktemp("planted")
    for path in sorted(__import__("pathlib").Path(sample_dir).glob("*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "005_planted.txt").write_text(PLANTED, encoding="utf-8")
    return str(folder)


@pytest.fixture(scope="module")
def planted_briefs(planted):
    return {a: make_brief([planted], audience=a) for a in ("exec", "analyst", "newsletter")}


def _planted_finding(result):
    planted_id = next(a.id for a in result.corpus.articles if a.path.endswith("005_planted.txt"))
    ours = [f for f in result.corpus.digest.findings if planted_id in f.article_ids]
    return planted_id, next(f for f in ours if "collapsed" in f.text)


def test_the_planted_claim_is_a_disputed_single_source_finding(planted_briefs):
    result = planted_briefs["analyst"]
    planted_id, f = _planted_finding(result)
    assert f.article_ids == [planted_id] and f.single_source
    assert len(f.disputed_by) >= 2
    # No finding of the real articles counts the planted article as support.
    for other in result.corpus.digest.findings:
        if other is not f:
            assert planted_id not in other.article_ids or "collapsed" in other.text


@pytest.mark.parametrize("audience", ["exec", "analyst", "newsletter"])
def test_the_planted_claim_is_never_the_bottom_line_nor_corroborated(planted_briefs, audience):
    result = planted_briefs[audience]
    _, f = _planted_finding(result)
    brief = result.brief
    assert brief.bottom_line and f.id not in brief.bottom_line[0].finding_ids
    first = brief.bottom_line[0]
    assert first.corroboration > 1 and not first.disputed_by
    points = [*brief.bottom_line, *brief.key_points, *brief.single_source]
    points += [p for s in brief.sections for p in s.points]
    for p in points:
        if f.id in p.finding_ids:
            assert p.corroboration == 1 and p.disputed_by


def test_the_analyst_brief_lists_the_dispute_among_the_conflicts(planted_briefs):
    brief = planted_briefs["analyst"].brief
    claims = [c for c in brief.conflicts if c.kind == "claim"]
    assert claims
    planted_n = next(s.n for s in brief.sources if s.path.endswith("005_planted.txt"))
    assert any(planted_n in v.citations for c in claims for v in c.values)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_disputes_are_shown_in_every_format(planted_briefs, fmt):
    text = render_brief(planted_briefs["analyst"].brief, fmt)
    assert "disputed" in text.lower()


@pytest.fixture(scope="module")
def with_a_copy(tmp_path_factory, sample_dir):
    """The sample corpus plus a syndicated copy of one article: a word in twenty changed,
    under another title."""
    import pathlib

    folder = tmp_path_factory.mktemp("copied")
    paths = sorted(pathlib.Path(sample_dir).glob("*.txt"))
    for path in paths:
        shutil.copy(path, folder / path.name)
    words = paths[4].read_text(encoding="utf-8").split(" ")
    edited = " ".join("also" if i % 20 == 7 else w for i, w in enumerate(words))
    (folder / "zz_syndicated.txt").write_text("Syndicated: talks edge on\n\n" + edited, "utf-8")
    return make_brief([str(folder)], audience="analyst")


def test_a_syndicated_copy_counts_once(with_a_copy):
    brief = with_a_copy.brief
    copy = next(s for s in brief.sources if s.path.endswith("zz_syndicated.txt"))
    assert copy.copy_of is not None
    original = next(s for s in brief.sources if s.n == copy.copy_of)
    assert original.path.endswith(".txt") and original.n != copy.n
    for p in [*brief.bottom_line, *brief.key_points, *brief.single_source]:
        independent = {copy.copy_of if n == copy.n else n for n in p.citations}
        assert p.corroboration <= len(independent)
        if copy.n in p.citations and copy.copy_of in p.citations:
            assert any(c.n == copy.n and c.of == copy.copy_of for c in p.copies)
    md = render_brief(brief, "md")
    assert f"[{copy.n}] is a copy of [{copy.copy_of}]" in md


def test_the_run_summary_says_what_verification_set_right(planted_briefs):
    from briefgen.config import Settings
    from briefgen.runlog import summary_lines

    result = planted_briefs["exec"]
    engine = result.corpus.engine
    plain = summary_lines(result, engine, Settings())[0]
    # Said exactly when something was set right (the built-in engine's point can rest on a
    # second finding that tells the same sentence, and verification then cites both).
    assert ("recomputed" in plain) == bool(result.corpus.report.citations_corrected)
    assert "speakers corrected" not in plain
    report = result.corpus.report.model_copy(
        update={"citations_corrected": 2, "speakers_corrected": 1}
    )
    result.corpus.report, saved = report, result.corpus.report
    try:
        line = summary_lines(result, engine, Settings())[0]
    finally:
        result.corpus.report = saved
    assert "points verified" in line and "citations recomputed for 2, speakers corrected 1" in line
