"""Speed and memory of the extractive engine on 1,000 articles, beside a plain-Python anchor.

    python benchmarks/speed.py [--data DIR] [--repeats 10] [--json FILE]

The 1,000 articles are the 100 MultiLing 2011 articles (ten topics of ten) read ten times,
each topic as its own brief: 100 runs of make_brief([topic/articles], audience="exec").
Why not 1,000 variants in one folder: a distinguishing line would make ten near-copies of
every article, and one brief over them would merge every sentence with nine twins, a corpus
no reader has. Ten-article briefs are the shape of the data, every brief reads distinct
articles, and briefgen keeps no cache of notes between runs, so each run does all the work.
It does keep in-process caches (functools) of what it worked out from a text: from the second
pass on, a brief of articles read before finds many of its sentences' words, spans and
quotations there. The cold row empties those keyed by a text before every brief (what is
loaded once per process, the dictionary, stays): the number for articles never seen.
A last briefgen row makes one brief of all 100 articles, ten times, to show how a bigger
brief scales.

Each workload runs in a fresh child process, so its ru_maxrss is its own: first untraced for
the time and ru_maxrss, then again under tracemalloc for the peak of Python allocations.
The anchor reads every article and takes its first three sentences with a regex (lead-3).
`briefgen --help` is timed as a subprocess, best of 5, beside `python -c pass`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from _common import (
    DEFAULT_DATA,
    REPO,
    article_body,
    article_files,
    data_or_skip,
    machine,
    save_results,
    table,
)
from _common import topic_dirs as _topics

GOAL_RATE = 100.0  # articles per second (issue 14, raised from 50 by issue 16)
GOAL_MB = 500.0
GOAL_HELP = 0.3  # seconds

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


# ---------------------------------------------------------------- workloads (in the child)


def anchor(topics: list[Path], repeats: int) -> int:
    """Plain Python: read each article, drop title and date line, keep its first 3 sentences."""
    n = 0
    for _ in range(repeats):
        for topic in topics:
            for path in article_files(topic):
                text = path.read_text(encoding="utf-8")
                sentences = [s for p in article_body(text) for s in _SENTENCE_END.split(p)]
                lead = " ".join(sentences[:3])
                n += bool(lead)
    return n


def per_topic(topics: list[Path], repeats: int, cold: bool = False) -> int:
    """Each topic its own brief, `repeats` times; `cold`: clear_caches() before each."""
    from briefgen.pipeline import make_brief

    n = 0
    for _ in range(repeats):
        for topic in topics:
            if cold:
                clear_caches()  # counted in the time: about fifty cache_clear calls
            n += make_brief([str(topic / "articles")], audience="exec").corpus.report.articles
    return n


def clear_caches() -> int:
    """Empty the functools caches of briefgen's modules that are keyed by what they are
    given (a text, a sentence, a word); how many there were.

    A process that makes one brief after another keeps what those caches learnt from the
    briefs before (the words, sentences and quotations of articles read already). The
    per-topic row reads the same 100 articles ten times, so from its second pass on much of
    each brief is answered from them; a brief of articles never seen is not. The caches of
    functions without arguments are kept: they load what every brief needs once per process
    (the dictionary, about 0.15 s), as one `briefgen make` of many articles does once."""
    import inspect

    cleared = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("briefgen") or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, functools._lru_cache_wrapper):
                if not inspect.signature(value.__wrapped__).parameters:
                    continue
                value.cache_clear()
                cleared += 1
    return cleared


def all_topics(topics: list[Path], repeats: int) -> int:
    from briefgen.pipeline import make_brief

    paths = [str(t / "articles") for t in topics]
    return sum(make_brief(paths, audience="exec").corpus.report.articles for _ in range(repeats))


WORKLOADS = {
    "anchor": ("plain Python read + lead-3 (anchor)", anchor),
    "per-topic": ("briefgen make_brief exec: 10-article briefs", per_topic),
    "per-topic-cold": (
        "briefgen make_brief exec: 10-article briefs, caches emptied before each",
        functools.partial(per_topic, cold=True),
    ),
    "all-topics": ("briefgen make_brief exec: 100-article briefs", all_topics),
}


def child(name: str, data: Path, repeats: int) -> None:
    topics = _topics(data)
    work = WORKLOADS[name][1]
    if name != "anchor":
        import briefgen.pipeline  # noqa: F401  (import time is the --help row's business)
    started, cpu_started = time.perf_counter(), time.process_time()
    articles = work(topics, repeats)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    tracemalloc.start()
    work(topics, repeats)
    traced_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "articles": articles,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "traced_mb": traced_mb,
                "rss_mb": rss_mb,
            }
        )
    )


# ---------------------------------------------------------------- the parent


def run_child(name: str, data: Path, repeats: int) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--data",
        str(data),
        "--repeats",
        str(repeats),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if out.returncode:
        sys.exit(f"{name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def best_of(cmd: list[str], runs: int) -> dict:
    """Wall time of a command, best of `runs`, and the ru_maxrss of that run (os.wait4)."""
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if proc.returncode:
            sys.exit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err}")
        if best is None or seconds < best["seconds"]:
            best = {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024}
    return best


def briefgen_command() -> list[str]:
    script = Path(sys.executable).parent / "briefgen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "briefgen"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="MultiLing 2011 folder")
    ap.add_argument("--repeats", type=int, default=10, help="passes over the 100 articles")
    ap.add_argument("--runs", type=int, default=5, help="--help timings, best of")
    ap.add_argument("--json", metavar="FILE", help="also save the results as JSON")
    ap.add_argument("--child", choices=WORKLOADS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    data = data_or_skip(args.data)
    if args.child:
        child(args.child, data, args.repeats)
        return

    print(f"# briefgen speed, {dt.date.today()}, {machine()}")
    print(
        f"# data: {data} ({sum(len(article_files(t)) for t in _topics(data))} articles), "
        f"{args.repeats} passes\n"
    )
    rows, results = [], {}
    for name, (label, _) in WORKLOADS.items():
        r = run_child(name, data, args.repeats)
        results[name] = {"what": label, **r}
        briefs = args.repeats * (len(_topics(data)) if name.startswith("per-topic") else 1)
        if name != "anchor":
            label = f"{label} ({briefs} runs)"
        rows.append(
            [
                label,
                r["articles"],
                f"{r['seconds']:.2f}",
                f"{r['cpu_seconds']:.2f}",
                f"{r['articles'] / r['seconds']:.1f}",
                f"{r['articles'] / r['cpu_seconds']:.1f}",
                f"{r['traced_mb']:.2f}",
                f"{r['rss_mb']:.1f}",
            ]
        )
    for name, label, cmd in [
        ("python-pass", "`python -c pass` (anchor), best of 5", [sys.executable, "-c", "pass"]),
        ("briefgen-help", "`briefgen --help`, best of 5", [*briefgen_command(), "--help"]),
    ]:
        r = best_of(cmd, args.runs)
        results[name] = {"what": label, **r}
        rows.append(
            [
                label.replace("5", str(args.runs)),
                "-",
                f"{r['seconds']:.3f}",
                "-",
                "-",
                "-",
                "-",
                f"{r['rss_mb']:.1f}",
            ]
        )
    print(
        table(
            [
                "what",
                "articles",
                "seconds",
                "CPU s",
                "articles/s",
                "articles/s of CPU",
                "peak MB (tracemalloc)",
                "peak MB (ru_maxrss)",
            ],
            rows,
        )
    )

    ours = results["per-topic"]
    # Per CPU second: other work on a shared machine slows the wall clock, not the CPU time.
    rate = ours["articles"] / ours["cpu_seconds"]
    peak = max(ours["traced_mb"], ours["rss_mb"], results["all-topics"]["rss_mb"])
    help_s = results["briefgen-help"]["seconds"]
    cold = results["per-topic-cold"]
    cold_rate = cold["articles"] / cold["cpu_seconds"]
    goals = {
        "articles_per_s": [rate, GOAL_RATE, rate >= GOAL_RATE],
        "articles_per_s_cold": [cold_rate, GOAL_RATE, cold_rate >= GOAL_RATE],
        "peak_mb": [peak, GOAL_MB, peak < GOAL_MB],
        "help_seconds": [help_s, GOAL_HELP, help_s < GOAL_HELP],
    }
    print()
    print(
        f"goal >= {GOAL_RATE:g} articles/s of CPU (10-article briefs): {rate:.1f} -> "
        f"{'met' if goals['articles_per_s'][2] else 'MISSED'}"
    )
    print(
        f"goal >= {GOAL_RATE:g} articles/s of CPU (10-article briefs, caches emptied): "
        f"{cold_rate:.1f} -> {'met' if goals['articles_per_s_cold'][2] else 'MISSED'}"
    )
    print(
        f"goal < {GOAL_MB:g} MB peak (largest of the briefgen peaks): {peak:.1f} MB -> "
        f"{'met' if goals['peak_mb'][2] else 'MISSED'}"
    )
    print(
        f"goal < {GOAL_HELP:g} s for briefgen --help: {help_s:.3f} s -> "
        f"{'met' if goals['help_seconds'][2] else 'MISSED'}"
    )
    if args.json:
        save_results(
            args.json,
            data,
            repeats=args.repeats,
            results=results,
            goals=goals,
        )


if __name__ == "__main__":
    main()
