"""Build the what-to-watch list: resolve each event's date, merge repeats, sort around `as_of`.

Dates are resolved against the article's own reference date (its publication date, or the
date the corpus evidence gives it, see dates.infer_reference_dates); without one, a relative
date stays as written and the item is listed as unresolved, never given an invented date.
The same event told by several articles is one item citing all of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

from briefgen import dated_future, dates, ranges
from briefgen.injection import is_instruction_like
from briefgen.schema import ChunkNotes, Event, WatchItem, WatchList
from briefgen.sentence_quality import leans_on_context
from briefgen.text import collapse_spaces, content_words, cosine
from briefgen.trim import cut_label

SAME_EVENT = 0.3  # cosine of the descriptions' words, for unresolved items with one date text
SAME_DAY_SHARED = 2  # items on one resolved date sharing this many content words are one event
SAME_PERIOD_SHARED = 4  # a day inside another item's period: more shared words are needed

MAX_DESCRIPTION_WORDS = 32


def build_watchlist(
    notes: list[ChunkNotes],
    references: dict[str, tuple[dt.date, str]],
    as_of: dt.date,
) -> WatchList:
    """Watch items from every event in `notes`.

    `references` maps article id -> (reference date, what it rests on) for every article
    whose date is known or inferred.
    """
    from briefgen.settle import reports_cancelled  # settle reads watch's periods

    items: list[WatchItem] = []
    vectors: list[list[Counter[str]]] = []  # the words of every telling of each item
    tellings: list[list[WatchItem]] = []
    blocks = _Blocks()
    for n in notes:
        ref = references.get(n.article_id)
        for event in n.events:
            if event.date_text and dates.looks_back(event.date_text):
                continue
            if event.date is None and not event.date_text:
                # Nothing dates it, not even a condition ("if talks fail"): a model's note
                # ("scheduled event: the CCP's leverage has been decades in the making") is
                # no date to watch. The rules never note such an event.
                continue
            if is_instruction_like(event.evidence):
                continue  # an article addressing a model or reader sets no date to watch
            if reports_cancelled(event.evidence):
                continue  # "originally scheduled for November 1": a plan told as off (settle.py)
            item = _item(event, n.article_id, ref)
            if item is None:
                continue
            vec = Counter(content_words(item.description))
            at = _find_twin(item, vec, items, vectors, blocks.candidates(item))
            if at is None:
                blocks.add(len(items), item)
                items.append(item)
                vectors.append([vec])
                tellings.append([item])
                continue
            twin = items[at]
            vectors[at].append(vec)
            tellings[at].append(item)
            if n.article_id not in twin.article_ids:
                twin.article_ids.append(n.article_id)
            if _clearer(item, twin):
                items[at] = item.model_copy(update={"article_ids": twin.article_ids})
                blocks.move(at, twin, items[at])
    for item, told in zip(items, tellings, strict=True):
        item.id = stable_id(told)
    upcoming = sorted(
        (i for i in items if i.date is not None and _still_ahead(i, as_of)),
        key=lambda i: (i.date, i.description),
    )
    passed = sorted(
        (i for i in items if i.date is not None and not _still_ahead(i, as_of)),
        key=lambda i: (i.date, i.description),
    )
    unresolved = [i for i in items if i.date is None]
    return WatchList(as_of=as_of, upcoming=upcoming, unresolved=unresolved, passed=passed)


def stable_id(tellings: list[WatchItem]) -> str:
    """An item's identity (json id, ics UID) from what it is: its clearest telling.

    The telling that writes its date out, at the finest precision, then the first by its
    words, gives the date, precision and words hashed; the choice reads only the tellings'
    text, never article ids, file order or inferred article dates, so a re-run or another
    order of the files keeps the id, and so does a new article supporting the event unless it
    writes the date out more exactly than any before it.
    """

    def key(i: WatchItem) -> tuple:
        explicit = bool(i.date_text and re.search(r"\d", i.date_text))
        return (
            not explicit,
            i.precision != "day",
            " ".join(sorted(set(content_words(i.description)))),
        )

    first = min(tellings, key=key)
    when = first.date.isoformat() if first.date else collapse_spaces(first.date_text or "").lower()
    span = f"/{first.end.isoformat()}" if first.end else ""
    words = key(first)[2]
    digest = hashlib.sha1(f"{when}{span}|{first.precision}|{words}".encode()).hexdigest()[:12]
    return f"{when or 'undated'}{span}-{first.precision or 'unresolved'}-{digest}"


def _item(event: Event, article_id: str, ref: tuple[dt.date, str] | None) -> WatchItem | None:
    date, precision = event.date, event.precision
    mention = _mention(event)
    # The tense of the date's own clause, not of the sentence's first cue (dates.tense_at).
    tense = (
        dates.tense_at(event.evidence, mention.start)
        if mention is not None
        else dates.sentence_tense(event.evidence)
    )
    if date is None and mention is not None:
        resolved = dates.resolve(mention, ref[0] if ref else None, tense)
        date, precision = resolved.date, resolved.precision
    basis = None
    if date is not None and mention is not None and mention.kind != "full" and ref:
        basis = f"resolved against {ref[0].isoformat()} ({ref[1]})"
    date_text, end = event.date_text, None
    if date is not None and precision not in (None, "day"):
        # A period is kept as the span it names: its first day and its last.
        date, end = _period_start(date, precision), period_end(date, precision)
        if ref and end < ref[0]:
            return None  # a past period ("the Phase One deal of 2020") is nothing to watch
    elif date is not None and mention is not None:
        span = ranges.range_of(event.evidence, mention, date, ref[0] if ref else None, tense)
        if span is not None:
            date, end, date_text = span
        if mention.kind == "weekday" and ref and (end or date) < ref[0]:
            # "the rate rise on Thursday would squeeze families", written on the Saturday
            # after: a weekday read as one already gone when the article was written.
            return None
    return WatchItem(
        description=_describe(event, mention),
        date_text=date_text,
        date=date,
        end=end,
        precision=precision,
        status=event.status,
        article_ids=[article_id],
        sentence=event.evidence,
        date_basis=basis,
    )


def _mention(event: Event) -> dates.DateMention | None:
    if not event.date_text:
        return None
    found = dates.find_dates(event.evidence)
    for m in found:
        if m.text == event.date_text:
            return m
    # A form only dateparser reads ("Nov. 14th 2026" after "scheduled for").
    for d in dated_future.find(event.evidence):
        if d.mention.text == event.date_text:
            return d.mention
    # An engine may write the date slightly differently from the sentence: parse it alone.
    alone = dates.find_dates(event.date_text)
    return alone[0] if alone else None


def _describe(event: Event, mention: dates.DateMention | None) -> str:
    """The clauses of the sentence around its date, verbatim, short enough for a list; a
    list item's label ("Time-sensitive talks: ") is left out, as a point's is (trim.py)."""
    text = event.description.strip()
    unlabelled = cut_label(text, sentence=False)
    if mention is None or mention.text in unlabelled:  # "October 30: ..." keeps its date
        text = unlabelled
    tokens = text.split()
    if len(tokens) <= MAX_DESCRIPTION_WORDS or mention is None or mention.text not in text:
        return (
            text
            if len(tokens) <= MAX_DESCRIPTION_WORDS
            else " ".join(tokens[:MAX_DESCRIPTION_WORDS]) + "…"
        )
    # Clauses, by the commas, semicolons and dashes between them; grow from the one holding the date.
    at = text.index(mention.text)
    inside = range(at + 1, at + len(mention.text) + 1)  # never cut the date itself
    bounds = (
        [0] + [m.end() for m in _CLAUSE_END.finditer(text) if m.end() not in inside] + [len(text)]
    )
    i = max(k for k in range(len(bounds) - 1) if bounds[k] <= at)
    lo, hi = i, i + 1
    while len(text[bounds[lo] : bounds[hi]].split()) < MIN_DESCRIPTION_WORDS and (
        lo > 0 or hi < len(bounds) - 1
    ):
        # Add the shorter neighbouring clause: it adds context without burying the date.
        left = len(text[bounds[lo - 1] : bounds[lo]].split()) if lo > 0 else 10**6
        right = len(text[bounds[hi] : bounds[hi + 1]].split()) if hi < len(bounds) - 1 else 10**6
        if left <= right:
            lo -= 1
        else:
            hi += 1
    piece = text[bounds[lo] : bounds[hi]].strip(" ,;:—–")
    if len(piece.split()) > MAX_DESCRIPTION_WORDS:
        piece = " ".join(piece.split()[:MAX_DESCRIPTION_WORDS]) + "…"
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(bounds) - 1 and not piece.endswith("…") else ""
    return prefix + piece + suffix


_CLAUSE_END = re.compile(r"[,;:—–]\s+")
MIN_DESCRIPTION_WORDS = 14


class _Blocks:
    """The items a new one can be a twin of, by their dates, so no item is compared with
    every other (issue 16: 10,000 articles). _find_twin's three cases each need a shared
    key: the same date and precision, a day inside a period, or the same unresolved text."""

    def __init__(self) -> None:
        self.same: dict[tuple, set[int]] = {}  # (date, precision) -> items
        self.days: dict[dt.date, set[int]] = {}  # day items by their day
        self.periods: set[int] = set()  # items with a date vaguer than a day
        self.texts: dict[str | None, set[int]] = {}  # undated items by their date text

    def _keys(self, item: WatchItem) -> list[tuple[dict | None, object]]:
        if item.date is None:
            return [(self.texts, item.date_text)]
        keys: list[tuple[dict | None, object]] = [(self.same, (item.date, item.precision))]
        keys.append((self.days, item.date) if item.precision == "day" else (None, None))
        return keys

    def add(self, i: int, item: WatchItem) -> None:
        for table, key in self._keys(item):
            (self.periods if table is None else table.setdefault(key, set())).add(i)

    def move(self, i: int, old: WatchItem, new: WatchItem) -> None:
        for table, key in self._keys(old):
            (self.periods if table is None else table[key]).discard(i)
        self.add(i, new)

    def candidates(self, item: WatchItem) -> list[int]:
        if item.date is None:
            return sorted(self.texts.get(item.date_text, ()))
        found = set(self.same.get((item.date, item.precision), ()))
        if item.precision == "day":
            found |= self.periods
        else:
            day = _period_start(item.date, item.precision)
            end = period_end(item.date, item.precision)
            while day <= end:  # at most a year of days
                found |= self.days.get(day, set())
                day += dt.timedelta(days=1)
        return sorted(found)


def _find_twin(
    item: WatchItem,
    vec: Counter[str],
    items: list[WatchItem],
    vectors: list[list[Counter[str]]],
    candidates: list[int] | None = None,
) -> int | None:
    """The first item that `item` tells again, among `candidates` (every item when None):
    the ones _Blocks finds are the only ones any of the three cases below can match."""
    # An item told by several articles is compared through each of its tellings: a new one
    # need only agree with one of them.
    words = vec.keys()

    def sharing(tellings: list[Counter[str]], least: int) -> bool:
        # Whether the telling that shares most words with `item` shares `least`; asked only
        # in the branch that needs it, and stopping at the first that does.
        return any(len(words & t.keys()) >= least for t in tellings)

    for i in range(len(items)) if candidates is None else candidates:
        other, tellings = items[i], vectors[i]
        if item.date is not None and item.date == other.date and item.precision == other.precision:
            if sharing(tellings, SAME_DAY_SHARED):
                return i
        elif _one_inside_the_other(item, other):
            # "this Thursday, October 30" and "the end of October": one meeting, told with
            # more and less precision; the words must agree more, the dates only overlap.
            if sharing(tellings, SAME_PERIOD_SHARED):
                return i
        elif item.date is None and other.date is None and item.date_text == other.date_text:
            # The closest telling, worked out only here: the only branch that needs it
            # (every item is compared with every other one kept).
            if any(cosine(vec, t) >= SAME_EVENT for t in tellings):
                return i
    return None


def _one_inside_the_other(a: WatchItem, b: WatchItem) -> bool:
    """Whether one item's exact day falls within the other's vaguer period."""
    if a.date is None or b.date is None or (a.precision == "day") == (b.precision == "day"):
        return False
    day, period = (a, b) if a.precision == "day" else (b, a)
    assert day.date is not None and period.date is not None
    return (
        _period_start(period.date, period.precision)
        <= day.date
        <= period_end(period.date, period.precision)
    )


def _period_start(date: dt.date, precision: str | None) -> dt.date:
    if precision == "part-of-month":  # early- from the 1st, mid- from the 11th, late- the 21st
        return date.replace(day=1 if date.day <= 10 else 11 if date.day <= 20 else 21)
    return date  # months, quarters, halves and years resolve to their first day


_STATUS_RANK = {"deadline": 0, "scheduled": 1, "expected": 2, "possible": 3}


def _clearer(new: WatchItem, old: WatchItem) -> bool:
    """Of two tellings of one event, the one that writes the date out, then the one that
    stands alone ("He said a report is due by 20 March" leans on who "he" is, a sentence the
    list does not show), then the firmest and the shortest."""

    def key(i: WatchItem):
        explicit = bool(i.date_text and re.search(r"\d", i.date_text))
        return (
            not explicit,
            leans_on_context(i.description),
            _STATUS_RANK[i.status],
            len(i.description),
        )

    return key(new) < key(old)


def most_important(items: list[WatchItem], limit: int) -> list[WatchItem]:
    """The `limit` items a busy reader most needs, kept in date order.

    Told by more articles first, then firm dates (deadlines, scheduled events) before
    expectations and risks, then the exact day before a vaguer period.
    """
    ranked = sorted(
        items,
        key=lambda i: (-len(i.article_ids), _STATUS_RANK[i.status], i.precision != "day", i.date),
    )
    keep = {id(i) for i in ranked[:limit]}
    return [i for i in items if id(i) in keep]


def all_passed(sentence: str, reference: dt.date | None, as_of: dt.date) -> bool:
    """Whether every date `sentence` names has ended before `as_of` (False if it names none,
    or one that cannot be resolved): a forecast of it is history by then."""
    resolved = [
        dates.resolve(m, reference, dates.tense_at(sentence, m.start))
        for m in dates.find_dates(sentence)
        if not dates.looks_back(m.text)
    ]
    return bool(resolved) and all(
        r.date is not None and period_end(r.date, r.precision) < as_of for r in resolved
    )


def _still_ahead(item: WatchItem, as_of: dt.date) -> bool:
    """Upcoming unless its whole period or range has ended before as_of ('November' is
    ahead all month, 'October 24 to 27' until the 27th)."""
    assert item.date is not None
    return (item.end or period_end(item.date, item.precision)) >= as_of


def period_end(date: dt.date, precision: str | None) -> dt.date:
    """The last day a date of this precision covers ("October 2025" ends on 31 October)."""
    if precision in (None, "day"):
        return date
    if precision == "part-of-month":
        # early- (to the 10th), mid- (to the 20th), late- or end of the month (to its last day)
        if date.day <= 10:
            return date.replace(day=10)
        if date.day <= 20:
            return date.replace(day=20)
        return _add_months(date, 1) - dt.timedelta(days=1)
    if precision == "month":
        return _add_months(date, 1) - dt.timedelta(days=1)
    if precision == "quarter":
        return _add_months(date, 3) - dt.timedelta(days=1)
    if precision == "half-year":
        return _add_months(date, 6) - dt.timedelta(days=1)
    return dt.date(date.year, 12, 31)


def _add_months(date: dt.date, months: int) -> dt.date:
    month = date.month - 1 + months
    return dt.date(date.year + month // 12, month % 12 + 1, 1)
