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
from collections.abc import Iterable, Iterator, Sequence

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
    # One string per distinct shingle, shared by every article holding it: a folder of
    # reprints holds each shingle a hundred times, and 10,000 articles' sets of separate
    # strings took hundreds of MB (issue 16).
    canonical: dict[str, str] = {}
    sets = {a.id: {canonical.setdefault(s, s) for s in shingles(a.text)} for a in articles}
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
        pairs: Iterable[tuple[str, str]] = (
            (a.id, b.id) for i, a in enumerate(eligible) for b in eligible[i + 1 :]
        )
    else:
        pairs = _candidate_pairs(eligible, sets)
    # The groups are the connected parts of the graph of pairs that are copies, each led by
    # its earliest article, whatever order the pairs come in: so they are taken as they are
    # found, not collected and sorted first (10,000 reprints, a hundred of each story, have
    # 369,849 pairs by their ledes alone, and MinHash finds most of them again; issue 16). A
    # pair found twice is skipped the second time when it joined, or compared again when it
    # did not: it gives the same answer.
    for a, b in pairs:
        ra, rb = root(a), root(b)
        # Already one group: comparing them could change nothing. This keeps a group of n
        # reprints near n comparisons instead of n * n / 2 (issue 16: 10,000 articles).
        if ra != rb and containment(sets[a], sets[b]) >= SAME_TEXT:
            # The earlier article stays the group's original.
            first, later = (ra, rb) if rank[ra] < rank[rb] else (rb, ra)
            parent[later] = first
    return {a.id: root(a.id) for a in eligible if root(a.id) != a.id}


LEDE_WORDS = 12  # a trimmed copy keeps its lede: articles opening on the same words are compared


def _candidate_pairs(
    articles: list[Article], sets: dict[str, set[str]]
) -> Iterator[tuple[str, str]]:
    """Pairs worth comparing exactly, each in article order: near in MinHash, or the same
    lede (a pair may come twice)."""
    # datasketch brings numpy and scipy: imported only when there are articles to compare.
    from datasketch import MinHash, MinHashLSH
    from datasketch.hashfunc import sha1_hash32

    # datasketch's own hash (so the sketches, and the pairs, are the ones it always gave),
    # worked out once per distinct shingle rather than once per article holding it.
    hashed: dict[str, int] = {}

    def shingle_hash(shingle: str) -> int:
        if shingle not in hashed:
            hashed[shingle] = sha1_hash32(shingle.encode("utf-8"))
        return hashed[shingle]

    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    hashes = MinHash.bulk([sets[a.id] for a in articles], num_perm=NUM_PERM, hashfunc=shingle_hash)
    for a, mh in zip(articles, hashes):
        yield from ((other, a.id) for other in lsh.query(mh))
        lsh.insert(a.id, mh)
    # LSH estimates Jaccard; a short copy of a long article (a syndication trimmed to its
    # first paragraphs) has a low Jaccard but a high containment. Its lede survives the cut.
    by_lede: dict[str, list[str]] = {}
    for a in articles:
        lede = " ".join(_WORD.findall(a.text.lower())[:LEDE_WORDS])
        by_lede.setdefault(lede, []).append(a.id)
    for group in by_lede.values():
        yield from ((x, y) for i, x in enumerate(group) for y in group[i + 1 :])


def independent_sources(article_ids: Sequence[str], copies: dict[str, str]) -> int:
    """How many independent articles are among `article_ids`: copies count as their original."""
    return len({copies.get(a, a) for a in article_ids})
