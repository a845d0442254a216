"""Which articles are copies of one story: the same wire text, lightly edited, under other titles.

Three outlets running one agency's report are one source, not three: corroboration counts
independent articles, so copies must be found before anything is counted. An article is a
copy of another when most of the shorter one's word 5-grams (shingles) stand in the longer
one: an edit touches a few words and so a few shingles; a new title or a trimmed ending
leaves the rest in place. Independent reports of one event share names and phrases but
seldom five words in a row.

Candidates come from datasketch's MinHash LSH, so the work grows with the number of
articles, not with its square; each candidate pair is then confirmed on the exact shingles.

How the thresholds were chosen: over the 460 pairs of distinct articles on one story in
MultiLing 2011 (ten stories of ten WikiNews articles) and the sample corpus, the largest
shingle Jaccard is 0.12 and most are below 0.05. A copy with one word in twenty edited keeps
about three quarters of its shingles. CANDIDATE_JACCARD (0.3) and SAME_TEXT (0.5 of the
shorter article's shingles) sit between the two with a wide margin on either side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.schema import Article

SHINGLE_WORDS = 5
CANDIDATE_JACCARD = 0.3  # MinHash LSH threshold: pairs this similar are compared exactly
SAME_TEXT = 0.5  # share of the shorter article's shingles found in the other: a copy
NUM_PERM = 64  # MinHash permutations: enough for a 0.3 threshold, cheap to compute
# Below this many articles every pair is compared exactly: fewer than 800 set intersections
# cost less than loading datasketch (and scipy, 0.4 s) and hashing every shingle.
EXACT_BELOW = 40
MIN_SHINGLES = 20  # articles shorter than this (a headline, a stub) are never called copies

_WORD = re.compile(r"[a-z0-9]+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The article's runs of k words, lower-cased, punctuation ignored."""
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the larger one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def find_copies(articles: Sequence[Article], exact_below: int = EXACT_BELOW) -> dict[str, str]:
    """Article id -> the id of the article it copies (the first of its group in `articles`).

    `articles` come in the order that decides which of a group is the original: the caller
    passes them oldest first, so the first to tell a story is the one the others copy.
    """
    sets = {a.id: shingles(a.text) for a in articles}
    eligible = [a for a in articles if len(sets[a.id]) >= MIN_SHINGLES]
    if len(eligible) < 2:
        return {}
    rank = {a.id: i for i, a in enumerate(eligible)}
    parent = {a.id: a.id for a in eligible}

    def root(aid: str) -> str:
        while parent[aid] != aid:
            parent[aid] = parent[parent[aid]]
            aid = parent[aid]
        return aid

    if len(eligible) < exact_below:
        pairs = {(a.id, b.id) for i, a in enumerate(eligible) for b in eligible[i + 1 :]}
    else:
        pairs = _candidate_pairs(eligible, sets)
    for a, b in sorted(pairs, key=lambda p: (rank[p[0]], rank[p[1]])):
        ra, rb = root(a), root(b)
        # Already one group: comparing them could change nothing. This keeps a group of n
        # reprints near n comparisons instead of n * n / 2 (issue 16: 10,000 articles).
        if ra != rb and containment(sets[a], sets[b]) >= SAME_TEXT:
            # The earlier article stays the group's original.
            first, later = (ra, rb) if rank[ra] < rank[rb] else (rb, ra)
            parent[later] = first
    return {a.id: root(a.id) for a in eligible if root(a.id) != a.id}


LEDE_WORDS = 12  # a trimmed copy keeps its lede: articles opening on the same words are compared


def _candidate_pairs(articles: list[Article], sets: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Pairs worth comparing exactly, in article order: near in MinHash, or the same lede."""
    # datasketch brings numpy and scipy: imported only when there are articles to compare.
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    hashes = MinHash.bulk(
        [[s.encode("utf-8") for s in sets[a.id]] for a in articles], num_perm=NUM_PERM
    )
    pairs: set[tuple[str, str]] = set()
    for a, mh in zip(articles, hashes):
        pairs.update((other, a.id) for other in lsh.query(mh))
        lsh.insert(a.id, mh)
    # LSH estimates Jaccard; a short copy of a long article (a syndication trimmed to its
    # first paragraphs) has a low Jaccard but a high containment. Its lede survives the cut.
    by_lede: dict[str, list[str]] = {}
    for a in articles:
        lede = " ".join(_WORD.findall(a.text.lower())[:LEDE_WORDS])
        by_lede.setdefault(lede, []).append(a.id)
    for group in by_lede.values():
        pairs.update((x, y) for i, x in enumerate(group) for y in group[i + 1 :])
    return pairs


def independent_sources(article_ids: Sequence[str], copies: dict[str, str]) -> int:
    """How many independent articles are among `article_ids`: copies count as their original."""
    return len({copies.get(a, a) for a in article_ids})
