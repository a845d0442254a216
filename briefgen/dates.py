"""Dates in news copy: find them, parse metadata dates, resolve relative ones, never guess.

News text is full of dates that only mean something against the day the article was written
("this Thursday", "mid-November", "two weeks ago"). Everything here is a pure function: a
mention is found with exact offsets, and it is resolved only when its own text or a reference
date makes the answer unambiguous. Without a reference a relative mention stays unresolved,
because a wrong date in a what-to-watch list is worse than an honest "date unclear".
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from briefgen.text import holds_any_lowered


@dataclass(frozen=True)
class DateMention:
    text: str  # as written, e.g. "this Thursday, October 30", "mid-November", "tomorrow"
    start: int
    end: int
    kind: str  # "full", "month_day", "weekday", "relative", "period", "year"
    year: int | None  # only when written; a period "Q3 2026" carries its year
    month: int | None  # for periods: the first month of the period
    day: int | None
    weekday: int | None  # 0 = Monday


@dataclass(frozen=True)
class ResolvedDate:
    date: dt.date | None  # None = unresolved; never guessed
    precision: str | None  # one of schema.DatePrecision


UNRESOLVED = ResolvedDate(None, None)


def _words(s: str) -> list[str]:
    return s.split()


_MONTHS = _words("jan feb mar apr may jun jul aug sep oct nov dec")
_WEEKDAYS = _words("mon tue wed thu fri sat sun")
_NUMBERS = {w: i for i, w in enumerate(_words("one two three four five six seven eight nine"), 1)}
_NUMBERS.update(a=1, an=1, ten=10, eleven=11, twelve=12)

# Building blocks. Month and weekday names are case-sensitive so that "may" the verb and
# "march" the noun never match; the ambiguous capitalised ones get a context guard below.
_MON = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_MONTH = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)\b"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"
_YEAR = r"(?P<y>19\d\d|20\d\d|2100)\b"
_MOD = r"(?:(?P<mod>[Tt]his|[Nn]ext|[Ll]ast|[Cc]oming)\s+)?"
_NUM = r"(?P<n>\d{1,3}|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))"
_UNIT = r"(?P<u>(?i:day|week|month|year))s?"
_RELYEAR = r"(?i:(?:this|next|last)\s+year)"
_YEAR_CUE = r"(?i:in|by|since|until|till|before|after|from|of|through|during)"
_NOT_QTY = r"(?!\s*(?:%|(?i:percent|metric|tons?|tonnes|barrels|units|people|jobs)\b))"
_Q = r"(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[- ](?i:quarter)\b"
_H = r"(?P<h>(?i:first|second|1st|2nd))\s+(?i:half)\s+of"

_PATTERNS = [
    (kind, re.compile(p))
    for kind, p in [
        ("iso", r"\b(?P<y>\d{4})[-/](?P<m>\d\d)[-/](?P<d>\d\d)(?!\d)"),
        ("md", rf"\b{_MOD}(?:{_WD},?\s+)?\b{_MON}\s+{_DAY}(?:,?\s+{_YEAR})?"),
        ("md", rf"\b{_MOD}(?:{_WD},?\s+)?\b{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?"),
        ("weekday", rf"\b{_MOD}{_WD}"),
        ("relative", r"\b(?i:today|tonight|tomorrow|yesterday)\b"),
        ("relative", rf"\b{_NUM}\s+{_UNIT}\s+(?i:ago|from\s+now)\b"),
        ("relative", rf"\b(?i:in)\s+{_NUM}\s+{_UNIT}\b"),
        # "the next year" / "the last week" are durations, not calendar references.
        ("relative", r"(?<![Tt]he )\b(?i:this|next|last)\s+(?i:week|month|year)\b"),
        ("part", rf"\b(?P<part>(?i:early|mid|late))[- ]?{_MONTH}(?:\s+{_YEAR})?"),
        ("part", rf"\b(?P<part>(?i:end|beginning|start))\s+of\s+{_MONTH}(?:\s+{_YEAR})?"),
        ("part", r"\b(?P<part>(?i:end))\s+of\s+(?i:the|this|next)\s+year\b"),
        ("month", rf"\b{_MONTH}(?:\s+{_YEAR})?"),
        ("quarter", rf"\bQ(?P<q>[1-4])(?:\s+{_YEAR})?\b"),
        ("quarter", rf"\b{_Q}(?:\s+of\s+(?:{_YEAR}|{_RELYEAR}\b))?"),
        ("half", rf"\b{_H}\s+(?:{_YEAR}|{_RELYEAR}\b)"),
        ("half", rf"\bH(?P<h>[12])\s+{_YEAR}"),
        # "next Summer Olympic Games" names an event: a capital season before a capital word.
        (
            "season",
            r"\b(?i:this|next|last)\s+(?:(?:spring|summer|autumn|fall|winter)\b"
            r"|(?:Spring|Summer|Autumn|Fall|Winter)\b(?!\s+[A-Z]))",
        ),
        ("season", rf"\b(?i:spring|summer|autumn|winter)\s+{_YEAR}"),
        # A bare year only after a preposition, and not when it is a quantity ("of 2030 tons").
        ("year", rf"\b{_YEAR_CUE}\s+(?:(?i:early|mid|late)[- ]?)?{_YEAR}(?![,.]\d){_NOT_QTY}"),
    ]
]
# Month names that are also words or first names need a cue before them when they stand alone.
_GUARDED_MONTHS = {"May", "March", "April", "June", "August"}
_MONTH_CUES = set(_words("in by early mid late since until till through from before after"))
_MONTH_CUES |= {"during", "of", "into", "last", "next", "this"}


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z]+)[^A-Za-z]{0,3}$", text[max(0, pos - 40) : pos])
    return m.group(1).lower() if m else ""


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= y <= 9999 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


_ABBREVIATED = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$")


def _build(kind: str, m: re.Match[str], text: str) -> DateMention | None:
    g = {k: v for k, v in m.groupdict().items() if v}
    start, end = m.span("y") if kind == "year" else m.span()
    y = int(g["y"]) if "y" in g else None
    mon = _MONTHS.index(g["mon"][:3].casefold()) + 1 if "mon" in g else None
    wd = _WEEKDAYS.index(g["wd"][:3].casefold()) if "wd" in g else None
    day, out_kind = None, "period"
    if kind in ("iso", "md"):
        mon, day = int(g["m"]) if kind == "iso" else mon, int(g["d"])
        # A month-day without a year is checked against a leap year so February 29 survives.
        if not _valid(2000 if y is None else y, mon, day):  # type: ignore[arg-type]
            return None
        out_kind = "month_day" if y is None else "full"
    elif kind in ("weekday", "relative", "year"):
        out_kind = kind
    elif kind == "month" and not y and g["mon"] in _GUARDED_MONTHS:
        if _prev_word(text, start) not in _MONTH_CUES:
            return None
    elif kind == "part" and "mon" not in g:
        mon = 12  # "end of the year"
    elif kind == "quarter":
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(g["q"].casefold()) or int(
            g["q"][0]
        )
        mon = 3 * q - 2
    elif kind == "half":
        mon = 1 if g["h"].casefold() in ("first", "1st", "1") else 7
    if text[end - 1] == "." and not _ABBREVIATED.search(text[start:end]):
        end -= 1  # "8th of July." ends a sentence; only "Oct." keeps its full stop
    return DateMention(text[start:end], start, end, out_kind, y, mon, day, wd)


# What each of _PATTERNS (same order) cannot match without. A gate is a few strings one of
# which every match of its pattern holds: written as they must stand (case-sensitive parts:
# the names of months and weekdays, "Q3", "H2", the years) or in any case (the pattern's
# case-insensitive words: "today", "quarter", "summer"). Most sentences of a story name no
# date: a handful of substring tests on the text (and on it lower-cased, once) spare them
# the twenty patterns, which are slow to scan for (a case-insensitive word after a \b is
# tried at every character). Each gate is implied by its pattern, so skipping on a shut gate
# finds exactly what running it would (tests/test_date_gates.py, tests/test_fast_paths_3.py).


class _Gate:
    """Open on a text holding one of `strings`: as written, or in any case (`any_case`)."""

    def __init__(self, *strings: str, any_case: bool = False) -> None:
        self.strings, self.any_case = strings, any_case

    def search(self, text: str) -> bool:
        return self.open(text, text.lower() if self.any_case else text)

    def open(self, text: str, lowered: str) -> bool:
        if self.any_case:  # and open, too, on what lower() may hide ("ſ" for s: holds_any)
            return holds_any_lowered(text, lowered, self.strings)
        return any(s in text for s in self.strings)


class _DigitGate(_Gate):
    """Open on a text holding a digit of any script, as \\d in the patterns matches."""

    _DIGIT = re.compile(r"\d")

    def open(self, text: str, lowered: str) -> bool:
        return self._DIGIT.search(text) is not None


_DIGIT = _DigitGate()
_MONTH_NAME = _Gate(*_words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"))
_WEEKDAY = _Gate("day")  # Monday ... Sunday, case-sensitive in _WD
_TIME_WORD = _Gate("day", "week", "month", "year", any_case=True)
_SEASON = _Gate("spring", "summer", "autumn", "fall", "winter", any_case=True)
_YEAR_DIGITS = _Gate("19", "20", "2100")
_GATES: tuple[tuple[_Gate, ...], ...] = (
    (_DIGIT, _Gate("-", "/")),  # iso
    (_DIGIT, _MONTH_NAME), (_DIGIT, _MONTH_NAME),  # md, md
    (_WEEKDAY,),  # weekday
    (_Gate("today", "tonight", "tomorrow", "yesterday", any_case=True),),
    (_TIME_WORD, _Gate("ago", "now", any_case=True)),  # "two weeks ago", "... from now"
    (_TIME_WORD,),  # "in 3 months"
    (_Gate("week", "month", "year", any_case=True), _Gate("this", "next", "last", any_case=True)),
    (_MONTH_NAME, _Gate("early", "mid", "late", any_case=True)),  # part: "mid-June"
    (_MONTH_NAME, _Gate("end", "beginning", "start", any_case=True)),  # "end of June"
    (_Gate("year"), _Gate("end", any_case=True)),  # "end of the year"
    (_MONTH_NAME,),  # month
    (_Gate("Q1", "Q2", "Q3", "Q4"),), (_Gate("quarter", any_case=True),),  # quarter
    (_Gate("half", any_case=True),), (_Gate("H1", "H2"), _YEAR_DIGITS),  # half
    (_SEASON,), (_SEASON, _YEAR_DIGITS),  # season: "next summer", "summer 2025"
    (_YEAR_DIGITS,),  # year
)  # fmt: skip
assert len(_GATES) == len(_PATTERNS)


def find_dates(text: str) -> list[DateMention]:
    """Every date mention in `text`, non-overlapping (longest wins), sorted by start."""
    lowered = text.lower()
    asked: dict[_Gate, bool] = {}  # each gate asked once per text, and only if needed
    found = []
    for (kind, pat), gates in zip(_PATTERNS, _GATES):
        for gate in gates:
            if (is_open := asked.get(gate)) is None:
                is_open = asked[gate] = gate.open(text, lowered)
            if not is_open:
                break
        else:
            found.extend(mm for m in pat.finditer(text) if (mm := _build(kind, m, text)))
    found.sort(key=lambda c: (c.start - c.end, c.start))
    # Longest first, each kept unless it overlaps one kept already. The kept ones never
    # overlap, so in order of start their ends are in order too, and only the neighbours
    # either side of a new one can overlap it: found by bisection, not by asking every one
    # kept (a long article has tens of thousands of mentions).
    chosen: list[DateMention] = []
    starts: list[int] = []
    for c in found:
        at = bisect.bisect_right(starts, c.start)
        if (at == 0 or chosen[at - 1].end <= c.start) and (
            at == len(chosen) or chosen[at].start >= c.end
        ):
            chosen.insert(at, c)
            starts.insert(at, c.start)
    return chosen


_LOOKS_BACK = re.compile(r"(?i)\s*(?:last|previous|past|earlier)\b")


def looks_back(date_text: str) -> bool:
    """ "last summer", "previous week": a date that dates what happened, not what is ahead."""
    return bool(_LOOKS_BACK.match(date_text))


# The words after a date that go on the sentence rather than name a thing of that date.
_GOES_ON = set(_words("and or in at on by to of for from with as when after before while that"))
_GOES_ON |= set(_words("morning afternoon evening night the a an is was were will had has"))


def names_a_thing(text: str, mention: DateMention) -> bool:
    """ "the July 7 bombers", "the December 26 Indian Ocean tsunami": a month and day used
    as part of a name, which dates the thing named, not what the sentence tells."""
    if mention.kind != "month_day" or _prev_word(text, mention.start) not in ("the", ""):
        return False
    following = re.match(r"\s+([A-Za-z]+)", text[mention.end :])
    return bool(following) and following.group(1).lower() not in _GOES_ON


def parse_date(value: str) -> dt.date | None:
    """One metadata date string (ISO, RFC 2822, 'January 8, 2005', '8 January 2005', ...)."""
    # ISO first, and by prefix: a time and zone after it ("T09:00:00Z") do not change the
    # date as the publisher wrote it, and converting zones would move it for some readers.
    m = re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", value.strip())
    if m:
        y, mo, d = map(int, m.groups())
        return dt.date(y, mo, d) if _valid(y, mo, d) else None
    full = [x for x in find_dates(value) if x.kind == "full"]
    return resolve(full[0], None).date if full else None


# ---------------------------------------------------------------- tense

# Future cues win over past ones: "said it will" reports a plan, not a done deal.
_FUTURE = re.compile(
    r"\b(?:will|shall|won['’]t|would(?!\s+have)|might(?!\s+have)|set\s+to|(?:is|are|was|were|be)\s+due"
    r"|scheduled|(?:is|are)\s+to\s+\w|expect(?:s|ed|ing)?|anticipat\w*|likely\s+to|going\s+to"
    r"|upcoming|next|tomorrow|deadlines?|effective\s+(?:immediately|from|on|as\s+of|[A-Z0-9])"
    r"|takes?\s+effect|until(?!\s+recently)|till)\b|\w['’]ll\b"
    r"|\bby\s+(?:the\s+end\s+of\s+|early\s+|mid-?|late\s+)?(?:[A-Z][a-z]+day|[A-Z][a-z]+\s+\d|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?:19|20)\d\d\b|next\b|tomorrow\b)",
    re.I,
)
# "plans to" is future only when "plans" is a verb; "announced plans to tighten" looks back.
_PLAN = re.compile(r"(?:\b([A-Za-z]+)\s+)?\b(?:plans?|planning|intends?|aims?)\s+to\b", re.I)
_NOUN_MARKERS = set(_words("a an the its their his her our of announced unveiled outlined new"))
_PAST = re.compile(
    r"\b(?:said|told|announced|confirmed|agreed|signed|reached|was|were|had|ago|last|yesterday"
    r"|did|began|met|held|took|made|came|went|spoke|wrote|gave|rose|fell|sought|paid|sent|earlier)\b",
    re.I,
)
# An -ed word after one of these is an adjective or a passive/infinitive, not a past verb.
_NOT_SUBJECT = set(_words("a an the this that these those its their his her our your my is are"))
_NOT_SUBJECT |= {"be", "been", "being", "to", "more", "most", "very", "newly"}
_NOT_VERBS = set(_words("need indeed speed seed feed proceed exceed succeed hundred united"))
_NOT_VERBS |= {"limited", "based", "related", "advanced", "unprecedented"}


def sentence_tense(sentence: str) -> Literal["past", "future", "unknown"]:
    """Whether a sentence looks forward, back, or cannot be told, from plain lexical cues."""
    s = sentence.replace("as expected", "")
    if _FUTURE.search(s) or re.search(r"\bmay\b(?!\s+have)", s):
        return "future"
    if any((m.group(1) or "").lower() not in _NOUN_MARKERS for m in _PLAN.finditer(s)):
        return "future"
    if _PAST.search(s):
        return "past"
    tokens = re.findall(r"[A-Za-z’'-]+", s)
    for prev, w in zip(tokens, tokens[1:], strict=False):  # an -ed verb after a possible subject
        ed = len(w) > 4 and w.endswith("ed") and w.islower() and "-" not in w
        if ed and w not in _NOT_VERBS and prev.lower() not in _NOT_SUBJECT:
            return "past"
    return "unknown"


# Where a clause of a sentence begins: after a comma, colon, semicolon or dash, and at a word
# that opens a clause of its own ("... will pay more after the bank raised rates on Thursday").
_CLAUSE_START = re.compile(
    r"[,;:—–]\s*|\b(?=(?:after|before|when|while|since|because|but|although|though|whereas"
    r"|that|which|who)\b)",
    re.I,
)
# "said the rise on Thursday would squeeze": the future of a moment told as past, which does
# not say on which side of the writing the date falls.
_REPORTED = re.compile(r"\b(?:said|told|warned|added|argued|insisted|predicted|wrote)\b", re.I)
_WOULD = re.compile(r"\bwould(?!\s+have)\b", re.I)


def tense_at(sentence: str, at: int) -> Literal["past", "future", "unknown"]:
    """The tense of the clause of `sentence` that holds position `at` (a date's start), else
    of the whole sentence: a date belongs to its own verb, not to the sentence's first cue.

    "Homeowners will pay more from next month after the bank raised rates on Thursday": the
    Thursday is past though the sentence looks forward."""
    start = max([0, *(m.end() for m in _CLAUSE_START.finditer(sentence, 0, at))])
    following = _CLAUSE_START.search(sentence, at + 1)
    clause = sentence[start : following.start() if following else len(sentence)]
    would = _WOULD.search(clause)
    if would and _REPORTED.search(sentence, 0, start + would.start()):
        if sentence_tense(_REPORTED.sub("", _WOULD.sub("", clause))) == "unknown":
            return "unknown"
    own = sentence_tense(clause)
    return own if own != "unknown" else sentence_tense(sentence)


# ---------------------------------------------------------------- resolving


def _day_in(year: int, month: int, day: int) -> dt.date:  # day 0: the last day of the month
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


def _nearest(month: int, day: int, ref: dt.date, tense: str = "unknown") -> dt.date | None:
    """The month-day in the year that puts it nearest `ref` (within about six months).

    A clear tense may pick the other side if that stays within nine months: "as it did in
    April", written in October, is the April before, not the one to come.
    """
    options = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        if day == 0 or _valid(y, month, day):
            d = _day_in(y, month, day)
            options.append((abs((d - ref).days), -d.toordinal(), d))
    side = [o for o in options if o[0] <= 275 and (o[2] <= ref if tense == "past" else o[2] >= ref)]
    best = min(side if tense in ("past", "future") and side else options, default=None)
    return best[2] if best and best[0] <= 275 else None  # "February 29" may have no near year


# Points a part of a month stands for; the precision "part-of-month" says they are approximate.
_PART_DAY = {"early": 5, "mid": 15, "late": 25, "end": 0, "beginning": 1, "start": 1}


def resolve(
    mention: DateMention, reference: dt.date | None, tense: str = "unknown"
) -> ResolvedDate:
    """The date a mention stands for, with an honest precision; UNRESOLVED rather than a guess."""
    k, t = mention.kind, mention.text.lower()
    if k == "full":
        return ResolvedDate(dt.date(mention.year, mention.month, mention.day), "day")  # type: ignore[arg-type]
    if k == "year":
        return ResolvedDate(dt.date(mention.year, 1, 1), "year")  # type: ignore[arg-type]
    if k == "period":
        return _period(mention, t, reference, tense)
    if reference is None:
        return UNRESOLVED
    if k == "month_day":
        d = _nearest(mention.month, mention.day, reference, tense)  # type: ignore[arg-type]
        return ResolvedDate(d, "day") if d else UNRESOLVED
    if k == "weekday":
        return ResolvedDate(_weekday(mention.weekday, t, reference, tense), "day")  # type: ignore[arg-type]
    return _relative(t, reference)


def _period(m: DateMention, t: str, ref: dt.date | None, tense: str) -> ResolvedDate:
    # Seasons stay unresolved: they straddle quarters, cross the new year (winter) and flip
    # between hemispheres, so any single date would claim more than the text says.
    if m.month is None:
        return UNRESOLVED
    word = re.match(r"[a-z]*", t).group()  # type: ignore[union-attr]
    if "quarter" in t or re.match(r"q\d", t):
        day, precision = 1, "quarter"
    elif "half" in t or re.match(r"h\d", t):
        day, precision = 1, "half-year"
    elif word in _PART_DAY:
        day, precision = _PART_DAY[word], "part-of-month"
    else:
        day, precision = 1, "month"
    if m.year is not None:
        return ResolvedDate(_day_in(m.year, m.month, day), precision)
    if ref is None:
        return UNRESOLVED
    rel = re.search(r"\b(this|next|last|the)\s+year\b", t)  # "first half of next year"
    if rel or precision in ("quarter", "half-year"):
        year = ref.year + (_STEP.get(rel.group(1), 0) if rel else 0)
        return ResolvedDate(_day_in(year, m.month, day), precision)
    return ResolvedDate(_nearest(m.month, day, ref, tense), precision)


def _weekday(wd: int, t: str, ref: dt.date, tense: str) -> dt.date:
    ahead = (wd - ref.weekday()) % 7
    behind = (ref.weekday() - wd) % 7
    if t.startswith("last"):
        return ref - dt.timedelta(days=behind or 7)
    if t.startswith("next"):
        # "next Friday": the Friday of next calendar week, the reading that is not "this Friday".
        return ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=7 + wd)
    if tense == "past":
        return ref - dt.timedelta(days=behind)
    if tense == "future" or t.startswith(("this", "coming")) or ahead <= 3:
        return ref + dt.timedelta(days=ahead)
    return ref - dt.timedelta(days=behind)


_STEP = {"this": 0, "next": 1, "last": -1}
_ONE_DAY = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}


def _relative(t: str, ref: dt.date) -> ResolvedDate:
    if t in _ONE_DAY:
        return ResolvedDate(ref + dt.timedelta(days=_ONE_DAY[t]), "day")
    m = re.search(r"(\d+|[a-z]+)\s+(day|week|month|year)", t)
    if m is None:
        return UNRESOLVED
    word, unit = m.groups()
    if word in _STEP:  # a calendar unit: this/next/last week, month or year
        n = _STEP[word]
        ref -= dt.timedelta(days=ref.weekday() if unit == "week" else 0)  # weeks start Monday
    else:
        n = (int(word) if word.isdigit() else _NUMBERS[word]) * (-1 if t.endswith("ago") else 1)
    if unit == "day":
        return ResolvedDate(ref + dt.timedelta(days=n), "day")
    if unit == "week":  # "two weeks ago", "next week": the day is approximate, not the part
        return ResolvedDate(ref + dt.timedelta(days=7 * n), "part-of-month")
    if unit == "month":
        y, mo = divmod(ref.year * 12 + ref.month - 1 + n, 12)
        return ResolvedDate(dt.date(y, mo + 1, 1), "month")
    return ResolvedDate(dt.date(ref.year + n, 1, 1), "year")


# ---------------------------------------------------------------- reference dates from the corpus


def weekday_fits(mention: DateMention, year: int) -> bool:
    """Whether a month-day written with its weekday ("Thursday, October 30") falls on that
    weekday in `year`: the weekday is the text's own evidence of the year."""
    m, d, wd = mention.month, mention.day, mention.weekday
    if m is None or d is None or wd is None or not _valid(year, m, d):
        return False
    return dt.date(year, m, d).weekday() == wd


def infer_reference_dates(
    texts: dict[str, str], known: dict[str, dt.date], anchor: dt.date | None = None
) -> dict[str, tuple[dt.date, str]]:
    """(reference date, what it rests on) for articles in `texts` not in `known`; see refdates."""
    from briefgen.refdates import infer_reference_dates as infer

    return infer(texts, known, anchor)
