"""How well `briefgen stories` sorts a mixed feed, beside anchors, and what it costs at scale.

    python benchmarks/stories.py [--data DIR] [--max 10000] [--no-scale] [--json FILE]

Issue 16 item 2: the 100 MultiLing 2011 articles (ten stories of ten) read as one folder,
grouped with purity and completeness of at least 0.9 each. Read in place, never copied.

Scores: homogeneity ("purity": each group holds one story) and completeness (each story is
in one group), the entropy-based pair of Rosenberg and Hirschberg (2007), as
sklearn.metrics.homogeneity_completeness_v_measure computes them. An article that fits no
story counts as a group of its own (it costs completeness, as leaving it out of its story
does). Beside them the pairwise definitions: precision and recall over the pairs of
articles put together.

Rows:
- briefgen: stories.group (briefgen's tokens, TF-IDF, average linkage at SAME_STORY).
- sklearn agglomerative: AgglomerativeClustering(linkage="average", metric="cosine",
  distance_threshold=1 - SAME_STORY) on TfidfVectorizer(sublinear_tf, English stop words):
  the same rule done the library's way, with its own tokens, on a dense all-pairs matrix.
- k-means, k given: KMeans(n_clusters=10) on the same TF-IDF, told the answer's size.
- one story per title word: articles grouped by the rarest word of their title shared with
  another title (a reader's first guess from headlines alone).

Then how the scores move with the threshold; the rule that chose it (the geometric mean of
the median similarity within stories and across them) applied on five topics and scored on
the other five; the folders of one story (the sample corpus, the test corpus "harbour",
each MultiLing topic alone): how many stories each falls into, and whether `make` warns.

Last, the cost: near-copies of the MultiLing articles (benchmarks/scale.py's corpus) at
1,000 to 10,000 articles: CPU seconds of stories.group (time.process_time; the copies found
by copies.find_copies first, as read_corpus does, timed apart), beside the anchor of
scikit-learn's TfidfVectorizer.fit_transform on the same texts in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

from _common import DEFAULT_DATA, REPO, data_or_skip, machine, save_results, table
from _common import topic_dirs as _topics

GOAL = 0.9
SCALE_SIZES = [1_000, 3_000, 10_000]


def labels_of(listing, articles) -> list[int]:
    """A group number per article, in `articles` order; each unsorted article its own."""
    out = {a.id: k for k, s in enumerate(listing.stories) for a in s.articles}
    return [out.get(a.id, 10_000 + i) for i, a in enumerate(articles)]


def pairwise(truth, pred) -> tuple[float, float]:
    together = {(i, j) for i, j in combinations(range(len(pred)), 2) if pred[i] == pred[j]}
    same = {(i, j) for i, j in combinations(range(len(truth)), 2) if truth[i] == truth[j]}
    both = len(together & same)
    return both / len(together) if together else 1.0, both / len(same) if same else 1.0


def scores(name, truth, pred) -> list:
    from sklearn.metrics import homogeneity_completeness_v_measure

    h, c, _ = homogeneity_completeness_v_measure(truth, pred)
    p, r = pairwise(truth, pred)
    counts = Counter(pred)
    groups = sum(1 for n in counts.values() if n > 1)
    alone = sum(1 for n in counts.values() if n == 1)
    return [name, f"{h:.3f}", f"{c:.3f}", f"{p:.3f}", f"{r:.3f}", groups, alone]


def sklearn_rows(articles, truth, threshold) -> list[list]:
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title}\n{a.text}" for a in articles]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    agg = AgglomerativeClustering(
        n_clusters=None, distance_threshold=1 - threshold, metric="cosine", linkage="average"
    ).fit_predict(x.toarray())
    k = len(set(truth))
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(x)
    return [
        scores("sklearn agglomerative (same rule)", truth, list(agg)),
        scores(f"k-means, k={k} given", truth, list(km)),
    ]


def title_word_groups(articles) -> list[int]:
    from briefgen.text import content_words

    words = [set(content_words(a.title)) for a in articles]
    df = Counter(w for ws in words for w in ws)
    out = []
    for i, ws in enumerate(words):
        shared = sorted((df[w], w) for w in ws if df[w] > 1)
        out.append(hash(shared[0][1]) if shared else 10_000 + i)
    return out


def read(paths):
    from briefgen.ingest import load

    return load([str(p) for p in paths]).articles


def similarity_levels(articles, truth) -> tuple[float, float]:
    """Median TF-IDF cosine of pairs within a story, and across stories."""
    from briefgen.linkage import _dot, tfidf
    from briefgen.text import content_words

    v = tfidf([content_words(f"{a.title}\n{a.text}") for a in articles])
    within, across = [], []
    for i, j in combinations(range(len(v)), 2):
        (within if truth[i] == truth[j] else across).append(_dot(v[i], v[j]))
    return statistics.median(within), statistics.median(across)


def scale_rows(data: Path, sizes: list[int]) -> list[list]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from scale import write_corpus
    from sklearn.feature_extraction.text import TfidfVectorizer

    from briefgen.copies import find_copies
    from briefgen.stories import group

    rows, previous = [], None
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            write_corpus(data, n, Path(folder))
            articles = read([folder])
        started = time.process_time()
        copies = find_copies(articles)
        copied = time.process_time() - started
        started = time.process_time()
        listing = group(articles, copies=copies)
        ours = time.process_time() - started
        started = time.process_time()
        TfidfVectorizer(sublinear_tf=True).fit_transform([a.text for a in articles])
        anchor = time.process_time() - started
        ratio = f"{ours / previous:.2f}" if previous else ""
        rows.append([n, f"{ours:.2f}", ratio, f"{copied:.2f}", f"{anchor:.2f}",
                     len(listing.stories), len(listing.unsorted)])  # fmt: skip
        previous = ours
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--max", type=int, default=SCALE_SIZES[-1], help="largest scale size")
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    data = data_or_skip(args.data)

    from briefgen import stories
    from briefgen.stories import SAME_STORY, group, mixed_warning

    topics = _topics(data)
    files = [(t.name, p) for t in topics for p in sorted((t / "articles").glob("*.txt"))]
    articles = read([p for _, p in files])
    by_path = {str(p): name for name, p in files}
    truth = [by_path[a.path] for a in articles]

    print(f"# Stories in one feed: {len(articles)} MultiLing articles, {len(topics)} stories\n")
    print(machine() + "\n")
    ours = group(articles)
    headers = ["grouping", "homogeneity", "completeness", "pair precision", "pair recall",
               "groups", "alone"]  # fmt: skip
    rows = [scores(f"briefgen (threshold {SAME_STORY})", truth, labels_of(ours, articles))]
    rows += sklearn_rows(articles, truth, SAME_STORY)
    rows.append(scores("one story per title word", truth, title_word_groups(articles)))
    print(table(headers, rows))
    h, c = float(rows[0][1]), float(rows[0][2])
    verdict = "met" if h >= GOAL and c >= GOAL else "NOT met"
    print(f"\ngoal: homogeneity and completeness at least {GOAL}: {verdict}\n")

    sweep = []
    for t in (0.03, 0.04, 0.05, 0.06, 0.065, 0.07, 0.08, 0.09, 0.10, 0.12):
        got = group(articles, threshold=t)
        sweep.append(scores(f"{t:g}", truth, labels_of(got, articles)))
    print("## How the scores move with the threshold\n")
    print(table(["threshold", *headers[1:]], sweep) + "\n")

    print("## The rule, applied on five topics and scored on the other five\n")
    halves = [topics[:5], topics[5:]]
    rule_rows = []
    for fit, held in (halves, halves[::-1]):
        fit_articles = [a for a, t in zip(articles, truth) if t in {x.name for x in fit}]
        fit_truth = [t for t in truth if t in {x.name for x in fit}]
        within, across = similarity_levels(fit_articles, fit_truth)
        t = float(f"{(within * across) ** 0.5:.2g}")  # two significant digits, as SAME_STORY
        held_names = {x.name for x in held}
        held_articles = [a for a, n in zip(articles, truth) if n in held_names]
        held_truth = [n for n in truth if n in held_names]
        got = group(held_articles, threshold=t)
        row = scores(f"{fit[0].name}-{fit[-1].name} -> {held[0].name}-{held[-1].name}",
                     held_truth, labels_of(got, held_articles))  # fmt: skip
        rule_rows.append([row[0], f"{within:.3f}", f"{across:.3f}", t, *row[1:]])
    print(table(["chosen on -> scored on", "within", "across", "threshold", *headers[1:]],
                rule_rows) + "\n")  # fmt: skip

    print("## Folders of one story\n")
    single = [("sample corpus", [REPO / "examples" / "trade-talks"]),
              ("harbour (tests)", [REPO / "tests" / "data" / "e2e" / "harbour"])]  # fmt: skip
    single += [(f"MultiLing {t.name} alone", [t / "articles"]) for t in topics]
    one_rows = []
    for name, paths in single:
        got = read(paths)
        listing = group(got)
        warned = mixed_warning(got) is not None
        one_rows.append([name, len(got), len(listing.stories), len(listing.unsorted),
                         "yes" if warned else "no"])  # fmt: skip
    print(table(["folder", "articles", "stories", "fit none", "make warns"], one_rows) + "\n")

    scale = []
    if not args.no_scale:
        sizes = [n for n in SCALE_SIZES if n <= args.max]
        print("## Cost on near-copies (benchmarks/scale.py's corpus)\n")
        scale = scale_rows(data, sizes)
        print(table(["articles", "group CPU s", "ratio", "find_copies CPU s",
                     "anchor: TfidfVectorizer CPU s", "stories", "fit none"], scale))  # fmt: skip
        print(f"\n{stories.__name__}.group after copies; 'ratio' is to the previous size.")
    if args.json:
        save_results(args.json, data, scores=rows, sweep=sweep, rule=rule_rows,
                     single=one_rows, scale=scale)  # fmt: skip


if __name__ == "__main__":
    main()
