"""Relative date words made absolute for the reader: 'on Sunday' reads 'on Sunday (26 Oct)'.

A brief is read days or weeks after its articles were written, and 'struck Haiti yesterday'
is then wrong. Every sentence shown to a reader (key points, bottom line, headline, watch
items, timeline lines) keeps its words and gets the date they stand for beside them, in
parentheses. Only what is relative is annotated: weekdays ('on Sunday', 'this Thursday',
'last Friday'), 'today', 'yesterday', 'tomorrow', 'next week', 'last month', 'two weeks
ago', 'this year', 'first half of next year', 'the end of the year'. A date already written
out ('October 30', 'Thursday, October 30', 'mid-November', '2030') is left alone; so are
seasons ('next summer'), which no single date stands for.

The date is resolved with dates.resolve against the reference date of the article the words
come from (corpus.references: its publication date, or the one the corpus evidence gives
it), with the tense of their sentence. When no article the words may come from has a
reference date, or the articles they may come from give different dates, the words stay
and are marked '(date unclear)': never a guessed date.

Text inside quotation marks is never changed: a quotation stays verbatim, whatever it says.
Only the text shown is annotated; the sentence verified against the articles (KeyPoint.text,
evidence, a watch item's sentence) is not touched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from briefgen import dates
from briefgen.schema import Evidence, WatchItem
from briefgen.text import sentence_spans
from briefgen.wording import period, short_day

UNCLEAR = "date unclear"

# A period is relative when its year is not written: 'first half of next year', 'the end
# of the year', 'the third quarter'. 'mid-November' has no year either, but reads like
# 'October 30': a date written out, whose year the brief's own dates make plain.
_RELATIVE_PERIOD = re.compile(r"(?i)\b(?:this|next|last|the)\s+year\b|quarter|half")
_CALENDAR_WEEK = re.compile(r"(?i)^(?:this|next|last)\s+week$")
# Quoted text: curly and straight double quotes, guillemets, and ‘single’ quotes (a ’
# followed by a letter is an apostrophe, not the end). An unclosed quote runs to the end.
_QUOTED = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)|«[^»]*(?:»|$)|‘.*?(?:’(?![A-Za-z])|$)")
# An annotation already there (a model may write 'on Sunday (Oct. 26)'): a parenthesis
# holding a digit right after the words.
_ALREADY = re.compile(r"\s*\([^()]*\d[^()]*\)")
_POSSESSIVE = re.compile(r"['’]s\b")


def is_relative(mention: dates.DateMention) -> bool:
    """Whether a mention means a date only against the day it was written."""
    if mention.kind in ("weekday", "relative"):
        return True
    return (
        mention.kind == "period"
        and mention.year is None
        and mention.month is not None  # seasons: no single date stands for them
        and bool(_RELATIVE_PERIOD.search(mention.text))
    )


def relative_mentions(text: str) -> list[dates.DateMention]:
    """The relative date mentions of `text` outside quotation marks, in order."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    return [
        m
        for m in dates.find_dates(text)
        if is_relative(m) and not any(s <= m.start < e for s, e in quoted)
    ]


def label(mention: dates.DateMention, resolved: dates.ResolvedDate, year: int | None) -> str:
    """The words for a resolved mention: '26 Oct', 'week of 27 Oct', 'Sep', 'Q3 2026', or
    the year alone where the words name the rest ('first half of next year (2026)'); the
    year of a day or month only when it is not `year` (the brief's as-of year)."""
    date, precision = resolved.date, resolved.precision
    if date is None:
        return UNCLEAR
    if mention.kind == "relative" and "week" in mention.text.lower():
        if _CALENDAR_WEEK.match(mention.text.strip()):
            return f"week of {short_day(date, year)}"  # resolve gives the week's Monday
        return f"around {short_day(date, year)}"  # 'two weeks ago': the day is approximate
    if "year" in mention.text.lower():
        return str(date.year)  # 'next year (2026)', 'first half of next year (2026)'

    return period(date, precision, year)


def resolve_among(
    mention: dates.DateMention, tense: str, references: Iterable[dt.date | None]
) -> dates.ResolvedDate:
    """The date `mention` stands for against every reference it may have been written on;
    unresolved when none is known or they disagree."""
    found = {dates.resolve(mention, ref, tense) for ref in set(references) if ref is not None}
    if len(found) != 1:
        return dates.UNRESOLVED
    return found.pop()


def annotate(
    text: str,
    references: Mapping[str, dt.date | None],
    evidence: list[Evidence],
    year: int | None,
    fixed: Mapping[str, dates.ResolvedDate] | None = None,
) -> str:
    """`text` with each relative date followed by what it stands for: 'on Sunday (26 Oct)'.

    `evidence` says where the text comes from (article ids and sentences); each mention is
    resolved against the articles whose evidence holds its words, else against all of them.
    `fixed` gives the date some mentions are already known to stand for (a watch item's own
    date, keyed by its words as written). Returns `text` unchanged when it has nothing
    relative.
    """
    mentions = relative_mentions(text)
    if not mentions:
        return text
    spans = sentence_spans(text)
    out, at = [], 0
    for m in mentions:
        # "Monday's ferry sinking" reads "Monday's (2 Mar) ferry sinking", not "Monday (2 Mar)'s".
        possessive = _POSSESSIVE.match(text, m.end)
        end = possessive.end() if possessive else m.end
        if _ALREADY.match(text, end):
            continue
        resolved = _fixed_for(m.text, fixed or {})
        if resolved is None:
            s, e = next(((s, e) for s, e in spans if s <= m.start < e), (0, len(text)))
            sentence = text[s:e]
            resolved = resolve_among(
                m,
                dates.tense_at(sentence, m.start - s),
                references_for(m.text, references, evidence),
            )
        out.append(f"{text[at:end]} ({label(m, resolved, year)})")
        at = end
    out.append(text[at:])
    return "".join(out)


def _fixed_for(words: str, fixed: Mapping[str, dates.ResolvedDate]) -> dates.ResolvedDate | None:
    """The known date of a mention: its words as written, or within them ('Thursday' of a
    watch item whose description says 'this Thursday')."""
    folded = words.lower()
    for written, resolved in fixed.items():
        if written and (written.lower() in folded or folded in written.lower()):
            return resolved
    return None


def references_for(
    words: str, references: Mapping[str, dt.date | None], evidence: list[Evidence]
) -> list[dt.date | None]:
    """The reference dates of the articles whose evidence holds `words`, else of them all."""
    folded = " ".join(words.lower().split())
    holding = [e for e in evidence if folded in " ".join(e.text.lower().split())]
    return [references.get(e.article_id) for e in holding or evidence]


def annotate_item(
    item: WatchItem, references: Mapping[str, dt.date | None], year: int | None
) -> str:
    """A watch item's description as shown: its own date words stand for the item's date
    (unclear when it has none); any other relative words are resolved as in annotate()."""
    evidence = [
        Evidence(article_id=a, text=item.sentence, start=0, end=0) for a in item.article_ids
    ]
    fixed = {}
    if item.date_text:
        fixed[item.date_text] = dates.ResolvedDate(item.date, item.precision if item.date else None)
    return annotate(item.description, references, evidence, year, fixed)


def reference_days(references: Mapping[str, tuple[dt.date, str]]) -> dict[str, dt.date]:
    """corpus.references (article id -> (date, what it rests on)) as id -> date."""
    return {aid: ref[0] for aid, ref in references.items()}
