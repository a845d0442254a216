"""Polarity: whether a text denies what it says, and antonyms that reverse it.

This module has that one job: `polarity_cues` finds the negations and negative-polarity verbs
outside quotation marks (`quoted_spans` finds those), and `antonym_clash` finds one text using
one side of an antonym pair where another uses the other side. facts.py uses them to tell
whether two clauses about the same thing contradict each other.

The word lists are general English: the negators of any grammar of English, the verbs news
uses for a plan that stops, the antonyms of a thesaurus's first rank; none was read off one
corpus.
"""

from __future__ import annotations

import functools
import re

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
# Every cue opens on one of these letters (in any case): asked first, they turn most places
# in a text away at once, where each of the cues would be tried (the same matches, found in
# half the time; tests/test_fast_paths.py).
_CUE_OPENERS = "(?=(?i:[abcdfhnprsuvw]))"
_CUE = re.compile(
    _CUE_OPENERS
    + "(?:"
    + "|".join(
        rf"(?P<c{i}>\b(?i:{pattern})\b)"
        if "n['’]t" not in pattern
        else rf"(?P<c{i}>(?i:{pattern})\b)"
        for i, pattern in enumerate([*_NEGATORS, *_NEGATIVE_VERBS])
    )
    + ")"
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


def cue_spans(text: str) -> list[tuple[str, int, int]]:
    """(cue, start, end) of each polarity cue of `text` outside quotation marks, at its
    offsets in `text` (what is masked is blanked, not removed)."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    plain = _NOT_NEGATION.sub(blank, QUOTATION.sub(blank, text))
    return [(_CUE_NAMES[int(m.lastgroup[1:])], m.start(), m.end()) for m in _CUE.finditer(plain)]


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
# Each form of a lemma opens on the lemma's first letter ("rose" of "rise", "brought" of
# "bring forward"), and every form on a word's first: asked first, as for _CUE.
_ANTONYM_OPENERS = rf"\b(?=(?i:[{''.join(sorted({w[0] for w in _LEMMAS}))}]))"
_ANTONYM_WORD = re.compile(
    _ANTONYM_OPENERS
    + "(?:"
    + "|".join(rf"(?P<w{i}>\b(?i:{_verb_forms(w)})\b)" for i, w in enumerate(_LEMMAS))
    + ")"
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
