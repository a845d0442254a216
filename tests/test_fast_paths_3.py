"""The fast paths of this session give what the plain readings they replace give: the date
patterns' finer gates (dates._GATES) and collapse_spaces without a pattern (text.py).

Checked over every sentence, and every whole text, of the sample corpus and of the 100
MultiLing 2011 articles (skipped when ../shared is absent), and over strings drawn from the
date patterns themselves in any case, with the characters re.IGNORECASE matches with ASCII
letters ("ſ" for s, "ı" for i).
"""

from __future__ import annotations

import random
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from briefgen import dates, text
from briefgen.ingest import load
from briefgen.text import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
MULTILING = ROOT.parent / "shared" / "eval" / "multiling2011"


@cache
def _texts(corpus: str) -> tuple[str, ...]:
    """Each article of a corpus as ingest cleans it, then each of its sentences."""
    if corpus == "sample":
        folders = [ROOT / "examples" / "trade-talks"]
    else:
        folders = sorted(MULTILING.glob("M[0-9][0-9][0-9]/articles"))
        if not folders:
            pytest.skip(f"MultiLing 2011 data not at {MULTILING}")
    articles = load([str(f) for f in folders]).articles
    whole = [a.text for a in articles] + [a.title for a in articles]
    return (*whole, *(a.text[s:e] for a in articles for s, e in sentence_spans(a.text)))


def _dates(t: str) -> list[dates.DateMention] | type[ValueError]:
    # "ſecond quarter" (a long s, which re.IGNORECASE reads as "s") fails in dates._build
    # with or without the gates: the gated search must fail on it the same way.
    try:
        return dates.find_dates(t)
    except ValueError:
        return ValueError


def _ungated(monkeypatch, texts) -> list:
    with monkeypatch.context() as m:
        m.setattr(dates, "_GATES", ((),) * len(dates._PATTERNS))
        return [_dates(t) for t in texts]


@pytest.mark.parametrize("corpus", ["sample", "multiling"])
def test_gated_dates_are_every_pattern_s_dates_in_real_copy(monkeypatch, corpus):
    texts = _texts(corpus)
    gated = [dates.find_dates(t) for t in texts]
    assert gated == _ungated(monkeypatch, texts)
    assert sum(map(len, gated)) > 50  # the copy does name dates: the check compares something


def _drawn_phrases(n: int, seed: int) -> list[str]:
    from test_fast_paths import _drawn

    try:
        from re import _parser
    except ImportError:  # Python < 3.11
        import sre_parse as _parser  # type: ignore[no-redef]
    rng = random.Random(seed)
    parsed = [_parser.parse(p.pattern, p.flags) for _, p in dates._PATTERNS]
    out = []
    for _ in range(n):
        phrase = _drawn(rng.choice(parsed), rng)
        case = rng.choice([str, str, str.upper, str.title, str.lower])
        phrase = case(phrase)
        if rng.random() < 0.15:
            phrase = phrase.replace("s", "ſ", 1).replace("i", "ı", 1)
        out.append(f"{rng.choice(['', 'The ', 'in ', 'By '])}{phrase}{rng.choice(['', '.', ' x'])}")
    return out


def test_every_gate_opens_on_what_its_pattern_matches():
    matched = 0
    for phrase in _drawn_phrases(6000, 11):
        for (kind, pat), gates in zip(dates._PATTERNS, dates._GATES):
            for m in pat.finditer(phrase):
                matched += 1
                assert all(g.search(m.group()) for g in gates), (kind, m.group())
    assert matched > 3000


def test_gated_dates_are_every_pattern_s_dates_in_drawn_phrases(monkeypatch):
    phrases = _drawn_phrases(3000, 12)
    gated = [_dates(p) for p in phrases]
    assert gated == _ungated(monkeypatch, phrases)
    assert sum(len(g) for g in gated if g is not ValueError) > 1000


def test_a_gate_shuts_only_on_text_without_its_strings():
    in_any_case = dates._Gate("quarter", any_case=True)
    assert in_any_case.search("the THIRD QUARTER") and not in_any_case.search("a quart")
    assert in_any_case.search("a ſecond quarter".replace("q", "ı"))  # lower() may hide a stem
    as_written = dates._Gate("Q1", "Q2")
    assert as_written.search("in Q2 2026") and not as_written.search("in q2 2026")
    assert dates.find_dates("Earnings rose in Q3 2025 and the third quarter of 2026.")


_PLAIN_SPACES = re.compile(r"\s+")


def _plain_collapse(s: str) -> str:
    return _PLAIN_SPACES.sub(" ", s).strip()


def test_collapse_spaces_is_the_pattern_on_every_character():
    chars = (chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for c in chars:
        for s in (f"a{c}b", f"{c}{c}a {c}", c):
            assert text.collapse_spaces(s) == _plain_collapse(s), hex(ord(c))


@pytest.mark.parametrize("corpus", ["sample", "multiling"])
def test_collapse_spaces_is_the_pattern_on_real_copy(corpus):
    rng = random.Random(5)
    texts = _texts(corpus)
    spaced = [t.replace(" ", rng.choice(["  ", "\u00a0", " \n\t", "\u2003 "]), 3) for t in texts]
    for s in [*texts, *spaced]:
        assert text.collapse_spaces(s) == _plain_collapse(s)


def test_holds_any_lowered_is_holds_any():
    stems = ("quarter", "today", "ſo")
    for s in [*_drawn_phrases(2000, 13), "İT", "Today", "no stem here"]:
        assert text.holds_any_lowered(s, s.lower(), stems) == text.holds_any(s, stems), s
