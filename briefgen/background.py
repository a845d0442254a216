"""Sentences that tell a story's background, not its news.

A brief's points tell what is happening; an article also tells what came before ("The
current deadlock echoes the 2018-2019 trade war", "In 2010, China briefly weaponized these
materials"). A reader may need that, but not in place of the news, so the engine weighs such
a sentence less as a point (extractive.BACKGROUND). A sentence is background when it compares
the present to the past, tells what had happened before (the past perfect, outside reported
speech), or dates itself only to years well before the story's present, and tells of no
recent day. All by the sentence's words: no model, no dictionary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# A year written as a year ("the 2018-2019 trade war", "in 2010", "the 1990s"), not a figure
# ("2,019 tons", "$2019"): four digits from 1900 to 2099 standing alone, or a decade.
_YEAR = re.compile(r"(?<![\d,.$£€])\b(19\d\d|20\d\d)(?:s\b|\b)(?![,.]\d)")
# A full date with its year ("October 18, 2025", "18 October 2025", "2025-10-18"): what the
# story's present is read from when no article carries its date.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
_FULL_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}},\s+((?:19|20)\d\d)\b|\b\d{{1,2}}\s+{_MONTH}\s+((?:19|20)\d\d)\b"
    r"|\b((?:19|20)\d\d)-\d\d-\d\d\b"
)
# A sentence that sets the story against its past: it says the present echoes or recalls
# it, or how things stood for decades.
_ECHOES = re.compile(
    r"\b(?:echo(?:es|ed|ing)?|reminiscent of|recalls?|recalling|harks? back|historically|"
    r"for decades|decades (?:ago|in the making)|in the past)\b",
    re.I,
)
# What had happened before. Reported speech backshifts its tense ("officials said the US
# had agreed"), so a past perfect counts only without a reporting verb.
_PAST_PERFECT = re.compile(r"\bhad (?:been|long|already|\w+ed|made|taken|given|seen|done)\b", re.I)
_REPORTED = re.compile(
    r"\b(?:said|says?|told|tells|indicated|reported|according|added|stated|announced)\b", re.I
)
# A sentence that tells of a recent day ("on Friday", "this week") is news, whatever history
# it brings in ("announced on Friday an investigation into the 2020 agreement").
_RECENT = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight|"
    r"this (?:week|month|morning|weekend)|last (?:week|weekend|night))\b"
)
# Years before the present that are history, not news: last year's events still tell the
# story's present, two years back is background. A judgment, not fitted (nothing here is
# scored on MultiLing, whose summaries do not use it).
HISTORY_YEARS = 2


def present_year(texts: Iterable[str]) -> int | None:
    """The story's present year when no article carries its date: the year its sentences
    most often write in full dates, the earliest of equals (a story's full dates are more
    often what happened than a deadline ahead, and the earlier year calls less of the story
    history). None when no sentence writes one."""
    counts: Counter[int] = Counter()
    for t in texts:
        for m in _FULL_DATE.finditer(t):
            counts[int(next(g for g in m.groups() if g))] += 1
    if not counts:
        return None
    return min(counts, key=lambda y: (-counts[y], y))


def is_background(text: str, present: int | None) -> bool:
    """Whether a sentence tells the story's background rather than its news (see above):
    `present` is the year of the article stating it, None if unknown (then only its words
    tell, not its years)."""
    if _RECENT.search(text):
        return False
    if _ECHOES.search(text):
        return True
    if _PAST_PERFECT.search(text) and not _REPORTED.search(text):
        return True
    if present is None:
        return False
    years = [int(y) for y in _YEAR.findall(text)]
    return bool(years) and max(years) <= present - HISTORY_YEARS
