"""dates.find_dates skips a pattern when the text lacks what the pattern needs (a digit, a word
of time): each gate must be implied by its pattern, so the skip never loses a mention."""

from __future__ import annotations

from pathlib import Path

from briefgen import dates

ROOT = Path(__file__).resolve().parents[1]
PHRASES = [
    "2025-03-14", "on Monday, March 3, 2025", "the 8th of July 2024", "next Wednesday",
    "today", "two weeks ago", "in 3 months", "this year", "last week", "early June 2025",
    "end of March", "end of the year", "in May 2026", "Q3 2025", "the third quarter of 2025",
    "the first half of next year", "H2 2025", "next summer", "winter 2026", "since 1999",
    "by late 2030", "tomorrow", "tonight", "yesterday", "mid-September", "Sunday",
]  # fmt: skip


def _texts() -> list[str]:
    stories = sorted((ROOT / "examples").rglob("*.txt"))
    return PHRASES + [p.read_text(encoding="utf-8") for p in stories]


def test_every_gate_is_found_in_what_its_pattern_matches():
    assert len(dates._GATES) == len(dates._PATTERNS)
    matched = 0
    for text in _texts():
        for (kind, pat), gate in zip(dates._PATTERNS, dates._GATES):
            for m in pat.finditer(text):
                matched += 1
                assert all(g.search(m.group()) for g in gate), (kind, m.group())
    assert matched > len(PHRASES)


def test_gated_search_finds_what_every_pattern_finds(monkeypatch):
    texts = _texts()
    gated = [dates.find_dates(text) for text in texts]
    monkeypatch.setattr(dates, "_GATES", ((),) * len(dates._PATTERNS))
    assert gated == [dates.find_dates(text) for text in texts]


def test_each_phrase_is_still_a_date():
    for phrase in PHRASES:
        assert dates.find_dates(phrase), phrase
