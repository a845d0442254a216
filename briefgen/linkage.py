"""Average-linkage clustering of TF-IDF vectors, grown to thousands of articles.

Two groups of articles are one story when their articles are, on average, similar: the mean
cosine over every pair (one article from each group) is at least a threshold. That is
average linkage (UPGMA), the criterion of scikit-learn's AgglomerativeClustering(
linkage="average", metric="cosine", distance_threshold=1 - threshold). Unlike single
linkage, one article that happens to share words with two stories does not chain them.

It needs no pairwise matrix: for unit vectors the mean cosine between groups A and B is
(sum of A's vectors . sum of B's vectors) / (|A| |B|), so a group is kept as the sum of its
vectors and its size. Merging is done in rounds: each group finds its best partner, and
pairs that choose each other (reciprocal nearest neighbours) above the threshold merge.
Average linkage is reducible, so merging reciprocal pairs gives the clusters the greedy
one-pair-at-a-time algorithm gives (ties aside).

- Below EXACT_BELOW vectors, plain Python over every pair: no scipy to load for a folder of
  a few articles (`make` runs this on every folder to warn of mixed stories).
- Above, scipy.sparse, and each group looks for partners only among the groups that share
  one of its TOP_TERMS heaviest terms; the best CANDIDATES of those are scored exactly. The
  work grows with the articles times the size of their stories, not with all pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

# Below this many groups every pair is scored in Python (fewer than 800 pairs): cheaper than
# loading scipy (0.3 s of CPU), the same rule and count as copies.EXACT_BELOW.
EXACT_BELOW = 40
# A group's heaviest terms, where its partners are looked for. Thirty: a news story is told
# with a few dozen names and terms of its own; the article's other words are the general
# vocabulary of news, which finds nothing but costs the most (it is shared by everything).
TOP_TERMS = 30
# Partners found through the heaviest terms that are then scored on every term: enough for
# the best one to be among them (scoring more changed no cluster on the benchmark's corpora).
CANDIDATES = 8
BLOCK_ROWS = 1024  # groups whose candidates are computed at once: bounds the memory used

Vector = dict[str, float]


def tfidf(
    token_lists: Sequence[Sequence[str]], groups: Sequence[int] | None = None
) -> list[Vector]:
    """Unit TF-IDF vectors: sublinear tf (1 + ln count) and smooth idf (ln((1+n)/(1+df)) + 1).

    The formulas of scikit-learn's TfidfVectorizer(sublinear_tf=True), so its documentation
    describes these vectors. A word repeated ten times is not ten times the evidence; a word
    in every article still counts a little (idf 1), so a folder of one story keeps its
    similarity rather than dropping to nothing. With `groups` (copies of one text share a
    group), n and df count groups, not articles: a text reprinted a hundred times does not
    make its own words common.
    """
    counts = [Counter(tokens) for tokens in token_lists]
    groups = list(range(len(counts))) if groups is None else list(groups)
    terms: dict[int, set[str]] = {}
    for c, g in zip(counts, groups):
        terms.setdefault(g, set()).update(c)
    df: Counter[str] = Counter()
    for words in terms.values():
        df.update(words)
    n = len(terms)
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    out = []
    for c in counts:
        v = {t: (1 + math.log(k)) * idf[t] for t, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({t: x / norm for t, x in v.items()})
    return out


def average_linkage(
    vectors: Sequence[Vector], groups: Sequence[int], threshold: float
) -> list[int]:
    """A cluster label for each vector: labels 0..k-1, in order of first appearance.

    `groups` gives each vector's starting group (articles known to go together, copies of
    one text); those are never split. Clusters merge while two of them have a mean pairwise
    cosine of at least `threshold`.
    """
    if not vectors:
        return []
    starts = _relabel(list(groups))
    count = max(starts) + 1
    sums: list[Vector] = [{} for _ in range(count)]
    sizes = [0] * count
    for v, g in zip(vectors, starts):
        s = sums[g]
        for t, x in v.items():
            s[t] = s.get(t, 0.0) + x
        sizes[g] += 1
    if count < EXACT_BELOW:
        merged = _exact(sums, sizes, threshold)
    else:
        merged = _sparse(sums, sizes, threshold)
    return _relabel([merged[g] for g in starts])


def _relabel(labels: list[int]) -> list[int]:
    seen: dict[int, int] = {}
    return [seen.setdefault(x, len(seen)) for x in labels]


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def _exact(sums: list[Vector], sizes: list[int], threshold: float) -> list[int]:
    """Greedy average linkage over every pair: the sum-of-vectors dot products are kept and
    added when two groups merge (a dot product is linear), so each merge costs one row."""
    m = len(sums)
    dots = [[_dot(sums[i], sums[j]) if i != j else 0.0 for j in range(m)] for i in range(m)]
    size = list(sizes)
    alive = set(range(m))
    label = list(range(m))
    while len(alive) > 1:
        best, pair = threshold, None
        for i in sorted(alive):
            for j in sorted(alive):
                if i < j and (s := dots[i][j] / (size[i] * size[j])) >= best:
                    if pair is None or s > best:
                        best, pair = s, (i, j)
        if pair is None:
            break
        i, j = pair
        for k in alive:
            dots[i][k] += dots[j][k]
            dots[k][i] = dots[i][k]
        dots[i][i] = 0.0
        size[i] += size[j]
        alive.discard(j)
        label = [i if x == j else x for x in label]
    return label


def _sparse(sums: list[Vector], sizes: list[int], threshold: float) -> list[int]:
    """Reciprocal-nearest-neighbour rounds over sparse group sums (see the module doc)."""
    import numpy as np
    import scipy.sparse as sp

    vocab: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for s in sums:
        for t, x in s.items():
            indices.append(vocab.setdefault(t, len(vocab)))
            data.append(x)
        indptr.append(len(indices))
    shape = (len(sums), max(len(vocab), 1))
    matrix = sp.csr_matrix((np.asarray(data), np.asarray(indices), np.asarray(indptr)), shape)
    weight = np.asarray(sizes, dtype=float)
    label = np.arange(len(sums))
    while matrix.shape[0] > 1:
        rows, cols = _candidates(matrix, weight)
        if not len(rows):
            break
        exact = np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel()
        score = exact / (weight[rows] * weight[cols])
        m = matrix.shape[0]
        best = np.full(m, -1)
        best_score = np.full(m, -np.inf)
        # Highest score first, ties to the lower column: the same partner on every run.
        order = np.lexsort((cols, -score, rows))
        first = np.ones(len(order), dtype=bool)
        first[1:] = rows[order][1:] != rows[order][:-1]
        chosen = order[first]
        best[rows[chosen]] = cols[chosen]
        best_score[rows[chosen]] = score[chosen]
        idx = np.arange(m)
        partner = np.where(best >= 0, best, idx)
        mutual = (best >= 0) & (partner[partner] == idx) & (best_score >= threshold) & (idx < best)
        if not mutual.any():
            break
        target = idx.copy()
        target[best[mutual]] = idx[mutual]
        kept = target == idx
        renumber = np.cumsum(kept) - 1
        target = renumber[target]
        gather = sp.csr_matrix((np.ones(m), (target, idx)), shape=(int(kept.sum()), m))
        matrix = (gather @ matrix).tocsr()
        weight = gather @ weight
        label = target[label]
    return label.tolist()


def _candidates(matrix, weight):
    """(rows, cols): for each group, up to CANDIDATES others sharing one of its TOP_TERMS
    heaviest terms, the best first by the score on those terms alone."""
    import numpy as np

    top = _heaviest(matrix, TOP_TERMS)
    top_t = matrix.T.tocsr()
    rows_out, cols_out = [], []
    for start in range(0, top.shape[0], BLOCK_ROWS):
        block = (top[start : start + BLOCK_ROWS] @ top_t).tocoo()
        r = block.row + start
        c = block.col
        keep = r != c
        r, c, v = r[keep], c[keep], block.data[keep] / (weight[r[keep]] * weight[c[keep]])
        if not len(r):
            continue
        order = np.lexsort((c, -v, r))
        r, c = r[order], c[order]
        rank = _rank_in_run(r)
        rows_out.append(r[rank < CANDIDATES])
        cols_out.append(c[rank < CANDIDATES])
    if not rows_out:
        return np.array([], dtype=int), np.array([], dtype=int)
    rows, cols = np.concatenate(rows_out), np.concatenate(cols_out)
    # Both ways: if j is among i's candidates, i is among j's. Then the best-scoring pair of
    # all is each other's best, so every round with a pair above the threshold merges one.
    pairs = np.unique(np.r_[rows * matrix.shape[0] + cols, cols * matrix.shape[0] + rows])
    return pairs // matrix.shape[0], pairs % matrix.shape[0]


def _heaviest(matrix, k: int):
    """Each row cut to its k largest entries."""
    import numpy as np
    import scipy.sparse as sp

    lengths = np.diff(matrix.indptr)
    if lengths.max(initial=0) <= k:
        return matrix
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    order = np.lexsort((-matrix.data, rows))  # by row, the largest first
    keep = order[_rank_in_run(rows[order]) < k]
    return sp.csr_matrix(
        (matrix.data[keep], (rows[keep], matrix.indices[keep])), shape=matrix.shape
    )


def _rank_in_run(sorted_keys):
    """0, 1, 2 ... within each run of equal keys of a sorted array."""
    import numpy as np

    if not len(sorted_keys):
        return np.zeros(0, dtype=int)
    starts = np.r_[0, np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1]
    return np.arange(len(sorted_keys)) - np.repeat(starts, np.diff(np.r_[starts, len(sorted_keys)]))
