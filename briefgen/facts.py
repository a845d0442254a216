"""What a sentence asserts, in comparable pieces: quantities, polarity, dates, actors.

This module has that one job. Every function is pure (caches aside) and works on plain text,
so the same rules judge a model's note against its evidence (ground.py), a written point
against the findings it cites (verify.py) and two articles' clauses against each other
(merge.py).

- `quantities`: every figure, in digits or in words, with its scale and a normalised unit.
- `polarity_cues`: the negations and negative-polarity verbs outside quotation marks.
- `antonym_clash`: one text uses one side of an antonym pair and the other the other side.
- `actors`: the capitalised names a text mentions.
- `relation`: whether two clauses about the same thing agree, contradict or differ.
- `additions`: what a text says that its evidence does not.

The word lists are general English (the negators of any grammar of English, the verbs news
uses for a plan that stops, the antonyms of a thesaurus's first rank, the currencies and units
of measure in everyday use); none was read off one corpus.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Literal

from briefgen import dates
from briefgen.text import STOPWORDS, content_words, normalize_word, sentence_spans


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
        add(m.start(), m.end(), Quantity((n or 1) / _FRACTION[f], "fraction", m.group(0)))
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


# ---------------------------------------------------------------- polarity and antonyms

# Negators of English grammar, and the verbs news uses for a plan or talk that stops.
# Each written form -> its cue: "not" stands for not/n't/never/cannot, verbs for their lemma.
_NEGATORS = {
    r"not|n['’]t|never|cannot": "not",
    r"no|none|nobody|nothing|nowhere": "no",
    r"neither|nor": "neither",
    r"without": "without",
    r"no\s+longer": "no longer",
    # Adjectives that deny with a prefix: "leaves the tariffs unresolved" says what "does not
    # resolve the tariffs" says. A closed list: most words in un- deny nothing ("unveiled").
    r"un(?:resolved|clear|known|able|likely|changed|settled|answered|addressed|finished"
    r"|successful|confirmed|decided|certain)": "un-",
}
_NEGATIVE_VERBS = {
    r"fail(?:s|ed|ing|ure)?": "fail",
    r"refus(?:e|es|ed|ing|al)": "refuse",
    r"den(?:y|ies|ied|ying|ial)": "deny",
    r"reject(?:s|ed|ing|ion)?": "reject",
    r"cancel(?:s|led|ed|ling|ing|lation)?": "cancel",
    r"call(?:s|ed|ing)?\s+off": "call off",
    r"scrap(?:s|ped|ping)?": "scrap",
    # Taking back what was planned: "drop the tariff hike" says what "scrap" it says. "Drop"
    # only with an object ("prices dropped" is a fall, not a withdrawal).
    r"drop(?:s|ped|ping)?(?=\s+(?:the|its|their|his|her|a|an|plans?)\b)": "scrap",
    r"rescind(?:s|ed|ing)?|withdr[ae]w(?:s|n|ing)?|revok(?:e|es|ed|ing)": "scrap",
    r"collaps(?:e|es|ed|ing)": "collapse",
    r"(?:break|breaks|broke|broken|breaking)\s+down|breakdown": "break down",
    r"halt(?:s|ed|ing)?": "halt",
    r"suspen(?:d|ds|ded|ding|sion)": "suspend",
    r"abandon(?:s|ed|ing)?": "abandon",
    r"postpon(?:e|es|ed|ing|ement)": "postpone",
    r"stall(?:s|ed|ing)?": "stall",
    r"rul(?:e|es|ed|ing)\s+out": "rule out",
    r"veto(?:es|ed|ing)?": "veto",
}
# Fixed phrases that hold a negator without negating the clause.
_NOT_NEGATION = re.compile(
    r"\b(?i:not\s+only|not\s+just|no\s+later\s+than|not\s+later\s+than|no\s+sooner"
    r"|whether\s+or\s+not|if\s+not|no\.\s*\d|nothing\s+short\s+of)\b"
)
_CUE = re.compile(
    "|".join(
        rf"(?P<c{i}>\b(?i:{pattern})\b)"
        if "n['’]t" not in pattern
        else rf"(?P<c{i}>(?i:{pattern})\b)"
        for i, pattern in enumerate([*_NEGATORS, *_NEGATIVE_VERBS])
    )
)
_CUE_NAMES = [*_NEGATORS.values(), *_NEGATIVE_VERBS.values()]
NEGATIONS = frozenset(_NEGATORS.values())
NEGATIVE_VERBS = frozenset(_NEGATIVE_VERBS.values())

# Quotation marks of every style; a straight single quote needs a word boundary outside and a
# letter inside, so that "it's" and "the players' union" are not read as quotations.
QUOTATION = re.compile(
    r"“(?P<a>[^”\n]+)”|\"(?P<b>[^\"\n]+)\"|«\s?(?P<c>[^»\n]+?)\s?»|„(?P<d>[^“”\n]+)[“”]"
    r"|‘(?P<e>[^’\n]+?)’(?![A-Za-z])|(?<![\w'])'(?P<f>[^'\n]*?[^\s'])'(?![\w])"
)


def quoted_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of each quotation in `text`, in any quote style; start/end are
    the offsets of the words inside the marks."""
    out = []
    for m in QUOTATION.finditer(text):
        name = next(k for k, v in m.groupdict().items() if v is not None)
        out.append((m.start(name), m.end(name), m.group(name)))
    return out


@functools.lru_cache(maxsize=4096)
def _unquoted(text: str) -> str:
    return QUOTATION.sub(" ", text)


@functools.lru_cache(maxsize=4096)
def _cue_list(text: str) -> tuple[str, ...]:
    plain = _NOT_NEGATION.sub(" ", _unquoted(text))
    found = []
    for m in _CUE.finditer(plain):
        found.append(_CUE_NAMES[int(m.lastgroup[1:])])
    return tuple(found)


def polarity_cues(text: str) -> frozenset[str]:
    """The negation and negative-polarity cues of `text` outside quotation marks, normalised:
    "not" for not/n't/never/cannot, "no" for no/none/nothing, verbs by lemma ("collapse")."""
    return frozenset(_cue_list(text))


def _parity(text: str) -> int:
    return len(_cue_list(text)) % 2


def _verb_forms(lemma: str) -> str:
    """A regex of the inflections of `lemma` (regular ones built, irregular ones listed)."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    return rf"{lemma}|{lemma}s|{stem}ed|{stem}ing"


# fmt: off
_IRREGULAR = {
    "rise": "rise|rises|rose|risen|rising", "fall": "fall|falls|fell|fallen|falling",
    "win": "win|wins|won|winning", "lose": "lose|loses|lost|losing", "cut": "cut|cuts|cutting",
    "bring forward": r"(?:bring|brings|brought|bringing)\s+(?:\w+\s+){0,3}?forward",
    "shrink": "shrink|shrinks|shrank|shrunk|shrinking", "ban": "ban|bans|banned|banning",
    "agree": "agree|agrees|agreed|agreeing|agreement", "veto": "veto|vetoes|vetoed|vetoing",
    "disagree": "disagree|disagrees|disagreed|disagreeing|disagreement",
    "forbid": "forbid|forbids|forbade|forbidden|forbidding", "higher": "higher",
}
# A thesaurus's first-rank antonyms for what news reports: agreeing, moving, deciding.
ANTONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("agree",), ("disagree", "reject")),
    (("rise", "increase", "raise", "expand", "strengthen", "higher"),
     ("fall", "decrease", "cut", "lower", "shrink", "weaken")),
    (("lift",), ("impose",)), (("resume",), ("suspend", "halt")), (("accept",), ("reject",)),
    (("approve",), ("reject", "veto")), (("win",), ("lose",)), (("ease",), ("tighten",)),
    (("delay",), ("accelerate", "bring forward")), (("progress",), ("collapse", "stall")),
    (("allow",), ("ban", "prohibit", "forbid")), (("support",), ("oppose",)),
)
# fmt: on
_LEMMAS = sorted({w for pair in ANTONYMS for side in pair for w in side}, key=len, reverse=True)
_ANTONYM_WORD = re.compile(
    "|".join(rf"(?P<w{i}>\b(?i:{_verb_forms(w)})\b)" for i, w in enumerate(_LEMMAS))
)


@functools.lru_cache(maxsize=4096)
def _antonym_lemmas(text: str) -> frozenset[str]:
    return frozenset(_LEMMAS[int(m.lastgroup[1:])] for m in _ANTONYM_WORD.finditer(_unquoted(text)))


def _clash(a: str, b: str, skip_polar: bool) -> str | None:
    la, lb = _antonym_lemmas(a), _antonym_lemmas(b)
    if not la or not lb:
        return None
    for left, right in ANTONYMS:
        for x, y in ((left, right), (right, left)):
            ua = {w for w in x if w in la and w not in lb}
            ub = {w for w in y if w in lb and w not in la}
            if skip_polar:  # a negative verb already flips the polarity: not counted twice
                ua, ub = ua - NEGATIVE_VERBS, ub - NEGATIVE_VERBS
            if ua and ub and not (set(x) & lb) and not (set(y) & la):
                return f"{min(ua)}/{min(ub)}"
    return None


def antonym_clash(a: str, b: str) -> str | None:
    """The antonym pair ("rise/fall") when `a` uses one side and `b` the other, else None."""
    return _clash(a, b, skip_polar=False)


def _flipped(a: str, b: str) -> bool:
    # A negation and an antonym cancel out: "did not reject" says what "accepted" says.
    return (_parity(a) != _parity(b)) != (_clash(a, b, skip_polar=True) is not None)


# ---------------------------------------------------------------- actors

_MONTH_DAY_WORDS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)
# Titles name a role, not the person: "President Trump" is "trump".
_TITLES = frozenset(
    """mr mrs ms dr prof president vice premier secretary minister chancellor prime senator sen
    rep gov governor mayor ambassador commissioner director chairman chairwoman chair chief
    spokesman spokeswoman spokesperson king queen prince general gen judge justice speaker
    deputy foreign finance trade treasury defense defence commerce state senior""".split()
)
# Common short forms and the capitals news names a government by: general, not one story's.
_ALIASES = {
    "united states": "us", "america": "us", "usa": "us", "washington": "us",
    "united kingdom": "uk", "britain": "uk", "great britain": "uk", "london": "uk",
    "european union": "eu", "brussels": "eu", "united nations": "un",
    "beijing": "china", "moscow": "russia", "tokyo": "japan", "kyiv": "ukraine", "kiev": "ukraine",
    "paris": "france", "french": "france", "berlin": "germany", "new delhi": "india",
    "seoul": "south korea", "dutch": "netherlands", "swiss": "switzerland", "british": "uk",
    "american": "us", "americans": "us",
}  # fmt: skip
_CAP = r"(?:[A-Z][\w'’.&-]*|[A-Z]\.)"
_NAME_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|de|da|van|von|bin|al|del|la|le|the)\s+)?{_CAP})*")
_PLACES: frozenset[str] | None = None
_SAID = re.compile(r"\s+(?:said|says|told|added|warned|noted|argued|wrote)\b")


def _places() -> frozenset[str]:
    global _PLACES
    if _PLACES is None:
        from briefgen.extract_rules import load_places

        _PLACES = frozenset(p.lower() for p in load_places())
    return _PLACES


def _key(name: str) -> str:
    key = re.sub(r"[’']s$", "", name).replace(".", "").lower().strip("’'- ")
    return re.sub(r"\s+", " ", key)


@functools.lru_cache(maxsize=4096)
def _names(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """(name as written, its keys) for each name: the full name, its last word ("bessent"),
    and a common alias ("us" for "United States")."""
    starts = {s for s, _ in sentence_spans(text)}
    out = []
    for m in _NAME_RUN.finditer(text):
        tokens = m.group(0).split()
        start = m.start()
        # Function words and titles that open a run are not part of the name.
        while tokens and (_key(tokens[0]) in STOPWORDS or _key(tokens[0]) in _TITLES):
            start += len(tokens[0]) + 1
            tokens.pop(0)
        while tokens and _key(tokens[-1]) in ("of", "de", "the", "la", "le"):
            tokens.pop()
        tokens = [t for t in tokens if _key(t) not in _MONTH_DAY_WORDS]
        if not tokens:
            continue
        name = " ".join(tokens)
        key = _key(name)
        if not key or key in STOPWORDS or key == "i":
            continue
        opening = start in starts or text[max(0, start - 2) : start] in ("“", '"', "‘")
        if opening and len(tokens) == 1:
            # A sentence's first word is capitalised whatever it is: it names someone only
            # when it is an acronym, a known place, a possessive, or a singular subject of a
            # verb of saying ("Bessent said"; "Officials said", "Talks resumed" name nobody).
            word = tokens[0]
            after = text[m.end() : m.end() + 12]
            if not (
                word.isupper()
                or key in _places()
                or key in _ALIASES
                or re.match(r"[’']s\b", after)
                or (not key.endswith("s") and _SAID.match(after))
            ):
                continue
        keys = {key, key.split()[-1]}
        keys |= {_ALIASES[k] for k in list(keys) if k in _ALIASES}
        out.append((name, frozenset(keys)))
    return tuple(out)


def actors(text: str) -> frozenset[str]:
    """The names `text` mentions, lower case: people, organisations, places ("Scott Bessent"
    gives "scott bessent" and "bessent"; "U.S." gives "us"); never months or weekdays."""
    return frozenset(k for _, keys in _names(text) for k in keys)


def _known(keys: frozenset[str], others: frozenset[str], evidence_words: frozenset[str]) -> bool:
    if keys & others or keys & evidence_words:
        return True
    # "US-China" names the US and China: known when each part is.
    for k in keys:
        parts = [p for p in re.split(r"[-–]", k) if p]
        if len(parts) > 1 and all(
            _known(frozenset({_ALIASES.get(p, p)}), others, evidence_words) for p in parts
        ):
            return True
    # A demonym or inflection of a name ("Chinese", "China"): a shared stem of 4+ letters
    # covering most of the shorter word.
    for k in keys:
        for o in others:
            if " " in k or " " in o:
                continue
            n = len(_common_prefix(k, o))
            if n >= 4 and n >= 0.6 * min(len(k), len(o)):
                return True
    return False


def _common_prefix(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[:i]


# ---------------------------------------------------------------- dates

_PART = {"early": "early", "beginning": "early", "start": "early", "mid": "mid"}
_PART |= {"late": "late", "end": "late"}


def _qualifier(m: dates.DateMention) -> tuple[str | None, str | None]:
    """What narrows a date beyond its year/month/day/weekday: the part of the month, the
    quarter or half, or the season; and the relative word it hangs on ("next year", "next
    week", "in two weeks", "next" for "next Thursday")."""
    t = re.sub(r"\s+", " ", m.text.lower())
    if m.kind == "period":
        rel = re.search(r"\b(?:this|next|last) year\b", t)
        relative = rel.group(0) if rel else None
        if re.search(r"quarter|^q\d", t):
            return f"q{(m.month - 1) // 3 + 1}", relative  # type: ignore[operator]
        if re.search(r"half|^h\d", t):
            return f"h{1 if m.month == 1 else 2}", relative
        season = re.search(r"spring|summer|autumn|fall|winter", t)
        if season:
            return season.group(0).replace("fall", "autumn"), relative
        word = re.match(r"[a-z]+", t)
        return (_PART.get(word.group(0)) if word else None), relative
    if m.kind == "relative":
        return None, t.replace("tonight", "today")
    if m.kind == "weekday":
        rel = re.match(r"(next|last)\b", t)
        return None, rel.group(1) if rel else None
    return None, None


# "in two weeks", "three days ago": a count of units, checked as a figure.
_COUNTED = re.compile(rf"\d|\b(?:{_WORDNUM}|an?)\b.*\b(?:ago|from now)$|^in\b", re.I)


@functools.lru_cache(maxsize=4096)
def _date_keys(text: str) -> tuple[tuple[str, tuple], ...]:
    """(as written, (year, month, day, weekday, part, relative)) of each date in `text`,
    bare years ("the 2025 deal") included."""
    _, found = _masked_dates(text)
    keys = [(m.text, (m.year, m.month, m.day, m.weekday, *_qualifier(m))) for m in found]
    taken = [(m.start, m.end) for m in found]
    for y in re.finditer(r"(?<![\w.,$€£¥])(?:19|20)\d\d(?![\w,.]\d|\s*%)", text):
        if not any(s <= y.start() < e for s, e in taken):
            keys.append((y.group(0), (int(y.group(0)), None, None, None, None, None)))
    return tuple(keys)


def _date_matches(mine: tuple, theirs: tuple) -> bool:
    # Every field the text names must be one the evidence names: "November" is said by
    # "late November", "late November" is not said by "mid-November" or "November".
    return all(a is None or a == b for a, b in zip(mine, theirs))


# ---------------------------------------------------------------- comparing


def relation(a: str, b: str) -> Literal["agree", "contradict", "differ"]:
    """How two clauses already known to be about the same thing stand to each other.

    - "contradict": one is negated and the other not (odd parity of negations and negative
      verbs: "will not delay" / "will delay"; "collapsed" / "progressed" through an antonym),
      an antonym clash ("rose" / "fell"), or both give a figure of one unit with no value in
      common ("one year" / "two years", "$660 billion" / "$660 million");
    - "differ": both name someone and nobody in common, or both name a date of the same
      kind and no date in common (different days): two facts, neither for nor against;
    - "agree" otherwise.
    """
    if _flipped(a, b):
        return "contradict"
    qa, qb = _quantities(a), _quantities(b)
    for x in qa:
        same_kind = [y for y in qb if _comparable(x, y)]
        if same_kind and not any(same_quantity(x, y) or same_quantity(y, x) for y in same_kind):
            return "contradict"
    aa, ab = actors(a), actors(b)
    if aa and ab and not aa & ab:
        return "differ"
    da, db = _date_keys(a), _date_keys(b)
    for _, ka in da:
        kinds = [kb for _, kb in db if [v is None for v in kb] == [v is None for v in ka]]
        if kinds and ka not in kinds:
            return "differ"
    return "agree"


@functools.lru_cache(maxsize=4096)
def _clauses(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each clause of `text` with its content words, quotations blanked first: a quotation
    split at a comma must not leave its half a negation of the writer's own."""
    out = []
    text = _unquoted(text)
    for s, e in sentence_spans(text):
        for piece in re.split(r"[;:()—–]|,\s|\s-\s|\b(?:but|while|whereas|although)\b", text[s:e]):
            words = frozenset(content_words(piece))
            if words:
                out.append((piece, words))
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def _evidence_facts(evidence: str):
    return (
        _clauses(evidence),
        frozenset(_cue_list(evidence)),
        _quantities(evidence),
        _date_keys(evidence),
        actors(evidence),
        # Words the evidence writes as names: "Trump" is not in "a long-term trump card".
        frozenset(
            w.lower() for w in re.findall(r"[\w'’-]+", evidence.replace(".", "")) if w[:1].isupper()
        ),
    )


def additions(text: str, evidence: str) -> list[str]:
    """Why `text` says something `evidence` lacks, in words; empty when it says nothing new.

    Checked: a negation or negative verb added or removed (clause by clause, against the
    clause of the evidence it shares most words with); an antonym of the evidence's word; a
    figure whose value and unit no figure of the evidence has; a date no date of the evidence
    matches (vague ones too: "late November" is not "mid-November"); a name the evidence
    does not mention.
    """
    return list(_additions(text, evidence))


@functools.lru_cache(maxsize=4096)
def _additions(text: str, evidence: str) -> tuple[str, ...]:
    clauses, cues, ev_qty, ev_dates, ev_actors, ev_words = _evidence_facts(evidence)
    reasons: list[str] = []
    for clause, words in _clauses(text):
        own = _cue_list(clause)
        best = max(clauses, key=lambda c: len(words & c[1]), default=None)
        need = max(2, len(words) / 2)
        matched = best is not None and len(words & best[1]) >= need
        # Flipped only if every clause of the evidence that says enough of it is: evidence of
        # many sentences (a headline's) may deny one thing and state it elsewhere.
        if matched and any(
            len(words & c[1]) >= need and not _flipped(clause, c[0]) for c in clauses
        ):
            best = next(
                c for c in clauses if len(words & c[1]) >= need and not _flipped(clause, c[0])
            )
        if matched and _flipped(clause, best[0]):
            clash = antonym_clash(clause, best[0])
            if clash:
                reasons.append(f"says “{clash.split('/')[0]}” where its evidence says the opposite")
            elif _parity(clause):
                reasons.append(f"adds the negation “{own[0]}” its evidence lacks")
            else:
                gone = _cue_list(best[0])
                reasons.append(f"drops the negation “{gone[0] if gone else 'not'}” of its evidence")
            continue
        added = [c for c in own if c not in cues]
        if added:
            reasons.append(f"adds the negation “{added[0]}” its evidence lacks")
        elif not matched:
            clash = antonym_clash(clause, evidence)
            if clash and not _parity(clause):
                reasons.append(f"says “{clash.split('/')[0]}” where its evidence says the opposite")
    for q in _quantities(text):
        if not any(same_quantity(q, e) for e in ev_qty if q.unit is None or e.unit is not None):
            reasons.append(f"the figure “{q.text}” is not in its evidence")
    for written, key in _date_keys(text):
        if any(_date_matches(key, k) for _, k in ev_dates):
            continue
        if key[5] and _COUNTED.search(key[5]):
            continue  # "in two weeks": its count was checked as a figure
        reasons.append(f"the date “{written}” is not in its evidence")
    for name, keys in _names(text):
        # As written at the start of a word of the evidence also counts: a text cut short
        # ("...trade relationship with Ch") names no one new.
        if not _known(keys, ev_actors, ev_words) and not re.search(
            rf"\b{re.escape(name)}", evidence
        ):
            reasons.append(f"names “{name}”, who is not in its evidence")
    return tuple(dict.fromkeys(reasons))
