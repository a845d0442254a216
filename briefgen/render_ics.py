"""The what-to-watch list as an iCalendar (RFC 5545) file: what goes in, and the wire format.

A calendar shows a day as exact, so an item is put in only as precisely as its article gave
it: one day is an all-day event (DTEND the day after); a range ('24 to 27 October') or a
period of at most a quarter ('mid-November', 'November', 'Q3 2026') is one all-day span
from its first day to the day after its last (TRANSP:TRANSPARENT, so it never blocks time).
A longer period ('first half of 2026', '2030') would cover the calendar for months while
saying nothing about any day, so it is left out and listed, with the items whose date is
not fixed, in the calendar's own description: never a single day pretending to be exact.

Identity: an event's UID is the item's `id` (derived from what the event is and its date,
so a new supporting article, a re-run or a reordering keeps it) and calendar programs update
the event instead of adding a copy; an item without one falls back to a hash of its content.
An event a later article reports cancelled gets STATUS:CANCELLED, one moved to a new day is
shown on that day; both raise SEQUENCE so programs take the change. The calendar is named
after the story (render_watchlist's `name`, else the words its articles' titles share).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from typing import Any

from briefgen.render import is_http_url
from briefgen.schema import SourceRef, WatchItem, WatchList
from briefgen.text import STOPWORDS
from briefgen.wording import day, period_bounds, state_words, when

LONGEST_SPAN_DAYS = 92  # a quarter; a half-year or a year is listed, not put on the calendar
NAME_WORDS = 3


def ics_text(value: Any) -> str:
    """An RFC 5545 TEXT value: backslash, ';' and ',' escaped, newlines as '\\n'.

    Other control characters are not allowed in TEXT at all, so they are dropped.
    """
    text = str(value).replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,")
    text = _ICS_NEWLINES.sub(r"\\n", text)
    return _ICS_CONTROL.sub("", text)


_ICS_NEWLINES = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_ICS_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def uid(item: WatchItem) -> str:
    """The item's stable id as a UID; without one, a hash of what the item says."""
    if item.id:
        return item.id if "@" in item.id else f"{item.id}@briefgen"
    key = json.dumps(
        [
            item.description,
            item.date.isoformat() if item.date else None,
            item.date_text,
            item.status,
            item.sentence,
            sorted(item.article_ids),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + "@briefgen"


def span(item: WatchItem) -> tuple[dt.date, dt.date] | None:
    """The first and last day an item covers in a calendar; None when it does not belong there
    (no date, or a period longer than LONGEST_SPAN_DAYS)."""
    if item.state == "moved" and item.moved_to is not None:
        return item.moved_to, item.moved_to
    if item.date is None:
        return None
    first, last = period_bounds(item.date, item.precision, item.end)
    if (last - first).days + 1 > LONGEST_SPAN_DAYS:
        return None
    return first, last


def source_line(src: SourceRef) -> str:
    parts = [f"[{src.n}] {src.title}"]
    if src.source:
        parts.append(f" - {src.source}")
    if src.published:
        parts.append(f", {day(src.published)}")
    if is_http_url(src.url):
        parts.append(f" <{src.url.strip()}>")  # type: ignore[union-attr]
    return "".join(parts)


def _refs(numbers: list[int], by_n: dict[int, SourceRef]) -> list[str]:
    # With the source list, spell each one out: a calendar has no [n] list to look up.
    refs = [source_line(by_n[n]) if n in by_n else f"[{n}]" for n in numbers]
    return ["Sources:", *refs] if by_n else ["Sources: " + "".join(refs)]


def events(watch: WatchList, sources: list[SourceRef] | None) -> list[dict[str, Any]]:
    """One all-day event (or span) per item that belongs on a calendar, in list order;
    values still unescaped. `summary` is the description as shown (absolute dates)."""
    by_n = {s.n: s for s in sources or []}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in [*watch.upcoming, *watch.settled, *watch.unresolved, *watch.passed]:
        days = span(item)
        if days is None:
            continue
        key = uid(item)
        if key in seen:  # a UID must be unique within a calendar; an exact repeat adds nothing
            continue
        seen.add(key)
        lines = [item.sentence]
        if item.date_text and (item.precision not in (None, "day") or item.end):
            lines.append(f"Date as written: {item.date_text} ({when(item)})")
        if item.citations:
            lines.extend(_refs(item.citations, by_n))
        changed = item.state in ("cancelled", "moved")
        if item.state != "upcoming":
            lines.append(f"Since reported: {state_words(item)}")
            if item.state_sentence:
                lines.append(item.state_sentence)
            if item.state_citations:
                lines.extend(_refs(item.state_citations, by_n))
        out.append(
            {
                "uid": key,
                "dtstart": f"{days[0]:%Y%m%d}",
                "dtend": f"{days[1] + dt.timedelta(days=1):%Y%m%d}",
                "summary": item.description,
                "description": "\n".join(lines),
                "category": item.type_label,
                "status": "CANCELLED" if item.state == "cancelled" else "CONFIRMED",
                "sequence": 1 if changed else 0,
            }
        )
    return out


def not_on_calendar(watch: WatchList) -> list[str]:
    """The items a calendar cannot place, as lines for its description."""
    lines = []
    for item in [*watch.upcoming, *watch.settled, *watch.unresolved]:
        if span(item) is None:
            cited = "".join(f"[{n}]" for n in item.citations)
            lines.append(f"{when(item)}: {item.description} {cited}".rstrip())
    return lines


def description(watch: WatchList, sources: list[SourceRef] | None) -> str:
    """The calendar's own description: as of when, and what it could not place."""
    lines = [f"What to watch, as of {day(watch.as_of)}."]
    vague = not_on_calendar(watch)
    if vague:
        lines.append("Not on the calendar (date too vague or not fixed):")
        lines.extend(f"- {line}" for line in vague)
    if sources:
        lines.append("Sources:")
        lines.extend(source_line(s) for s in sources)
    return "\n".join(lines)


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Z]")


def story_name(sources: list[SourceRef] | None) -> str | None:
    """What the articles are about, from their titles: the words several of them share,
    names first ('China, US, Trump, trade'), or the one title; None without titles."""
    titles = [s.title for s in sources or [] if s.title]
    if not titles:
        return None
    if len(titles) == 1:
        return titles[0]
    counts: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    first: dict[str, int] = {}
    named: set[str] = set()  # capitalised other than as a title's first word: a name
    pos = 0
    for title in titles:
        found = _WORD.findall(title)
        for i, word in enumerate(found):
            key = word.lower()
            first.setdefault(key, pos := pos + 1)
            if i and word[0].isupper():
                named.add(key)
        for word in {w for w in found if w.lower() not in STOPWORDS}:
            counts[word.lower()] += 1
            spelling.setdefault(word.lower(), Counter())[word] += 1
    shared = sorted(
        (w for w, n in counts.items() if n >= 2),
        key=lambda w: (w not in named, -counts[w], first[w]),
    )
    if not shared:
        return titles[0]
    return ", ".join(spelling[w].most_common(1)[0][0] for w in shared[:NAME_WORDS])


def calendar_name(name: str | None, sources: list[SourceRef] | None) -> str:
    """'What to watch: <the story>': `name` (the brief's headline, say), else story_name."""
    story = name or story_name(sources)
    return f"What to watch: {story}" if story else "What to watch"


_ICS_UNITS = re.compile(r"\\.|.", re.DOTALL)


def fold_ics_line(line: str, limit: int = 75) -> str:
    """Fold one content line at `limit` octets (RFC 5545 3.1) without splitting a character.

    Continuation lines start with a space, which counts toward their own limit.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    # A backslash escape ('\\,', '\\n') is kept whole: legal to split, but some readers
    # unescape before they unfold.
    for unit in _ICS_UNITS.findall(line):
        width = len(unit.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 1  # the leading space of the continuation line
        current.append(unit)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def finish(text: str) -> str:
    """Template output to wire format: drop blank lines, fold, CRLF after every line.

    Templates are edited with ordinary newlines and indentation-free lines; doing the octet
    work here means an overridden template cannot get folding or line endings wrong.
    """
    lines = [line.rstrip("\r") for line in text.split("\n")]
    return "".join(fold_ics_line(line) + "\r\n" for line in lines if line.strip())
