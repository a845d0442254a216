"""What later articles say became of an upcoming event: it happened, was cancelled or moved.

A story is told over days. "Trump and Xi will meet on Thursday", from Monday's article, is
history once Friday's reports "the summit in Busan ... as they began": a watch list that
still shows the meeting as upcoming contradicts the brief's own key points. Here every dated
watch item is looked for in the other articles' sentences:

- the same event: the sentence shares SAME_WORDS content words with the item, a name among
  them, and names no date that puts it on another day (a date it names inside the item's
  span confirms it, and then fewer words are needed);
- told as done ("began", "was held", "signed"), called off ("cancelled", "scrapped",
  "originally scheduled for"), or moved ("postponed to December 3", then `moved_to`).

A report of it having happened also dates its article: an undated article that tells the
Busan summit as done was written no earlier than the day other articles give the summit
(`raised_references`), unless it still calls an earlier date upcoming or its own publication
date says otherwise. Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen import dates
from briefgen.refdates import upcoming_limit
from briefgen.schema import WatchItem, WatchList
from briefgen.text import content_words, sentence_spans
from briefgen.watch import period_end

SAME_WORDS = 4  # shared content words when the sentence names no date of the event
SAME_WORDS_DATED = 2  # when a date it names falls on the event
CUE_REACH = 60  # characters from "cancelled", "scrapping" to the date it calls off
PENDING_REACH = 4  # words from "proposed", "tentative" to the names of what is pending

_HAPPENED = re.compile(
    r"\b(?:began|begun|met|took\s+place|(?<!be\s)held|opened|concluded|ended|convened"
    r"|kicked\s+off|got\s+under\s*way|went\s+ahead|signed|struck|sealed|wrapped\s+up"
    r"|started|closed|was\s+declared|were\s+declared|has\s+opened|have\s+opened"
    # "Following two days of intensive negotiations with He Lifeng in Kuala Lumpur, ...":
    # what days of talks are followed by has been held.
    r"|(?:following|after)\s+(?:\w+\s+){0,2}?(?:days?|hours?|rounds?|weeks?)\s+of\s+"
    r"(?:\w+\s+){0,2}?(?:talks|negotiations|meetings|discussions|consultations))\b",
    re.I,
)
_CANCELLED = re.compile(
    r"\b(?:cancel(?:l)?ed|cancel(?:l)?ing|called\s+off|calling\s+off|scrap(?:ped|ping)"
    r"|rescind(?:ed|ing)?|shelved|abandoned|originally\s+(?:scheduled|planned|set|due)"
    r"|no\s+longer\s+(?:planned|scheduled|expected))\b",
    re.I,
)
_MOVED = re.compile(
    r"\b(?:postponed|delayed|pushed\s+back|put\s+off|rescheduled|moved)\b"
    r"(?:\s+[\w’'-]+){0,5}?\s+(?:to|until|till|for)\s+",
    re.I,
)
# "has not begun", "before the summit began", "if it is cancelled": not a report of it.
_NOT_SO = re.compile(
    r"\b(?:not|never|yet|before|if|unless|whether|could|would|may|might)\s+(?:\w+\s+){0,2}$", re.I
)
_ANY_CUE = re.compile("|".join(p.pattern for p in (_HAPPENED, _CANCELLED, _MOVED)), re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\b")


_CALENDAR = set(
    "Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
)


@dataclass(frozen=True)
class Report:
    state: str  # "happened", "cancelled", "moved"
    article_id: str
    sentence: str
    moved_to: dt.date | None
    dated: bool  # the sentence names a date inside the item's span


def _cue(sentence: str) -> tuple[str, re.Match[str]] | None:
    for state, pattern in (("cancelled", _CANCELLED), ("moved", _MOVED), ("happened", _HAPPENED)):
        for m in pattern.finditer(sentence):
            if _NOT_SO.search(sentence[: m.start()]):
                continue
            # "... will sign the deal after two days of talks": talks still to come.
            if m.group().lower().startswith(("following", "after")) and (
                dates.sentence_tense(sentence) == "future"
            ):
                continue
            return state, m
    return None


def reports_cancelled(sentence: str) -> bool:
    """Whether a sentence tells a plan as off ("scrapping a hike originally scheduled for
    November 1"): it is no event to watch, however future its words look."""
    found = _cue(sentence)
    return found is not None and found[0] == "cancelled"


def _span(item: WatchItem) -> tuple[dt.date, dt.date]:
    assert item.date is not None
    return item.date, item.end or period_end(item.date, item.precision)


def _item_words(item: WatchItem) -> set[str]:
    """The content words a watch item is known by: its description's and its sentence's."""
    return set(content_words(item.description)) | set(content_words(item.sentence))


def _names(text: str) -> set[str]:
    return {n.lower() for n in _NAME.findall(text) if n[:3] not in _CALENDAR}


@dataclass(frozen=True)
class _Told:
    """A sentence that may report what became of something: its cue and what it names."""

    sentence: str
    state: str
    cue_start: int
    cue_end: int
    words: frozenset[str]
    names: frozenset[str]
    mentions: tuple[dates.DateMention, ...]
    tenses: tuple[str, ...]  # each mention's, by the clause it stands in (dates.tense_at)


@functools.lru_cache(maxsize=1024)
def _told(text: str) -> tuple[_Told, ...]:
    # Read once per article text, not once per watch item: most sentences carry no cue.
    out = []
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        found = _cue(sentence) if _ANY_CUE.search(sentence) else None
        if found is None:
            continue
        state, cue = found
        mentions = tuple(dates.find_dates(sentence))
        out.append(
            _Told(
                sentence,
                state,
                cue.start(),
                cue.end(),
                frozenset(content_words(sentence)),
                frozenset(_names(sentence)),
                mentions,
                tuple(dates.tense_at(sentence, m.start) for m in mentions),
            )
        )
    return tuple(out)


def _report(item: WatchItem, aid: str, told: _Told, ref: dt.date | None) -> Report | None:
    state = told.state
    first, last = _span(item)
    moved_to, inside, elsewhere = None, False, False
    for m, tense in zip(told.mentions, told.tenses, strict=True):
        day = dates.resolve(m, ref, tense).date
        if day is None:
            continue
        if state == "moved" and m.start >= told.cue_end and moved_to is None:
            moved_to = day
        elif first <= day <= last:
            # What is called off is what the cue governs: a date right by it ("rescind the
            # November 1 tariffs", "the meeting on March 12 was cancelled"), not another
            # date of the same sentence.
            governed = (
                0 <= m.start - told.cue_end <= CUE_REACH or 0 <= told.cue_start - m.end <= CUE_REACH
            )
            inside = inside or state != "cancelled" or governed
        else:
            elsewhere = True
    if elsewhere and not inside:
        return None  # another day: another meeting of the same people
    if state == "cancelled" and not inside:
        return None  # "scrapped" with no date of the item: too loose to call it off
    if state == "moved" and (moved_to is None or first <= moved_to <= last):
        return None
    shared = _item_words(item) & told.words
    if len(shared) < (SAME_WORDS_DATED if inside else SAME_WORDS):
        return None
    if not inside and not shared & _names(item.sentence) & told.names:
        return None  # undated, it must at least name the same people or places
    return Report(state, aid, told.sentence, moved_to, inside)


class _ToldIndex:
    """Every cue sentence of the articles, by its content words: an item is compared only with
    the sentences sharing enough words with it to pass _report's word test, not with every
    sentence of every article (issue 16: 10,000 articles). Built once per watch list."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.entries = [(aid, text, told) for aid, text in texts.items() for told in _told(text)]
        self.by_word: dict[str, list[int]] = {}
        for i, (_, _, told) in enumerate(self.entries):
            for w in told.words:
                self.by_word.setdefault(w, []).append(i)

    def near(self, item: WatchItem) -> list[tuple[str, str, _Told]]:
        shared = Counter(i for w in _item_words(item) for i in self.by_word.get(w, ()))
        least = min(SAME_WORDS, SAME_WORDS_DATED)
        return [self.entries[i] for i in sorted(i for i, n in shared.items() if n >= least)]


def told_index(texts: dict[str, str]) -> _ToldIndex:
    """The cue sentences of `texts`, indexed once for every question asked of the same
    articles: reading them is most of the cost, and _told's cache holds 1,024 texts, not the
    10,000 of a big brief (the pipeline asks five times a run)."""
    return _ToldIndex(texts)


def find_reports(
    item: WatchItem,
    texts: dict[str, str],
    references: dict[str, tuple[dt.date, str]],
    known: set[str],
    index: _ToldIndex | None = None,
) -> list[Report]:
    """Every sentence of another article that reports what became of `item`, oldest first.
    `index` is _ToldIndex(texts), passed when the caller asks about many items."""
    if item.date is None:
        return []
    out = []
    own = " ".join(item.sentence.split())
    for aid, text, told in (index or _ToldIndex(texts)).near(item):
        ref = references.get(aid, (None, ""))[0]
        if " ".join(told.sentence.split()) == own:
            continue
        report = _report(item, aid, told, ref)
        if report is None or (report.state == "happened" and aid in item.article_ids):
            continue  # an article does not tell its own plan as done
        if report.state == "happened" and not _could_have_happened(item, aid, text, ref, known):
            continue
        out.append(report)
    order = {aid: references.get(aid, (dt.date.max, ""))[0] for aid in texts}
    return sorted(out, key=lambda r: (order[r.article_id], r.article_id))


def _could_have_happened(
    item: WatchItem, aid: str, text: str, ref: dt.date | None, known: set[str]
) -> bool:
    """Whether the article can be later than the event: a published date before it, or a
    date it still calls upcoming before it, says it was written earlier."""
    assert item.date is not None
    if ref is None or ref >= item.date:
        return True
    if aid in known:
        return False
    limit = upcoming_limit(text, ref)
    return limit is None or limit > item.date


def raised_references(
    watch: WatchList,
    texts: dict[str, str],
    references: dict[str, tuple[dt.date, str]],
    known: set[str],
    index: _ToldIndex | None = None,
) -> dict[str, tuple[dt.date, str]]:
    """Reference dates raised to the day of the latest event each article tells as done.
    `index` is told_index(texts), passed by a caller that asks more than once."""
    out = dict(references)
    index = index or _ToldIndex(texts)
    for item in [*watch.upcoming, *watch.passed]:
        for r in find_reports(item, texts, references, known, index):
            if r.state != "happened" or r.article_id in known or item.date is None:
                continue
            now = out.get(r.article_id)
            if now is None or now[0] < item.date:
                told = " ".join(r.sentence.split()[:12])
                basis = (
                    f"undated; taken as {item.date.isoformat()}: it reports as done "
                    f"'{told}…', an event article {item.article_ids[0]} dates {item.date.isoformat()}"
                )
                out[r.article_id] = (item.date, basis)
    return out


def settle(
    watch: WatchList,
    texts: dict[str, str],
    references: dict[str, tuple[dt.date, str]],
    known: set[str],
    index: _ToldIndex | None = None,
) -> WatchList:
    """The watch list with every item a later article reports as happened, cancelled or
    moved taken out of `upcoming` and `passed` into `settled`, its state and report set.
    `index` is told_index(texts), as for raised_references."""
    settled: list[WatchItem] = []
    index = index or _ToldIndex(texts)
    for bucket in (watch.upcoming, watch.passed):
        for item in list(bucket):
            reports = find_reports(item, texts, references, known, index)
            if not reports:
                continue
            latest = reports[-1]  # the newest article says what it has come to
            same = [r for r in reports if r.state == latest.state]
            item.state = latest.state  # type: ignore[assignment]
            item.state_article_ids = _unique(r.article_id for r in same)
            item.state_sentence = same[0].sentence.strip()
            item.moved_to = latest.moved_to
            bucket.remove(item)
            settled.append(item)
    watch.settled = sorted([*watch.settled, *settled], key=lambda i: (i.date, i.description))
    return watch


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def tells_settled(
    sentence: str, article_id: str, ref: dt.date | None, settled: list[WatchItem]
) -> bool:
    """Whether `sentence` foretells an item a later article reports as done, off or moved:
    it is the item's own sentence, or it names a day in the item's span and its words."""
    own = " ".join(sentence.split())
    days: list[dt.date | None] | None = None  # the sentence's dates, read once when needed
    for item in settled:
        if item.state == "upcoming" or item.date is None:
            continue
        if own == " ".join(item.sentence.split()):
            return True
        first, last = _span(item)
        if days is None:
            days = [
                dates.resolve(m, ref, dates.tense_at(sentence, m.start)).date
                for m in dates.find_dates(sentence)
            ]
        on_it = any(d is not None and first <= d <= last for d in days)
        shared = set(content_words(item.description)) & set(content_words(sentence))
        if on_it and len(shared) >= SAME_WORDS_DATED and article_id in item.article_ids:
            return True
    return False


# Words that speak of an event as still to come or undecided ("the proposed Xi-Trump
# meeting remains tentative", "a planned summit", "talks are expected"): said before a later
# article reports the event held, called off or moved, they are out of date.
_PENDING = re.compile(
    r"\b(?:tentative|proposed|planned|expected|scheduled|upcoming|possible|prospective"
    r"|set\s+to|due\s+to|yet\s+to|to\s+be\s+(?:held|confirmed|decided)"
    r"|remains?\s+(?:uncertain|unclear|in\s+doubt|undecided))\b",
    re.I,
)


def tells_pending(
    sentence: str,
    article_id: str,
    references: dict[str, tuple[dt.date, str]],
    settled: list[WatchItem],
) -> bool:
    """Whether `sentence`, naming no date, speaks of a settled item as still pending (see
    _PENDING) while an article written later reports what became of it: the same event by
    _report's test for an undated sentence (SAME_WORDS content words), with two of the
    item's names within PENDING_REACH words of the cue."""
    cues = list(_PENDING.finditer(sentence))
    if not cues or dates.find_dates(sentence):
        return False
    words = set(content_words(sentence))
    # Who is pending is named beside the cue ("the proposed Xi-Trump meeting"), not anywhere
    # in the sentence ("Trump is flying to Kuala Lumpur ... and a possible meeting with Kim").
    names = _names_beside(sentence, cues)
    written = references.get(article_id, (None, ""))[0]
    for item in settled:
        if not _reported_since(item, written, references):
            continue  # not known to be older than every report of what became of it
        shared = words & _item_words(item)
        # Two names of the event beside the cue: its parties ("Xi-Trump") or a name of
        # several words; one ("Korea" of North Korea beside the item's South Korea) is not
        # enough to tell one meeting from another.
        if len(shared) >= SAME_WORDS and len(shared & names & _names(item.sentence)) >= 2:
            return True
    return False


# How a title tells what is still to come: as a pending sentence does (_PENDING), or by what
# headlines say for it ("edge toward truce ahead of Trump-Xi meeting", "leaders to meet").
_AHEAD = re.compile(r"\b(?:ahead\s+of|will|to\s+(?:meet|hold|sign|vote|decide))\b", re.I)


def title_out_of_date(
    title: str,
    article_id: str,
    references: dict[str, tuple[dt.date, str]],
    settled: list[WatchItem],
) -> bool:
    """Whether an article's title tells as still to come a settled item that an article
    written later reports done, off or moved: as a sentence would (tells_settled), or by a
    cue of what is ahead with two of the item's names beside it. A title is too short for
    tells_pending's SAME_WORDS shared words; two names of the event's parties ("Trump-Xi"),
    beside "ahead of", and an article older than every report are the test instead."""
    written = references.get(article_id, (None, ""))[0]
    if tells_settled(title, article_id, written, settled):
        return True
    cues = list(_PENDING.finditer(title)) + list(_AHEAD.finditer(title))
    if not cues or written is None:
        return False
    names = _names_beside(title, cues)
    return any(
        _reported_since(item, written, references) and len(names & _names(item.sentence)) >= 2
        for item in settled
    )


def _reported_since(
    item: WatchItem, written: dt.date | None, references: dict[str, tuple[dt.date, str]]
) -> bool:
    """Whether what became of a settled item is reported only by articles written after
    `written` (False when any of the dates is unknown)."""
    if item.state == "upcoming" or not item.state_article_ids or written is None:
        return False
    reported = [references.get(a, (None, ""))[0] for a in item.state_article_ids]
    return all(r is not None and r > written for r in reported)


def _names_beside(text: str, cues: list[re.Match[str]]) -> set[str]:
    """The names within PENDING_REACH words of any of the cues."""
    return set().union(*(_names(_around(text, m)) for m in cues))


def _around(sentence: str, cue: re.Match[str], reach: int = PENDING_REACH) -> str:
    """The `reach` words either side of a cue, with the cue."""
    before = sentence[: cue.start()].split()[-reach:]
    after = sentence[cue.end() :].split()[:reach]
    return " ".join([*before, cue.group(), *after])
