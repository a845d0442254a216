"""Who a quotation is attributed to: the one job of this module.

`speaker_of(text, start, end)` answers for the quotation whose words are text[start:end], by
the conventions of English news copy, and answers None whenever the text does not say or
could be read two ways: a wrong speaker is far worse than none.

1. The quotation's own attribution clause: after it ('"...," said X', '"...," X told'), else
   the nearest clause before it ('X said: "..."', 'X, an analyst, warned that "..."'), else
   "according to X" in the sentence. Quotations opened in one sentence and closed in a later
   one are one quotation: their attribution is before the first or after the last.
2. A name is given as fully as the article gives it ("Wu" -> "Wu Xinbo"), without titles
   ("Treasury Secretary Scott Bessent" -> "Scott Bessent").
3. A role ("the official said") is the nearest earlier person introduced with that role;
   when that is itself unnamed ("a WFP official"), the role as written.
4. A pronoun ("he noted") is the nearest person mentioned before it, within a few sentences;
   None when that nearest mention is one of two people, of the other gender, or a role that
   names nobody (then the role as written, never a person named earlier).
5. A quotation with no attribution at all is None: unattributed.

`same_speaker` checks a model's claimed speaker against the one of record.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass

from briefgen.speaker_words import (
    ADVERBS,
    DETERMINERS,
    INVERTING_VERBS,
    NAME_PARTICLES,
    NOT_NAMES,
    ORG_WORDS,
    PREPOSITIONS,
    PRONOUN_GENDER,
    ROLE_GENDER,
    ROLE_NOUNS,
    SPEECH_VERBS,
    SUBJECT_STOPS,
    TIME_WORDS,
    TITLE_GENDER,
    TITLES,
)
from briefgen.text import line_end, line_start, sentence_spans

_TOKEN = re.compile(r"[^\W_][\w'’.-]*|[,;:()—–]")
# A capitalised name on one line; a full stop only after an initial or a short title ("Mr.").
_NAME = (
    r"(?:[A-Z][a-z]{0,2}\.|[A-Z][\w'’-]*)"
    r"(?:[ \t]+(?:[A-Z][a-z]?\.|[A-Z][\w'’-]+|(?:de|da|van|von|bin|al|del)\b))*"
)
_ROLE_WORDS = "|".join(sorted(ROLE_NOUNS, key=len, reverse=True))
_ROLE = rf"(?:\b(?:{_ROLE_WORDS})s?\b|\b[a-z]+(?:man|men|woman|women|person)\b)"
_ROLE_CAPS = rf"(?:\b(?i:{_ROLE_WORDS})s?\b)"  # "The Director of ...": capitalised as a title
_MENTION = re.compile(
    # Every mention below opens on a capital, or on a lower-case letter that opens a word (a
    # role, "a", "the"): asked first, this turns most places in the text away at once, where
    # each branch would be tried (the same matches in a third less time).
    r"(?=[A-Z]|\b[a-z])(?:"
    # "President Rene Preval", "USGS analyst Dale Grant"
    rf"(?P<titled>(?:(?P<title>\b(?:{'|'.join(map(re.escape, sorted(TITLES)))}))"
    rf"|(?P<rolew>{_ROLE}))\s+(?P<tname>{_NAME}))"
    # "Ban noted", "Efstathios Daras, the Greek ambassador, described"
    rf"|(?P<said>(?P<sname>{_NAME})(?:,[^,“”\"]{{3,100}},)?\s+(?:\w+ly\s+|also\s+)?"
    rf"(?:{'|'.join(sorted(SPEECH_VERBS))})\b)"
    # "Cory Combs, an expert at ..."
    rf"|(?P<appos>(?P<aname>{_NAME}),\s+(?:(?:a|an|the|its|his|her|their)\s+)?"
    rf"(?:[\w'’-]+\s+){{0,3}}?(?P<arole>{_ROLE}))"
    # "a WFP official", "The Director of the WFP office in Geneva, Charles Vincent,"
    rf"|(?P<unnamed>\b(?:[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother)\s+"
    rf"(?P<urole>{_ROLE_CAPS}|(?:[\w'’-]+\s+){{0,3}}?{_ROLE})"
    rf"(?:(?:\s+(?:of|for|to|at|in|with)\s+[^,.;“”\"]{{0,50}}?)?,\s+(?P<uname>{_NAME})\s*,"
    # "a Shandong-based writer named Yixing"
    rf"|\s+(?:named|called|known as|using the pseudonym)\s+(?P<uname2>{_NAME}))?))"
)
_PRONOUN_WINDOW = 3  # sentences back a he/she may reach: news copy keeps antecedents close
_PRONOUN_REACH = 4000  # characters back the mention a he/she points at is looked for


# ---------------------------------------------------------------- quotations


_OPENING_MARK = re.compile('[“"]')


def quotations(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks in text[start:end].

    Marks pair within a line (a paragraph in news copy), so a quotation may hold several
    sentences; an opening mark that is never closed on its line opens nothing.
    """
    return list(_quotations(text, start, len(text) if end is None else end))


# Asked again and again of the same article text and line (every chunk, every quote in it):
# an article on one long line would be scanned whole each time. A string keeps its hash, so
# a hit costs no rescan. Sized, as _sentence_spans, above a big brief's articles (issue 16).
@functools.lru_cache(maxsize=1 << 14)
def _quotations(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    out = []
    i = start
    while i < end:
        found = _OPENING_MARK.search(text, i, end)  # jump to the next mark, not char by char
        if found is None:
            break
        i = found.start()
        ch = text[i]
        closes = min(line_end(text, i), end)
        close = text.find("”" if ch == "“" else '"', i + 1, closes)
        if close < 0:
            i = closes
            continue
        if ch == "“" and "“" in text[i + 1 : close]:  # a "continuing" opener: the next one counts
            i = text.index("“", i + 1, close)
            continue
        if close - i > 2:
            out.append((i + 1, close))
        i = close + 1
    return tuple(out)


def _enclosing(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole quotation that text[start:end] is (part of); the offsets themselves if none."""
    ls = line_start(text, start)
    le = line_end(text, end)
    for qs, qe in quotations(text, ls, len(text) if le < 0 else le):
        if qs - 1 <= start and end <= qe + 1:
            return qs, qe
    return start, end


# ---------------------------------------------------------------- the rule


def speaker_of(text: str, quote_start: int, quote_end: int) -> str | None:
    """Who `text` attributes the quotation at text[quote_start:quote_end] to, or None."""
    return _speaker_of_quotation(text, *_enclosing(text, quote_start, quote_end))


# Extraction, grounding and verification each ask for the same quotations' speakers, each
# by its own offsets (the words inside the marks, or those words stripped); the answer
# depends on the text and the whole quotation alone, so it is cached by the quotation's.
# 1 << 14: above the 653 distinct questions of one brief of all 100 MultiLing articles and
# the quotations of a brief of a few thousand articles (issue 16), so a brief's own questions
# stay cached while it is made; 1024 missed on every one past the 1,024th.
@functools.lru_cache(maxsize=1 << 14)
def _speaker_of_quotation(text: str, qs: int, qe: int) -> str | None:
    before, after = _zones(text, qs, qe)
    if re.search(r"\b[Cc]iting\b", text[before[0] : before[1]]):
        return None  # "Citing Wang, Little Flute says ... "...": whose words are they?
    who = _clause_after(text, after) or _clause_before(text, before) or _according(text, before)
    if who is None:
        who = _according(text, after)
    if who is None:
        return _introduced(text, before, after)
    return _resolve(_masked(text), who)


@functools.lru_cache(maxsize=16)  # once per article text, not once per quotation
def _masked(text: str) -> str:
    """The text with every quotation's words blanked: what a quotation says ("I spoke with
    Mr. Clinton") mentions nobody the narrative introduced."""
    chars = list(text)
    for qs, qe in quotations(text):
        chars[qs:qe] = " " * (qe - qs)
    return "".join(chars)


def _introduced(text: str, before: tuple[int, int], after: tuple[int, int]) -> str | None:
    """A quotation that is a whole sentence of its own speaks for whoever the sentence before
    it, in the same paragraph, introduced: its one person, named at its start ("Joseph Delva,
    a reporter, was in the area. "Everything started shaking.""), or the speaker of the
    quotation that sentence ends with (a quotation continued)."""
    if text[before[0] : before[1]].strip() or text[after[0] : after[1]].strip(" .,"):
        return None
    # The sentences just before the quotation, not the whole line again (see _spans).
    prev = [(s, e) for s, e in _spans(text, _back(text, before[0]), before[0]) if e <= before[0]]
    if not prev:
        return None
    ps, pe = prev[-1]
    inner = quotations(text, ps, pe)
    if inner and len(text[inner[-1][1] + 1 : pe].split()) <= 12:
        return speaker_of(text, *inner[-1])  # '"A," he said. "B."': B is his too
    masked = _masked(text)
    people = [m for m in _mentions(masked, pe, ps) if m.kind != "org"]
    opener = re.match(rf"({_NAME}),", text[ps:pe])
    names = _names(opener.group(1)) if opener else []
    if not people and len(names) == 1 and " " in names[0]:
        return names[0]  # "Rachmani Domersant, an employee for a charity, described ..."
    if len({m.name or m.role for m in people}) != 1 or people[0].at > ps + 2:
        return None
    return people[0].name or people[0].role


@dataclass
class _Who:
    kind: str  # "name", "role" or "pronoun"
    words: str
    at: int  # where it stands in the text


def _zones(text: str, qs: int, qe: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The rest of the quotation's sentence(s): before its opening mark and after its close,
    not reaching into another quotation."""
    ls = line_start(text, qs)
    le = line_end(text, qe)
    le = len(text) if le < 0 else le
    # Sentences and quotations come in text order: the neighbours are found by bisection,
    # so a line of megabytes is not walked again for each of its quotations.
    spans = sentence_spans(text, ls, le)
    opened = bisect.bisect_right(spans, qs - 1, key=_first)  # sentences opening before it
    lo = spans[opened - 1][0] if opened else ls
    closing = bisect.bisect_right(spans, qe, key=_last)  # the first ending after it
    hi = spans[closing][1] if closing < len(spans) else le
    quoted = quotations(text, ls, le)
    earlier = bisect.bisect_left(quoted, qs, key=_last)  # quotations closed before it opens
    if earlier:
        lo = max(lo, quoted[earlier - 1][1] + 1)
    later = bisect.bisect_right(quoted, qe, key=_first)  # the first opening after it closes
    if later < len(quoted):
        hi = min(hi, quoted[later][0] - 1)
    if not text[qe + 1 : hi].strip(" \t.,") and hi < le:
        # '"Why?" Smith asked.' ends a sentence at the mark: a short clause that follows
        # is still this quotation's attribution.
        following = bisect.bisect_left(spans, qe + 1, key=_first)
        nxt = spans[following] if following < len(spans) else None
        if nxt and len(text[nxt[0] : nxt[1]].split()) <= 12 and not _has_mark(text, *nxt):
            hi = nxt[1] if _clause_after(text, nxt) else hi
    return (lo, max(lo, qs - 1)), (min(qe + 1, hi), hi)


def _back(text: str, at: int, sentences: int = 2) -> int:
    """Where the sentence `sentences` before the one holding `at` starts, in its line."""
    opens = line_start(text, at)
    line = sentence_spans(text, opens, line_end(text, opens))
    holding = bisect.bisect_right(line, at, key=_last)
    return line[max(0, holding - sentences)][0] if line else opens


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """sentence_spans(text, line_start, end)[from the sentence holding `start`:], where
    line_start opens the line of `start`: split from that sentence on, not from the line's
    start again for every quotation in a long line. (Where a sentence ends near `end`
    depends on what follows `end`, so the stretch is split, not cut from the line's split.)"""
    first = line_start(text, start)
    line = sentence_spans(text, first, line_end(text, first))
    holding = bisect.bisect_right(line, start, key=_last)
    opens = min(line[holding][0], start) if holding < len(line) else start
    return sentence_spans(text, opens, end)


def _first(span: tuple[int, int]) -> int:
    return span[0]


def _last(span: tuple[int, int]) -> int:
    return span[1]


def _has_mark(text: str, start: int, end: int) -> bool:
    return any(c in text[start:end] for c in '“”"')


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int]]:
    out = []
    for m in _TOKEN.finditer(text, start, end):
        tok = m.group(0)
        if len(tok) > 2 and tok.endswith(".") and tok[:-1] not in TITLES and "." not in tok[:-1]:
            tok = tok[:-1]  # a full stop, not an abbreviation
        out.append((tok, m.start()))
    return out


def _clause_after(text: str, zone: tuple[int, int]) -> _Who | None:
    """'..." said X' or '..." X said', right after the closing mark."""
    toks = _tokens(text, *zone)
    while toks and toks[0][0] in ",;:—–":
        toks.pop(0)
    words = [t.lower() for t, _ in toks]
    if words[:1] and words[0] in INVERTING_VERBS:
        return _subject_forward(toks[1:])
    if words[:2] == ["according", "to"]:
        return _subject_forward(toks[2:])
    for v in range(1, min(len(words), 30)):
        if words[v] in SPEECH_VERBS:
            # '"...," Wu Xinbo, an expert on ties, said': the subject must open the zone.
            return _subject_back(toks, v, whole=True)
        if toks[v][0] in ";:()":
            break
    return None


def _clause_before(text: str, zone: tuple[int, int]) -> _Who | None:
    """The nearest 'X said' before the opening mark: its subject speaks."""
    toks = _tokens(text, *zone)
    words = [t.lower() for t, _ in toks]
    for v in range(len(words) - 1, -1, -1):
        if words[v] in SPEECH_VERBS and not (v and words[v - 1] in {"was", "were", "be", "been"}):
            if (
                v == 0
                and len(words) > 1
                and toks[1][0][:1].isupper()
                and words[0] in INVERTING_VERBS
            ):
                return _subject_forward(toks[v + 1 :])  # 'Said Smith: "..."'
            return _subject_back(toks, v)
    return None


def _according(text: str, zone: tuple[int, int]) -> _Who | None:
    toks = _tokens(text, *zone)
    words = [t.lower() for t, _ in toks]
    for i in range(len(words) - 2, -1, -1):
        if words[i : i + 2] == ["according", "to"]:
            return _subject_forward(toks[i + 2 :])
    return None


def _subject_back(toks: list[tuple[str, int]], v: int, whole: bool = False) -> _Who | None:
    """The subject of the verb toks[v], read back from it; `whole`: it must open the zone."""
    i = v - 1
    while i >= 0 and toks[i][0].lower() in ADVERBS:
        i -= 1
    if i >= 1 and toks[i][0] in TIME_WORDS and toks[i - 1][0].lower() in {"on", "last", "this"}:
        i -= 2  # "Ahmadinejad on Wednesday announced"
    appos: list[tuple[str, int]] = []
    if i >= 0 and toks[i][0] == ",":  # "Smith, the head of the agency, said"
        j = i - 1
        while j >= 0 and toks[j][0] not in ",;:()—–" and i - j < 20:
            j -= 1
        if j < 0 or toks[j][0] != ",":
            return None
        appos, i = toks[j + 1 : i], j - 1
    np: list[tuple[str, int]] = []
    while i >= 0 and toks[i][0] not in ",;:()—–" and toks[i][0].lower() not in SUBJECT_STOPS:
        np.insert(0, toks[i])
        i -= 1
        if len(np) == 8:
            break
    if not appos and np and i >= 0 and toks[i][0].lower() in PREPOSITIONS:
        # "John Sifton, researcher at Human Rights Watch said": the subject is further back
        j = i
        while j >= 0 and toks[j][0] not in ",;:()—–" and v - j < 16:
            j -= 1
        if j >= 1 and toks[j][0] == "," and any(_is_role(t) for t, _ in toks[j + 1 : v]):
            return _name_in(_np_back(toks, j - 1))
        return None
    if not appos and np and i >= 1 and toks[i][0] == "," and _is_role(np[-1][0]):
        # "Margaret Beckett, the U.K.'s Foreign Secretary said": the name before the role
        name = _name_in(_np_back(toks, i - 1))
        if name:
            return name
    if whole and i >= 0:
        return None  # '..." and the talks, Smith said' is not the quotation's clause
    return _who(np, appos)


def _np_back(toks: list[tuple[str, int]], i: int) -> list[tuple[str, int]]:
    np: list[tuple[str, int]] = []
    while i >= 0 and toks[i][0] not in ",;:()—–" and toks[i][0].lower() not in SUBJECT_STOPS:
        np.insert(0, toks[i])
        i -= 1
    return np


def _subject_forward(toks: list[tuple[str, int]]) -> _Who | None:
    np: list[tuple[str, int]] = []
    for tok, at in toks:
        if tok in ",;:()—–" or tok.lower() in SUBJECT_STOPS or len(np) == 8:
            break
        np.append((tok, at))
    n = len(np)
    if np and _is_role(np[-1][0]) and n + 1 < len(toks) and toks[n][0] in ("of", "for"):
        for tok, at in toks[n : n + 4]:  # "the Minister for London": the role as written
            if tok in ",;:()—–":
                break
            np.append((tok, at))
        return _Who("role", " ".join(t for t, _ in np), np[0][1])
    appos: list[tuple[str, int]] = []
    rest = toks[len(np) + 1 :]
    if len(np) < len(toks) and toks[len(np)][0] == ",":  # "said the director, Charles Vincent"
        for tok, at in rest:
            if tok in ",;:()—–" or tok.lower() in SUBJECT_STOPS:
                break
            appos.append((tok, at))
    return _who(np, appos)


def _who(np: list[tuple[str, int]], appos: list[tuple[str, int]]) -> _Who | None:
    if not np:
        return None
    first = np[0][0].lower()
    if len(np) == 1 and first in PRONOUN_GENDER:
        return _Who("pronoun", first, np[0][1])
    cut = next((i for i, (t, _) in enumerate(np) if t in ("of", "at")), None)
    if cut and _name_in(np[:cut]) and " " in _name_in(np[:cut]).words:
        return _name_in(np[:cut])  # "John Bellinger of the State Department"
    name = _name_in(np)
    if name:
        return name
    head = np[-1][0].lower()
    if _is_role(head):
        other = _name_in(appos) if appos else None
        if other:  # "the director, Charles Vincent, said"
            return other
        return _Who("role", " ".join(t for t, _ in np), np[0][1])
    return None


def _name_in(np: list[tuple[str, int]]) -> _Who | None:
    """The name a noun phrase ends with, after its titles; None if it ends in a common word."""
    run: list[tuple[str, int]] = []
    for tok, at in reversed(np):
        if tok[:1].isupper() or (run and tok in NAME_PARTICLES):
            run.insert(0, (tok, at))
        else:
            break
    while run and (run[0][0] in NOT_NAMES or run[0][0] in NAME_PARTICLES):
        run.pop(0)
    if run and len(run) < len(np) and np[len(np) - len(run) - 1][0] == "of" and len(np) > 2:
        if not any(t in TITLES for t, _ in run):
            return None  # "supporters of Ahmadinejad said": he is not the one speaking
    titled = [i for i, (t, _) in enumerate(run) if t in TITLES or t.rstrip(".") in TITLES]
    if titled:
        run = run[titled[-1] + 1 :]
    while len(run) > 1 and _is_role(run[0][0]):
        run.pop(0)  # "Filmmaker Zhang Yimou"
    if not run or _is_role(run[-1][0].lower()):
        return None
    return _Who("name", " ".join(t for t, _ in run), run[0][1])


def _is_role(word: str) -> bool:
    lower = word.lower()
    if lower in ROLE_NOUNS or (lower.endswith("s") and lower[:-1] in ROLE_NOUNS):
        return True
    # "servicemen", "chairwoman"; not a surname such as "Triesman"
    return word.islower() and len(word) > 6 and word.endswith(("man", "men", "person", "people"))


# ---------------------------------------------------------------- resolution


def _resolve(text: str, who: _Who) -> str | None:
    if who.kind == "name":
        return full_name(text, who.words)
    if who.kind == "role":
        return _role(text, who)
    return _pronoun(text, who)


def full_name(text: str, name: str) -> str:
    """The fullest form of `name` the article gives: "Wu" -> "Wu Xinbo" when that is the one
    person the article calls both; the name itself when it is already full or not unique."""
    if " " in name:
        return name
    longer = set(_longer_names(text).get(name, ()))
    return longer.pop() if len(longer) == 1 else name


@functools.lru_cache(maxsize=16)  # once per article, not once per quotation
def _longer_names(text: str) -> dict[str, tuple[str, ...]]:
    """A first or last name -> the names of several words in the text that it is part of."""
    found: dict[str, set[str]] = {}
    for n in _names(text):
        words = n.split()
        if len(words) > 1:
            for part in (words[0], words[-1]):
                found.setdefault(part, set()).add(n)
    return {part: tuple(sorted(names)) for part, names in found.items()}


def _names(text: str) -> list[str]:
    """Capitalised names in the text, titles dropped ("President Barack Obama" -> "Barack
    Obama"); sentence openers ("The") are not part of them."""
    out = []
    for m in re.finditer(_NAME, text):
        tokens = m.group(0).split()
        titled = [i for i, t in enumerate(tokens) if t in TITLES or t.rstrip(".") in TITLES]
        tokens = tokens[titled[-1] + 1 :] if titled else tokens
        while tokens and tokens[0] in NOT_NAMES:
            tokens.pop(0)
        if tokens and tokens[-1] not in ORG_WORDS:
            out.append(" ".join(tokens))
    return out


@dataclass
class _Mention:
    at: int
    name: str | None  # None: a role that names nobody ("a WFP official")
    role: str  # the role as written, or ""
    gender: str | None
    kind: str = "person"  # "org": a one-word subject not known as a person ("Oxfam said")


def _mentions(text: str, end: int, start: int = 0) -> list[_Mention]:
    """People mentioned in text[start:end], in order: a name beside a title or role, a name
    that says something, and roles that name nobody; a surname alone is the one person named
    in full before `end`. `text` should have its quotations blanked."""
    found = _all_mentions(text)
    cut = bisect.bisect_right(found.stops, end)
    first = bisect.bisect_left(found.starts, start, 0, cut)
    out = []
    for mention in found.mentions[first:cut]:
        # a surname alone ("Vincent said") is the person named in full before
        full = {name for at, name in found.fuller.get(mention.name or "", ()) if at < cut}
        if len(full) == 1:
            mention = dataclasses.replace(mention, name=full.pop(), kind="person")
        out.append(mention)
    return out


@dataclass(frozen=True)
class _Found:
    mentions: tuple[_Mention, ...]  # in the order of the text
    stops: tuple[int, ...]  # where each one's match ends (ascending)
    starts: tuple[int, ...]  # where each one starts (ascending)
    # a first or last name -> (index of the mention, the full name it is part of)
    fuller: dict[str, tuple[tuple[int, str], ...]]


# The text is searched once, not up to each quotation again: an article of one long line
# would be searched whole for every quotation in it.
@functools.lru_cache(maxsize=16)
def _all_mentions(text: str) -> _Found:
    out: list[_Mention] = []
    stops: list[int] = []  # where each mention's match ends
    for m in _MENTION.finditer(text):
        found = len(out)
        if m.group("titled"):
            name = _names(m.group("tname"))
            words = m.group("titled").split()
            if name:
                role = words[len(words) - len(name[0].split()) - 1]
                out.append(_Mention(m.start(), name[0], role.lower(), _gender(role)))
        elif m.group("said") and _names(m.group("sname")):
            name = _names(m.group("sname"))[-1]
            if not _is_role(name.split()[-1]):
                # One word that no title or role marks ("Oxfam said") may not be a person:
                # it stands between a pronoun and anyone before it, but is never its answer.
                kind = "person" if " " in name else "org"
                out.append(_Mention(m.start(), name, "", None, kind))
        elif m.group("appos") and _names(m.group("aname")):
            name = _names(m.group("aname"))[-1]
            out.append(_Mention(m.start(), name, m.group("arole").lower(), None))
        elif m.group("unnamed"):
            role = m.group("urole").split()[-1].lower()
            named = m.group("uname") or m.group("uname2")
            name = _names(named)[-1] if named and _names(named) else None
            written = re.split(r",| named| called| known| using", m.group("unnamed"))[0].strip()
            if name is None and written.split()[0].lower() == "the":
                # "the president" is the president named before, if any was.
                earlier = [n for n in out if n.name and _same_role(n.role, role)]
                name = earlier[-1].name if earlier else None
            out.append(_Mention(m.start(), name, written if name is None else role, _gender(role)))
        stops += [m.end()] * (len(out) - found)
    fuller: dict[str, list[tuple[int, str]]] = {}
    for i, n in enumerate(out):
        if n.name and " " in n.name:
            for part in {n.name.split()[0], n.name.split()[-1]}:
                fuller.setdefault(part, []).append((i, n.name))
    return _Found(
        tuple(out), tuple(stops), tuple(n.at for n in out),
        {part: tuple(names) for part, names in fuller.items()},
    )  # fmt: skip


def _same_role(a: str, b: str) -> bool:
    return bool(a and b) and a.split()[-1].lower().rstrip("s") == b.split()[-1].lower().rstrip("s")


def _gender(word: str) -> str | None:
    return TITLE_GENDER.get(word) or ROLE_GENDER.get(word.lower())


def _role(text: str, who: _Who) -> str | None:
    """A definite role ("the official") is the nearest person introduced with it before;
    an indefinite or plural one ("a WFP official", "officials") speaks as written."""
    words = who.words.split()
    head = words[-1].lower()
    if words[0].lower() != "the" or len(words) != 2:
        return who.words  # "a WFP official", "officials", "the Minister for London"
    same = [m for m in _mentions(text, who.at) if _same_role(m.role, head)]
    if not same:
        return who.words
    if len({m.name for m in same if m.name}) > 1:
        return None  # "the minister" when two ministers were named: either could be meant
    return same[-1].name or same[-1].role


def _pronoun(text: str, who: _Who) -> str | None:
    """He or she: the nearest person before it, if nearby, unambiguous and of that gender."""
    # Only the stretch before the pronoun can hold its antecedent: _PRONOUN_WINDOW sentences
    # rarely reach further back than _PRONOUN_REACH characters.
    reach = max(0, who.at - _PRONOUN_REACH)
    mentions = [m for m in _mentions(text, who.at, reach) if not m.role.endswith("s") or m.name]
    if not mentions:
        return None
    nearest = mentions[-1]
    if nearest.kind == "org":
        return None
    spans = _spans(text, nearest.at, who.at)  # from the sentence that names it
    here = sum(1 for s, _ in spans if s <= nearest.at)
    # Sentences that name no one but go on with "he" ('"...," he says.') keep him in
    # reach; any other sentence moves him further back.
    pronoun = re.compile(rf"\b{who.words}\b", re.I)
    between = [(s, e) for s, e in spans[here:] if not pronoun.search(text, s, e)]
    if len(between) >= _PRONOUN_WINDOW:
        return None  # too far back to be what "he" points at
    window_start = spans[here - 1][0] if here else nearest.at
    near = {m.name or m.role for m in mentions if m.at >= window_start}
    if len(near) > 1 or _other_subject(text, window_start, who.at, nearest):
        return None  # two people in reach: "he" could be either
    if nearest.gender and nearest.gender != PRONOUN_GENDER[who.words]:
        return None
    return nearest.name or nearest.role


def _other_subject(text: str, start: int, end: int, mention: _Mention) -> bool:
    """Whether a sentence in text[start:end] opens with a name that is not `mention`'s
    ("Obama met Gordon Brown."): a person the mention rules missed may be who "he" is."""
    verb = r"(?:[a-z]+ed|[a-z]+[^s]s|met|told|said|spoke|took|gave|went|made|won|lost)\b"
    for s, _ in sentence_spans(text, start, end):
        m = re.match(rf"({_NAME})\s+{verb}", text[s:end])
        names = _names(m.group(1)) if m and s != mention.at else []
        if names and names[0] not in (mention.name or "") and not names[0].isupper():
            return not names[0].endswith(("’s", "'s", "ing", "-based"))
    return False


# ---------------------------------------------------------------- checking a model


def same_speaker(claimed: str | None, of_record: str | None) -> bool:
    """Whether a claimed speaker is the one of record: the same words up to case, titles and
    articles, or one a part of the other that keeps its surname ("Bessent", "Scott Bessent").
    Naming anyone when the record names no one is not the same."""
    a, b = _key(claimed), _key(of_record)
    if not a or not b:
        return a == b
    if _names_a_role(claimed) != _names_a_role(of_record):
        return False  # Tony Blair is not "a spokesperson for Tony Blair"
    short, long = sorted((a, b), key=len)
    return short == long or (set(short) <= set(long) and bool({long[0], long[-1]} & set(short)))


def _names_a_role(speaker: str | None) -> bool:
    """Whether a speaker is a role ("a spokesperson for Tony Blair") rather than a name."""
    words = (speaker or "").split()
    if words and words[0].lower() in DETERMINERS:
        words = words[1:]
    if len(words) == 1:
        return _is_role(words[0])
    return any(w.islower() and _is_role(w) for w in words) or bool(words) and words[-1].islower()


_LOWER_TITLES = frozenset(t.lower().rstrip(".") for t in TITLES)


def _key(speaker: str | None) -> list[str]:
    words = [w.strip(".,’'").lower() for w in (speaker or "").split()]
    words = [re.sub(r"men$", "man", w) for w in words]  # "one servicemen" is one serviceman
    return [w for w in words if w and w not in _LOWER_TITLES and w not in DETERMINERS]
