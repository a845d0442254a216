"""What a sentence asserts, in comparable pieces: quantities, polarity, dates, actors.

This module has that one job: comparing what two texts assert. Every function is pure
(caches aside) and works on plain text, so the same rules judge a model's note against its
evidence (ground.py), a written point against the findings it cites (verify.py) and two
articles' clauses against each other (merge.py).

- `actors`: the capitalised names a text mentions.
- `relation`: whether two clauses about the same thing agree, contradict or differ.
- `additions`: what a text says that its evidence does not.

The pieces it compares come from quantities.py (`quantities`, `same_quantity`: figures) and
polarity.py (`polarity_cues`, `antonym_clash`, `quoted_spans`: negations, antonyms,
quotations); they are importable from here too. The names, titles and aliases below are
general English and the capitals news names a government by; none was read off one corpus.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from briefgen import dates

# Some of these are here only to be re-exported (unused in this module, hence the noqa):
# merge.py, ground.py, verify.py and the tests import them from briefgen.facts.
from briefgen.polarity import (  # noqa: F401
    ANTONYMS,
    NEGATIONS,
    NEGATIVE_VERBS,
    QUOTATION,
    _cue_list,
    _flipped,
    _parity,
    _unquoted,
    antonym_clash,
    polarity_cues,
    quoted_spans,
)
from briefgen.quantities import (  # noqa: F401
    _WORDNUM,
    Quantity,
    _comparable,
    _masked_dates,
    _quantities,
    quantities,
    same_quantity,
)
from briefgen.text import STOPWORDS, content_words, sentence_spans

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
    # covering most of the shorter word, each word ending past it as demonyms and
    # inflections end. Not any shared stem: "Scott Bess" (a model's copy of "Scott Bessent"
    # cut short mid-sentence) names no one the evidence does.
    for k in keys:
        for o in others:
            if " " in k or " " in o:
                continue
            n = len(_common_prefix(k, o))
            if n >= 4 and n >= 0.6 * min(len(k), len(o)) and {k[n:], o[n:]} <= _NAME_ENDINGS:
                return True
    return False


# What a name's stem may end in when the same name is written as a people, a language or
# an inflection: China/Chinese, Japan/Japanese, Russia/Russian, Iran/Iranian,
# Britain/British, Israel/Israeli, Germany/German, Egypt/Egyptian, Korea/Korean.
_NAME_ENDINGS = frozenset(
    {"", "a", "e", "i", "n", "s", "y", "an", "ia", "ic", "es", "is", "ns", "ain", "ans", "ese",
     "ian", "ish", "ians"}
)  # fmt: skip


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
    if " ".join(text.split()) == " ".join(evidence.split()):
        # The text is its evidence (a model's claim named by its sentence number): it can add
        # nothing, and reading both for negations, figures, dates and names costs most of a
        # model call's grounding.
        return []
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
    ends_at = text.rstrip(" .…").endswith
    for name, keys in _names(text):
        # As written at the start of a word of the evidence also counts where the text ends
        # on it: a text cut short ("...trade relationship with Ch") names no one new.
        whole = "" if ends_at(name) else r"(?!\w)"
        if not _known(keys, ev_actors, ev_words) and not re.search(
            rf"\b{re.escape(name)}{whole}", evidence
        ):
            reasons.append(f"names “{name}”, who is not in its evidence")
    return tuple(dict.fromkeys(reasons))
