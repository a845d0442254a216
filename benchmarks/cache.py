"""The cache of model answers: calls and time of a cold run, a warm re-run, one added article.

    python benchmarks/cache.py [--articles 20] [--delay 0.2] [--warm 1000] [--data DIR] [--json FILE]

Each step is `briefgen make --engine llm ... -a exec -f json -j 4 --cache STATE FOLDER` run as
a user runs it, in a subprocess (`python -m briefgen`, start-up included), against the local
server of benchmarks/_fake_llm.py in its "grounded" mode: it sleeps `--delay` seconds per
request, answers each map call with two sentences of the chunk as facts (so they ground and
the synthesis has findings to write from) and each synthesis with a brief that passes
verification. The server counts the requests it sees; briefgen's own summary line on
standard error says how many calls it counted, new and cached.

The steps, on a temporary folder:
1. cold: N-1 articles, an empty cache;
2. warm: the same N-1 articles again (expected: no request at all);
3. one added: the N-th article copied in (expected: that article's chunks + 1 synthesis,
   computed here with briefgen.chunking.chunk_article at engines.llm.CHUNK_TOKENS).

The anchor is the same step with `--no-cache` (its own state folder), run right after it: what
each step costs without the cache.

A second table is the warm map step at scale (`--warm N`, default 1,000 articles; 0 skips it):
N distinct articles (the corpus' articles, each copy with its own closing line "Copy k of
FILE." so every article, and its last chunk, is new to the cache), their map calls made once
against the same server at no delay, then the map step again, warm, in this process: the
CPU seconds of reading every chunk's notes and grounded notes back from the cache. The anchor
is the same warm step grounding the cached notes again, as briefgen did before grounded notes
were kept (the issue measured about 50 s for 1,000 articles). Goal: at most 5 s.

The articles are the MultiLing 2011 ones (../shared/eval/multiling2011, M000/01.txt, ...,
M001/01.txt, ... in order), or, when that data is absent, the sample corpus
examples/trade-talks (5 articles, so at most --articles 5); the output says which.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DEFAULT_DATA, REPO, article_files, machine, save_results, table, topic_dirs
from _fake_llm import FakeServer

from briefgen.chunking import chunk_article
from briefgen.engines.llm import CHUNK_TOKENS
from briefgen.ingest import load

SAMPLE = REPO / "examples" / "trade-talks"
_CALLS = re.compile(r"(\d+) calls? \((\d+) new, (\d+) cached(?:, (\d+) given up)?\)")
_REPORT = re.compile(r"notes kept (\d+), dropped (\d+); points verified (\d+), dropped (\d+)")


def choose_articles(data: Path, n: int | None = None) -> tuple[Path, str, list[tuple[Path, str]]]:
    """The folder the articles come from, said in words, and (file, name in the temporary
    folder) for the first n of them; topics share file names, so the topic prefixes them."""
    topics = topic_dirs(data) if data.is_dir() else []
    if topics:
        files = [(f, f"{t.name}_{f.name}") for t in topics for f in article_files(t)]
        origin, source = data, f"MultiLing 2011 articles from {data}"
    else:
        files = [(f, f.name) for f in sorted(SAMPLE.glob("*.txt"))]
        origin = SAMPLE
        source = f"sample corpus {SAMPLE.relative_to(REPO)} (no MultiLing data at {data})"
    if n is None:  # every article there
        return origin, source, files
    if n > len(files):
        print(f"note: only {len(files)} articles there; using {len(files)}, not {n}")
    if min(n, len(files)) < 2:
        raise SystemExit("--articles must be at least 2 (one to add after the cold run)")
    return origin, source, files[:n]


def chunks_of(path: Path) -> int:
    """The map calls one article costs: its chunks at the LLM engine's chunk size."""
    articles = load([str(path)]).articles
    return sum(len(chunk_article(a, CHUNK_TOKENS)) for a in articles)


def environment() -> dict[str, str]:
    """The user's environment without settings that would change the run, on this tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFGEN_", "OPENAI_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def make(server: FakeServer, folder: Path, state: Path, *, no_cache: bool, cwd: Path) -> dict:
    """One `briefgen make` in a subprocess: seconds, the server's requests, briefgen's count."""
    args = [sys.executable, "-m", "briefgen", "make", "--engine", "llm",
            "--base-url", server.url, "--model", "fake", "-a", "exec", "-f", "json", "-j", "4",
            "--cache", str(state), *(["--no-cache"] if no_cache else []), str(folder)]  # fmt: skip
    server.reset()
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=environment(), cwd=cwd)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"briefgen failed ({done.returncode}):\n{done.stderr}")
    calls = _CALLS.search(done.stderr)
    report = _REPORT.search(done.stderr)
    if not calls or not report:
        raise SystemExit(f"no run summary in briefgen's output:\n{done.stderr}")
    total, new, cached, given_up = (int(g or 0) for g in calls.groups())
    kept, dropped, verified, points_dropped = (int(g) for g in report.groups())
    return {
        "seconds": round(seconds, 3),
        "requests": server.requests,
        "request_kinds": server.kinds,
        "calls": total,
        "new": new,
        "cached": cached,
        "given_up": given_up,
        "notes_kept": kept,
        "notes_dropped": dropped,
        "points_verified": verified,
        "points_dropped": points_dropped,
        # On standard error, and in the brief (a synthesis that fell back to the extractive
        # writer says so only there).
        "warnings": [ln for ln in done.stderr.splitlines() if "warning" in ln]
        + json.loads(done.stdout)["provenance"]["warnings"],
    }


def variants(files: list[tuple[Path, str]], n: int, folder: Path) -> None:
    """n distinct articles in `folder`: the files again and again, each copy ending on a line
    of its own, so no two share every chunk."""
    for k in range(n):
        path, name = files[k % len(files)]
        text = path.read_text(encoding="utf-8").rstrip()
        (folder / f"copy{k // len(files):03d}_{name}").write_text(
            f"{text}\n\nCopy {k // len(files) + 1} of {name}.\n", encoding="utf-8"
        )


def warm_map(files: list[tuple[Path, str]], n: int) -> dict:
    """CPU seconds of the warm map step over n articles: cached notes and cached grounded
    notes read back (briefgen), and cached notes grounded again (the anchor)."""
    from briefgen.cache import Cache
    from briefgen.engines.cached import CachedEngine
    from briefgen.engines.llm import LLMEngine
    from briefgen.ground import ground_notes
    from briefgen.llm_client import LLMClient
    from briefgen.pipeline import _map

    with (
        tempfile.TemporaryDirectory(prefix="bench-warm-") as tmp,
        FakeServer(delay=0.0, answers="grounded") as server,
    ):
        folder = Path(tmp) / "articles"
        folder.mkdir()
        variants(files, n, folder)
        articles = load([str(folder)]).articles
        work = [(a, c) for a in articles for c in chunk_article(a, CHUNK_TOKENS)]
        client = LLMClient(base_url=server.url, api_key="bench", model="fake", mode_memory={})
        engine = CachedEngine(LLMEngine(client, model="fake"), Cache.in_folder(Path(tmp)))
        for (article, chunk), notes in zip(work, _map(engine, work, 4, None)):  # cold: fill
            engine.ground(notes, article, chunk)
        cold_requests = server.requests
        server.reset()

        def step(ground) -> float:
            started = time.process_time()
            for article, chunk in work:
                ground(engine.extract(chunk, article), article, chunk)
            return time.process_time() - started

        ours, anchor = step(engine.ground), step(ground_notes)
        warm_requests = server.requests
        engine.cache.close()
    return {"articles": len(articles), "chunks": len(work), "cold_requests": cold_requests,
            "warm_requests": warm_requests, "cpu_seconds": round(ours, 3),
            "anchor_cpu_seconds": round(anchor, 3)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20, metavar="N")
    parser.add_argument("--delay", type=float, default=0.2, help="server seconds per request")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the MultiLing 2011 folder")
    parser.add_argument("--warm", type=int, default=1000, metavar="N",
                        help="articles in the warm map table (0: no such table)")  # fmt: skip
    parser.add_argument("--json", metavar="FILE", help="also write the results here")
    args = parser.parse_args()

    origin, source, files = choose_articles(Path(args.data).expanduser(), args.articles)
    *first, (added, added_name) = files
    first_chunks = sum(chunks_of(f) for f, _ in first)
    added_chunks = chunks_of(added)
    expected = {"cold": first_chunks + 1, "warm": 0, "one added": added_chunks + 1}
    anchor_expected = {"cold": first_chunks + 1, "warm": first_chunks + 1,
                       "one added": first_chunks + added_chunks + 1}  # fmt: skip

    results: dict[str, dict[str, dict]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp,
        FakeServer(delay=args.delay, answers="grounded") as server,
    ):
        tmp_path = Path(tmp)
        folder = tmp_path / "articles"
        folder.mkdir()
        for path, name in first:
            shutil.copy(path, folder / name)
        # Start-up once untimed, so the first timed run does not pay for a cold file cache.
        subprocess.run([sys.executable, "-m", "briefgen", "--help"], capture_output=True,
                       env=environment(), cwd=tmp_path, check=True)  # fmt: skip
        for step in ("cold", "warm", "one added"):
            if step == "one added":
                shutil.copy(added, folder / added_name)
            results[step] = {
                "cache": make(server, folder, tmp_path / "state", no_cache=False, cwd=tmp_path),
                "no cache": make(
                    server, folder, tmp_path / "state-anchor", no_cache=True, cwd=tmp_path
                ),
            }

    print(f"cache benchmark: {machine()}")
    print(f"articles: {source}")
    print(f"server delay {args.delay:.2f} s per request; briefgen make -a exec -j 4, a subprocess")
    print(f"chunks at {CHUNK_TOKENS} tokens: {first_chunks} in the first {len(first)} articles, "
          f"{added_chunks} in the added one ({added_name})\n")  # fmt: skip
    rows = []
    for step, runs in results.items():
        ours, anchor = runs["cache"], runs["no cache"]
        articles = len(first) + (step == "one added")
        rows.append([
            step, articles, expected[step], ours["requests"], f"{ours['new']} / {ours['cached']}",
            f"{ours['seconds']:.2f}", anchor["requests"], f"{anchor['seconds']:.2f}",
        ])  # fmt: skip
    print(table(["step", "articles", "expected requests", "requests", "briefgen calls new / cached",
                 "seconds", "--no-cache requests (anchor)", "--no-cache seconds"], rows))  # fmt: skip

    print()
    problems = []
    for step, runs in results.items():
        ours, anchor = runs["cache"], runs["no cache"]
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(ours["request_kinds"].items())) or "none"
        print(f"{step}: server saw {kinds}; notes kept {ours['notes_kept']}, points verified "
              f"{ours['points_verified']}, dropped {ours['points_dropped']}")  # fmt: skip
        if ours["requests"] != expected[step]:
            problems.append(f"{step}: {ours['requests']} requests, expected {expected[step]}")
        if ours["new"] != ours["requests"]:
            problems.append(f"{step}: briefgen counted {ours['new']} new calls, the server saw "
                            f"{ours['requests']}")  # fmt: skip
        if anchor["requests"] != anchor_expected[step]:
            problems.append(f"{step} --no-cache: {anchor['requests']} requests, expected "
                            f"{anchor_expected[step]}")  # fmt: skip
        for label, run in runs.items():
            if run["given_up"]:
                problems.append(f"{step} ({label}): {run['given_up']} calls given up")
            problems += [f"{step} ({label}): {w}" for w in run["warnings"]]
    one = results["one added"]["cache"]["requests"]
    verdict = "matched" if one == expected["one added"] else "DID NOT match"
    print(f"\none added: expected {added_chunks} chunk(s) of {added_name} + 1 synthesis = "
          f"{expected['one added']} requests; the server saw {one}: {verdict}")  # fmt: skip
    if problems:
        print("surprises:")
        for p in problems:
            print(f"  {p}")
    else:
        print("every request count as expected; no warnings")

    warm = None
    if args.warm:
        corpus, _, every = choose_articles(Path(args.data).expanduser())
        warm = warm_map(every, args.warm)
        print(f"\nwarm map step, in this process: {warm['articles']} articles, {warm['chunks']} "
              f"chunks ({warm['cold_requests']} requests to fill the cache, "
              f"{warm['warm_requests']} when warm)")  # fmt: skip
        print(table(["warm map step", "CPU seconds"], [
            ["anchor: cached notes, grounded again", f"{warm['anchor_cpu_seconds']:.2f}"],
            ["briefgen: cached notes and grounded notes", f"{warm['cpu_seconds']:.2f}"],
        ]))  # fmt: skip
        print(f"goal: at most 5 s: {'met' if warm['cpu_seconds'] <= 5 else 'NOT met'}")

    if args.json:
        save_results(
            args.json, origin, source=source, articles=len(files), delay=args.delay,
            chunk_tokens=CHUNK_TOKENS, added=added_name, expected=expected,
            anchor_expected=anchor_expected, results=results, problems=problems, warm=warm,
        )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
