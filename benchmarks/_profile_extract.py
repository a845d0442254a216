"""Where the extractive engine's reading of a chunk spends its CPU, step by step.

    python benchmarks/_profile_extract.py [--data DIR] [--passes 3]

The 100 MultiLing 2011 articles are read and chunked once; then, in each pass, every chunk
is read by ExtractiveEngine.extract and its notes grounded (ground_notes), as make_brief
does. Before each pass every cache of briefgen is emptied (but the dictionary's, which a
process loads once), so a pass costs what new articles cost, not what articles read before
cost: speed.py reads the same articles again in its later passes, where most answers are
cached. Each rule of extract_rules that extract calls is timed by process time around its
calls; "other" is the rest of extract (splitting the chunk, skipping headings, the notes).

Not a benchmark with a goal (the leading underscore): a tool for finding what to speed up
next, beside speed.py and scale.py, which measure the whole brief.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import pkgutil
import time
from collections import Counter

from _common import DEFAULT_DATA, data_or_skip, machine, table, topic_dirs

_STEPS = ["make_claim", "find_quotes", "find_figures", "find_event", "find_entities"]


def _caches() -> list[functools._lru_cache_wrapper]:
    import briefgen
    from briefgen import entity_words

    modules = [
        importlib.import_module(f"briefgen.{m.name}")
        for m in pkgutil.iter_modules(briefgen.__path__)
        if m.name != "__main__"
    ]
    found = {id(f): f for m in modules for f in vars(m).values() if hasattr(f, "cache_clear")}
    found.pop(id(entity_words._dictionaries), None)
    return list(found.values())


def _timed(spent: Counter[str], name: str, fn):
    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started

    return timed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="MultiLing 2011 folder")
    ap.add_argument("--passes", type=int, default=3, help="passes over the chunks, best kept")
    args = ap.parse_args()
    data = data_or_skip(args.data)

    from briefgen import extract_rules
    from briefgen.chunking import DEFAULT_MAX_TOKENS, chunk_article
    from briefgen.engines.extractive import ExtractiveEngine
    from briefgen.ground import ground_notes
    from briefgen.ingest import load

    articles = load([str(t / "articles") for t in topic_dirs(data)]).articles
    work = [(a, c) for a in articles for c in chunk_article(a, DEFAULT_MAX_TOKENS)]
    engine = ExtractiveEngine()
    spent: Counter[str] = Counter()
    for name in _STEPS:  # the engine calls them as attributes of the module: wrapped there
        setattr(extract_rules, name, _timed(spent, name, getattr(extract_rules, name)))
    caches = _caches()
    best: dict[str, float] | None = None
    for _ in range(args.passes):
        for cache in caches:
            cache.cache_clear()
        spent.clear()
        started = time.process_time()
        notes = [engine.extract(c, a) for a, c in work]
        spent["extract"] = time.process_time() - started
        started = time.process_time()
        for n, (a, c) in zip(notes, work):
            ground_notes(n, a, c)
        spent["ground_notes"] = time.process_time() - started
        if best is None or spent["extract"] < best["extract"]:
            best = dict(spent)
    assert best is not None
    best["other"] = best["extract"] - sum(best[s] for s in _STEPS)
    per = 1000 / len(articles)
    print(f"# extract, step by step, {machine()}")
    print(f"# {len(articles)} articles, {len(work)} chunks, best of {args.passes} passes\n")
    rows = [
        [
            name,
            f"{best[name]:.3f}",
            f"{best[name] * per:.2f}",
            f"{best[name] / best['extract']:.0%}",
        ]
        for name in [*_STEPS, "other", "extract", "ground_notes"]
    ]
    print(table(["step", "CPU s", "ms/article", "share of extract"], rows))


if __name__ == "__main__":
    main()
