"""Points chosen to cover the story, not to tell its lede five times.

A brief of six points is read top to bottom: each point is worth what it tells the reader
that the points above it have not. So points are taken greedily by their rank score times
the share of their facets that is still new, where a sentence's facets are its content words
and figures (names of actors and places, sub-topics, numbers), each weighed by how rare it is
among the candidates: "China" and "trade", in every sentence of a China trade story, tell
a reader little; "soybeans", "TikTok" or "100%" tell a facet. The product has no constant to
tune: a point that repeats half of what is shown is worth half its score.

Beside that soft rule, a hard one: a point whose words overlap a chosen one (or a sentence the
reader sees elsewhere, such as a watch item) by more than `redundant` is a repeat and is left
out. Everything is deterministic: ties go to the higher-ranked finding.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefgen.text import content_words, cosine


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
    """The weight of each word as a facet of the story (an actor, a sub-topic, a figure):
    how many articles use it, times how rare it is among the candidates (the log of their
    number over the number that use it).

    The story's facets recur across articles; a writer's own wording does not, so a word one
    article alone uses counts half what a word two articles use: otherwise every
    differently worded lede would look new. Rarity makes a word in nearly every sentence
    ("China" in a China story) count for little, since telling it again tells nothing.
    """
    by_article: dict[str, set[str]] = {}
    in_sentences: Counter[str] = Counter()
    for c in candidates:
        words = set(_words(c.text))
        in_sentences.update(words)
        for a in c.sources or (c.text,):
            by_article.setdefault(a, set()).update(words)
    df: Counter[str] = Counter(w for ws in by_article.values() for w in ws)
    n = len(candidates) + 1
    return {w: k * math.log(n / in_sentences[w]) for w, k in df.items()}


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """Content words, a compound's parts apart: "rare-earth" is the "rare earth" facet.
    Cached: the brief's selection asks for the same sentences' words several times."""
    return tuple(content_words(_JOINER.sub(" ", text)))


_JOINER = re.compile(r"(?<=\w)[-–—/](?=\w)")


def _facets(text: str, weights: dict[str, float]) -> frozenset[str]:
    return frozenset(_words(text))


def select_covering(
    candidates: Sequence[Candidate],
    limit: int,
    redundant: float,
    avoid: Iterable[str] = (),
    given: Sequence[int] = (),
    among: Iterable[int] | None = None,
) -> list[int]:
    """The indices of up to `limit` candidates, chosen for value times novelty (see above):
    `given` first (already chosen: the bottom line), then the best of `among` (default all).

    `avoid`: sentences the reader sees elsewhere; a candidate repeating one is not chosen.
    Once something is given, the story has been summed up: every article's first sentence
    is its writer's summary of the same story, so from then on a lede counts for what it
    tells, not for being a lede (its value divided by its `lede` factor), and the points
    below the summary are the story's further facets, not its summary again.
    Lazy greedy: novelty only falls as more is covered, so a candidate's stale value is an
    upper bound and it is re-scored only when it reaches the top of the heap.
    """
    weights = facet_weights(candidates)
    facets = [_facets(c.text, weights) for c in candidates]
    vectors = [Counter(_words(c.text)) for c in candidates]
    totals = [sum(weights.get(w, 1.0) for w in f) or 1.0 for f in facets]
    shown = [Counter(_words(t)) for t in avoid]
    covered: set[str] = set()
    chosen: list[int] = []

    def repeats(i: int) -> bool:
        return any(cosine(vectors[i], v) > redundant for v in shown)

    def novelty(i: int) -> float:
        return sum(weights.get(w, 1.0) for w in facets[i] - covered) / totals[i]

    def value(i: int) -> float:
        return candidates[i].value / (candidates[i].lede if chosen else 1.0)

    def take(i: int) -> None:
        chosen.append(i)
        shown.append(vectors[i])
        covered.update(facets[i])

    for i in given:
        take(i)
    pool = range(len(candidates)) if among is None else among
    heap = [(-value(i), i) for i in pool if i not in chosen and candidates[i].value > 0]
    heapq.heapify(heap)
    while heap and len(chosen) < limit:
        _, i = heapq.heappop(heap)
        if repeats(i):
            continue
        fresh = -value(i) * novelty(i)
        if not heap or fresh <= heap[0][0]:
            if fresh < 0:
                take(i)
            continue
        heapq.heappush(heap, (fresh, i))
    return chosen[:limit]
