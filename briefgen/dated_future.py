"""The dated future in a sentence: "is due on", "starts on", "votes on 14 November",
"will be reviewed on November 10, 2026", "scheduled for", "expires", "takes effect", "the
deadline of".

A cue of what is to come, and the date right after it, make a dated future item whatever
else the sentence says ("reviewed" is no past act when "will be" precedes it). The date is
read by dates.find_dates where it knows the form; any other form ("10/11/2026", "the 14th",
"Nov. 14th 2026") is read by dateparser, made for this, rather than by more hand-written
patterns. dateparser fills what the text leaves out (the year, the day) from its base date,
so the parts actually written are read off the text itself, and only they make the date:
a month-day without a year stays a month-day, given its year later from the article's
reference date (never from the clock), and a month stays a month.

dateparser is loaded only when a cue's date is in a form find_dates does not know: loading
it costs about half a second, more than reading a whole corpus.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from briefgen import dates
from briefgen.schema import EventStatus
from briefgen.text import holds_any

_CUES: list[tuple[EventStatus, re.Pattern[str]]] = [
    (status, re.compile(p, re.I))
    for status, p in [
        ("deadline", r"\b(?:is|are|was|were|be)?\s*due\s+(?:on|by|before|in)\b"),
        ("deadline", r"\bexpir(?:es|e|ing)\b(?:\s+(?:on|at|in|by|at\s+the\s+end\s+of))?"),
        ("deadline", r"\b(?:takes?|taking)\s+effect\b(?:\s+(?:on|from|in|as\s+of))?"),
        ("deadline", r"\b(?:comes?|coming|enters?)\s+into\s+force\b(?:\s+(?:on|from|in))?"),
        ("deadline", r"\beffective\s+(?:from|on|as\s+of)\b"),
        ("deadline", r"\bdeadline\s+(?:of|is|on|for\b[^.;:]{0,40}?\bis)\b|\bdeadline\s*:"),
        ("scheduled", r"\b(?:scheduled|slated|set|planned|timetabled)\s+(?:for|on)\b"),
        (
            "scheduled",
            r"\b(?:starts?|begins?|opens?|runs?|resumes?|ends?|closes?)\s+(?:on|from|in)\b",
        ),
        # "begins next week", "starts Monday": no preposition, only before a date's words.
        (
            "scheduled",
            r"\b(?:starts|begins|opens)\b(?=\s+(?:next|this|[A-Z]))",
        ),
        ("scheduled", r"\bvotes?\s+(?:on|in)\b(?=\s+(?:\d|[A-Z]))"),
        ("scheduled", r"\bwill\s+(?:be\s+)?[a-z]+\s+(?:on|in|by|from)\b"),
    ]
]
# All the cues as one pattern: it matches somewhere iff one of them does, so a sentence it
# misses (most sentences) is passed over in one search instead of eleven.
_ANY_CUE = re.compile("|".join(f"(?:{cue.pattern})" for _, cue in _CUES), re.I)
# A word every match of some cue above holds, each cue's in its order ("schedul" and "plan"
# of the scheduling words, "start" to "clos" of the beginnings and ends): a sentence with
# none of them (77% of MultiLing's) is passed over without the search, which cost a third as
# much as reading a sentence's dates. tests/test_fast_paths.py checks the cues.
_CUE_STEMS = (
    "due", "expir", "effect", "force", "deadline",
    "schedul", "slated", "set", "plan", "timetabled",
    "start", "begin", "open", "run", "resum", "end", "clos", "vote", "will",
)  # fmt: skip
# The cue names what was to come from a past vantage: "was due on", "missed the deadline of".
_PAST_FRAME = re.compile(
    r"\b(?:was|were|had\s+been)\s*$|\b(?:missed|passed|met|after|since)\s+(?:the\s+)?$", re.I
)
REACH = 24  # characters from the cue to its date ("scheduled for next Tuesday, the 14th")


@dataclass(frozen=True)
class DatedFuture:
    mention: dates.DateMention  # with offsets in the sentence
    status: EventStatus
    past: bool  # told from a past vantage: "was due on", "missed the deadline of"


def find(sentence: str) -> list[DatedFuture]:
    """Every cue of a dated future item in `sentence`, with its date as written."""
    if not holds_any(sentence, _CUE_STEMS) or not _ANY_CUE.search(sentence):
        return []
    out: list[DatedFuture] = []
    found = None
    for status, cue in _CUES:
        for m in cue.finditer(sentence):
            if any(o.mention.start <= m.end() <= o.mention.end for o in out):
                continue
            found = found if found is not None else dates.find_dates(sentence)
            mention = _date_after(sentence, m.end(), found)
            if mention is None or any(o.mention.start == mention.start for o in out):
                continue
            before = sentence[: m.start()]
            past = bool(_PAST_FRAME.search(before + sentence[m.start() : m.end()].split()[0] + " "))
            past = past or bool(_PAST_FRAME.search(before))
            out.append(DatedFuture(mention, status, past))
    return sorted(out, key=lambda d: d.mention.start)


def _date_after(sentence: str, at: int, found: list[dates.DateMention]) -> dates.DateMention | None:
    for m in found:
        if 0 <= m.start - at <= REACH and not re.search(r"[.;:!?]", sentence[at : m.start]):
            return m
    return parse_after(sentence, at)


# Forms worth handing to dateparser: digits, or a month's or weekday's name, near the cue.
_DATE_LIKE = re.compile(
    r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b"
)
# What _written needs to make a date of dateparser's text, so it is sure to be in the
# window: a weekday's name, or a digit with a month's name or a numeric date (d/m); a year
# or a number alone makes none ("the 2005 attacks", "at 15:00"). Looser than _written's
# patterns (no word boundaries, any case) so that the window, which holds dateparser's
# text, matches whenever that text does. It keeps dateparser, half a second to load,
# unloaded for most corpora.
_WEEKDAY_STEM = re.compile(r"mon|tue|wed|thu|fri|sat|sun", re.I)
_MONTH_STEM = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I)
_NUMERIC_STEM = re.compile(r"\d[/.]\d")


def _could_date(window: str) -> bool:
    if not _DATE_LIKE.search(window):
        return False
    if _WEEKDAY_STEM.search(window) or _NUMERIC_STEM.search(window):
        return True
    return bool(re.search(r"\d", window)) and bool(_MONTH_STEM.search(window))


def parse_after(sentence: str, at: int) -> dates.DateMention | None:
    """The date dateparser finds in the words right after a cue, with only written parts."""
    window = sentence[at : at + REACH + 16]
    if not _could_date(window):
        return None
    return _parse_window(window, at)


def _parse_window(window: str, at: int) -> dates.DateMention | None:
    from dateparser.search import search_dates

    hits = search_dates(window, languages=["en"], settings=_SETTINGS) or []
    for text, _ in hits:
        offset = window.find(text)
        if offset < 0 or offset > REACH:
            continue
        core = text.strip()
        start = at + offset + text.find(core)
        mention = _written(core, start)
        if mention is not None:
            return mention
    return None


# A base date far from any news makes a part dateparser filled in easy to tell from one
# the text wrote; it is never used as a date.
_SETTINGS = {
    "RELATIVE_BASE": dt.datetime(1900, 1, 1),
    "RETURN_TIME_AS_PERIOD": True,
    "PREFER_DAY_OF_MONTH": "first",
    "PARSERS": ["absolute-time"],
}
_YEAR = re.compile(r"\b(19\d\d|20\d\d|2100)\b|'(\d\d)\b")
_MONTH_NAME = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?", re.I)
_WEEKDAY = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?\b")


def _written(text: str, start: int) -> dates.DateMention | None:
    """A DateMention with the parts `text` writes, checked against dateparser's reading."""
    from dateparser.date import DateDataParser

    data = DateDataParser(languages=["en"], settings=_SETTINGS).get_date_data(text)
    if data.date_obj is None:
        return None
    got = data.date_obj.date()
    numeric = _NUMERIC.search(text)
    if numeric and int(numeric.group(1)) <= 12 and int(numeric.group(2)) <= 12:
        if numeric.group(1) != numeric.group(2):
            return None  # 10/11/2026: 10 November or October 11; the text does not say
    y = _YEAR.search(text)
    year = got.year if y and got.year != 1900 else None
    has_month = bool(_MONTH_NAME.search(text) or _NUMERIC.search(text))
    has_day = data.period == "day" and (bool(re.search(r"\d", _YEAR.sub("", text))))
    wd = _WEEKDAY.search(text)
    weekday = got.weekday() if wd else None
    end = start + len(text)
    if has_month and has_day:
        kind = "full" if year else "month_day"
        return dates.DateMention(text, start, end, kind, year, got.month, got.day, weekday)
    if has_month and data.period == "month" and year:
        return dates.DateMention(text, start, end, "period", year, got.month, None, None)
    if wd and not has_month:
        return dates.DateMention(text, start, end, "weekday", None, None, None, got.weekday())
    return None  # a bare day ("the 14th") or year names too little to place on its own
