"""Figures in text, made comparable: what a number says, in digits or words, and its unit.

This module has that one job: `quantities` finds every figure ("$660 billion", "a third",
"one in three", "thousands of") with its scale applied and a normalised unit, and
`same_quantity` says whether two figures state the same value. facts.py uses them to compare
what two texts assert.

The word tables are general English (number words, scales, fractions) and the currencies and
units of measure in everyday use; none was read off one corpus.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from briefgen import dates
from briefgen.text import normalize_word


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None  # "year", "percent", "USD", "ton", ...; None for a bare count
    text: str  # as written
    noun: str | None = None  # for a bare count, the word after it ("five reports": "report")
    vague: bool = False  # "hundreds of", "thousands of": at least `value`, less than 1000x


# ---------------------------------------------------------------- quantities

_ONES = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUE = {w: i for i, w in enumerate(_ONES, 1)}
_WORD_VALUE |= {w: i for i, w in enumerate(_TEENS, 10)}
_WORD_VALUE |= {w: 10 * i for i, w in enumerate(_TENS, 2)}
_WORD_VALUE |= {"dozen": 12}
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SHORT_SCALE = {"k": 1e3, "mn": 1e6, "mln": 1e6, "m": 1e6, "bn": 1e9, "bln": 1e9, "b": 1e9}
_SHORT_SCALE |= {"tn": 1e12, "trn": 1e12}
_FRACTION = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fifth": 5, "sixth": 6}
_FRACTION |= {"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}

# Units as written -> normalised. Currencies by symbol, ISO code and everyday name; time,
# weight, length, area, volume and counts of people: the units news figures come in.
_UNITS: dict[str, str] = {}
# fmt: off
for _unit, _forms in {
    "year": "year years yr yrs", "month": "month months", "week": "week weeks", "day": "day days",
    "hour": "hour hours", "minute": "minute minutes", "decade": "decade decades",
    "century": "century centuries", "percent": "percent per_cent pct",
    "percentage point": "percentage_point percentage_points",
    "basis point": "basis_point basis_points bps",
    "USD": "dollar dollars u.s._dollars us_dollars usd", "EUR": "euro euros eur",
    "GBP": "sterling gbp pounds_sterling", "CNY": "yuan renminbi rmb cny", "JPY": "yen jpy",
    "INR": "rupee rupees inr", "RUB": "rouble roubles ruble rubles rub",
    "ton": "ton tons tonne tonnes metric_ton metric_tons metric_tonne metric_tonnes",
    "kg": "kg kilogram kilograms kilogramme kilogrammes", "pound": "pound pounds lb lbs",
    "barrel": "barrel barrels", "km": "km kilometre kilometres kilometer kilometers",
    "mile": "mile miles", "metre": "metre metres meter meters", "hectare": "hectare hectares",
    "acre": "acre acres", "people": "people persons person", "times": "times fold",
}.items():
    for _form in _forms.split():
        _UNITS[_form.replace("_", " ")] = _unit
# fmt: on
_CURRENCY_SIGN = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP"}
_CURRENCY_SIGN |= {"gbp": "GBP", "¥": "JPY", "cny": "CNY", "rmb": "CNY", "rs": "INR", "rs.": "INR"}


def _alt(words) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


_NUMWORD = _alt([*_WORD_VALUE, *_SCALE])
_WORDNUM = rf"(?:{_NUMWORD})(?:(?:\s+and\s+|\s+|-)(?:{_NUMWORD}))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR = r"(?P<cur>US\$|\$|€|£|¥|(?:USD|EUR|GBP|CNY|RMB|Rs\.?)\s?)"
_QTY = re.compile(
    rf"(?<![\w.,$€£¥]){_CUR}?"
    rf"(?:(?P<dig>{_DIGITS})(?P<short>(?:k|mn|mln|m|bn|bln|b|tn|trn)\b)?(?P<ord>st|nd|rd|th\b)?"
    rf"|(?P<a>\b(?i:an?)\s+(?=(?i:{_alt([*_SCALE, 'dozen'])})\b))?(?P<word>\b(?i:{_WORDNUM})\b))"
    rf"(?:(?:\s+|-)(?P<scale>(?i:{_alt(_SCALE)}))\b)?"
    rf"(?P<pct>\s*%|(?:\s+|-)(?i:percent|per\s+cent|pct)\b)?"
    rf"(?:(?:\s+|-)(?:(?i:metric|short|long|u\.?s\.?)\s+)?(?P<unit>(?i:{_alt(_UNITS)}))(?![\w-]))?"
)
# "a third", "two-thirds", "half"; "one in three"; "a year", "an hour": figures in words.
_FRAC = re.compile(
    rf"\b(?:(?P<n>(?i:an?|one|two|three|four|five|six|seven|eight|nine))[\s-]+)?"
    rf"(?P<f>(?i:{_alt(_FRACTION)}))s?\b"
)
_ONE_IN = re.compile(
    rf"\b(?P<n>(?i:{_WORDNUM})|\d+)\s+(?:in|out\s+of)\s+(?P<d>(?i:{_WORDNUM})|\d+)\b"
)
_A_UNIT = re.compile(r"\b(?i:an?)\s+(?P<u>(?i:year|month|week|day|hour|decade|century))\b")
_VAGUE = re.compile(
    r"\b(?P<v>(?i:dozens|hundreds|thousands|millions|billions|tens\s+of\s+thousands"
    r"|hundreds\s+of\s+thousands|tens\s+of\s+millions|hundreds\s+of\s+millions))\s+of\b"
)
_VAGUE_VALUE = {"dozens": 12, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6}
_VAGUE_VALUE |= {"billions": 1e9, "tens of thousands": 1e4, "hundreds of thousands": 1e5}
_VAGUE_VALUE |= {"tens of millions": 1e7, "hundreds of millions": 1e8}
_NEXT_WORD = re.compile(r"[\s-]+([A-Za-z][\w'’-]*)")
# "a quarter point", "half a percentage point": a change of a rate in points, not a share.
_OF_A_POINT = re.compile(r"[\s-]+(?:(?:of\s+)?an?\s+)?(?:percentage[\s-]+)?points?\b", re.I)
# "one" alone is a pronoun as often as a figure ("one of the", "no one"); it counts with a unit.
_PRONOUN_ONE = {"one"}


def _word_number(text: str) -> float | None:
    total, current, seen = 0.0, 0.0, False
    for tok in re.split(r"[\s-]+", text.lower()):
        if tok == "and" or not tok:
            continue
        if tok in _WORD_VALUE:
            current += _WORD_VALUE[tok]
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok in _SCALE:
            total += (current or 1) * _SCALE[tok]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


@functools.lru_cache(maxsize=4096)
def _masked_dates(text: str) -> tuple[str, tuple[dates.DateMention, ...]]:
    """The text with its date mentions blanked (years and days in dates are not figures),
    except relative ones with a count ("two weeks ago"): their count is a figure too."""
    found = tuple(dates.find_dates(text))
    chars = list(text)
    for m in found:
        if m.kind == "relative" and re.search(rf"\d|\b(?i:{_WORDNUM}|an?)\b", m.text):
            continue
        chars[m.start : m.end] = " " * (m.end - m.start)
    return "".join(chars), found


def _is_year(value: float, raw: str, unit: str | None, cur: str | None) -> bool:
    # A bare 19xx/20xx with no unit is a year ("the 2025 deal"), whether or not dates.py
    # found a cue for it: both sides of a comparison read it the same way.
    return unit is None and not cur and "," not in raw and raw.isdigit() and 1900 <= value <= 2100


@functools.lru_cache(maxsize=4096)
def _quantities(text: str) -> tuple[Quantity, ...]:
    masked, _ = _masked_dates(text)
    out: list[Quantity] = []
    taken = [False] * len(masked)

    def add(start: int, end: int, q: Quantity) -> None:
        out.append(q)
        taken[start:end] = [True] * (end - start)

    for m in _VAGUE.finditer(masked):
        key = re.sub(r"\s+", " ", m.group("v").lower())
        after = _NEXT_WORD.match(masked, m.end())
        unit = _UNITS.get(after.group(1).lower()) if after else None
        add(m.start(), m.end(), Quantity(_VAGUE_VALUE[key], unit, m.group(0), vague=True))
    for m in _ONE_IN.finditer(masked):
        n, d = (_word_number(x) if not x.isdigit() else float(x) for x in m.group("n", "d"))
        if n and d and n < d:
            add(m.start(), m.end(), Quantity(n / d, "fraction", m.group(0)))
    for m in _FRAC.finditer(masked):
        if any(taken[m.start() : m.end()]):
            continue
        n_text, f = m.group("n"), m.group("f").lower()
        if n_text is None and f not in ("half", "halves"):
            continue  # "the third round" is an ordinal, not a share
        n = 1.0 if n_text is None or n_text.lower() in ("a", "an") else _word_number(n_text)
        unit = "percentage point" if _OF_A_POINT.match(masked, m.end()) else "fraction"
        add(m.start(), m.end(), Quantity((n or 1) / _FRACTION[f], unit, m.group(0)))
    for m in _QTY.finditer(masked):
        if any(taken[m.start() : m.end()]) or not m.group(0).strip():
            continue
        if m.group("dig"):
            raw = m.group("dig")
            value = float(raw.replace(",", ""))
        else:
            raw = m.group("word")
            value = _word_number(raw)
            if value is None:
                continue
        cur = (m.group("cur") or "").strip().lower() or None
        short = (m.group("short") or "").lower()
        if short:
            if short in ("m", "b") and not cur:
                continue  # "100m" may be metres; only "$100m" is surely money
            value *= _SHORT_SCALE[short]
        if m.group("scale"):
            value *= _SCALE[m.group("scale").lower()]
        unit_text = (m.group("unit") or "").lower()
        unit = (
            "percent"
            if m.group("pct")
            else _UNITS.get(re.sub(r"\s+", " ", unit_text))
            if unit_text
            else None
        )
        if cur:
            unit = _CURRENCY_SIGN.get(cur, unit)
        if m.group("ord"):
            unit = "ordinal"
        if _is_year(value, raw, unit, cur) or (raw.lower() in _PRONOUN_ONE and unit is None):
            continue
        noun = None
        if unit is None:
            after = _NEXT_WORD.match(masked, m.end())
            noun = normalize_word(after.group(1)) if after else None
        add(m.start(), m.end(), Quantity(value, unit, m.group(0).strip(), noun))
    for m in _A_UNIT.finditer(masked):
        if not any(taken[m.start() : m.end()]):
            add(m.start(), m.end(), Quantity(1.0, _UNITS[m.group("u").lower()], m.group(0)))
    return tuple(out)


def quantities(text: str) -> list[Quantity]:
    """Every figure in `text`, in digits or words, with its scale applied and its unit.

    "$660 billion" -> 6.6e11 USD; "one year" -> 1 year; "a third" -> 1/3 fraction; "150%" and
    "150 percent" -> 150 percent; "80,000 metric tons" -> 80000 ton. Years and the days of
    dates are dates, not figures; "one" with no unit is a pronoun as often as a figure.
    """
    return list(_quantities(text))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Whether `a` is said by `b`: the same value in the same unit (a share may be a percent:
    "a third" is 33%, within the half point a rounded percent is off by); a vague one
    ("thousands of") is any value from its scale to a thousand times it."""
    if a.vague or b.vague:
        if a.unit != b.unit and None not in (a.unit, b.unit):
            return False
        if a.vague and b.vague:
            return _close(a.value, b.value)
        vague, exact = (a, b) if a.vague else (b, a)
        return vague.value <= exact.value < vague.value * 1000
    if a.unit == b.unit:
        return _close(a.value, b.value)
    units = {a.unit, b.unit}
    if units == {"fraction", "percent"}:
        share, pct = (a, b) if a.unit == "fraction" else (b, a)
        return abs(share.value * 100 - pct.value) <= 0.5
    return False


def _comparable(a: Quantity, b: Quantity) -> bool:
    """Two figures that measure the same kind of thing: one unit, or counts of one noun."""
    if a.unit is None or b.unit is None:
        return a.unit is None and b.unit is None and a.noun is not None and a.noun == b.noun
    return a.unit == b.unit or {a.unit, b.unit} == {"fraction", "percent"}
