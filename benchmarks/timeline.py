"""The dated future found, against a hand-labelled list (tests/data/dated_future.jsonl).

Each label names one sentence (file, offset, a few of its words) that names a dated item,
and says whether, when its article was written, the item lay ahead ("upcoming": true) or
not (a past event, a plan told as off, a hypothetical). The extractive engine reads each
corpus as `briefgen make` does (reference dates settled, events found, watch items made);
a sentence is *listed* when a watch item comes from it. The table says, per corpus:

- upcoming found: labelled upcoming and listed;
- missed: labelled upcoming and not listed;
- past listed as upcoming: labelled not upcoming, yet listed with a date on or after its
  article's reference date (or with no date), that is shown as still to come.

The MultiLing text stays in ../shared; the labels hold only paths, offsets and a few words.

    .venv/bin/python benchmarks/timeline.py [--data ../shared/eval/multiling2011]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from _common import DEFAULT_DATA, REPO  # noqa: F401  (puts the repository on sys.path)

LABELS = REPO / "tests" / "data" / "dated_future.jsonl"
SAMPLE = REPO / "examples" / "trade-talks"


def load_labels(corpus: str) -> list[dict]:
    rows = [json.loads(ln) for ln in LABELS.read_text(encoding="utf-8").splitlines() if ln]
    return [r for r in rows if r["corpus"] == corpus]


def listed_items(folder: Path):
    """{article path: [(its evidence sentence, watch item, reference date)]} for a folder."""
    from briefgen import watch
    from briefgen.corpus_dates import decide_as_of
    from briefgen.injection import is_instruction_like
    from briefgen.pipeline import read_corpus
    from briefgen.settle import reports_cancelled

    corpus = read_corpus([str(folder)])
    decide_as_of(None, corpus)  # the reference dates make_brief would use
    paths = {a.id: a.path for a in corpus.articles}
    out: dict[str, list] = {}
    for n in corpus.notes:
        ref = corpus.references.get(n.article_id)
        for event in n.events:
            if event.date_text and watch.dates.looks_back(event.date_text):
                continue
            if is_instruction_like(event.evidence) or reports_cancelled(event.evidence):
                continue
            item = watch._item(event, n.article_id, ref)
            if item is not None:
                out.setdefault(paths[n.article_id], []).append(
                    (" ".join(event.evidence.split()), item, ref[0] if ref else None)
                )
    return out


def score(labels: list[dict], root: Path) -> dict:
    """found / missed / past listed as upcoming; label paths are relative to `root`."""
    from briefgen.watch import period_end

    by_folder: dict[Path, list] = {}
    for label in labels:
        by_folder.setdefault((root / label["path"]).parent, []).append(label)
    found, missed, wrong = [], [], []
    for folder, group in sorted(by_folder.items()):
        items = {str(Path(p).resolve()): rows for p, rows in listed_items(folder).items()}
        for label in group:
            rows = items.get(str((root / label["path"]).resolve()), [])
            told = [(item, ref) for sentence, item, ref in rows if label["key"] in sentence]
            if label["upcoming"]:
                (found if told else missed).append(label)
                continue
            ahead = [
                i
                for i, ref in told
                if i.date is None
                or ref is None
                or (i.end or period_end(i.date, i.precision)) >= ref
            ]
            if ahead:
                wrong.append(label)
    return {"found": found, "missed": missed, "wrong": wrong, "labels": labels}


def sample_result() -> dict:
    return score(load_labels("sample"), REPO)


def multiling_result(data: Path) -> dict:
    return score(load_labels("multiling"), data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the MultiLing 2011 folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed and wrong")
    args = parser.parse_args(argv)
    rows = [("sample corpus (examples/trade-talks)", sample_result)]
    data = Path(args.data)
    if (data / "M000" / "articles").is_dir():
        rows.append(("MultiLing 2011, ten stories", lambda: multiling_result(data)))
    else:
        print(f"(MultiLing skipped: no data at {data})")
    print(f"{'corpus':40} {'labelled':>8} {'upcoming':>8} {'found':>6} {'missed':>6} "
          f"{'past listed as upcoming':>24} {'seconds':>8}")  # fmt: skip
    for name, run in rows:
        started = time.perf_counter()
        r = run()
        took = time.perf_counter() - started
        up = len(r["found"]) + len(r["missed"])
        print(f"{name:40} {len(r['labels']):8} {up:8} {len(r['found']):6} {len(r['missed']):6} "
              f"{len(r['wrong']):24} {took:8.2f}")  # fmt: skip
        if args.verbose:
            for what in ("missed", "wrong"):
                for label in r[what]:
                    print(f"    {what}: {label['path']} @{label['offset']}: {label['key']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
