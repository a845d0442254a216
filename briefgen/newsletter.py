"""How the newsletter speaks to its readers: sourcing in words, a preheader, what is new.

The exec and analyst briefs are for the people who make and check briefs, and say so in
their terms ("single source", "26 new findings (4 in this brief)", which engine ran). A
subscriber needs none of that production detail: it stays on standard error and in the
analyst brief. What a reader does need is told in plain words: how many reports stand
behind a sentence ("reported by Reuters and Bloomberg", "one report"), a preview line for
the mail client, and what is new since the last issue they got.

Pure functions over the Brief as shown (render.shown_brief); the templates only show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from briefgen.schema import Brief, KeyPoint, Section, SourceRef
from briefgen.text import shorten_line

# Mail clients show roughly 40-140 characters of preview; past that the text is cut anyway,
# so the preheader stops at a word near the end of that window.
PREHEADER_CHARS = 140


def _clean(text: str | None) -> str:
    return " ".join(str(text or "").split())


def _and(names: Sequence[str]) -> str:
    """'Reuters', 'Reuters and AP', 'Reuters, AP and Bloomberg'."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def sourcing(point: KeyPoint, sources: Iterable[SourceRef] | None = None) -> str:
    """How many reports stand behind a point, for a subscriber.

    'reported by Reuters and Bloomberg' when every independent source it cites names a
    different outlet; 'reported only by Bloomberg' for one; else '3 reports' or 'one report'.
    The number is always the point's corroboration (copies count once, as in every brief),
    so naming outlets never makes a point look better supported than it is: two Reuters
    stories, or one unnamed, are told as a count.
    """
    count = max(1, point.corroboration)
    by_n = {s.n: s for s in sources or []}
    copies = {c.n for c in point.copies}
    independent = [n for n in dict.fromkeys(point.citations) if n not in copies]
    names = [_clean(by_n[n].source) for n in independent if n in by_n]
    names = [name for name in names if name]
    distinct = list(dict.fromkeys(names))
    if len(independent) == len(names) == len(distinct) == count:
        return f"reported only by {distinct[0]}" if count == 1 else f"reported by {_and(distinct)}"
    return "one report" if count == 1 else f"{count} reports"


def preheader(brief: Brief, sections: Sequence[Section] = ()) -> str:
    """The preview text a mail client shows beside the subject: the bottom line, else the
    first points, in words (no citations), cut near PREHEADER_CHARS; the headline when the
    brief has nothing else. A sentence that only repeats the headline is passed over, since
    the subject line already shows it."""
    headline = _clean(brief.headline)
    points = [*brief.bottom_line, *(p for s in sections for p in s.points), *brief.key_points]
    texts: list[str] = []
    for point in points:
        text = _clean(point.text)
        if text and text != headline and text not in texts:
            texts.append(text)
        if sum(len(t) + 1 for t in texts) >= PREHEADER_CHARS:
            break
    return shorten_line(" ".join(texts) or headline, PREHEADER_CHARS, trailing=" ,;:.–—-")


def _count(n: int, noun: str) -> str:
    return f"{n} new {noun}{'' if n == 1 else 's'}"


def since_last(brief: Brief, sections: Sequence[Section] = ()) -> str:
    """What a reader finds new since the last issue: '3 new points and 1 new date'; '' on a
    first run or when nothing shown is new.

    Counted from what this issue tags New (the top line, the sections, the diary), never from
    the findings the producer's run compared: those are the producer's detail (stderr)."""
    if brief.provenance.previous_brief is None:
        return ""
    shown: list[Any] = [*brief.bottom_line, *(p for s in sections for p in s.points)]
    points = sum(bool(p.new) for p in shown)
    dates = sum(bool(i.new) for i in brief.watch)
    parts = [_count(points, "point")] if points else []
    if dates:
        parts.append(_count(dates, "date"))
    return " and ".join(parts)
