"""Small, dependency-free text tools shared by chunking, dates, the engines and merging.

Everything here works on character offsets into the string it is given, so callers can map
what they find back to the cleaned article without searching for it again.
"""

from __future__ import annotations

import bisect
import functools
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

# Words that end in a period without ending a sentence. Kept general: titles, months,
# common Latin and corporate abbreviations.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sen rep gov gen col capt lt sgt st jr sr vs etc inc corp ltd co no nos
    maj spc pvt pfc cpl adm cmdr brig rev hon atty supt det insp msgr fr
    fig al approx dept est jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed
    thu thur thurs fri sat sun e.g i.e u.s u.k u.n e.u a.m p.m mt ft pres gov't
    """.split()
)

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
# For matching, hyphenated words count as their parts: "rare-earth" meets "rare earth".
_MATCH_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_BULLET = re.compile(r"^\s*(?:[-*•‣◦▪●]|\d{1,2}[.)])\s+")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's i
    i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
    myself no nor not of off on once only or other ought our ours ourselves out over own same
    shan't she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this
    those through to too under until up very was wasn't we we'd we'll we're we've were weren't
    what what's when when's where where's which while who who's whom why why's with won't
    would wouldn't you you'd you'll you're you've your yours yourself yourselves said says say
    told will may might must shall just also like one two new now even still yet however would
    much many said according
    """.split()
)


def line_start(text: str, at: int) -> int:
    """Where the line holding text[at] starts: text.rfind("\\n", 0, at) + 1, found by
    bisection in the text's line breaks (a text of one long line is not scanned back)."""
    breaks = _line_breaks(text)
    before = bisect.bisect_left(breaks, at)
    return breaks[before - 1] + 1 if before else 0


def line_end(text: str, at: int) -> int:
    """The first line break at `at` or after it (text.find("\\n", at)), else len(text)."""
    breaks = _line_breaks(text)
    after = bisect.bisect_left(breaks, at)
    return breaks[after] if after < len(breaks) else len(text)


@functools.lru_cache(maxsize=64)
def _line_breaks(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer("\n", text))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split text[start:end] into sentences; returns (start, end) offsets with no outer spaces.

    Line breaks always end a sentence (headlines, list items and paragraphs are separate
    units in news copy); within a line, a sentence ends at . ! ? followed by a space, unless
    the word before is a known abbreviation or a single initial.
    """
    return list(_sentence_spans(text, start, len(text) if end is None else end))


# Asked again of the same text and line for every quotation in it (speakers.py): an article
# on one long line would be split whole each time. A string keeps its hash: a hit is cheap.
# Every step splits each article again (chunking, extraction, entities, the off-topic and
# injection checks, the watch list's settling): the cache holds more texts than a big brief
# has articles (10,000, issue 16), where 256 missed on every article past the 256th. An entry
# is the text, already kept by the corpus, and its spans: a few kB an article.
@functools.lru_cache(maxsize=1 << 14)
def _sentence_spans(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    line_start = start
    while line_start < end:
        nl = text.find("\n", line_start, end)
        line_end = end if nl == -1 else nl
        spans.extend(_split_line(text, line_start, line_end))
        line_start = line_end + 1
    return tuple(spans)


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        if _is_abbreviation(text, piece_start, match.start()):
            continue
        nxt = _next_visible(text, stop, end)
        # "the U.S. and China": a lower-case continuation is not a new sentence.
        if nxt is not None and nxt.islower():
            continue
        yield from _trimmed(text, piece_start, stop)
        piece_start = stop
    yield from _trimmed(text, piece_start, end)


def _is_abbreviation(text: str, piece_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > piece_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].strip("(\"'“‘").lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # Initials: "J. Smith", "U.S", "D.C"
    return bool(_INITIALS.fullmatch(word))


_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")


def _next_visible(text: str, pos: int, end: int) -> str | None:
    while pos < end and (text[pos].isspace() or text[pos] in "\"'“‘("):
        pos += 1
    return text[pos] if pos < end else None


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield (start, end)


def is_bullet(sentence: str) -> bool:
    return bool(_BULLET.match(sentence))


def strip_bullet(sentence: str) -> str:
    return _BULLET.sub("", sentence, count=1)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@functools.lru_cache(maxsize=1 << 15)
def word_count(text: str) -> int:
    # The same sentences are counted by many steps (4 times each on MultiLing briefs); the
    # size is above the 3,775 distinct texts of all ten MultiLing topics' briefs and the
    # 11,500 of a brief of 1,000 articles (issue 16), whose 4,096 were full.
    return len(_WORD.findall(text))


def estimate_tokens(text: str) -> int:
    """A token estimate that needs no tokenizer download: about 4 characters or 0.75 words a token.

    Takes the larger of the two so that number-heavy and word-heavy text are both safe.
    """
    if not text:
        return 0
    return max(math.ceil(len(text) / 4), math.ceil(word_count(text) / 0.75))


def normalize_word(word: str) -> str:
    """Lower-case and fold the few inflections that matter for matching (plural s, possessive)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return w


def content_words(text: str) -> list[str]:
    """Normalised words that carry meaning: no stopwords, no one-letter tokens."""
    return list(_content_words(text))


@functools.lru_cache(maxsize=1 << 16)
def _content_words(text: str) -> tuple[str, ...]:
    # Steps read the same sentences again (twice each on MultiLing briefs); a tuple, so that
    # what one caller does to its list touches no other's. The size is above the 11,600
    # distinct texts of all ten MultiLing topics' briefs and the 19,800 of a brief of 1,000
    # articles (issue 16), whose 16,384 were full.
    return tuple(filter(None, map(_content_word, _MATCH_WORD.findall(text))))


@functools.lru_cache(maxsize=1 << 16)
def _content_word(token: str) -> str:
    # Every step reads the same sentences' words again (extraction, merging, choosing,
    # verifying); a story's vocabulary is small, so each token is normalised once.
    lw = token.lower().replace("’", "'")
    if lw in STOPWORDS or len(lw) < 2:
        return ""
    return normalize_word(lw)


def cosine(a: Counter[str] | dict[str, float], b: Counter[str] | dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    # The words both have, in a's order: a word b lacks adds 0 to the sum, so leaving it out
    # changes no bit of it. Written out here, not through _dot: this is a hot path.
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    # The norms only when the vectors share a word: most pairs compared share none.
    return dot / (norm(a) * norm(b)) if dot else 0.0


def cosine_with_norms(
    a: Mapping[str, float], norm_a: float, b: Mapping[str, float], norm_b: float
) -> float:
    """cosine(a, b), to the last bit, given the norms (norm(a), norm(b)) worked out once per
    vector: for a vector compared with thousands (a cluster's, in merge)."""
    if not a or not b:
        return 0.0
    dot = _dot(a, b)
    return dot / (norm_a * norm_b) if dot else 0.0


def norm(vector: Mapping[str, float]) -> float:
    """The vector's length; its squares summed in C, in the vector's order."""
    values = vector.values()
    return math.sqrt(sum(map(operator.mul, values, values)))


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """cosine's dot product (the same sum, in the same order)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b)


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def shorten_line(text: str, limit: int, trailing: str = " ,;:") -> str:
    """`text` on one line of at most `limit` characters: whitespace collapsed, cut at a word
    with an ellipsis, the `trailing` punctuation left before the cut dropped."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(trailing) + "…"


def collapse_spaces(text: str) -> str:
    """Runs of whitespace made one space, none at the ends: re.sub(r"\\s+", " ", text).strip()
    to the character, as str.split() breaks on the very characters \\s matches (both ask
    str.isspace), in C and without a pattern (twice as fast on MultiLing's sentences)."""
    return " ".join(text.split())


_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def numbers(text: str) -> set[str]:
    """The numbers written in digits in `text`, normalised: '1,000.0' -> '1000'."""
    out = set()
    for m in _NUMBER.finditer(text):
        value = m.group(0).rstrip(".,").replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        out.add(value)
    return out


# The characters re.IGNORECASE matches with an ASCII letter although str.lower() does not
# make them that letter ("İ" and "ı" match i, "ſ" matches s): found by trying every code
# point against every letter. Text holding one is never gated out by `holds_any`.
_CASE_ODD = re.compile("[İıſ]")


def holds_any(text: str, stems: tuple[str, ...]) -> bool:
    """Whether one of `stems` (lower-case ASCII literals) is in `text`, in any case.

    A quick gate before a slow case-insensitive pattern every match of which holds one of
    the stems: when this is False the pattern cannot match, so it need not run. True, too,
    whenever text.lower() might not show a stem the pattern would see (see _CASE_ODD).
    """
    return holds_any_lowered(text, text.lower(), stems)


def holds_any_lowered(text: str, lowered: str, stems: tuple[str, ...]) -> bool:
    """holds_any(text, stems), given `lowered` = text.lower(): for many gates on one text."""
    for stem in stems:  # a loop, not any() over a generator: a third faster on short text
        if stem in lowered:
            return True
    return not lowers_faithfully(text)


def lowers_faithfully(text: str) -> bool:
    """Whether text.lower() writes as that letter every character re.IGNORECASE matches
    with an ASCII letter (see _CASE_ODD): a gate on the lowered text may then trust it."""
    return text.isascii() or _CASE_ODD.search(text) is None
