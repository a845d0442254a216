"""Names in news text, typed as person, organization, place or other, by general rules.

A name is a run of capitalised words ("Scott Bessent", "Bank of England", "U.S."). What looks
like a name but is not one is left out by rules about English, not about any corpus:

- a capitalised word at a sentence start is a name only if the article also writes it
  capitalised where case carries meaning (inside a sentence), or it is not a dictionary word:
  "According", "Analysts", "Air" open sentences, "Trump" and "Pichilemu" are names;
- function words ("All", "The", "He") never open a name;
- a word before a number is a label or a unit ("Section 301", "06:34 UTC", "322 million USD");
- a lone head word ("Ministry", "Region") is a reference to a name, not a name;
- demonyms ("Chinese", "Romanians") are adjectives or groups, not entities.

One thing has one name: "US", "U.S.", "U.S.A.", "America" and "United States" are all
"United States" (ALIASES in entity_words.py, through `canonical`, which merge.py applies
across notes, so that a name stays as written in a chunk's notes, where grounding looks for
it). A lone "Xi" in an article that names "Xi Jinping" is typed as him; merge folds it in.

A name is typed from what the whole article says of it (its cues, gathered once per article):
a title or a speech verb makes a person, a head word ("Ministry", "Ocean") or an acronym an
organisation or a place, a gazetteer (data/places.txt) knows places, and names listed with a
known place ("Rancagua, Talca and Santiago") are places. The dictionary is `english-words`
(Webster's Second and GCIDE, which list common words in lower case and names capitalised).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from briefgen import entity_words as words
from briefgen.entity_words import canonical as canonical  # the public face, with find_entities
from briefgen.entity_words import load_places as load_places
from briefgen.schema import Entity, EntityKind
from briefgen.text import sentence_spans

# ---------------------------------------------------------------- runs of capitalised words


@dataclass
class _Run:
    tokens: list[str]
    start: int  # offsets in the sentence
    end: int
    initial: bool  # opens the sentence (or a quotation, or what follows a colon)


def _is_cap(token: str) -> bool:
    return token[:1].isupper() and _bare(token).lower() not in words.CALENDAR_WORDS


_DOTTED_POSSESSIVE = re.compile(r"\.[’']s?$")


def _is_initial(sentence: str, start: int) -> bool:
    before = sentence[:start].rstrip()
    if not before.strip(words.OPENERS + " "):
        return True
    return before.endswith((":", "“", '"', "‘", "—", "–")) or before.endswith(" -")


# Capital letters of any script Python knows ("Ó", "Ş"), for a regular expression that finds
# stretches of capitalised words in C, so that only those are read word by word. The capital
# comes first and what may not stand before it is asked after it, as a look two characters
# back ("x" in "xY"): a pattern that opens on a set of characters is scanned for that set in
# C (twice as fast), where one that opens on a look back is tried at every character.
_UPPER = "".join(c for c in map(chr, range(0x2FF)) if c.isupper() and c not in "\\]^-") + "Ā-ž"
_CANDIDATES = re.compile(
    rf"[{_UPPER}](?<![\w’'\-].)[\w’'.\-]*"
    rf"(?:(?:[ \t]+|[ \t]&[ \t])(?:(?:{'|'.join(sorted(words.CONNECTORS))})[ \t]+){{0,2}}[{_UPPER}][\w’'.\-]*)*"
)


def _runs(sentence: str) -> list[_Run]:
    """Maximal runs of capitalised words on one line; connectors may join them, possessives end them."""
    runs: list[_Run] = []
    for m in _CANDIDATES.finditer(sentence):
        runs.extend(_runs_in(sentence, list(words.TOKEN.finditer(sentence, m.start(), m.end()))))
    return runs


def _runs_in(sentence: str, tokens: list[re.Match[str]]) -> list[_Run]:
    if len(tokens) == 1:  # most stretches are one word: what the loop below makes of it
        t = tokens[0]
        word = t.group()
        if not _is_cap(word):
            return []
        return [_Run([word], t.start(), t.end(), _is_initial(sentence, t.start()))]
    runs: list[_Run] = []
    i = 0

    def joined(a: re.Match[str], b: re.Match[str]) -> bool:
        gap = sentence[a.end() : b.start()]
        return gap in (" ", "  ", " & ") or (gap.isspace() and "\n" not in gap)

    while i < len(tokens):
        if not _is_cap(tokens[i].group()):
            i += 1
            continue
        j = i
        while not words.POSSESSIVE.search(tokens[j].group()):
            k = j + 1
            while (
                k < len(tokens)
                and k - j <= 2
                and tokens[k].group() in words.CONNECTORS
                and joined(tokens[k - 1], tokens[k])
                and _connects(tokens[k - 1].group(), tokens[k].group())
            ):
                k += 1
            if k < len(tokens) and _is_cap(tokens[k].group()) and joined(tokens[k - 1], tokens[k]):
                j = k
            else:
                break
        written = [t.group() for t in tokens[i : j + 1]]
        runs.append(
            _Run(
                written,
                tokens[i].start(),
                tokens[j].end(),
                _is_initial(sentence, tokens[i].start()),
            )
        )
        i = j + 1
    return runs


def _connects(before: str, connector: str) -> bool:
    if connector == "the":
        return before in ("of", "for")
    if connector in words.AFTER_HEAD_ONLY:
        return before in words.ORG_HEADS
    return True


# ---------------------------------------------------------------- what an article says of a name


@dataclass
class _Cues:
    mentions: int = 0
    person: int = 0  # titled, an honorific, a speech verb, a lower-case title before it
    place: int = 0  # "in X", "near X"
    label: int = 0  # followed or preceded by a number


@dataclass
class Profile:
    """What one article says about its capitalised words and names, gathered once."""

    places: frozenset[str]
    # Written capitalised inside a sentence: whole names, and the first and last words of
    # longer ones ("Trump" of "Donald Trump"), not their middles ("Rare" of "Lynas Rare Earths").
    inner_caps: set[str] = field(default_factory=set)
    lower: set[str] = field(default_factory=set)  # words the article writes in lower case
    heads: dict[str, EntityKind] = field(default_factory=dict)  # "Maule" of "Maule Region"
    cues: dict[str, _Cues] = field(default_factory=dict)
    persons: set[str] = field(default_factory=set)  # multi-word names typed person
    # Each sentence's names (name, titled), read once: the engine asks sentence by sentence.
    by_sentence: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    shown: dict[tuple[str, bool], tuple[str, EntityKind] | None] = field(default_factory=dict)
    person_parts: frozenset[str] | None = None  # see _person_parts


@functools.lru_cache(maxsize=64)
def profile(text: str, places: frozenset[str]) -> Profile:
    """The article's capitalised words and the cues around each name it writes."""
    prof = Profile(places=places)
    spans = sentence_spans(text)
    sentences = [text[s:e] for s, e in spans]
    all_runs = [(_runs(sentence), sentence) for sentence in sentences]
    for runs, _ in all_runs:
        for run in runs:
            bare = [_bare(t) for t in run.tokens]
            if run.initial:
                bare = bare[1:]  # only the first word of a sentence is capitalised by rule
            if bare:
                prof.inner_caps.update({" ".join(bare), bare[0], bare[-1]})
                # "President Xi Jinping": the name after a title starts anew.
                prof.inner_caps.update(
                    bare[i + 1] for i in range(len(bare) - 1) if bare[i].rstrip(".") in words.TITLES
                )
    prof.lower = set(_LOWER_WORD.findall(text))
    for runs, sentence in all_runs:
        names = prof.by_sentence.setdefault(sentence, [])
        listed: list[tuple[str, int, int]] = []
        for run in runs:
            for name, cue_person, start, end in _names_in_run(run, sentence, prof):
                names.append((name, cue_person))
                listed.append((name, start, end))
                cues = prof.cues.setdefault(name, _Cues())
                cues.mentions += 1
                before, after = sentence[:start], sentence[end:]
                if (
                    cue_person
                    or words.SPEECH_AFTER.match(after)
                    or words.SPEECH_BEFORE.search(before)
                ):
                    cues.person += 1
                elif words.PLACE_BEFORE.search(before) and not words.POSSESSIVE.search(
                    sentence[:end]
                ):
                    cues.place += 1  # "in Pichilemu", not "in Trump's plan"
                if words.NUMBER_AFTER.match(after) or words.NUMBER_BEFORE.search(before):
                    cues.label += 1
                if words.PLACE_AFTER.match(after) and after.split(",")[1].strip(" .;") in places:
                    cues.place += 1  # "Talca, Chile"
        _places_listed_together(listed, sentence, prof)
    for name, cues in prof.cues.items():
        if " " in name:
            kind = _kind(name, cues, prof)
            if kind == "person":
                prof.persons.add(name)
            elif kind in ("place", "organization"):
                # "Maule Region" makes "Maule" a place; "Fudan University" leaves "Fudan" one.
                tokens = name.split()
                if tokens[-1] in words.PLACE_HEADS and len(tokens) > 1:
                    prof.heads.setdefault(" ".join(tokens[:-1]), "place")
    return prof


_LOWER_WORD = re.compile(r"(?<![\w’'])[a-z]+(?![\w’'])")
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$")


def _places_listed_together(
    listed: list[tuple[str, int, int]], sentence: str, prof: Profile
) -> None:
    """'Rancagua, Talca and Curicó': names listed with a known place are places too."""
    group: list[str] = []
    groups = []
    for i, (name, start, _end) in enumerate(listed):
        if i and _LIST_GAP.match(sentence[listed[i - 1][2] : start]):
            group.append(name)
        else:
            group = [name]
            groups.append(group)
    for group in groups:
        if len(group) > 1 and any(n in prof.places or n in words.ALIASES for n in group):
            for n in group:
                if n not in prof.places and not prof.cues[n].person:
                    prof.cues[n].place += 1


def _bare(token: str) -> str:
    if token[-1] not in "s’'" or _DOTTED_POSSESSIVE.search(token):
        return token
    return words.POSSESSIVE.sub("", token)


def _names_in_run(run: _Run, sentence: str, prof: Profile) -> list[tuple[str, bool, int, int]]:
    """The names a run holds: (name, whether a title or honorific marks a person, start, end)."""
    tokens = [_bare(t) for t in run.tokens]
    whole = " ".join(tokens)
    # Offsets of each token in the sentence, to read the words around each name.
    offsets, pos = [], run.start
    for t in run.tokens:
        pos = sentence.index(t, pos)
        offsets.append((pos, pos + len(t)))
        pos += len(t)
    lo = 0
    if whole not in prof.inner_caps:
        # "According to", "All the ...", "Analysts said": a sentence's first word is a name
        # only when the article also capitalises it inside a sentence, or no dictionary has it.
        while lo < len(tokens) and _opens_no_name(
            tokens[lo], lo == 0 and run.initial, tokens, prof
        ):
            lo += 1
            while lo < len(tokens) and tokens[lo] in words.CONNECTORS:
                lo += 1
    out: list[tuple[str, bool, int, int]] = []
    hi = len(tokens)
    titled = [i for i in range(lo, hi) if tokens[i].rstrip(".") in words.TITLES]
    person = False
    if titled:
        t = titled[-1]
        # "US President Donald Trump": what stands before the title may be a name of its own.
        head = " ".join(tokens[lo:t])
        if head and (head in words.ALIASES or head in prof.places):
            out.append((head, False, offsets[lo][0], offsets[t - 1][1]))
        lo = t + 1
        if lo < hi and tokens[lo] in words.CONNECTORS:
            # "Secretary of State Marco Rubio", "Minister for Foreign Affairs Wang Yi": the
            # title's complement is a word and the common words after it.
            lo += 2
            while lo < hi and (tokens[lo] in words.CONNECTORS or words.is_common_word(tokens[lo])):
                lo += 1
        person = lo < hi
        # "Minister Wang Yi of China": the name ends where a lower-case word joins another.
        inner = [i for i in range(lo, hi) if tokens[i] in words.CONNECTORS]
        if inner:
            rest = (inner[0] + 1, hi)
            hi = inner[0]
            if rest[0] < rest[1]:
                out.append(
                    (" ".join(tokens[rest[0] : rest[1]]), False, offsets[rest[0]][0], run.end)
                )
    while hi > lo and tokens[hi - 1] in words.CONNECTORS:
        hi -= 1
    if "of" in tokens[lo:hi]:
        # "Alberto Contador of Spain", "Yvo de Boer of the UNFCCC": a person of somewhere.
        cut = tokens.index("of", lo)
        if lo < cut and _looks_like_person(tokens[lo:cut], prof):
            rest = cut + 1 + (cut + 1 < hi and tokens[cut + 1] == "the")
            if rest < hi:
                out.append((" ".join(tokens[rest:hi]), False, offsets[rest][0], offsets[hi - 1][1]))
            hi = cut
    if lo < hi:
        before = sentence[: offsets[lo][0]].rsplit(None, 1)  # the word before, split off
        if before and before[-1].lower() in words.LOWER_TITLES:
            person = True
        if tokens[lo].rstrip(".") in words.HONORIFICS:
            person = True
        for name, s, e in _split_hyphens(tokens[lo:hi], offsets[lo:hi], prof):
            out.append((name, person, s, e))
    return [o for o in out if o[0]]


def _opens_no_name(t: str, sentence_start: bool, tokens: list[str], prof: Profile) -> bool:
    """Whether a run's first word is no part of a name: a function word anywhere; a common
    word opening a sentence alone ("Analysts said"), not "Bank of America" or "Red Cross"."""
    if (t.lower() in words.FUNCTION_WORDS and not words.is_acronym(t)) or words.CONTRACTION.search(
        t
    ):
        return True
    return (
        sentence_start
        and len(tokens) == 1
        and t not in prof.inner_caps
        and t not in prof.places
        and t not in words.ALIASES
        and (words.is_common_word(t) or t.lower() in prof.lower)
    )


def _split_hyphens(tokens, offsets, prof: Profile):
    """'Fujian-based' is Fujian; 'US-China' is two names; 'Asia-Pacific' stays one."""
    if len(tokens) == 1 and "-" in tokens[0]:
        parts = [p for p in tokens[0].split("-") if p]
        s = offsets[0][0]
        if len(parts) > 1 and not parts[-1][:1].isupper():
            head = parts[0]
            # "US-led", "Fujian-based" name a place; "De-escalation", "Newly-elected" do not.
            if (
                head in words.ALIASES
                or head in prof.places
                or (len(head) > 2 and not words.is_common_word(head))
            ):
                return [(head, s, s + len(head))]
            return []
        if all(p in words.ALIASES or p in prof.places or p in prof.cues for p in parts):
            out, pos = [], s
            for p in parts:
                out.append((p, pos, pos + len(p)))
                pos += len(p) + 1
            return out
    return [(" ".join(tokens), offsets[0][0], offsets[-1][1])]


# ---------------------------------------------------------------- kinds


def _kind(name: str, cues: _Cues | None, prof: Profile) -> EntityKind | None:
    """The kind of a name, or None when it is not a name at all."""
    tokens = name.split()
    if name in words.ALIASES:
        return words.ALIASES[name][1]
    if name in prof.places:
        return "place"
    if len(tokens) == 1:
        return _single_kind(name, cues, prof)
    first, last = tokens[0], tokens[-1]
    if words.DEMONYM.match(last) and all(t in words.COMPASS for t in tokens[:-1]):
        return None  # "North American", "Southeast Asian"
    if last in words.OTHER_HEADS or words.MODEL.match(last):
        return "other"  # "Kyoto Protocol", "Airbus A330"
    if (
        last in words.ORG_HEADS
        or first in words.ORG_LEADS
        or (first in words.ORG_HEADS and "of" in tokens)
    ):
        return "organization"
    if (
        last in words.PLACE_HEADS
        or first in words.PLACE_LEADS
        or (first in words.COMPASS and " ".join(tokens[1:]) in prof.places)
        or (first in ("Republic", "Kingdom", "State") and "of" in tokens)
    ):
        return "place"
    foreign = any(t in prof.places or t in words.ALIASES for t in tokens) or words.DEMONYM.match(
        first
    )
    if cues and cues.person and "of" not in tokens and not foreign and not _has_acronym(tokens):
        return "person"
    if cues and cues.place > cues.person:
        return "place"  # "in Abu Ghraib", "Bío Bío, Maule and O'Higgins"
    if len(tokens) <= 4 and _looks_like_person(tokens, prof):
        return "person"
    if _has_acronym(tokens) or (foreign and not any(words.DEMONYM.match(t) for t in tokens)):
        return "organization"  # "CBS News", "Air France", "Trivium China"
    return "other"


def _has_acronym(tokens: list[str]) -> bool:
    return any(t.isupper() and len(t.rstrip(".")) > 1 for t in tokens)


def _looks_like_person(tokens: list[str], prof: Profile) -> bool:
    """'Scott Bessent', 'George W. Bush', 'Wu Xinbo': given name first, no word a name of a place."""
    if any(
        t in words.CONNECTORS and t not in ("de", "van", "von", "bin", "al", "da", "del")
        for t in tokens[1:]
    ):
        return False
    if any(t in prof.places or t in words.ALIASES for t in tokens) or words.DEMONYM.match(
        tokens[0]
    ):
        return False
    if _has_acronym(tokens) or tokens[0].lower() in words.CONNECTORS or tokens[0] in words.COMPASS:
        return False
    if not all(t[:1].isupper() or t in words.CONNECTORS for t in tokens):
        return False
    # "Scott Bessent", "Lin Miaoke", "Christopher Air": a word no dictionary has, first or
    # last; "Red Cross", "Phase One" are all common words. A middle initial is a person's.
    initial = any(re.fullmatch(r"[A-Z]\.", t) for t in tokens[1:-1])
    return initial or not words.is_common_word(tokens[0]) or not words.is_common_word(tokens[-1])


def _person_parts(prof: Profile) -> frozenset[str]:
    """The first and last words of the article's names of persons ("Xi" of "Xi Jinping"):
    made once, when the first single word is typed, after `profile` has found them all."""
    if prof.person_parts is None:
        split = [p.split() for p in prof.persons]
        prof.person_parts = frozenset(w[0] for w in split) | frozenset(w[-1] for w in split)
    return prof.person_parts


def _single_kind(name: str, cues: _Cues | None, prof: Profile) -> EntityKind | None:
    if (
        len(name) < 2
        or (name.lower() in words.FUNCTION_WORDS and not words.is_acronym(name))
        or words.ROMAN.match(name)
        or name in words.TITLES
        or name in words.ORG_HEADS
        or name in words.PLACE_HEADS
        or name in words.OTHER_HEADS
        or (cues is not None and cues.label and cues.label * 2 >= cues.mentions)
    ):
        return None  # "III", "Ministry", "Section 301", "UTC": no name
    if name.isupper() and len(name) > 3 and words.is_common_word(name.lower()):
        return None  # "ANALYSIS", "BREAKING": shouting, not an acronym
    if words.DEMONYM.match(name) and name not in prof.places:
        return None  # "Chinese", "Romanians"
    if (cues and cues.person and not name.isupper()) or name in _person_parts(prof):
        return "person"
    if name in prof.heads:
        return prof.heads[name]
    if re.fullmatch(r"[A-Z][A-Z&]{1,6}s?|[A-Z]\d{1,2}", name):
        return "organization"  # "WTO", "G7"
    if re.search(r"[a-z][A-Z]", name) and not re.match(r"(?:Mc|Mac|O’|O')", name):
        return "organization"  # "TikTok", "ByteDance"
    if cues and cues.place:
        return "place"
    return "other"


# ---------------------------------------------------------------- the public face


def find_entities(
    sentence: str, places: frozenset[str], article: str | None = None
) -> list[Entity]:
    """The names in a sentence, typed, canonical, with their mentions in it.

    `article` is the text the sentence comes from: how the article writes a word elsewhere
    decides whether a sentence's first word is a name, and what it says of a name (a title,
    "said", "in ...") decides its kind. Without it the sentence is its own article.
    """
    prof = profile(article if article is not None else sentence, places)
    found: dict[str, Entity] = {}
    names = prof.by_sentence.get(sentence)
    if names is None:
        names = [
            (n, t) for run in _runs(sentence) for n, t, _s, _e in _names_in_run(run, sentence, prof)
        ]
    for name, titled in names:
        if (name, titled) not in prof.shown:
            prof.shown[(name, titled)] = _shown(name, titled, prof)
        named = prof.shown[(name, titled)]
        if named is None:
            continue
        shown, kind = named
        if shown in found:
            found[shown].mentions += 1
        else:
            found[shown] = Entity(name=shown, kind=kind)
    return list(found.values())


def _shown(name: str, titled: bool, prof: Profile) -> tuple[str, EntityKind] | None:
    """The name a reader sees and its kind, or None when it is no name."""
    kind = "person" if titled else _kind(name, prof.cues.get(name), prof)
    if kind is None:
        return None
    # The name stays as written, so that grounding finds it in the text; merge gives each
    # thing its one name (canonical) and folds "Xi" into "Xi Jinping".
    return name, kind
