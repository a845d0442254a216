"""`briefgen make --by-story` end to end on a mixed feed of 1,000 and 3,000 articles.

    python benchmarks/by_story.py [--data DIR] [--sizes 1000,3000] [--json FILE]

Issue 16, "Done when": a day's mixed feed of thousands of articles becomes a brief per story
in about a minute of CPU on the built-in engine. Read here as: 3,000 articles within 60 s of
CPU, and 3,000 costing at most 3.3 times 1,000.

The feed is benchmarks/scale.py's corpus: N near-copies of the 100 MultiLing 2011 articles
(ten known stories), mixed in one temporary folder and deleted after the run. Each size runs
in a fresh child process: the CLI itself (briefgen.cli.main, standalone_mode=False) with
`make --by-story --audience analyst --engine extractive -o OUTDIR --cache STATE --quiet`,
its output folder and state (run log, manifests) in the temporary folder. CPU time is
time.process_time of that call (briefgen's modules imported before it, as scale.py does);
peak memory is the child's ru_maxrss. Stories, articles fitting none and the grouping's
homogeneity ("purity") and completeness against the known topics (sklearn, an article
fitting no story counted as a group of its own, as benchmarks/stories.py does) come from
the listing `make --by-story` itself made (cli_stories.grouped, watched, not changed);
briefs written are the files in OUTDIR.

The step that dominates comes from scale.py's sampling thread, extended to the by-story
path: every 10 ms, the phase the main thread is in (read: pipeline.read_corpus, group:
cli_stories.grouped, brief: by_story.story_briefs, rest: writing, manifests, run log) and
the function the deepest frame of pipeline.py, stories.py, by_story.py or cli_stories.py
called last.

Anchors, in the same run: reading every article and splitting it into sentences (in the
by-story child, as scale.py); and a plain `make` (the same options, no --by-story, -o FILE)
of one topic's N/10 near-copies in a child of its own: ten times it is what ten separate
folders of one story would cost, so the difference is what finding the stories in one feed
adds.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DEFAULT_DATA, article_body, data_or_skip, machine, save_results, table
from scale import Sampler, _met, growth_goal, write_corpus

SIZES = [1_000, 3_000]
GOAL_CPU_S = 60.0  # for 3,000 articles: "about a minute of CPU for thousands of articles"
ANCHOR_TOPIC = "M000"
OPTIONS = ["--audience", "analyst", "--engine", "extractive", "--quiet"]
_STEP_FILES = tuple(f"briefgen/{m}.py" for m in ("pipeline", "stories", "by_story", "cli_stories"))
_PHASES = {"read_corpus": "read", "grouped": "group", "story_briefs": "brief"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


class StorySampler(Sampler):
    """scale.Sampler naming the phase of make --by-story, then its step: "read: merge.merge"."""

    def step(self) -> str | None:
        frame = sys._current_frames().get(self.main)
        callee, step, phase = None, None, None
        while frame is not None:
            code = frame.f_code
            if step is None and code.co_filename.endswith(_STEP_FILES):
                inner = callee.f_code if callee is not None else code
                step = f"{Path(inner.co_filename).stem}.{inner.co_name}"
            if code.co_name in _PHASES and code.co_filename.endswith(_STEP_FILES):
                phase = _PHASES[code.co_name]
            if code.co_name == "make_by_story" and phase is None:
                phase = "rest"
            callee, frame = frame, frame.f_back
        return f"{phase}: {step}" if phase and step else None


def run_cli(args: list[str]) -> int:
    from briefgen.cli import main

    try:
        main.main(["make", *args], standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def preload() -> None:
    """briefgen's modules imported before the clock starts (their import is not the run)."""
    import briefgen.by_story  # noqa: F401
    import briefgen.cli  # noqa: F401
    import briefgen.cli_stories  # noqa: F401
    import briefgen.pipeline  # noqa: F401


def child(folder: Path, work: Path) -> None:
    started = time.process_time()
    sentences = 0
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences += sum(len(_SENTENCE_END.split(p)) for p in article_body(text))
    anchor_s = time.process_time() - started

    preload()
    import briefgen.cli_stories as cli_stories

    seen, original = {}, cli_stories.grouped

    def watched(*args, **kwargs):
        seen["listing"] = original(*args, **kwargs)
        return seen["listing"]

    cli_stories.grouped = watched
    out = work / "briefs"
    args = [str(folder), "--by-story", *OPTIONS, "-o", str(out), "--cache", str(work / "state")]
    sampler = StorySampler()
    sampler.start()
    started = time.process_time()
    status = run_cli(args)
    cpu_s = time.process_time() - started
    sampler.stop.set()
    sampler.join()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    listing = seen["listing"]
    total = sum(sampler.counts.values()) or 1
    phases = collections.Counter()
    for name, n in sampler.counts.items():
        phases[name.split(":")[0]] += n
    top = sampler.counts.most_common(1)
    step, share = (top[0][0], top[0][1] / total) if top else ("-", 0.0)
    h, c = purity(listing)
    result = {
        "cpu_s": cpu_s, "rss_mb": rss_mb, "status": status, "anchor_s": anchor_s,
        "sentences": sentences, "stories": len(listing.stories), "unsorted": len(listing.unsorted),
        "briefs": sum(1 for p in out.iterdir() if p.is_file()) if out.is_dir() else 0,
        "homogeneity": h, "completeness": c, "step": step, "share": share,
        "phases": {k: v / total for k, v in phases.most_common()},
        "steps": dict(sampler.counts.most_common(8)),
        "sizes": sorted((len(s.articles) for s in listing.stories), reverse=True),
    }  # fmt: skip
    print(json.dumps(result))


def purity(listing) -> tuple[float, float]:
    """Homogeneity and completeness against the topic in each file's name (M000-...)."""
    from sklearn.metrics import homogeneity_completeness_v_measure

    truth, pred = [], []
    for k, story in enumerate(listing.stories):
        for a in story.articles:
            truth.append(Path(a.path).name[:4])
            pred.append(k)
    for i, a in enumerate(listing.unsorted):
        truth.append(Path(a.path).name[:4])
        pred.append(10_000 + i)
    h, c, _ = homogeneity_completeness_v_measure(truth, pred)
    return h, c


def anchor_child(folder: Path, work: Path) -> None:
    preload()
    target = str(work / "brief.md")
    started = time.process_time()
    status = run_cli([str(folder), *OPTIONS, "-o", target, "--cache", str(work / "state")])
    cpu_s = time.process_time() - started
    print(json.dumps({"cpu_s": cpu_s, "status": status}))


def in_child(mode: str, folder: Path, work: Path) -> dict:
    cmd = [sys.executable, __file__, mode, str(folder), str(work)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=work)
    if out.returncode:
        sys.exit(f"{mode} {folder} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_size(data: Path, n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="briefgen-by-story-") as tmp:
        feed, one, work = Path(tmp, "feed"), Path(tmp, "one"), Path(tmp, "work")
        for p in (feed, one, work, work / "anchor"):
            p.mkdir()
        write_corpus(data, n, feed)
        r = in_child("--child", feed, work)
        only = Path(tmp, "topic")  # a data folder of one topic: a link, not a copy
        only.mkdir()
        (only / ANCHOR_TOPIC).symlink_to(data / ANCHOR_TOPIC, target_is_directory=True)
        write_corpus(only, n // 10, one)
        r["plain"] = in_child("--anchor-child", one, work / "anchor")
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="MultiLing 2011 folder")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="e.g. 100,1000")
    ap.add_argument("--json", metavar="FILE", help="also save the results as JSON")
    ap.add_argument("--child", nargs=2, metavar="DIR", help=argparse.SUPPRESS)
    ap.add_argument("--anchor-child", nargs=2, metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child or args.anchor_child:
        (child if args.child else anchor_child)(*map(Path, args.child or args.anchor_child))
        return
    data = data_or_skip(args.data)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    print(f"# briefgen make --by-story, {dt.date.today()}, {machine()}")
    print(f"# data: near-copies of the articles of {data}, all ten stories in one folder\n")
    rows, results, previous = [], {}, None
    for n in sizes:
        r = results[n] = run_size(data, n)
        ratio = f"{r['cpu_s'] / previous['cpu_s']:.2f}" if previous else "-"
        phases = ", ".join(f"{k} {v:.0%}" for k, v in r["phases"].items())
        rows.append([n, f"{r['cpu_s']:.2f}", ratio, f"{r['rss_mb']:.0f}", r["stories"],
                     r["briefs"], r["unsorted"], f"{r['homogeneity']:.3f}",
                     f"{r['completeness']:.3f}", f"{r['step']} ({r['share']:.0%})", phases,
                     f"{r['plain']['cpu_s']:.2f}", f"{r['anchor_s']:.3f}"])  # fmt: skip
        previous = r
        print(f"# {n} articles: {r['cpu_s']:.1f} s CPU, exit {r['status']}", file=sys.stderr)
    headers = ["articles", "CPU s", "ratio to previous", "peak MB (ru_maxrss)", "stories",
               "briefs written", "fit no story", "purity", "completeness",
               "dominant step (share of samples)", "phases (share of samples)",
               f"anchor: plain make of {ANCHOR_TOPIC} x N/10, CPU s",
               "anchor: read + split, CPU s"]  # fmt: skip
    print(table(headers, rows))
    print()
    goals = {}
    if 3_000 in results:
        cpu = results[3_000]["cpu_s"]
        goals["cpu_3000"] = [cpu, GOAL_CPU_S, cpu <= GOAL_CPU_S]
        print(
            f"goal 3,000 articles <= {GOAL_CPU_S:g} s CPU: {cpu:.1f} -> {_met(cpu <= GOAL_CPU_S)}"
        )
    goals |= growth_goal(results)
    if not goals:
        print("goal (3,000 within 60 s, 3,000 / 1,000 <= 3.3): not measured at these sizes")
    if args.json:
        save_results(args.json, data, results=results, goals=goals)


if __name__ == "__main__":
    main()
