"""A brief's timeline: what happened, with its dates, then what is next; every line cited.

The analyst brief and the newsletter show it above the full watch list. It is short on
purpose (TIMELINE_LINES): a glance at the story's clock, not a second watch list. Half the
lines go to the past and half to what is next, and a side with fewer takes fewer, leaving
the rest to the other: eight lines fit one screen beside the brief's own sections, and four
a side is enough to show how the story got here and what comes next.

The past, in this order of preference when there is more than fits:
1. events a later article reports as happened, cancelled or moved (WatchList.settled, and
   any item of the upcoming list whose state is no longer "upcoming"), citing that article;
2. watch items whose dates have gone by (WatchList.passed), most recent first, marked as
   planned: no article says whether they took place;
3. findings that report a dated event as done ('announced ... on October 9', 'revealed on
   Sunday'), the clause holding the date in the past tense (so a forecast told with what
   was done that day counts), never disputed ones; those the brief shows first, then the
   best corroborated, most recent first.
Vague past dates (a quarter, a half, a year) are left out: they place nothing on a clock.
What is next is the soonest upcoming items. Each group is shown in date order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from briefgen import absolute, dates
from briefgen.schema import Finding, TimelineEntry, WatchItem, WatchList
from briefgen.text import content_words

if TYPE_CHECKING:
    from briefgen.corpus import Corpus

TIMELINE_LINES = 8
LINE_WORDS = 30  # a longer finding is cut to the clauses around its date
MIN_LINE_WORDS = 12
SAME_EVENT_SHARE = 0.5  # two lines on one date sharing half their words tell one event
_PLACEABLE = ("day", "part-of-month", "month")
_CLAUSE_END = re.compile(r"[,;:—–]\s+")
_MAJOR_END = re.compile(r"[;:—–]\s+")


def build_timeline(
    corpus: Corpus, watch: WatchList, as_of: dt.date, shown: set[int]
) -> list[TimelineEntry]:
    """The timeline of a brief: at most TIMELINE_LINES entries, past first, then next."""
    refs = absolute.reference_days(corpus.references)
    year = as_of.year
    settled = [*watch.settled, *(i for i in watch.upcoming if i.state != "upcoming")]
    past: list[TimelineEntry] = []
    ahead: list[TimelineEntry] = []
    for item in settled:
        entry = _settled_entry(item, refs, year, corpus, as_of)
        if entry is not None:
            (past if entry.past else ahead).append(entry)
    for item in sorted(watch.passed, key=lambda i: i.date or dt.date.min, reverse=True):
        if item.date is not None and item.precision in (*_PLACEABLE, None):
            past.append(_watch_entry(item, refs, year, corpus, past=True, planned=True))
    past.extend(_reported(corpus, refs, as_of, shown))
    ahead.extend(
        _watch_entry(i, refs, year, corpus, past=False)
        for i in sorted(
            (i for i in watch.upcoming if i.state == "upcoming" and i.date is not None),
            key=lambda i: (i.date, i.description),
        )
    )
    past, ahead = _distinct(past), _distinct(ahead)
    n_past = min(len(past), max(TIMELINE_LINES // 2, TIMELINE_LINES - len(ahead)))
    n_ahead = min(len(ahead), TIMELINE_LINES - n_past)
    return sorted(past[:n_past], key=lambda e: e.date) + sorted(
        ahead[:n_ahead], key=lambda e: e.date
    )


def _watch_entry(
    item: WatchItem,
    refs: Mapping[str, dt.date],
    year: int,
    corpus: Corpus,
    past: bool,
    planned: bool = False,
) -> TimelineEntry:
    assert item.date is not None
    return TimelineEntry(
        date=item.date,
        end=item.end,
        precision=item.precision or "day",
        text=absolute.annotate_item(item, refs, year),
        citations=item.citations or corpus.citations(item.article_ids),
        past=past,
        planned=planned,
        state=item.state,
        state_citations=item.state_citations or corpus.citations(item.state_article_ids),
        moved_to=item.moved_to,
    )


def _settled_entry(
    item: WatchItem, refs: Mapping[str, dt.date], year: int, corpus: Corpus, as_of: dt.date
) -> TimelineEntry | None:
    """A settled event on its date; a moved one on its new date, among what is next if
    that is still ahead."""
    if item.state == "moved" and item.moved_to is not None:
        entry = _watch_entry(item, refs, year, corpus, past=item.moved_to < as_of)
        return entry.model_copy(update={"date": item.moved_to, "end": None, "precision": "day"})
    if item.date is None or item.precision not in (*_PLACEABLE, None):
        return None
    return _watch_entry(item, refs, year, corpus, past=True)


def _reported(
    corpus: Corpus, refs: Mapping[str, dt.date], as_of: dt.date, shown: set[int]
) -> list[TimelineEntry]:
    """Findings that report a dated event as done, best first."""
    from briefgen.engines.extractive import presentable

    found: list[tuple[tuple, TimelineEntry]] = []
    for f in corpus.digest.findings:
        if f.kind not in ("fact", "forecast") or f.disputed or not presentable(f.text):
            continue
        dated = _done_on(f, refs, as_of)
        if dated is None:
            continue
        date, at = dated
        entry = TimelineEntry(
            date=date,
            text=absolute.annotate(_clip(f.text, at), refs, f.evidence, as_of.year),
            citations=corpus.citations(f.article_ids),
            past=True,
        )
        found.append(((f.id not in shown, -f.corroboration, -date.toordinal()), entry))
    return [e for _, e in sorted(found, key=lambda p: p[0])]


def _done_on(f: Finding, refs: Mapping[str, dt.date], as_of: dt.date) -> tuple[dt.date, int] | None:
    """The day a finding says something was done, and where that date is in its text."""
    for m in dates.find_dates(f.text):
        if m.kind not in ("full", "month_day", "weekday", "relative") or dates.looks_back(m.text):
            continue
        if dates.names_a_thing(f.text, m):
            continue  # "Three of the July 7 bombers ...": not what happened on that day
        tense = dates.tense_at(f.text, m.start)
        if tense != "past":
            continue
        resolved = absolute.resolve_among(
            m, tense, absolute.references_for(m.text, refs, f.evidence)
        )
        if resolved.date is not None and resolved.precision == "day" and resolved.date <= as_of:
            return resolved.date, m.start
    return None


def _bounds(text: str, pattern: re.Pattern[str] = _CLAUSE_END) -> list[int]:
    return [0, *(m.end() for m in pattern.finditer(text)), len(text)]


def _clip(text: str, at: int) -> str:
    """The clauses around position `at`, verbatim, at most LINE_WORDS words; '…' marks a cut.

    Cut at a colon, semicolon or dash first ('revealed on Sunday that a deal has, in fact,
    been reached: China will ...' keeps all before the colon), at commas only if that is
    still too long."""
    if len(text.split()) <= LINE_WORDS:
        return text
    for pattern in (_MAJOR_END, _CLAUSE_END):
        bounds = _bounds(text, pattern)
        lo = max(k for k in range(len(bounds) - 1) if bounds[k] <= at)
        hi = lo + 1
        while len(text[bounds[lo] : bounds[hi]].split()) < MIN_LINE_WORDS:
            if lo > 0:
                lo -= 1  # the clause before usually names who did it
            elif hi < len(bounds) - 1:
                hi += 1
            else:
                break
        piece = text[bounds[lo] : bounds[hi]].strip(" ,;:—–")
        if len(piece.split()) <= LINE_WORDS:
            break
    if len(piece.split()) > LINE_WORDS:
        piece = " ".join(piece.split()[:LINE_WORDS]) + "…"
    cut_after = hi < len(bounds) - 1 and not piece.endswith("…")
    return ("…" if lo > 0 else "") + piece + ("…" if cut_after else "")


def _distinct(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Entries in order, leaving out one that retells an earlier entry's event: the same
    date, and at least SAME_EVENT_SHARE of the shorter one's content words in common."""
    kept: list[tuple[TimelineEntry, set[str]]] = []
    for e in entries:
        words = set(content_words(e.text))
        if not any(_same_event(e, words, k, w) for k, w in kept):
            kept.append((e, words))
    return [e for e, _ in kept]


def _same_event(a: TimelineEntry, a_words: set[str], b: TimelineEntry, b_words: set[str]) -> bool:
    shorter = min(len(a_words), len(b_words)) or 1
    return a.date == b.date and len(a_words & b_words) >= SAME_EVENT_SHARE * shorter
