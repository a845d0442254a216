"""An undated article's reference date, from what the corpus says, never from the clock.

A relative date ("this Thursday", "tomorrow") means something only against the day its
article was written. Without a publication date that day is inferred from evidence, the
strongest first:

1. The years. A month-day written with its weekday ("Thursday, October 30") names its year
   itself: of the years near the corpus' other dates only one puts October 30 on a Thursday.
   Otherwise a month-day takes its year from the nearest firm date in the corpus, in this
   order: publication dates, weekday-fixed dates, full dates the corpus reports as past,
   any other full date, and last the `--as-of` date the user gave.
2. The day. An article is written no earlier than the latest event it reports as done
   ("told NBC on October 26"); one that reports nothing dated borrows the corpus' latest
   dated event, moved back before any date it still calls upcoming. `--as-of` gives years
   only: the day an article was written is never taken from it, so an article nothing dates
   keeps its relative dates unresolved.

Basis strings name other articles as "article <id>": corpus_dates.number_sources turns them into
the [n] the reader sees.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from briefgen.dates import (
    DateMention,
    _prev_word,
    find_dates,
    resolve,
    sentence_tense,
    weekday_fits,
)
from briefgen.text import sentence_spans

_OPEN_ENDED = {"by", "until", "till", "before", "through"}
# A future-tense date far before the borrowed reference is more likely a past deadline named
# in passing than proof the article is months older, so it does not pull the reference back.
MAX_PULL_BACK_DAYS = 31

# Ranks of year evidence, firmest first (see the module's docstring).
KNOWN, WEEKDAY, PAST_FULL, FULL, AS_OF = range(5)


@dataclass(frozen=True)
class Anchor:
    date: dt.date
    what: str  # how the basis names it: "'October 18, 2025'", "the publication date"
    article: str | None  # the article it comes from (None: the --as-of date)
    rank: int


@dataclass(frozen=True)
class _Seen:
    mention: DateMention
    tense: str
    prev: str  # the word before it: "by October 9" is open-ended, not a date of something done


def _scan(text: str) -> list[_Seen]:
    spans = sentence_spans(text)
    starts = [a for a, _ in spans]
    out = []
    for m in find_dates(text):
        if m.kind in ("full", "month_day"):
            s, e = spans[max(0, bisect_right(starts, m.start) - 1)]
            out.append(_Seen(m, sentence_tense(text[s:e]), _prev_word(text, m.start)))
    return out


def _weekday_year(m: DateMention, rough: list[int]) -> int | None:
    """The one year, within a year of the corpus' rough years, that fits the weekday."""
    if m.weekday is None or m.kind != "month_day" or not rough:
        return None
    fits = {y for r in rough for y in (r - 1, r, r + 1) if weekday_fits(m, y)}
    if len(fits) == 1:
        return fits.pop()
    common = Counter(rough).most_common(1)[0][0]  # several: the one nearest the usual year
    near = sorted(fits, key=lambda y: abs(y - common))
    return near[0] if len(near) == 1 or abs(near[0] - common) < abs(near[1] - common) else None


def _where(anchor: Anchor, aid: str) -> str:
    if anchor.article is None:
        return ""
    return " in the same article" if anchor.article == aid else f" in article {anchor.article}"


def _explicit(m: DateMention, aid: str, anchors: list[Anchor], tense: str):
    """A full or month-day mention's date, and where its year came from ('' if written)."""
    if m.kind == "full":
        return resolve(m, None).date, ""
    if not anchors:
        return None, ""
    best = min(a.rank for a in anchors)
    firm = [a for a in anchors if a.rank == best]
    # The year of the firm dates nearest in month (the most common year among them).
    gap = [min((a.date.month - m.month) % 12, (m.month - a.date.month) % 12) for a in firm]  # type: ignore[operator]
    nearest = min(gap)  # once: inside the comprehension it was recomputed per anchor
    close = [a for g, a in zip(gap, firm, strict=True) if g == nearest]
    year = Counter(a.date.year for a in close).most_common(1)[0][0]
    anchor = next(a for a in close if a.date.year == year)
    date = resolve(m, anchor.date, tense).date
    if date is None:
        return None, ""
    where = "" if anchor.rank == KNOWN else _where(anchor, aid)
    return date, f" (year {date.year} from {anchor.what}{where})"


def year_anchors(
    scans: dict[str, list[_Seen]], known: dict[str, dt.date], anchor: dt.date | None
) -> tuple[list[Anchor], dict[tuple[str, int], dt.date]]:
    """Every firm date of the corpus that can give a month-day its year, ranked; and the
    weekday-fixed dates by (article, offset)."""
    fixed: dict[tuple[str, int], dt.date] = {}
    out = [
        Anchor(d, f"the publication date of article {aid}", aid, KNOWN) for aid, d in known.items()
    ]
    fulls = [(aid, s) for aid, seen in scans.items() for s in seen if s.mention.kind == "full"]
    rough = [d.year for d in known.values()] + [s.mention.year for _, s in fulls]  # type: ignore[misc]
    rough += [anchor.year] if anchor else []
    for aid, seen in sorted(scans.items()):
        for s in seen:
            year = _weekday_year(s.mention, rough)  # type: ignore[arg-type]
            if year is not None:
                day = dt.date(year, s.mention.month, s.mention.day)  # type: ignore[arg-type]
                fixed[aid, s.mention.start] = day
                out.append(
                    Anchor(day, f"'{s.mention.text}', a {day:%A} only in {year}", aid, WEEKDAY)
                )
    for aid, s in sorted(fulls, key=lambda p: (p[0], p[1].mention.start)):
        rank = PAST_FULL if s.tense == "past" else FULL
        out.append(Anchor(resolve(s.mention, None).date, f"'{s.mention.text}'", aid, rank))  # type: ignore[arg-type]
    if anchor:
        out.append(Anchor(anchor, "the --as-of date", None, AS_OF))
    return out, fixed


def infer_reference_dates(
    texts: dict[str, str], known: dict[str, dt.date], anchor: dt.date | None = None
) -> dict[str, tuple[dt.date, str]]:
    """(reference date, what it rests on) for articles in `texts` not in `known`, if evidence allows.

    `anchor` (the --as-of date) gives years only when no article does. No evidence, no
    entry: relative dates then stay unresolved.
    """
    scans = {aid: _scan(texts[aid]) for aid in sorted(texts)}
    anchors, fixed = year_anchors(scans, known, anchor)
    pool = [(d, f"the publication date of article {aid}", aid) for aid, d in sorted(known.items())]
    past: dict[str, list[tuple[dt.date, str, str]]] = {}
    future: dict[str, list[tuple[dt.date, str]]] = {}
    for aid, seen in scans.items():
        for s in seen:
            m = s.mention
            wd = fixed.get((aid, m.start))
            if wd is not None:
                date, note = wd, f" (year {wd.year}: a {wd:%A} only then)"
            else:
                date, note = _explicit(m, aid, anchors, s.tense)
            if date and s.tense == "past" and s.prev not in _OPEN_ENDED:
                past.setdefault(aid, []).append((date, f"'{m.text}'", note))
                pool.append((date, f"'{m.text}' in article {aid}{note}", aid))
            elif date and s.tense == "future":
                future.setdefault(aid, []).append((date, f"'{m.text}'"))

    out: dict[str, tuple[dt.date, str]] = {}
    for aid in scans.keys() - known.keys():
        if past.get(aid):
            # An article is written after the events it reports as done; a future-tense date
            # that contradicts this is more likely mis-tensed, so it does not override it.
            d, what, note = max(past[aid], key=lambda p: p[0])
            out[aid] = (d, f"its own mention of {what}{note}")
            continue
        others = [p for p in pool if p[2] != aid]
        if not others:
            continue  # --as-of gives years, never the day an article was written
        d, what, _ = max(others, key=lambda p: p[0])
        basis = f"borrowed from the latest dated event in the corpus: {what}"
        # An article that still calls a date upcoming was written before it.
        caps = [c for c in future.get(aid, []) if 0 <= (d - c[0]).days <= MAX_PULL_BACK_DAYS]
        if caps:
            cap, cap_text = min(caps, key=lambda c: c[0])
            d = cap - dt.timedelta(days=1)
            basis += f"; moved back to the day before {cap_text}, which it still calls upcoming"
        out[aid] = (d, basis)
    return dict(sorted(out.items()))


def upcoming_limit(text: str, reference: dt.date) -> dt.date | None:
    """The earliest date `text` still calls upcoming, read against `reference`: the article
    was written before it (None when it calls nothing dated upcoming)."""
    dates = [
        resolve(s.mention, reference, "future").date
        for s in _scan(text)
        if s.tense == "future" and s.prev not in _OPEN_ENDED
    ]
    ahead = [d for d in dates if d is not None and d >= reference]
    return min(ahead, default=None)
