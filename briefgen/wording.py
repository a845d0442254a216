"""How dates are worded for a reader: a day, a range, a vague period, what became of an event.

One place for the wording every output shares: the watch list and the briefs (md, html),
the iCalendar file and the relative dates made absolute in points (absolute.py). English
names are fixed here: strftime's %a/%b follow the process locale, and a brief rendered on a
German machine should not change language mid-sentence.

Nothing here is more precise than the article was: 'mid-November' resolves to a day for
sorting, but is worded 'mid-Nov 2025'; 'first half of next year' is 'first half of 2026'.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EN_DASH = "\u2013"


def day(value: dt.date | None) -> str:
    """A date as 'Thu 30 Oct 2025'; None as 'undated'."""
    if value is None:
        return "undated"
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def moment(value: dt.datetime | None) -> str:
    """A point in time as 'Sat 22 Nov 2025, 14:05 UTC' (naive times are taken as UTC)."""
    if value is None:
        return "unknown"
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return f"{day(value.date())}, {value:%H:%M} UTC"


def short_day(value: dt.date, year: int | None = None) -> str:
    """'26 Oct', with the year only when it is not `year` ('26 Oct 2024')."""
    text = f"{value.day} {MONTHS[value.month - 1]}"
    return text if value.year == year else f"{text} {value.year}"


def _part(value: dt.date) -> str:
    return "early" if value.day <= 10 else "mid" if value.day <= 20 else "late"


def period(value: dt.date, precision: str | None, year: int | None = None) -> str:
    """A date at its precision: '26 Oct', 'mid-Nov', 'Nov', 'Q3 2026', 'first half of 2026',
    '2030'. The year is left out of a day, part of a month or month when it is `year`;
    a quarter, a half or a year always names it."""
    month = MONTHS[value.month - 1] + ("" if value.year == year else f" {value.year}")
    if precision == "part-of-month":
        return f"{_part(value)}-{month}"
    if precision == "month":
        return month
    if precision == "quarter":
        return f"Q{(value.month - 1) // 3 + 1} {value.year}"
    if precision == "half-year":
        return f"{'first' if value.month <= 6 else 'second'} half of {value.year}"
    if precision == "year":
        return str(value.year)
    return short_day(value, year)


def period_bounds(
    value: dt.date, precision: str | None, end: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The first and last day a date of this precision covers.

    With `end` (a range, or a period whose end the timeline core has set) the span is
    [value, end]; otherwise it is the period the precision names: 'mid-November' is 11 to
    20 November, 'Q3 2026' is 1 July to 30 September.
    """
    if end is not None:
        return value, max(value, end)
    if precision == "part-of-month":
        first = 1 if value.day <= 10 else 11 if value.day <= 20 else 21
        last = 10 if first == 1 else 20 if first == 11 else _month_end(value).day
        return value.replace(day=first), value.replace(day=last)
    if precision == "month":
        return value.replace(day=1), _month_end(value)
    if precision == "quarter":
        first_month = (value.month - 1) // 3 * 3 + 1
        start = dt.date(value.year, first_month, 1)
        return start, _month_end(start.replace(month=first_month + 2))
    if precision == "half-year":
        start = dt.date(value.year, 1 if value.month <= 6 else 7, 1)
        return start, _month_end(start.replace(month=start.month + 5))
    if precision == "year":
        return dt.date(value.year, 1, 1), dt.date(value.year, 12, 31)
    return value, value


def _month_end(value: dt.date) -> dt.date:
    return value.replace(day=calendar.monthrange(value.year, value.month)[1])


def day_range(start: dt.date, end: dt.date) -> str:
    """'24–27 Oct 2025', '30 Oct – 2 Nov 2025', '30 Dec 2025 – 2 Jan 2026'."""
    if start.year != end.year:
        return f"{short_day(start)} {EN_DASH} {short_day(end)}"
    if start.month != end.month:
        return f"{short_day(start, start.year)} {EN_DASH} {short_day(end)}"
    return f"{start.day}{EN_DASH}{short_day(end)}"


def when(item: Any) -> str:
    """A watch item's (or timeline entry's) date worded no more precisely than the article was.

    'mid-November' resolves to some day in November for sorting, but printing that day would
    claim a precision the source never gave, so the precision decides the wording. A range
    ('Oct 24 to Monday Oct 27': `end` set on a day item) reads '24–27 Oct 2025'.
    """
    date, precision = item.date, item.precision
    end = getattr(item, "end", None)
    if date is None:
        return f"{getattr(item, 'date_text', None) or 'undated'} (unresolved)"
    if precision in (None, "day"):
        if end is not None and end > date:
            return day_range(date, end)
        return day(date)
    if precision == "month" and end is not None and (end.year, end.month) > (date.year, date.month):
        first = MONTHS[date.month - 1] + ("" if date.year == end.year else f" {date.year}")
        return f"{first}{EN_DASH}{MONTHS[end.month - 1]} {end.year}"  # 'Oct–Dec 2025'
    return period(date, precision)


def state_words(item: Any) -> str:
    """What a later article says became of an event, without its citations: 'happened',
    'cancelled', 'moved to 14 Nov'; '' while it is upcoming. The new date of a moved event
    names its year only when that differs from the year the event was first set for."""
    state = getattr(item, "state", "upcoming")
    if state != "moved":
        return "" if state == "upcoming" else state
    moved_to = getattr(item, "moved_to", None)
    if moved_to is None:
        return "moved to a date not given"
    return f"moved to {short_day(moved_to, item.date.year if item.date else None)}"
