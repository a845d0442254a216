"""Date ranges as one item: "October 24 to Monday October 27", "24-27 October", "from ... until".

A range told as its first day alone looks over a day early: talks from the 24th to the 27th
are not passed on the 26th. The range is read from the sentence around the date a watch item
was found on, and only when the sentence writes both ends; its end is resolved from its start,
so "Oct 24 to Monday" ends on the Monday after the 24th.
"""

from __future__ import annotations

import datetime as dt
import re

from briefgen import dates

# What joins the two ends: "to", "until", "through", a dash. "and" only after "between".
_JOIN = re.compile(r"\s*(?:to|until|till|through|thru|[-–—])\s*", re.I)
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
_AND = re.compile(r"\s+and\s+", re.I)
# "October 24-27": the end's day alone, after a dash (not a figure: "24-27%").
_DAY_AFTER = re.compile(r"\s*[-–]\s*([0-3]?\d)\b(?!\s*(?:%|[.,]\d))")
# "24-27 October": the start's day alone, before a dash.
_DAY_BEFORE = re.compile(r"\b([0-3]?\d)\s*[-–]\s*$")
MAX_RANGE_DAYS = 92  # longer spans are periods ("from 2025 to 2030"), not one item's range


def range_of(
    sentence: str,
    mention: dates.DateMention,
    start: dt.date,
    reference: dt.date | None,
    tense: str = "unknown",
) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, the range as written) when `mention` opens or closes a range."""
    if mention.kind not in ("full", "month_day", "weekday"):
        return None
    after = sentence[mention.end :]
    m = _DAY_AFTER.match(after)
    if m and mention.kind in ("full", "month_day") and mention.day is not None:
        end = _same_month(start, int(m.group(1)))
        return _checked(start, end, sentence[mention.start : mention.end + m.end()])
    joined = _JOIN.match(after)
    if joined is None and _BETWEEN.search(sentence[: mention.start]):
        joined = _AND.match(after)
    if joined is not None:
        at = mention.end + joined.end()
        for other in dates.find_dates(sentence):
            if other.start == at and other.kind in ("full", "month_day", "weekday"):
                end = dates.resolve(other, start, "future").date
                return _checked(start, end, sentence[mention.start : other.end])
    m = _DAY_BEFORE.search(sentence[: mention.start])
    if m and mention.kind in ("full", "month_day") and mention.day is not None:
        first = _same_month(start, int(m.group(1)))
        return _checked(first, start, sentence[m.start() : mention.end])
    return None


def _same_month(day: dt.date, other: int) -> dt.date | None:
    try:
        return day.replace(day=other)
    except ValueError:
        return None


def _checked(first: dt.date | None, last: dt.date | None, text: str):
    if first is None or last is None or not 0 < (last - first).days <= MAX_RANGE_DAYS:
        return None
    return first, last, text.strip()
