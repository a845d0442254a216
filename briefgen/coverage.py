"""Points chosen to cover the story, not to tell its lede five times.

A brief of six points is read top to bottom: each point is worth what it tells the reader
that the points above it have not. So points are taken greedily by their rank score times
the share of their facets that is still new. A sentence's facets are the terms of two words
the articles share ("rare earth", "export control", "united state"), and its other content
words and figures, each weighed by how many articles tell it, how rare it is among the
story's sentences ("China" and "trade", in every sentence of a China trade story, tell a
reader little) and how specific it is: a name, a figure or a shared term ("TikTok", "100",
"rare earth") is the story's own, any other word ("critical", "long") counts half. The story
is read from every finding, also those no point can show (a list's items, a long sentence),
and novelty counts only what the story tells twice at least: a word written once is its
writer's wording, new in any sentence. A point that repeats half of what is shown is worth
half its score. What the story leaves open ("unresolved", "remain untouched") is a facet of
its own, however each article words it (OPEN).

A point is about its subject: of its names, figures and shared terms, the one the story
tells most, no person, place or date (who, where and when, not what). A point whose subject
is told already (by the bottom line or a point above) is a retelling and comes after every
point about something new or about no subject of the story's (an event told by who did what
where), whatever its score ("rare earths" in the bottom line, then in two key points, told
the reader one thing three times).

Beside these soft rules, a hard one: a point whose words overlap a chosen one (or a sentence
the reader sees elsewhere, such as a watch item) by more than `redundant` is a repeat and is
left out. Everything is deterministic: ties go to the higher-ranked finding.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass

from briefgen.entity_words import DEMONYM, is_common_word
from briefgen.schema import Entity
from briefgen.text import content_words, cosine

# What a word that is no name, figure or shared term counts as a facet against one that is:
# half, the same discount as a word one article alone uses, for the same reason (it may be
# the writer's wording, not the story). Not fitted: on the sample, 0.25 and 0.1 each change
# one key point, neither for the better.
GENERAL = 0.5


@dataclass(frozen=True)
class Candidate:
    """One point that may be chosen: its rank value and the words it shows the reader."""

    value: float
    text: str
    sources: tuple[str, ...] = ()  # the articles that state it
    # How much of `value` it owes to being an article's summary of itself (its lede): that
    # serves a brief's summary, not its further points (see select_covering's `given`).
    lede: float = 1.0


def facet_weights(candidates: Sequence[Candidate]) -> dict[str, float]:
    """The weight of each facet of the story (an actor, a sub-topic, a figure): how many
    articles tell it, times how rare it is among the candidates (the log of their number
    over the number that tell it), times how specific it is (see `_specificity`).

    The story's facets recur across articles; a writer's own wording does not, so a facet one
    article alone tells counts half what one two articles tell: otherwise every differently
    worded lede would look new. Rarity makes a word in nearly every sentence ("China" in a
    China story) count for little, since telling it again tells nothing.
    """
    terms = _terms(candidates)
    facets = [_facets(c.text, terms) for c in candidates]
    return _weights(candidates, facets, _names(candidates))


def _weights(
    candidates: Sequence[Candidate], facets: Sequence[frozenset[str]], names: frozenset[str]
) -> dict[str, float]:
    by_article: dict[str, set[str]] = {}
    in_sentences: Counter[str] = Counter()
    for c, found in zip(candidates, facets, strict=True):
        in_sentences.update(found)
        for a in c.sources or (c.text,):
            by_article.setdefault(a, set()).update(found)
    df: Counter[str] = Counter(f for fs in by_article.values() for f in fs)
    n = len(candidates) + 1
    return {f: k * math.log(n / in_sentences[f]) * _specificity(f, names) for f, k in df.items()}


def _specificity(facet: str, names: frozenset[str]) -> float:
    """A name ("TikTok", "Bessent": written capitalised inside a sentence, and no word the
    dictionary lists in lower case), a figure ("100") or a term of two words the articles
    share ("rare earth", "port fee") is the story's own. Any other word ("critical", "long",
    "held"), a people's adjective ("Chinese") and a name that is also a common word ("China",
    "Trump") is as likely the writer's wording, or the topic every sentence tells, as a facet
    of the story: it counts GENERAL."""
    if " " in facet or not facet.isalpha():  # a term, or a figure ("100", "2030")
        return 1.0
    if facet in names and not is_common_word(facet) and not DEMONYM.match(facet.capitalize()):
        return 1.0
    return GENERAL


def _names(candidates: Sequence[Candidate]) -> frozenset[str]:
    """The words some candidate writes capitalised inside a sentence, where case tells a
    name (a sentence's first word is capitalised whatever it is)."""
    return frozenset(w for c in candidates for w in _capitalised(c.text))


@functools.lru_cache(maxsize=4096)
def _capitalised(text: str) -> tuple[str, ...]:
    tokens = _TOKEN.findall(_JOINER.sub(" ", text))
    return tuple(w for t in tokens[1:] if t[:1].isupper() and (w := _word(t)))


def _terms(candidates: Sequence[Candidate]) -> dict[str, int]:
    """Two adjacent content words that two or more articles write together, each in its
    own sentence ("rare earth", "export control", "united state"), with the number of
    sentences that write them: one facet, not two words, since each of its words alone
    ("rare", "control") is common English. One sentence that several articles state is one
    writing of its words, not several."""
    by_article: dict[str, set[str]] = {}
    sentences: Counter[str] = Counter()
    for c in candidates:
        pairs = set(_pairs(c.text))
        sentences.update(pairs)
        for a in c.sources or (c.text,):
            by_article.setdefault(a, set()).update(pairs)
    df = Counter(p for ps in by_article.values() for p in ps)
    return {p: n for p, n in sentences.items() if n > 1 and df[p] > 1}


@functools.lru_cache(maxsize=4096)
def _pairs(text: str) -> tuple[str, ...]:
    """Adjacent content words, one space or a joiner between them ("rare-earth")."""
    text = _JOINER.sub(" ", text)
    out, prev, prev_end = [], "", -1
    for m in _TOKEN.finditer(text):
        word = _word(m.group())
        if word and prev and text[prev_end : m.start()] == " ":
            out.append(f"{prev} {word}")
        prev, prev_end = word, m.end()
    return tuple(out)


@functools.lru_cache(maxsize=1 << 14)
def _word(token: str) -> str:
    """A token's content word, or "" for a stopword: a story's vocabulary is small."""
    return next(iter(content_words(token)), "")


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """Content words, a compound's parts apart: "rare-earth" is the "rare earth" facet.
    Cached: the brief's selection asks for the same sentences' words several times."""
    return tuple(content_words(_JOINER.sub(" ", text)))


_JOINER = re.compile(r"(?<=\w)[-–—/](?=\w)")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def _facets(text: str, terms: dict[str, int]) -> frozenset[str]:
    """A sentence's facets: the shared terms it writes, the most written first where two
    overlap ("rare earth", not "china rare", in "China's rare earth export curbs"), and its
    other content words."""
    pairs = [(terms[p], -k, p) for k, p in enumerate(_pairs(text)) if p in terms]
    found: list[str] = []
    inside: set[str] = set()
    for _, _, p in sorted(pairs, reverse=True):
        words = p.split()
        if not inside.intersection(words):
            found.append(p)
            inside.update(words)
    found.extend(w for w in _words(text) if w not in inside)
    if _leaves_open(text):
        found.append(OPEN)
    return frozenset(found)


@functools.lru_cache(maxsize=4096)
def _leaves_open(text: str) -> bool:
    return _OPEN.search(text) is not None


# What a story leaves open is one of its facets, however each article words it: "leaving
# critical issues unresolved", "remain largely untouched", "no agreement on", "yet to be
# decided". A sentence that says so holds the facet OPEN (no word of any text), so the brief
# tells it once, as a subject of its own, when the story tells it in several sentences.
OPEN = "(unresolved)"
_OPEN = re.compile(
    r"\b(?:unresolved|untouched|undecided|unsettled|pending|unclear|uncertain|"
    r"yet to be|not yet|no agreement|absence of (?:a )?resolution|"
    r"remains? (?:to be seen|open|tentative|in doubt|elusive))\b",
    re.I,
)


# What a word the story writes once counts in a point's novelty against one it tells twice
# or more: a tenth, enough to order points that add nothing else, too little to make any
# point look new. A judgment, not fitted: 0.05 and 0.2 choose the same points on the sample.
ONCE = 0.1


# How often the story must tell a facet for it to be a subject a point can be about:
# several sentences, of one article or of several. Twice may be one writer saying the same
# thing twice ("announced plans"); a judgment, not fitted.
SUBJECT_SENTENCES = 3


# A day, a month or a year tells when, not what: no subject ("thursday" of "ahead of
# Thursday's meeting", "october" of "on October 9", "2005" of "the July 7th 2005 attacks").
_DATE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december today week year month".split()
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def _subject(
    facets: frozenset[str], sentences: Counter[str], specific: Set[str], actors: frozenset[str]
) -> str:
    """What a point is about: of its names, figures and shared terms that the story tells
    in SUBJECT_SENTENCES sentences at least, the one it tells most ("rare earth" in "China's
    new export controls on rare earth elements", "tiktok" in "Bessent said the US and China
    reached a final deal on TikTok"); "" when it has none. A person or a place (`actors`:
    "Bessent", "Washington") is who acts or where, and a day, a month or a year when, not
    what the point tells of."""
    subjects = [
        f
        for f in facets
        if sentences[f] >= SUBJECT_SENTENCES
        and f in specific
        and f not in actors
        and actors.isdisjoint(words := f.split())
        and _DATE_WORDS.isdisjoint(words)
        and not _YEAR.fullmatch(f)
    ]
    return max(subjects, key=lambda f: (sentences[f], f), default="")


def actors(entities: Sequence[Entity]) -> frozenset[str]:
    """The words of the people and places the story names ("donald", "trump", "washington"),
    and a place's initials ("us" of "United States"): who acts and where, no subject of a
    point (read_story's `actors`)."""
    out: set[str] = set()
    for e in entities:
        words = content_words(e.name)
        if e.kind == "person" and e.mentions > 1:
            # "Trump" alone is the person. Named once, a "person" may be a name read
            # wrong ("Lynas Rare Earths"), and its words the story's subject.
            out.update(words)
        elif e.kind == "place":
            # A place of several words is the place as a whole: "rare" of a "Lynas Rare
            # Earths" taken for a place, or "white" of "White House", is no place.
            out.add(" ".join(words))
            if len(words) > 1:
                out.add("".join(w[0] for w in e.name.split()).lower())
    return frozenset(out)


@dataclass(frozen=True)
class Story:
    """What select_covering reads of the story, once for all its calls on one brief: each
    candidate's facets and content words (for repeats), each facet's weight, and each
    candidate's total weight and subject."""

    facets: list[frozenset[str]]
    vectors: list[Counter[str]]
    weights: dict[str, float]
    totals: list[float]
    subjects: list[str]


def read_story(
    candidates: Sequence[Candidate],
    context: Sequence[Candidate] = (),
    actors: frozenset[str] = frozenset(),
) -> Story:
    """The story the candidates tell, with `context`: the sentences that tell it but cannot
    be shown (a list's items, a long sentence), which count in what its facets are and how
    often each is told. `actors`: the words of the people and places it names (no subject)."""
    story = [*candidates, *context]
    terms = _terms(story)
    names = _names(story)
    every = [_facets(c.text, terms) for c in story]
    facets = every[: len(candidates)]
    sentences: Counter[str] = Counter(f for fs in every for f in fs)
    # A word the story writes once is its writer's wording, new in any sentence: it counts
    # ONCE, so novelty is what a point adds of the story's facets, and a point with nothing
    # else new still adds its own words (a brief is filled while the story has news).
    weights = {
        w: k * (ONCE if sentences[w] < 2 else 1.0) for w, k in _weights(story, every, names).items()
    }
    specific = {f for f in sentences if _specificity(f, names) == 1.0}
    return Story(
        facets=facets,
        vectors=[Counter(_words(c.text)) for c in candidates],
        weights=weights,
        totals=[sum(weights.get(w, 1.0) for w in f) or 1.0 for f in facets],
        subjects=[_subject(f, sentences, specific, actors) for f in facets],
    )


def select_covering(
    candidates: Sequence[Candidate],
    limit: int,
    redundant: float,
    avoid: Iterable[str] = (),
    given: Sequence[int] = (),
    among: Iterable[int] | None = None,
    story: Story | None = None,
) -> list[int]:
    """The indices of up to `limit` candidates, chosen for value times novelty (see above):
    `given` first (already chosen: the bottom line), then the best of `among` (default all).

    `avoid`: sentences the reader sees elsewhere; a candidate repeating one is not chosen.
    `story`: read_story of the candidates (read from them alone when not given).
    Once something is given, the story has been summed up: every article's first sentence
    is its writer's summary of the same story, so from then on a lede counts for what it
    tells, not for being a lede (its value divided by its `lede` factor), and the points
    below the summary are the story's further facets, not its summary again.
    Lazy greedy: novelty only falls as more is covered, and a point once a retelling stays
    one, so a candidate's stale key is an upper bound and it is re-scored only when it
    reaches the top of the heap.
    """
    story = story or read_story(candidates)
    facets, vectors, weights, totals, heads = (
        story.facets,
        story.vectors,
        story.weights,
        story.totals,
        story.subjects,
    )
    shown = [Counter(_words(t)) for t in avoid]
    covered: set[str] = set()
    words: set[str] = set()  # every content word shown
    chosen: list[int] = []

    def repeats(i: int) -> bool:
        return any(cosine(vectors[i], v) > redundant for v in shown)

    def is_told(facet: str) -> bool:
        # A term is told once each of its words is ("president trump" after "Presidents
        # Donald Trump and Xi Jinping"): the reader has it, in other words.
        return facet in covered or (" " in facet and all(w in words for w in facet.split()))

    def novelty(i: int) -> float:
        return sum(weights.get(w, 1.0) for w in facets[i] if not is_told(w)) / totals[i]

    def value(i: int) -> float:
        return candidates[i].value / (candidates[i].lede if chosen else 1.0)

    def told(i: int) -> bool:
        # A point about a subject already told retells it, whatever else it adds: it comes
        # after every point whose subject is new, or that has none of the story's (an
        # event told by who did what where). A term is told when any word of it is ("trade
        # dispute" after "trade negotiations"): its words name one subject. (Not the
        # converse, a point holding what a point above is about: a shown point may name it
        # in passing.)
        head = heads[i]
        return bool(head) and (is_told(head) or not words.isdisjoint(head.split()))

    def take(i: int) -> None:
        chosen.append(i)
        shown.append(vectors[i])
        covered.update(facets[i])
        words.update(_words(candidates[i].text))

    for i in given:
        take(i)
    pool = range(len(candidates)) if among is None else among
    heap = [(told(i), -value(i), i) for i in pool if i not in chosen and candidates[i].value > 0]
    heapq.heapify(heap)
    while heap and len(chosen) < limit:
        _, _, i = heapq.heappop(heap)
        if repeats(i):
            continue
        key = (told(i), -value(i) * novelty(i), i)
        if not heap or key <= heap[0]:
            if key[1] < 0:
                take(i)
            continue
        heapq.heappush(heap, key)
    return chosen[:limit]


def closing_open_question(
    chosen: Sequence[int],
    candidates: Sequence[Candidate],
    story: Story,
    limit: int,
    redundant: float,
    among: Iterable[int],
    avoid: Iterable[str] = (),
) -> list[int]:
    """`chosen` (from select_covering), its last point given to what the story leaves open
    (OPEN) when no chosen point tells it: the best of `among` that holds the facet and
    repeats no chosen point or `avoid`ed sentence, added while there is room, else in place
    of the last point (the least the brief would lose). A reader who acts on a brief needs
    what is not settled as much as what is; "fundamental frictions ... remain largely
    untouched" scored a tenth of the sample's points, being worded apart from the rest of
    the story, so value times novelty alone never reached it. Only when the story tells it
    in two sentences at least, like any facet novelty counts (ONCE), and only from `among`:
    the caller gives the newest articles, since what an older one left open may be settled
    by now (the sample's "the proposed Xi-Trump meeting remains tentative", told before it
    met)."""
    if not chosen or any(OPEN in story.facets[i] for i in chosen):
        return list(chosen)
    if sum(OPEN in fs for fs in story.facets) < 2:
        return list(chosen)
    keep = list(chosen) if len(chosen) < limit else list(chosen[:-1])
    seen = [story.vectors[i] for i in keep] + [Counter(_words(t)) for t in avoid]
    open_ones = sorted(
        (i for i in among if OPEN in story.facets[i] and candidates[i].value > 0),
        key=lambda i: (-candidates[i].value, i),
    )
    for i in open_ones:
        if i not in keep and not any(cosine(story.vectors[i], v) > redundant for v in seen):
            return [*keep, i]
    return list(chosen)
