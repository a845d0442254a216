"""One large article: how long a brief of it takes and how much memory, beside the goal.

    python benchmarks/large_input.py [--sizes 5,50] [--timeout 600] [--old DIR] [--json FILE]

Two articles no newsroom writes but a folder may hold: the sample corpus's text repeated on
one line of 5 MB (no line break, so every line-bounded step sees all of it), and a 50 MB
file of ordinary lines and paragraphs. Each is briefed by the extractive engine,
make_brief([file]), in a fresh child process, so the seconds and the peak resident memory
(ru_maxrss) are its own. The 50 MB file is over the default `max_article_bytes` (10 MB),
so it is read with the limit raised to show the reading itself; a last row shows the
default, where it is skipped unread. The goal (issue 15): at most 30 s and 1 GB each.
`--old DIR` adds the same rows for another checkout (e.g. `git worktree add /tmp/old HEAD~1`),
stopped after `--timeout` seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import REPO

GOAL_SECONDS = 30.0
GOAL_MB = 1000.0

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from briefgen.pipeline import make_brief
try:
    from briefgen.ingest import article_size_limit
except ImportError:  # an older checkout: no limit to raise
    import contextlib
    article_size_limit = lambda n: contextlib.nullcontext()
from briefgen.errors import NoArticlesError
started = time.perf_counter()
with article_size_limit(int(sys.argv[3])):
    try:
        corpus = make_brief([sys.argv[2]]).corpus
        articles, skipped = len(corpus.articles), [s.reason for s in corpus.skipped]
    except NoArticlesError as error:  # the one article was skipped
        articles, skipped = 0, [str(error).rpartition(": ")[2].rstrip(")")]
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = usage.ru_maxrss / 1024  # kB on Linux
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": peak, "articles": articles,
                  "skipped": skipped}))
"""


def sample_text() -> str:
    stories = sorted((REPO / "examples" / "trade-talks").glob("*.txt"))
    return "\n\n".join(p.read_text(encoding="utf-8") for p in stories)


def write_article(folder: Path, megabytes: int, one_line: bool) -> Path:
    text = sample_text()
    if one_line:
        text = re.sub(r"\s+", " ", text)
    size = megabytes * 1_000_000
    unit = text + (" " if one_line else "\n\n")
    body = (unit * (size // len(unit.encode()) + 1)).encode()[:size]
    path = folder / f"{megabytes}mb-{'one-line' if one_line else 'lines'}.txt"
    path.write_bytes(body.decode("utf-8", "ignore").encode())
    return path


def run(repo: Path, path: Path, limit: int, timeout: float) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(repo), str(path), str(limit)],
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {
            "seconds": None,
            "cpu": None,
            "peak_mb": None,
            "note": f"stopped after {timeout:.0f} s",
        }
    if done.returncode != 0:
        return {"seconds": None, "cpu": None, "peak_mb": None, "note": done.stderr.strip()[-200:]}
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    outcome["note"] = "; ".join(outcome.pop("skipped")) or f"{outcome['articles']} article read"
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5,50", help="MB of the one-line and the lined file")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--old", type=Path, help="another checkout to run the same rows on")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    one_line_mb, lines_mb = (int(x) for x in args.sizes.split(","))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        single = write_article(Path(tmp), one_line_mb, one_line=True)
        lined = write_article(Path(tmp), lines_mb, one_line=False)
        raised = (lines_mb + 1) * 1_000_000
        cases = [
            (f"{one_line_mb} MB, one line", single, raised),
            (f"{lines_mb} MB, lines (limit raised)", lined, raised),
            (f"{lines_mb} MB, default limit", lined, 10_000_000),
        ]
        trees = [("this tree", REPO)] + ([("--old", args.old)] if args.old else [])
        for label, repo in trees:
            for name, path, limit in cases:
                outcome = run(repo, path, limit, args.timeout)
                rows.append({"code": label, "file": name, **outcome})
                print(f"... {label}: {name} done", file=sys.stderr)
    # CPU seconds beside the wall ones: on a machine shared with other work the wall clock
    # says more about the load than about briefgen.
    print(
        f"{'code':<10} {'file':<28} {'seconds':>8} {'CPU s':>6} {'peak MB':>8} {'goal':>14}  note"
    )
    for row in rows:
        secs = "-" if row["seconds"] is None else f"{row['seconds']:.1f}"
        cpu = "-" if row.get("cpu") is None else f"{row['cpu']:.1f}"
        peak = "-" if row["peak_mb"] is None else f"{row['peak_mb']:.0f}"
        goal = f"<= {GOAL_SECONDS:.0f} s, {GOAL_MB:.0f} MB"
        print(
            f"{row['code']:<10} {row['file']:<28} {secs:>8} {cpu:>6} {peak:>8} {goal:>14}  {row['note']}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
